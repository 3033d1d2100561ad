// A person: profile, employments, reporting line, deals and who knows them, beside their neighbourhood.
import * as api from "../api.js";
import { historySection, loadHistory, uidOf } from "./audit.js";  // audit
import { createCanvas } from "../graph.js";
import { t, fmtMoney, fmtPercent, fmtDate, roleLabel } from "../i18n.js";
import { CUSTOM_FIELDS, customRows, esc, facts, link, load, section, errorMessage } from "../ui.js";
import { NETWORK_FIELDS, workspace, showSelection, expandNode } from "./common.js";
import * as forms from "../forms.js";
import { logActivityButton, kindLabel, interactionActions, wireInteractionActions } from "./activity.js";
import { detailSections, loadPersonDetails } from "./persondetails.js";
import { ownerPanel } from "./access.js";  // access (issue 13)
import { privacySection, loadPrivacy } from "./privacy.js";

export const name = "person";

const PERSON_QUERY = `query Person($id: ID!) { me { id } person(id: $id) { id uid name email title department seniority ${CUSTOM_FIELDS}
  employments { title since until current company { id name } }
  manager { id name title } directReports { id name title } dottedLine { id name title }
  deals { role declared confidence deal { id name stage status amount } }
  knownBy { strength user { id name } } } }`;
// after logging an activity: the person's timeline and who knows them (the strength the server just recomputed)
const ACTIVITY_QUERY = `query PersonActivity($id: ID!) { person(id: $id) { id knownBy { strength user { id } }
  interactions(first: 5) { edges { node { id kind subject at } } } } }`;

/** My strength with the person from their knownBy list (null: no tie yet). */
function myStrength(knownBy, me) {
  return knownBy.find((k) => k.user.id === me.id)?.strength ?? null;
}

function timelineHtml(items) {
  if (!items.length) return `<p class="muted">${t("empty")}</p>`;
  return `<ul class="list" data-testid="person-timeline">${items.map((i) => `<li data-testid="person-timeline-item" data-id="${esc(i.id)}"><span class="badge">${esc(kindLabel(i.kind))}</span>
    ${esc(i.subject || "")} <span class="muted">${fmtDate(i.at)}</span> ${interactionActions(i)}</li>`).join("")}</ul>`;
}

/** "Log activity" from a person: they (and I) are ticked, a deal of theirs may be picked; afterwards the timeline
 * and my relationship strength with them reload, shown as old → new. */
function wireActivity(root, p, me, loadProfile) {
  const box = root.querySelector('[data-section="person.activity"] .card-body');
  const line = box.querySelector(".strength-line");
  const timeline = box.querySelector(".person-timeline");
  let strength = myStrength(p.knownBy, me);
  const showStrength = (before, after) => {
    line.dataset.before = before ?? "";
    line.dataset.after = after ?? "";
    line.innerHTML = before === after || before === undefined
      ? `${esc(t("person.strength", { name: p.name }))} <strong data-testid="strength-now">${after === null ? esc(t("person.noTie")) : fmtPercent(after)}</strong>`
      : `${esc(t("person.strength", { name: p.name }))} <span data-testid="strength-old">${before === null ? esc(t("person.noTie")) : fmtPercent(before)}</span>
         → <strong data-testid="strength-now">${fmtPercent(after)}</strong>`;
  };
  showStrength(undefined, strength);
  const reload = async (logged) => {
    const q = (await api.gql(ACTIVITY_QUERY, { id: p.id })).person;
    timeline.innerHTML = timelineHtml(q.interactions.edges.map((e) => e.node));
    if (logged) {
      const after = myStrength(q.knownBy, me);
      showStrength(strength, after);
      strength = after;
      await loadProfile();  // who knows them, now with me
      root.dataset.logged = logged.id;
    }
  };
  // edit or delete an interaction of the timeline with the generated record form
  wireInteractionActions(timeline, (mark) => reload({ id: mark }));
  reload(null).catch((err) => { timeline.innerHTML = `<div class="error" role="alert">${esc(errorMessage(err))}</div>`; });
  const current = p.employments.find((e) => e.current !== false);
  const deals = p.deals.filter((d) => d.deal.status === "open").map((d) => ({ id: d.deal.id, name: d.deal.name }));
  logActivityButton(box.querySelector(".log-activity"), { companyId: current?.company.id || null,
    about: current ? [current.company.id] : [], person: { id: p.id, name: p.name, title: p.title }, deals }, reload);
}

