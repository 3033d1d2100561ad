// Corporate family as a tree: parents above subsidiaries, shares on edges, joint ventures and cycles marked, roll-ups.
import * as api from "../api.js";
import { createCanvas } from "../graph.js";
import { t, fmtMoney, fmtNumber, fmtPercent } from "../i18n.js";
import { facts, link, section, fill, errorBox } from "../ui.js";
import { companyTabs, workspace } from "./common.js";
import { esc } from "../ui.js";
import { linkDialog } from "../links.js";
import * as forms from "../forms.js";

export const name = "family";

const ROLLUP = "companies openPipeline weightedPipeline wonRevenue12m openTickets slaBreaches contacts lastInteractionAt";
const FAMILY_QUERY = `query Family($id: ID!) { company(id: $id) { id name }
  corporateFamily(companyId: $id) { ultimateParent { id name } domesticUltimate { id name }
    nodes { company { id name country } depth effectiveShare controlled isJointVenture rollup { ${ROLLUP} } }
    edges { childId parentId share shareMin shareMax kind } cycles
    whitespace { company { id name } missing buyingSiblings { id name } } } }`;

function share(value) {
  if (value === null || value === undefined) return "";
  return fmtPercent(value > 1 ? value / 100 : value);
}

function rollupFacts(r) {
  if (!r) return `<p class="muted">${t("empty")}</p>`;
  return facts([
    [t("rollup.companies"), fmtNumber(r.companies)], [t("rollup.openPipeline"), fmtMoney(r.openPipeline)],
    [t("rollup.weightedPipeline"), fmtMoney(r.weightedPipeline)], [t("rollup.wonRevenue12m"), fmtMoney(r.wonRevenue12m)],
    [t("rollup.openTickets"), fmtNumber(r.openTickets)], [t("rollup.slaBreaches"), fmtNumber(r.slaBreaches)],
    [t("rollup.contacts"), fmtNumber(r.contacts)],
  ]);
}

/** Family graph -> Network for the canvas (edges drawn parent -> child so the tree grows downwards). */
export function familyNetwork(family) {
  const inCycle = new Set(family.cycles.flat());
  const cycleEdges = new Set();
  for (const cycle of family.cycles) {
    cycle.forEach((a, i) => { const b = cycle[(i + 1) % cycle.length]; cycleEdges.add(`${a}|${b}`); cycleEdges.add(`${b}|${a}`); });
  }
  const nodes = family.nodes.map((m) => ({ id: m.company.id, type: "Company", label: m.company.name,
    subtitle: [m.company.country, share(m.effectiveShare)].filter(Boolean).join(" · "),
    jv: m.isJointVenture, cycle: inCycle.has(m.company.id), controlled: m.controlled }));
  const edges = family.edges.map((e, i) => ({ id: `f${i}`, source: e.parentId, target: e.childId, type: "SUBSIDIARY_OF",
    label: e.share != null ? share(e.share) : (e.shareMin != null ? `${share(e.shareMin)}–${share(e.shareMax)}` : ""),
    properties: { kind: e.kind, share: e.share }, cycle: cycleEdges.has(`${e.childId}|${e.parentId}`),
    minority: e.share != null && (e.share > 1 ? e.share / 100 : e.share) <= 0.5 }));
  return { nodes, edges, truncated: false };
}

