// Org chart of a company: reporting lines as a tree, dotted lines drawn dashed and kept out of the ranking.
import * as api from "../api.js";
import { createCanvas } from "../graph.js";
import { t, fmtNumber } from "../i18n.js";
import { esc, section, fill, errorBox, facts } from "../ui.js";
import { companyTabs, workspace, showSelection } from "./common.js";

export const name = "org";

const ORG_QUERY = `query Org($id: ID!, $after: String) { company(id: $id) { id name contacts(first: 100, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id name title department manager { id } dottedLine { id } } } } } }`;

/** Render the org chart of company `id` (up to 500 current contacts). */
export async function render(root, [id], _query, ctx) {
  const panel = section("panel.selection", `<p class="muted">${t("canvas.hint")}</p>`, "selection") + section("view.org", undefined, "org-summary");
  root.innerHTML = workspace("…", companyTabs(id, "org"), panel);
  const host = root.querySelector(".canvas-host");
  let canvas = null;
  const legendExtra = `<div class="legend-row"><span class="line" data-style="border-top:3px dashed #0d9488"></span>${t("org.dotted")}</div>`;
  canvas = createCanvas(host, { layout: "dagre", legendExtra, onSelect: (d) => showSelection(root, d, canvas) });
  try {
    const people = [];
    let after = null;
    let company = null;
    for (let page = 0; page < 5; page++) {
      company = (await api.gql(ORG_QUERY, { id, after })).company;
      if (!company) throw new api.ApiError("notFound", "not found");
      people.push(...company.contacts.edges.map((e) => e.node));
      if (!company.contacts.pageInfo.hasNextPage) break;
      after = company.contacts.pageInfo.endCursor;
    }
    if (!ctx.isCurrent()) return () => canvas.destroy();
    root.querySelector("[data-testid=view-title]").textContent = `${company.name} · ${t("view.org")}`;
    const ids = new Set(people.map((p) => p.id));
    const nodes = people.map((p) => ({ id: p.id, type: "Person", label: p.name, subtitle: [p.title, p.department].filter(Boolean).join(" · ") }));
    const solid = people.filter((p) => p.manager && ids.has(p.manager.id)).map((p) => ({ id: `r-${p.id}`, source: p.manager.id,
      target: p.id, type: "REPORTS_TO", label: "", properties: { kind: "solid" } }));
    const dotted = people.flatMap((p) => p.dottedLine.filter((m) => ids.has(m.id)).map((m) => ({ id: `d-${p.id}-${m.id}`,
      source: m.id, target: p.id, type: "REPORTS_TO", label: t("org.dotted"), properties: { kind: "dotted" } })));
    canvas.setNetwork({ nodes, edges: solid, truncated: false }, (n) => ({ display: `${n.label}\n${n.subtitle || ""}` }));
    canvas.addNetwork({ nodes: [], edges: dotted }, null);
    canvas.fit();
    root.dataset.ready = "1";
    const tops = people.filter((p) => !p.manager || !ids.has(p.manager.id));
    fill(root, "view.org", facts([[t("rollup.contacts"), `<span data-testid="org-count">${fmtNumber(people.length)}</span>`],
      [t("org.dotted"), fmtNumber(dotted.length)],
      ["↑", tops.slice(0, 5).map((p) => esc(p.name)).join(", ")]]));
  } catch (err) {
    if (err.code === "unauthenticated") throw err;
    fill(root, "view.org", errorBox(err));
  }
  return () => canvas.destroy();
}
