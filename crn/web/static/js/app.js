// The app shell: sign-in gate, header (search as you type, language switch, sign out) and the hash router.
import * as api from "./api.js";
import { LANGUAGES, language, setLanguage, t } from "./i18n.js";
import { esc, errorBox, hrefFor } from "./ui.js";
import * as forms from "./forms.js";
import * as login from "./views/login.js";
import * as home from "./views/home.js";
import * as myaccount from "./views/myaccount.js";
import * as account from "./views/account.js";
import * as person from "./views/person.js";
import * as family from "./views/family.js";
import * as org from "./views/org.js";
import * as committee from "./views/committee.js";
import * as paths from "./views/paths.js";
import * as influence from "./views/influence.js";
import * as board from "./views/board.js";
import * as fields from "./views/fields.js";
import * as groups from "./views/groups.js";
import * as lists from "./views/lists.js";
import * as imports from "./views/imports.js";  // imports-rules
import * as rules from "./views/rules.js";      // imports-rules
import * as accessAdmin from "./views/access.js";  // access (issue 13)
import * as audit from "./views/audit.js";      // audit

const ROUTES = [
  [/^\/?$/, home],
  [/^\/login$/, login],
  [/^\/company\/([^/]+)$/, account],
  [/^\/company\/([^/]+)\/family$/, family],
  [/^\/company\/([^/]+)\/org$/, org],
  [/^\/company\/([^/]+)\/influence$/, influence],
  [/^\/deal\/([^/]+)$/, committee],
  [/^\/person\/([^/]+)$/, person],
  [/^\/paths\/([^/]+)$/, paths],
  [/^\/pipeline$/, board],
  [/^\/(companies|people|tickets|products|orders)$/, lists],
  [/^\/me$/, myaccount],
  [/^\/admin\/fields$/, fields],
  [/^\/groups$/, groups],
  [/^\/import$/, imports],  // imports-rules
  [/^\/rules$/, rules],     // imports-rules
  [/^\/admin\/access$/, accessAdmin],  // access (issue 13)
  [/^\/admin\/audit$/, audit],  // audit
];

const ctx = { user: null, cleanup: null, renderId: 0 };
const header = document.getElementById("header");
const main = document.getElementById("view");

/** Parse location.hash into {path, query}. */
function currentRoute() {
  const raw = location.hash.replace(/^#/, "") || "/";
  const [path, qs] = raw.split("?");
  return { path, query: new URLSearchParams(qs || "") };
}

/** Go to a route (pushes a history entry, so back/forward work). */
export function navigate(hash) {
  if (location.hash === hash) route(); else location.hash = hash;
}

/** Header links to the lists (companies, people, the ticket queue). */
function listNav() {
  return ["companies", "people", "tickets"].map((l) => `<a href="#/${l}" data-testid="nav-${l}">${t(`lists.title.${l}`)}</a>`).join("");
}

function renderHeader() {
  document.title = t("app.title");
  const options = Object.entries(LANGUAGES).map(([code, name]) =>
    `<option value="${code}" ${code === language() ? "selected" : ""}>${name}</option>`).join("");
  header.innerHTML = `
    <a class="brand" href="#/">crn</a>
    ${ctx.user ? `<nav class="main-nav" aria-label="${t("nav.main")}"><a href="#/pipeline" data-testid="nav-pipeline">${t("nav.pipeline")}</a>${listNav()}${ctx.user.role !== "viewer" ? `<a href="#/import" data-testid="nav-import">${t("imports.title")}</a>` : ""}<a href="#/rules" data-testid="nav-rules">${t("rules.title")}</a>${ctx.user.role === "admin" ? `<a href="#/groups" data-testid="nav-groups">${t("groups.title")}</a><a href="#/admin/fields" data-testid="nav-fields">${t("fields.title")}</a><a href="#/admin/access" data-testid="nav-access">${t("nav.access")}</a><a href="#/admin/audit" data-testid="nav-audit">${t("audit.title")}</a>` : ""}</nav>` : ""}
    ${ctx.user ? `<div class="search" role="search">
      <input type="search" id="search" data-testid="search-input" autocomplete="off" placeholder="${t("nav.search")}" aria-label="${t("nav.search")}">
      <ul class="search-results" id="search-results" role="listbox" hidden></ul></div>` : `<div class="search"></div>`}
    ${ctx.user ? `<div class="new-menu">
      <button type="button" id="new-button" data-testid="new-menu" aria-haspopup="menu" aria-expanded="false" aria-controls="new-list">${t("forms.new")}</button>
      <ul class="new-list" id="new-list" role="menu" aria-label="${t("forms.newMenu")}" hidden>${forms.NEW_MENU.map((label) =>
        `<li role="none"><button type="button" role="menuitem" data-new="${label}" data-testid="new-${label.toLowerCase()}">${t(`forms.new.${label}`)}</button></li>`).join("")}</ul></div>` : ""}
    <label class="lang"><span class="sr-only">${t("nav.language")}</span>
      <select id="lang" data-testid="lang-switch" aria-label="${t("nav.language")}">${options}</select></label>
    ${ctx.user ? `<a class="who" href="#/me" data-testid="current-user" title="${t("activity.myAccount")}">${esc(ctx.user.name || ctx.user.email)}</a>
      <button type="button" id="signout" data-testid="signout">${t("nav.signout")}</button>` : ""}`;
  header.querySelector("#lang").addEventListener("change", (event) => {
    setLanguage(event.target.value);
    renderHeader();
    route();
  });
  header.querySelector("#signout")?.addEventListener("click", async () => {
    await api.logout();
    ctx.user = null;
    renderHeader();
    navigate("#/login");
  });
  if (ctx.user) { wireSearch(); wireNewMenu(); }
}

/** The "+ New" menu: opens the create form of a record type, then goes to the new record. */
function wireNewMenu() {
  const button = header.querySelector("#new-button");
  const list = header.querySelector("#new-list");
  const items = () => [...list.querySelectorAll("[role=menuitem]")];
  const toggle = (open) => {
    list.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) items()[0].focus();
  };
  button.addEventListener("click", () => toggle(list.hidden));
  list.addEventListener("keydown", (event) => {
    const all = items();
    const i = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown") { all[(i + 1) % all.length].focus(); event.preventDefault(); }
    if (event.key === "ArrowUp") { all[(i - 1 + all.length) % all.length].focus(); event.preventDefault(); }
    if (event.key === "Escape") { toggle(false); button.focus(); }
  });
  list.addEventListener("click", async (event) => {
    const item = event.target.closest("[data-new]");
    if (!item) return;
    toggle(false);
    const label = item.dataset.new;
    try {
      const saved = await forms.recordDialog(label);
      const href = saved && forms.hrefAfterCreate(label, saved);
      if (href) navigate(href);
    } catch (err) {
      if (err.code === "unauthenticated") window.dispatchEvent(new CustomEvent("crn:unauthenticated"));
      else console.error(err);
    }
  });
  document.addEventListener("click", (event) => { if (!event.target.closest(".new-menu")) toggle(false); });
}

