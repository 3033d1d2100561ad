// Influence in an account: node size by influence score, brokers marked, the top people listed with the reason.
import * as api from "../api.js";
import { createCanvas } from "../graph.js";
import { t, fmtNumber } from "../i18n.js";
import { esc, link, section, fill, errorBox } from "../ui.js";
import { NETWORK_FIELDS, companyTabs, workspace, showSelection, expandNode } from "./common.js";

export const name = "influence";

const NET_QUERY = `query InfluenceNet($id: ID!) { company(id: $id) { id uid name network(depth: 1, limit: 500) { ${NETWORK_FIELDS} } } }`;
const INFLUENCE_QUERY = `query Influence($scope: String!) { influence(scope: $scope, limit: 50) {
  people { person { id name } pagerank betweenness score isBroker reason } } }`;

/** Render the influence view of company `id`. */
export async function render(root, [id], _query, ctx) {
  const panel = section("panel.selection", `<p class="muted">${t("canvas.hint")}</p>`, "selection")
    + section("influence.top", undefined, "influence-top") + section("influence.brokers", undefined, "brokers");
  root.innerHTML = workspace("…", companyTabs(id, "influence"), panel);
  const host = root.querySelector(".canvas-host");
  let canvas = null;
  const legendExtra = `<div class="legend-row"><span class="swatch" data-style="border:4px double #7c3aed"></span>${t("influence.broker")}</div>`;
  canvas = createCanvas(host, { legendExtra, onSelect: (d) => showSelection(root, d, canvas), onExpand: (n) => expandNode(root, canvas, n) });
  try {
    const company = (await api.gql(NET_QUERY, { id })).company;
    if (!company) throw new api.ApiError("notFound", "not found");
    const people = (await api.gql(INFLUENCE_QUERY, { scope: `company:${company.uid}` })).influence?.people || [];
    if (!ctx.isCurrent()) return () => canvas.destroy();
    root.querySelector("[data-testid=view-title]").textContent = `${company.name} · ${t("view.influence")}`;
    const scores = new Map(people.map((p) => [p.person.id, p]));
    const max = Math.max(1e-9, ...people.map((p) => p.score));
    canvas.setNetwork(company.network, (n) => {
      const s = scores.get(n.id);
      return s ? { size: 18 + 50 * (s.score / max) } : (n.type === "Person" ? { size: 16 } : {});
    });
    for (const p of people) if (p.isBroker) canvas.cy.getElementById(p.person.id).addClass("broker");
    canvas.cy.getElementById(company.id).addClass("root");
    root.dataset.ready = "1";
    const sorted = [...people].sort((a, b) => b.score - a.score);
    fill(root, "influence.top", sorted.length ? `<ol class="list">${sorted.slice(0, 10).map((p) => `<li data-testid="influence-row">
      ${link("Person", p.person.id, p.person.name)} <span class="badge">${t("influence.score")} ${fmtNumber(p.score, { maximumFractionDigits: 3 })}</span>
      ${p.isBroker ? `<span class="badge broker">${t("influence.broker")}</span>` : ""}<div class="muted small">${esc(p.reason)}</div></li>`).join("")}</ol>`
      : `<p class="muted">${t("empty")}</p>`);
    const brokers = sorted.filter((p) => p.isBroker);
    fill(root, "influence.brokers", brokers.length ? `<ul class="list">${brokers.map((p) => `<li>${link("Person", p.person.id, p.person.name)}</li>`).join("")}</ul>`
      : `<p class="muted">${t("empty")}</p>`);
  } catch (err) {
    if (err.code === "unauthenticated") throw err;
    fill(root, "influence.top", errorBox(err));
  }
  return () => canvas.destroy();
}
