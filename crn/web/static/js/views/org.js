// Org chart of a company: one box per person (initials avatar, name, title), solid reporting lines as a tree and
// dotted lines drawn apart; subtrees collapse and expand (click the box's toggle in the panel, double-click, or
// Enter); deep levels start collapsed so a 500-person org stays readable. Dragging a box onto another makes that
// person the new manager (the `link` mutation; the API refuses cycles and the refusal is shown).
import * as api from "../api.js";
import { createCanvas } from "../graph.js";
import { t, fmtNumber } from "../i18n.js";
import { esc, section, fill, errorBox, facts, link } from "../ui.js";
import { companyTabs, workspace } from "./common.js";
import { ORG_BOX, orgTree, orgLayout, defaultCollapsed, initials } from "../layouts.js";
import { confirmDialog, picker, openDialog } from "../forms.js";
import { setManager } from "../links.js";

export const name = "org";

const ORG_QUERY = `query Org($id: ID!, $after: String) { company(id: $id) { id name contacts(first: 100, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id name title department manager { id } dottedLine { id } } } } } }`;

const PALETTE = ["#2563eb", "#16a34a", "#ea580c", "#9333ea", "#0d9488", "#be185d", "#a16207", "#475569"];
const avatarCache = new Map();

/** An SVG data URI: a coloured disc with the person's initials (colour by department). */
function avatar(name, department) {
  const key = `${name}|${department}`;
  if (avatarCache.has(key)) return avatarCache.get(key);
  let h = 0;
  for (const c of String(department || name)) h = (h * 31 + c.codePointAt(0)) >>> 0;
  const text = initials(name).replace(/[&<>"']/g, "");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="20" fill="${PALETTE[h % PALETTE.length]}"/>`
    + `<text x="20" y="25.5" font-family="sans-serif" font-size="15" font-weight="600" fill="#fff" text-anchor="middle">${text}</text></svg>`;
  const uri = `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;
  avatarCache.set(key, uri);
  return uri;
}

/** Cut `text` to about `units` (a CJK character counts two) so a label stays inside its box. */
function clip(text, units) {
  let used = 0;
  let out = "";
  for (const c of String(text || "")) {
    used += /[\u2e80-\u9fff\uff00-\uffef]/.test(c) ? 2 : 1;
    if (used > units) return `${out.trimEnd()}…`;
    out += c;
  }
  return out;
}

// Selectors on data present when the nodes are created (not classes added after): Cytoscape measures a label once,
// and a class that switches on wrapping afterwards left the boxes with one-line label bounds (clipped names).
const STYLES = [
  { selector: "node[avatar]", style: {
    shape: "round-rectangle", width: ORG_BOX.width, height: ORG_BOX.height, "background-color": "#ffffff",
    "border-width": 1.5, "border-color": "#94a3b8", label: "data(display)", "text-valign": "center", "text-halign": "center",
    "text-wrap": "wrap", "text-max-width": 150, "text-margin-x": 22, "font-size": 11, color: "#0f172a",
    "background-image": "data(avatar)", "background-width": 38, "background-height": 38,
    "background-position-x": 9, "background-position-y": 12, "background-fit": "none", "background-clip": "none",
    "background-image-containment": "over", "min-zoomed-font-size": 5 } },
  { selector: "node[avatar][hidden > 0]", style: { "border-width": 3, "border-color": "#0f766e", "border-style": "double" } },
  { selector: "node.org.drop-target", style: { "border-width": 4, "border-color": "#2563eb", "background-color": "#eff6ff" } },
  { selector: "node.org:selected", style: { "border-width": 3, "border-color": "#facc15" } },
  { selector: "edge.solid-line", style: { "curve-style": "taxi", "taxi-direction": "downward", "taxi-turn": 24,
    "taxi-turn-min-distance": 4, "line-color": "#334155", "target-arrow-color": "#334155", "line-style": "solid", width: 1.6,
    "target-arrow-shape": "none" } },
  // Reports stacked in a column: down from the manager, along the column's left gutter, into each box's left side
  // (segment points set per edge in draw(), see gutterPath).
  { selector: "edge.solid-line.stacked", style: { "curve-style": "segments", "edge-distances": "node-position" } },
  { selector: "edge.dotted-line", style: { "curve-style": "unbundled-bezier", "control-point-distances": 60,
    "line-style": "dashed", "line-dash-pattern": [6, 4], "line-color": "#d97706", "target-arrow-color": "#d97706",
    width: 2, "target-arrow-shape": "triangle", label: "data(label)", color: "#b45309", "z-index": 5 } },
];

/** Render the org chart of company `id` (up to 500 current contacts). */
export async function render(root, [id], _query, ctx) {
  const panel = section("panel.selection", `<p class="muted">${t("org.hint")}</p>`, "selection") + section("view.org", undefined, "org-summary");
  const tools = `<div class="record-actions org-tools"><button type="button" data-act="expand-all" data-testid="org-expand-all">${t("org.expandAll")}</button>
    <button type="button" data-act="collapse-all" data-testid="org-collapse">${t("org.collapseDeep")}</button></div>`;
  root.innerHTML = workspace("…", companyTabs(id, "org") + tools, panel);
  const host = root.querySelector(".canvas-host");
  const legendExtra = `<div class="legend-row"><span class="line" data-style="border-top:2px solid #334155"></span>${t("org.solid")}</div>
    <div class="legend-row"><span class="line" data-style="border-top:3px dashed #d97706"></span>${t("org.dotted")}</div>
    <div class="legend-row"><span class="swatch collapsed-swatch"></span>${t("org.collapsedLegend")}</div>`;
  let people = [];
  let byId = new Map();
  let tree = null;
  let collapsed = new Set();
  let layout = null;
  let selected = null;
  const canvas = createCanvas(host, { layout: "preset", legendExtra, styles: STYLES, onSelect: (d) => select(d.id) });
  const cy = canvas.cy;
  const container = host.querySelector(".cy");
  // Messages sit in the canvas pane above the chart (the workspace grid has two columns only).
  container.insertAdjacentHTML("beforebegin", `<div class="org-message" role="status" aria-live="polite" data-testid="org-message" hidden></div>`);
  const message = host.querySelector("[data-testid=org-message]");
  container.tabIndex = 0;
  container.setAttribute("aria-label", t("org.keyboard"));

  function say(text, kind = "info") {
    message.hidden = !text;
    message.textContent = text || "";
    message.className = `org-message ${kind === "error" ? "error" : "notice"}`;
    message.setAttribute("role", kind === "error" ? "alert" : "status");
    message.dataset.kind = kind;
    cy.resize();
  }

  function network() {
    const nodes = [...layout.visible].map((pid) => byId.get(pid)).map((p) => ({ id: p.id, type: "Person", label: p.name,
      subtitle: [p.title, p.department].filter(Boolean).join(" · ") }));
    const solid = [...layout.visible].filter((pid) => tree.parent.has(pid)).map((pid) => ({ id: `r-${pid}`,
      source: tree.parent.get(pid), target: pid, type: "REPORTS_TO", label: "", properties: { kind: "solid" } }));
    const dotted = people.flatMap((p) => (layout.visible.has(p.id) ? p.dottedLine : []).filter((m) => layout.visible.has(m.id))
      .map((m) => ({ id: `d-${p.id}-${m.id}`, source: m.id, target: p.id, type: "REPORTS_TO", label: t("org.dotted"), properties: { kind: "dotted" } })));
    return { nodes, edges: [...solid, ...dotted], truncated: false };
  }

  /** Lay out and draw the visible part of the chart; `keep` (a person id) stays where it was on screen. */
  function draw(keep = null) {
    const before = keep && cy.getElementById(keep).length ? { pos: cy.getElementById(keep).renderedPosition(), zoom: cy.zoom() } : null;
    layout = orgLayout(tree, { collapsed });
    const positions = Object.fromEntries([...layout.positions].map(([pid, p]) => [pid, p]));
    canvas.setNetwork(network(), (n) => {
      const p = byId.get(n.id);
      const hidden = layout.hidden.get(n.id);
      const lines = [clip(p.name, 26), clip(p.title || "", 30)];
      if (hidden) lines.push(`▸ ${t("org.hidden", { count: fmtNumber(hidden) })}`);
      return { display: lines.filter(Boolean).join("\n"), avatar: avatar(p.name, p.department), hidden: hidden || 0 };
    }, { positions: (node) => positions[node.id()] });
    cy.batch(() => {
      cy.nodes().addClass("org");
      cy.nodes().filter((n) => n.data("hidden") > 0).addClass("collapsed");
      cy.edges().forEach((e) => {
        const dotted = e.data("properties").kind === "dotted";
        e.addClass(dotted ? "dotted-line" : "solid-line");
        if (!dotted && isStacked(e.target().id())) {
          const path = gutterPath(e.source().position(), e.target().position());
          if (path) e.addClass("stacked").style(path);
        }
      });
    });
    if (before && cy.getElementById(keep).length) {
      cy.zoom(before.zoom);
      const now = cy.getElementById(keep).renderedPosition();
      cy.panBy({ x: before.pos.x - now.x, y: before.pos.y - now.y });
    }
    if (selected && cy.getElementById(selected).length) cy.getElementById(selected).select();
    root.dataset.visible = String(layout.visible.size);
    root.dataset.collapsed = String(layout.hidden.size);
    root.dataset.folded = String([...layout.hidden.values()].reduce((sum, n) => sum + n, 0));
  }

  /**
   * Segment points (as Cytoscape's distances/weights relative to the source -> target line) of the path manager
   * bottom -> just below it -> the column's left gutter -> down to the report's middle -> into its left side.
   */
  function gutterPath(s, tp) {
    const gutter = tp.x - ORG_BOX.width / 2 - ORG_BOX.stackIndent / 2;
    const below = s.y + ORG_BOX.height / 2 + 12;
    const points = [{ x: s.x, y: below }, { x: gutter, y: below }, { x: gutter, y: tp.y }];
    const vx = tp.x - s.x;
    const vy = tp.y - s.y;
    const len2 = vx * vx + vy * vy;
    if (!len2) return null;
    const len = Math.sqrt(len2);
    const weights = points.map((p) => ((p.x - s.x) * vx + (p.y - s.y) * vy) / len2);
    const distances = points.map((p) => (vx * (p.y - s.y) - vy * (p.x - s.x)) / len);
    return { "segment-weights": weights.join(" "), "segment-distances": distances.join(" ") };
  }

  /** True when `pid` is drawn in a stacked column (a leaf among its manager's children). */
  function isStacked(pid) {
    const m = tree.parent.get(pid);
    if (!m) return false;
    const kids = collapsed.has(pid) ? [] : tree.children.get(pid);
    return kids.length === 0;
  }

  function toggle(pid) {
    if (!tree.children.get(pid)?.length) return;
    if (collapsed.has(pid)) collapsed.delete(pid); else collapsed.add(pid);
    draw(pid);
    select(pid);
  }

  function select(pid) {
    selected = pid;
    const p = byId.get(pid);
    const box = root.querySelector("[data-section='panel.selection'] .card-body");
    if (!p || !box) return;
    const reports = tree.children.get(pid).length;
    const manager = tree.parent.get(pid) ? byId.get(tree.parent.get(pid)) : null;
    box.innerHTML = `<p class="sel-name" data-testid="selection-name">${link("Person", p.id, p.name)}</p>
      ${facts([[t("field.title"), esc(p.title)], [t("field.department"), esc(p.department)],
        [t("field.manager"), manager ? esc(manager.name) : null], [t("field.directReports"), reports ? fmtNumber(reports) : null]])}
      <div class="actions">${reports ? `<button type="button" data-act="toggle" data-testid="org-toggle" aria-expanded="${!collapsed.has(pid)}">
        ${collapsed.has(pid) ? t("org.expand") : t("org.collapse")}</button>` : ""}
        <button type="button" data-act="manager" data-testid="org-change-manager">${t("org.changeManager")}</button></div>`;
    box.querySelector("[data-act=toggle]")?.addEventListener("click", () => toggle(pid));
    box.querySelector("[data-act=manager]").addEventListener("click", () => chooseManager(pid));
    const node = cy.getElementById(pid);
    if (node.length && !node.selected()) { cy.nodes(":selected").unselect(); node.select(); }
  }

  async function load() {
    const found = [];
    let after = null;
    let company = null;
    for (let page = 0; page < 5; page++) {
      company = (await api.gql(ORG_QUERY, { id, after })).company;
      if (!company) throw new api.ApiError("notFound", "not found");
      found.push(...company.contacts.edges.map((e) => e.node));
      if (!company.contacts.pageInfo.hasNextPage) break;
      after = company.contacts.pageInfo.endCursor;
    }
    return { company, found };
  }

  function adopt(found) {
    people = found;
    byId = new Map(people.map((p) => [p.id, p]));
    tree = orgTree(people.map((p) => ({ id: p.id, managerId: p.manager?.id })));
  }

  /** Re-read the chart after a change and redraw it, keeping what was expanded and showing `reveal`. */
  async function reload(reveal = null) {
    const { found } = await load();
    if (!ctx.isCurrent()) return;
    const open = new Set([...tree.depth.keys()].filter((pid) => !collapsed.has(pid)));
    adopt(found);
    collapsed = new Set([...collapsed].filter((pid) => tree.children.has(pid) && !open.has(pid)));
    for (let at = reveal && tree.parent.get(reveal); at; at = tree.parent.get(at)) collapsed.delete(at);
    draw(reveal);
    if (reveal) select(reveal);
    summary();
  }

  async function changeManager(pid, managerId) {
    const p = byId.get(pid);
    const m = byId.get(managerId);
    const old = p.manager?.id || null;
    if (old === managerId) { say(t("org.alreadyReports", { name: p.name, manager: m.name })); return false; }
    const ok = await confirmDialog({ title: t("org.changeManager"), testid: "org-confirm",
      message: esc(t("org.confirmMove", { name: p.name, manager: m.name })), confirmLabel: t("org.move") });
    if (!ok) return false;
    const errors = await setManager(pid, managerId, old);
    if (errors.length) {
      say(t("org.refused", { message: errors.map((e) => e.message).join(" ") }), "error");
      return false;
    }
    say(t("org.moved", { name: p.name, manager: m.name }));
    await reload(pid);
    return true;
  }

  /** The keyboard way to change a manager: pick the new one from this company's people. */
  async function chooseManager(pid) {
    const p = byId.get(pid);
    const suggestions = people.filter((x) => x.id !== pid).map((x) => ({ id: x.id, name: x.name, detail: x.title || "" }));
    const { dialog, closed, close } = openDialog({ title: t("org.changeManagerOf", { name: p.name }), testid: "org-manager-dialog",
      body: `<form class="record-form" novalidate><div class="who"></div>
        <div class="form-actions"><button type="button" data-act="cancel">${esc(t("forms.cancel"))}</button>
        <button type="submit" class="primary" data-testid="form-save">${esc(t("org.move"))}</button></div></form>` });
    const form = dialog.querySelector("form");
    const who = picker(form.querySelector(".who"), { name: "manager", types: ["PERSON"], label: t("field.manager"), suggestions, required: true });
    form.querySelector("[data-act=cancel]").addEventListener("click", () => close("cancel"));
    form.addEventListener("submit", (event) => { event.preventDefault(); if (who.value()) close(who.value().id); });
    const chosen = await closed;
    if (chosen && chosen !== "cancel" && byId.has(chosen)) await changeManager(pid, chosen);
  }

  // Drag a box onto another: that person becomes the manager. A drop elsewhere puts the box back.
  let dragging = null;
  cy.on("grab", "node.org", (event) => { dragging = { id: event.target.id(), from: { ...event.target.position() } }; });
  cy.on("drag", "node.org", (event) => {
    const target = dropTarget(event.target);
    cy.nodes(".drop-target").not(target || cy.collection()).removeClass("drop-target");
    if (target) target.addClass("drop-target");
  });
  cy.on("free", "node.org", async (event) => {
    const node = event.target;
    if (!dragging || dragging.id !== node.id()) return;
    const from = dragging.from;
    dragging = null;
    const target = dropTarget(node);
    cy.nodes(".drop-target").removeClass("drop-target");
    node.position(from);
    if (target) await changeManager(node.id(), target.id());
  });
  function dropTarget(node) {
    const p = node.position();
    const hit = cy.nodes(".org").filter((n) => {
      if (n.id() === node.id()) return false;
      const b = n.boundingBox({ includeLabels: false });
      return p.x >= b.x1 && p.x <= b.x2 && p.y >= b.y1 && p.y <= b.y2;
    });
    return hit.length ? hit[0] : null;
  }
  cy.on("dbltap", "node.org", (event) => toggle(event.target.id()));
  // Keyboard: arrows walk the tree (up = manager, down = first report, left/right = colleagues), Enter/Space fold.
  container.addEventListener("keydown", (event) => {
    if (!tree) return;
    const current = selected && layout.visible.has(selected) ? selected : tree.roots[0];
    let next = null;
    const siblings = tree.parent.has(current) ? tree.children.get(tree.parent.get(current)) : tree.roots;
    const i = siblings.indexOf(current);
    if (event.key === "ArrowUp") next = tree.parent.get(current);
    if (event.key === "ArrowDown") next = collapsed.has(current) ? null : tree.children.get(current)[0];
    if (event.key === "ArrowLeft") next = siblings[i - 1];
    if (event.key === "ArrowRight") next = siblings[i + 1];
    if (event.key === "Enter" || event.key === " ") { toggle(current); event.preventDefault(); return; }
    if (!selected && current && event.key.startsWith("Arrow")) next = next || current;
    if (next && layout.visible.has(next)) {
      event.preventDefault();
      select(next);
      const node = cy.getElementById(next);
      const r = node.renderedPosition();
      if (r.x < 0 || r.y < 0 || r.x > cy.width() || r.y > cy.height()) cy.center(node);
    }
  });
  root.querySelector(".org-tools").addEventListener("click", (event) => {
    const act = event.target.closest("button")?.dataset.act;
    if (!tree || !act) return;
    collapsed = act === "expand-all" ? new Set() : defaultCollapsed(tree, 2);
    draw();
    canvas.fit();
  });

  function summary() {
    const tops = people.filter((p) => !tree.parent.has(p.id));
    const dotted = people.reduce((s, p) => s + p.dottedLine.length, 0);
    fill(root, "view.org", facts([[t("rollup.contacts"), `<span data-testid="org-count">${fmtNumber(people.length)}</span>`],
      [t("org.dotted"), fmtNumber(dotted)],
      [t("org.top"), tops.filter((p) => tree.children.get(p.id).length).slice(0, 5).map((p) => esc(p.name)).join(", ")]]));
  }

  try {
    const { company, found } = await load();
    if (!ctx.isCurrent()) return () => canvas.destroy();
    root.querySelector("[data-testid=view-title]").textContent = `${company.name} · ${t("view.org")}`;
    adopt(found);
    collapsed = defaultCollapsed(tree, 2);
    draw();
    canvas.fit();
    root.dataset.ready = "1";
    summary();
  } catch (err) {
    if (err.code === "unauthenticated") throw err;
    fill(root, "view.org", errorBox(err));
  }
  return () => canvas.destroy();
}