/** Render person `id`. */
export async function render(root, [id], _query, ctx) {
  const panel = section("panel.selection", `<p class="muted">${t("canvas.hint")}</p>`, "selection") + section("panel.profile", undefined, "profile")
    + section("access.owner", undefined, "owner")  // access (issue 13)
    + section("person.activity", `<div class="log-activity"></div><p class="strength-line" data-testid="strength-line" aria-live="polite"></p><div class="person-timeline"></div>`, "person-activity")
    + detailSections() + historySection() + privacySection();  // audit: + History; privacy: + Privacy
  root.innerHTML = workspace("…", `<nav class="tabs"><a href="#/paths/${encodeURIComponent(id)}" data-testid="find-path">${t("action.introPath")}</a>
    <a href="#/paths/${encodeURIComponent(id)}?team=1">${t("action.introPath")} · ${t("action.teamPaths")}</a></nav>${forms.recordActions()}`, panel);
  ownerPanel(root.querySelector('[data-section="access.owner"] .card-body'), id, ctx);  // access (issue 13)
  let current = null;
  let activityWired = false;
  forms.wireRecordActions(root, "Person", () => current, { onSaved: () => ctx.navigate(location.hash), onDeleted: () => ctx.navigate("#/") });
  const host = root.querySelector(".canvas-host");
  let canvas = null;
  canvas = createCanvas(host, { onSelect: (d) => showSelection(root, d, canvas), onExpand: (nodeId) => expandNode(root, canvas, nodeId) });
  const loadProfile = () => load(root, "panel.profile", async () => {
    const data = await api.gql(PERSON_QUERY, { id });
    const p = data.person;
    if (!p) throw new api.ApiError("notFound", "not found");
    if (!ctx.isCurrent()) return "";
    root.querySelector("[data-testid=view-title]").textContent = p.name;
    current = { id: p.id, name: p.name };
    forms.recordLoaded(root);
    if (!activityWired) { activityWired = true; wireActivity(root, p, data.me, loadProfile); }
    const people = (list) => list.map((x) => link("Person", x.id, x.name)).join(", ");
    return facts([
      [t("field.title"), esc(p.title)], [t("field.department"), esc(p.department)], [t("field.email"), esc(p.email)],
      [t("field.seniority"), esc(p.seniority)],
      [t("field.company"), p.employments.filter((e) => e.current !== false).map((e) => link("Company", e.company.id, e.company.name)).join(", ")],
      [t("field.manager"), p.manager ? link("Person", p.manager.id, p.manager.name) : null],
      [t("org.dotted"), people(p.dottedLine)], [t("field.directReports"), people(p.directReports)],
      ...customRows(p.customFields),
    ])
      + (p.deals.length ? `<h3>${t("panel.deals")}</h3><ul class="list">${p.deals.map((d) => `<li>${link("Deal", d.deal.id, d.deal.name)}
        <span class="badge role">${esc(roleLabel(d.role))}</span> <span class="muted">${fmtPercent(d.confidence)} · ${fmtMoney(d.deal.amount)}</span></li>`).join("")}</ul>` : "")
      + (p.knownBy.length ? `<h3>${t("rel.KNOWS")}</h3><ul class="list" data-testid="known-by">${p.knownBy.map((k) => `<li>${esc(k.user.name)} <span class="muted">${fmtPercent(k.strength)}</span></li>`).join("")}</ul>` : "");
  });
  loadProfile();
  loadPersonDetails(root, id);
  loadPrivacy(root, id, ctx.user, () => current?.name || "", () => loadProfile());  // privacy (issue 13 §3)
  loadHistory(root, uidOf(id));  // audit
  try {
    const data = await api.gql(`query PersonNet($id: ID!) { neighbourhood(id: $id, depth: 1, limit: 200) { ${NETWORK_FIELDS} } }`, { id });
    if (ctx.isCurrent()) {
      canvas.setNetwork(data.neighbourhood, (n) => (n.id === id ? { size: 40 } : {}));
      canvas.cy.getElementById(id).addClass("root");
      root.dataset.ready = "1";
    }
  } catch (err) {
    if (err.code === "unauthenticated") throw err;
    host.insertAdjacentHTML("afterbegin", `<div class="error" role="alert">${esc(errorMessage(err))}</div>`);
  }
  return () => canvas.destroy();
}