/** Render the family tree of company `id`. */
export async function render(root, [id], _query, ctx) {
  const panel = section("panel.selection", `<p class="muted">${t("canvas.hint")}</p>`, "selection")
    + section("view.family", undefined, "family-summary") + section("panel.family", undefined, "family")
    + section("family.whitespace", undefined, "whitespace");
  const add = `<div class="record-actions"><button type="button" data-act="add-subsidiary" data-testid="add-subsidiary" disabled>${t("family.addSubsidiary")}</button></div>`;
  root.innerHTML = workspace("…", companyTabs(id, "family") + add, panel);
  let picked = null;  // the company selected on the canvas: the parent of a new subsidiary (else this company)
  const host = root.querySelector(".canvas-host");
  let family = null;
  const legendExtra = `<div class="legend-row"><span class="swatch node-round-hexagon" data-style="background:#0891b2"></span>${t("family.jv")}</div>
    <div class="legend-row"><span class="line" data-style="border-top:3px solid #dc2626"></span>${t("family.cycle")}</div>`;
  const canvas = createCanvas(host, { layout: "dagre", legendExtra, styles: [
    { selector: "node.whitespace", style: { "border-width": 4, "border-style": "dashed", "border-color": "#f59e0b", "background-color": "#fef3c7" } },
  ], onSelect: (d) => {
    picked = { id: d.id, name: d.label };
    const member = family?.nodes.find((m) => m.company.id === d.id);
    fill(root, "panel.selection", `<p data-testid="selection-name">${link("Company", d.id, d.label)}</p>
      ${member ? facts([[t("family.share"), share(member.effectiveShare)], [t("family.controlled"), member.controlled ? "✓" : "—"],
        [t("family.jv"), member.isJointVenture ? "✓" : null]]) + rollupFacts(member.rollup) : ""}`);
  } });
  try {
    const data = await api.gql(FAMILY_QUERY, { id });
    if (!ctx.isCurrent()) return () => canvas.destroy();
    family = data.corporateFamily;
    root.querySelector("[data-testid=view-title]").textContent = `${data.company?.name ?? ""} · ${t("view.family")}`;
    if (!family) throw new api.ApiError("notFound", "not found");
    const net = familyNetwork(family);
    canvas.setNetwork(net, (n) => ({ size: 34 }));
    for (const n of net.nodes) {
      const el = canvas.cy.getElementById(n.id);
      if (n.jv) el.addClass("jv");
      if (n.cycle) el.addClass("cycle");
    }
    net.edges.forEach((e) => {
      const el = canvas.cy.getElementById(e.id);
      if (e.cycle) el.addClass("cycle");
      if (e.minority) el.addClass("minority");
    });
    canvas.cy.getElementById(id).addClass("root");
    for (const w of family.whitespace) canvas.cy.getElementById(w.company.id).addClass("whitespace");
    fill(root, "family.whitespace", family.whitespace.length ? `<p class="muted small">${esc(t("family.whitespaceHint"))}</p>
      <ul class="list">${family.whitespace.map((w) => `<li data-testid="whitespace-row" data-id="${esc(w.company.id)}">${link("Company", w.company.id, w.company.name)}
        <span class="muted small">${esc(t("family.missing"))}: ${w.missing.map(esc).join(", ")} · ${esc(t("family.buyingSiblings"))}:
        ${w.buyingSiblings.map((c) => esc(c.name)).join(", ")}</span></li>`).join("")}</ul>` : `<p class="muted">${t("empty")}</p>`);
    root.querySelector("[data-act=add-subsidiary]").disabled = false;
    root.dataset.whitespace = String(family.whitespace.length);
    root.dataset.ready = "1";
    const top = family.nodes.find((m) => m.company.id === family.ultimateParent.id) || family.nodes.find((m) => m.depth === 0);
    fill(root, "view.family", facts([
      [t("family.ultimate"), link("Company", family.ultimateParent.id, family.ultimateParent.name)],
      [t("family.domestic"), link("Company", family.domesticUltimate.id, family.domesticUltimate.name)],
      [t("rollup.companies"), `<span data-testid="family-count">${fmtNumber(family.nodes.length)}</span>`],
      [t("family.jv"), family.nodes.filter((m) => m.isJointVenture).map((m) => link("Company", m.company.id, m.company.name)).join(", ")],
      [t("family.cycles"), family.cycles.length ? fmtNumber(family.cycles.length) : null],
    ]));
    fill(root, "panel.family", rollupFacts(top?.rollup));
  } catch (err) {
    if (err.code === "unauthenticated") throw err;
    fill(root, "view.family", errorBox(err));
    fill(root, "panel.family", "");
  }
  root.querySelector("[data-act=add-subsidiary]").addEventListener("click", async () => {
    const parent = picked || { id, name: family?.nodes.find((m) => m.company.id === id)?.company.name || "" };
    if (await forms.attempt(() => linkDialog({ type: "SUBSIDIARY", testid: "form-add-subsidiary",
      title: t("family.addSubsidiaryTitle", { name: parent.name }),
      from: { types: ["COMPANY"], name: "subsidiary", label: t("family.subsidiary") },
      to: { fixed: parent, label: t("family.parent") } }))) ctx.navigate(location.hash);
  });
  return () => canvas.destroy();
}