function wireSearch() {
  const input = header.querySelector("#search");
  const list = header.querySelector("#search-results");
  let timer = null;
  let seq = 0;
  let active = -1;
  const items = () => [...list.querySelectorAll("li[data-href]")];
  const highlight = (i) => {
    active = i;
    items().forEach((li, j) => li.classList.toggle("active", j === i));
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (!text) { list.hidden = true; return; }
    timer = setTimeout(async () => {
      const mine = ++seq;
      try {
        const data = await api.gql(`query Search($text: String!) { search(text: $text, first: 12) { id type name detail score } }`, { text });
        if (mine !== seq) return;
        const hits = data.search.filter((r) => hrefFor(r.type, r.id)).slice(0, 8);
        list.innerHTML = hits.length ? hits.map((r) => `
          <li role="option" data-href="${hrefFor(r.type, r.id)}" data-testid="search-result">
            <span class="badge type-${esc(r.type)}">${t(`type.${r.type}`)}</span>
            <span class="name">${esc(r.name)}</span><span class="detail">${esc(r.detail || "")}</span></li>`).join("")
          : `<li class="muted">${t("search.none")}</li>`;
      } catch (err) {
        if (mine !== seq) return;
        list.innerHTML = `<li>${errorBox(err)}</li>`;
        if (err.code === "unauthenticated") window.dispatchEvent(new CustomEvent("crn:unauthenticated"));
      }
      list.hidden = false;
      highlight(-1);
    }, 150);
  });
  input.addEventListener("keydown", (event) => {
    const all = items();
    if (event.key === "ArrowDown") { highlight(Math.min(active + 1, all.length - 1)); event.preventDefault(); }
    if (event.key === "ArrowUp") { highlight(Math.max(active - 1, 0)); event.preventDefault(); }
    if (event.key === "Enter" && all.length) { navigate(all[Math.max(active, 0)].dataset.href); list.hidden = true; }
    if (event.key === "Escape") list.hidden = true;
  });
  list.addEventListener("click", (event) => {
    const li = event.target.closest("li[data-href]");
    if (!li) return;
    list.hidden = true;
    input.value = "";
    navigate(li.dataset.href);
  });
  document.addEventListener("click", (event) => { if (!event.target.closest(".search")) list.hidden = true; });
}

async function route() {
  const { path, query } = currentRoute();
  const renderId = ++ctx.renderId;
  if (ctx.cleanup) { try { ctx.cleanup(); } catch { /* view already gone */ } ctx.cleanup = null; }
  if (!ctx.user && path !== "/login") {
    ctx.user = await api.me();
    renderHeader();
    if (!ctx.user) {
      sessionStorage.setItem("crn.next", location.hash || "#/");
      navigate("#/login");
      return;
    }
  }
  const match = ROUTES.map(([re, view]) => [path.match(re), view]).find(([m]) => m);
  main.innerHTML = "";
  delete main.dataset.ready;
  delete main.dataset.expanded;
  main.dataset.hash = location.hash;  // which address the view being rendered (and then ready) belongs to
  main.dataset.view = match ? match[1].name : "notfound";
  if (!match) { main.innerHTML = `<p class="error">${t("error.notFound")}</p>`; return; }
  const [m, view] = match;
  const params = m.slice(1).map(decodeURIComponent);
  try {
    const cleanup = await view.render(main, params, query, {
      ...ctx, navigate, isCurrent: () => renderId === ctx.renderId,
      signedIn: (user) => { ctx.user = user; renderHeader(); },
    });
    if (renderId === ctx.renderId) ctx.cleanup = cleanup || null; else if (cleanup) cleanup();
  } catch (err) {
    console.error(err);
    if (err.code === "unauthenticated") { window.dispatchEvent(new CustomEvent("crn:unauthenticated")); return; }
    if (renderId !== ctx.renderId) return;  // a view left before it finished: never overwrite the next one
    main.innerHTML = errorBox(err);
  }
}

window.addEventListener("crn:unauthenticated", () => {
  if (!ctx.user) return;
  ctx.user = null;
  renderHeader();
  sessionStorage.setItem("crn.next", location.hash || "#/");
  navigate("#/login");
});
window.addEventListener("hashchange", route);
renderHeader();
route();
