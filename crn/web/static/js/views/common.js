// Pieces shared by the canvas views: the company tabs, the selection panel and node expansion.
import * as api from "../api.js";
import { t, relLabel } from "../i18n.js";
import { esc, hrefFor, facts, errorBox } from "../ui.js";

export const NETWORK_FIELDS = "truncated nodes { id type label subtitle } edges { id source target type label properties }";

/** The tab bar of a company's views. */
export function companyTabs(id, active) {
  const tabs = [["account", "", "view.account"], ["family", "/family", "view.family"], ["org", "/org", "view.org"],
    ["influence", "/influence", "view.influence"]];
  return `<nav class="tabs" aria-label="views">${tabs.map(([key, suffix, label]) =>
    `<a href="#/company/${encodeURIComponent(id)}${suffix}" data-testid="tab-${key}" class="${key === active ? "active" : ""}"
       ${key === active ? 'aria-current="page"' : ""}>${t(label)}</a>`).join("")}</nav>`;
}

/** The standard two-pane workspace: a canvas host and a side panel. */
export function workspace(title, tabs, panel) {
  return `<div class="view-head"><h1 data-testid="view-title">${esc(title)}</h1>${tabs}</div>
    <div class="workspace"><div class="canvas-host" data-testid="canvas-pane"></div>
    <aside class="panel" data-testid="panel">${panel}</aside></div>`;
}

/** Show a clicked node's details, with actions, in the selection section. */
export function showSelection(root, data, canvas) {
  const box = root.querySelector("[data-section='panel.selection'] .card-body");
  if (!box) return;
  const node = canvas.cy.getElementById(data.id);
  const relations = node.connectedEdges().map((e) => relLabel(e.data("type")));
  const counts = {};
  relations.forEach((r) => { counts[r] = (counts[r] || 0) + 1; });
  const href = hrefFor(data.type, data.id);
  const actions = [href ? `<a href="${href}" data-testid="selection-open">${t("action.open")}</a>` : "",
    `<button type="button" data-act="expand" data-testid="selection-expand">${t("action.expand")}</button>`];
  if (data.type === "Person") actions.push(`<a href="#/paths/${encodeURIComponent(data.id)}" data-testid="selection-path">${t("action.introPath")}</a>`);
  if (data.type === "Deal") actions.push(`<a href="#/deal/${encodeURIComponent(data.id)}">${t("action.committee")}</a>`);
  box.innerHTML = `<p class="sel-name" data-testid="selection-name"><span class="badge type-${esc(data.type)}">${t(`type.${data.type}`)}</span> ${esc(data.label)}</p>
    ${facts([[t("field.title"), esc(data.subtitle)], ...Object.entries(counts).map(([k, v]) => [k, String(v)])])}
    <div class="actions">${actions.join(" ")}</div><div class="sel-msg" aria-live="polite"></div>`;
  box.querySelector("[data-act=expand]").addEventListener("click", () => expandNode(root, canvas, data.id));
  box.closest("section")?.scrollIntoView?.({ block: "nearest" });
}

/** Double-click / "expand": fetch the node's neighbourhood and merge it into the canvas. */
export async function expandNode(root, canvas, id) {
  const msg = root.querySelector(".sel-msg") || root.querySelector(".canvas-status");
  try {
    const data = await api.gql(`query Expand($id: ID!) { neighbourhood(id: $id, depth: 1, limit: 200) { ${NETWORK_FIELDS} } }`, { id });
    const added = canvas.addNetwork(data.neighbourhood, id);
    if (msg) msg.textContent = t("canvas.expanded", { count: added });
    root.dataset.expanded = String(added);
  } catch (err) {
    if (msg) msg.innerHTML = errorBox(err);
  }
}
