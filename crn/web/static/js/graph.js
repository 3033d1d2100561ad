// The network canvas: Cytoscape with node styles per type, edge styles per relationship type,
// a legend that filters by type, search within the canvas, fit/zoom and PNG export.
// Paths, not an import map: the Content-Security-Policy allows no inline script (crn/headers.py).
import cytoscape from "/static/vendor/cytoscape.esm.min.mjs";
import dagre from "/static/vendor/cytoscape-dagre.min.mjs";
import { relLabel, t, fmtPercent } from "./i18n.js";

cytoscape.use(dagre);

export const NODE_STYLES = {
  Company: { color: "#2563eb", shape: "round-rectangle" },
  Person: { color: "#16a34a", shape: "ellipse" },
  // round-* polygons: Cytoscape 3.34 misses clicks on plain "diamond" nodes.
  User: { color: "#ea580c", shape: "round-diamond" },
  Deal: { color: "#9333ea", shape: "round-hexagon" },
  Ticket: { color: "#64748b", shape: "round-triangle" },
  Interaction: { color: "#0ea5e9", shape: "ellipse" },
  Product: { color: "#0d9488", shape: "round-rectangle" },
  Order: { color: "#a16207", shape: "round-rectangle" },
  Gap: { color: "#fecaca", shape: "ellipse" },
};

export const EDGE_STYLES = {
  WORKS_AT: { color: "#94a3b8", style: "solid" },
  REPORTS_TO: { color: "#0f766e", style: "solid" },
  DOTTED_LINE_TO: { color: "#0f766e", style: "dashed" },
  KNOWS: { color: "#f59e0b", style: "dashed" },
  SUBSIDIARY_OF: { color: "#1d4ed8", style: "solid" },
  ACCOUNT_TEAM: { color: "#ea580c", style: "solid" },
  BOARD_MEMBER_OF: { color: "#be185d", style: "dotted" },
  ON_COMMITTEE: { color: "#9333ea", style: "solid" },
  FOR: { color: "#a855f7", style: "dotted" },
  OWNS_SHARE: { color: "#1e40af", style: "dotted" },
  PARTNER_OF: { color: "#64748b", style: "dashed" },
  INTRO: { color: "#dc2626", style: "solid" },
  SUGGESTED: { color: "#dc2626", style: "dashed" },
};
const LARGE_GRAPH = 1500;
const LIGHT_EDGES_ABOVE = 300;
const RINGS_ABOVE = 150;
const FALLBACK_EDGE = { color: "#64748b", style: "solid" };

function stylesheet() {
  const base = [
    { selector: "node", style: {
      label: "data(label)", "font-size": 10, "text-valign": "bottom", "text-margin-y": 3, color: "#1e293b",
      "text-wrap": "ellipsis", "text-max-width": 120, width: "data(size)", height: "data(size)",
      "background-color": "#64748b", "border-width": 1, "border-color": "#fff", "min-zoomed-font-size": 7,
    } },
    { selector: "edge", style: {
      width: 1.5, "curve-style": "bezier", "target-arrow-shape": "triangle", "arrow-scale": 0.7,
      "line-color": "#94a3b8", "target-arrow-color": "#94a3b8", label: "", "font-size": 8,
      color: "#475569", "text-background-color": "#fff", "text-background-opacity": 0.8, "text-background-padding": 1,
      "min-zoomed-font-size": 8,
    } },
  ];
  const byType = [
    ...Object.entries(NODE_STYLES).map(([type, s]) => ({ selector: `node[type = "${type}"]`,
      style: { "background-color": s.color, shape: s.shape } })),
    ...Object.entries(EDGE_STYLES).map(([type, s]) => ({ selector: `edge[type = "${type}"]`,
      style: { "line-color": s.color, "target-arrow-color": s.color, "line-style": s.style } })),
    { selector: "edge[dotted = 1]", style: { "line-style": "dashed", "line-color": "#0d9488", "target-arrow-color": "#0d9488" } },
  ];
  const classes = [
    // Edge labels only where they carry meaning (shares, committee roles, path hops) or on selection.
    { selector: 'edge[type = "SUBSIDIARY_OF"], edge[type = "SUGGESTED"], edge.labelled, edge:selected',
      style: { label: "data(label)" } },
    { selector: "node[display]", style: { label: "data(display)", "text-wrap": "wrap", "text-max-width": 160 } },
    { selector: "node.root", style: { "border-width": 4, "border-color": "#0f172a" } },
    { selector: "node.jv", style: { shape: "round-hexagon", "background-color": "#0891b2" } },
    { selector: "node.gap", style: { "border-width": 3, "border-style": "dashed", "border-color": "#dc2626", "background-color": "#fecaca" } },
    { selector: "node.suggested", style: { "border-width": 3, "border-style": "dashed", "border-color": "#dc2626" } },
    { selector: "node.broker", style: { "border-width": 5, "border-color": "#7c3aed", "border-style": "double" } },
    { selector: "node.cycle", style: { "border-width": 4, "border-color": "#dc2626" } },
    { selector: "edge.cycle", style: { "line-color": "#dc2626", "target-arrow-color": "#dc2626", width: 3 } },
    { selector: "edge.minority", style: { "line-style": "dashed" } },
    { selector: "edge.path", style: { "line-color": "#dc2626", "target-arrow-color": "#dc2626", width: 4, "z-index": 10 } },
    { selector: "node.path", style: { "border-width": 4, "border-color": "#dc2626" } },
    { selector: "node.match", style: { "border-width": 4, "border-color": "#e11d48" } },
    { selector: "node:selected", style: { "border-width": 4, "border-color": "#facc15" } },
    { selector: ".faded", style: { opacity: 0.15 } },
    { selector: "edge.hidden-type", style: { display: "none" } },
    // Large graphs (hundreds of nodes and more): straight haystack edges without arrows or labels draw
    // several times faster, which keeps the first paint and pan/zoom smooth.
    { selector: "edge.light", style: { "curve-style": "haystack", "target-arrow-shape": "none", label: "", width: 1 } },
  ];
  return [...base, ...byType, ...classes];
}

/** An edge's label: a share as a percentage, else its own label or role, else empty. */
export function edgeLabel(edge) {
  const props = edge.properties || {};
  if (typeof props.share === "number") return fmtPercent(props.share > 1 ? props.share / 100 : props.share);
  if (edge.label) return edge.label;
  if (props.role) return props.role;
  return "";
}

/** Cytoscape element definitions for a Network {nodes, edges}. Extra per-node data may be merged in. */
export function toElements(network, nodeExtra = () => ({})) {
  const ids = new Set(network.nodes.map((n) => n.id));
  const nodes = network.nodes.map((n) => ({ group: "nodes", data: {
    id: n.id, type: n.type, label: n.label, subtitle: n.subtitle || "", size: n.type === "Company" ? 34 : 24, ...nodeExtra(n) } }));
  const edges = network.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ group: "edges", data: {
    id: e.id, source: e.source, target: e.target, type: e.type, label: edgeLabel(e), properties: e.properties || {},
    dotted: e.type === "REPORTS_TO" && (e.properties || {}).kind === "dotted" ? 1 : 0 } }));
  return [...nodes, ...edges];
}

function layoutOptions(name, count, extra = {}) {
  if (name === "dagre") return { name: "dagre", rankDir: "TB", nodeSep: 95, rankSep: 70, animate: false, ...extra };
  if (name === "breadthfirst") return { name: "breadthfirst", directed: true, spacingFactor: 1.1, animate: false, ...extra };
  if (name === "concentric-deal") return { name: "concentric", animate: false, minNodeSpacing: 70, levelWidth: () => 1,
    concentric: (n) => (n.data("type") === "Deal" ? 3 : n.data("type") === "Gap" ? 2 : 1), ...extra };
  if (name === "preset") return { name: "preset", ...extra };
  return { name: "cose", animate: false, randomize: true, numIter: count > 300 ? 400 : 1000, nodeRepulsion: () => 6000,
    idealEdgeLength: () => 60, nodeOverlap: 8, gravity: 0.5, componentSpacing: 60, ...extra };
}

/**
 * Rings around the root, best-connected nodes innermost: O(n), no label measuring. A force-directed layout
 * costs seconds above a few hundred nodes, which would break "interactive within 2 s" for big accounts.
 */
function ringLayout(cy) {
  const root = cy.nodes(".root").first();
  const rest = cy.nodes().not(root).sort((a, b) => b.degree() - a.degree());
  const spacing = 46;
  const positions = new Map();
  if (root.length) positions.set(root.id(), { x: 0, y: 0 });
  let ring = 1;
  let placed = 0;
  while (placed < rest.length) {
    const radius = ring * spacing * 2;
    const capacity = Math.max(6, Math.floor((2 * Math.PI * radius) / spacing));
    const count = Math.min(capacity, rest.length - placed);
    for (let i = 0; i < count; i++) {
      const angle = (2 * Math.PI * i) / count + ring * 0.35;
      positions.set(rest[placed + i].id(), { x: radius * Math.cos(angle), y: radius * Math.sin(angle) });
    }
    placed += count;
    ring += 1;
  }
  cy.batch(() => cy.nodes().positions((n) => positions.get(n.id()) || { x: 0, y: 0 }));
  // Fit from the known extent rather than cy.fit(), which would measure every label first.
  const extent = (ring - 1) * spacing * 2 + spacing;
  const width = cy.width();
  const height = cy.height();
  const zoom = Math.min(width, height) / (2 * extent);
  cy.viewport({ zoom, pan: { x: width / 2, y: height / 2 } });
}

/**
 * Mount a canvas with its toolbar and legend into `host`.
 * Options: layout ("cose" | "dagre" | "breadthfirst" | "preset"), onSelect(data), onExpand(id), legendExtra (html),
 * styles (extra Cytoscape style rules of the view, after the shared ones).
 */
export function createCanvas(host, { layout = "cose", layoutExtra = {}, onSelect = () => {}, onExpand = null, legendExtra = "",
  styles = [] } = {}) {
  host.classList.add("canvas-pane");
  host.innerHTML = `
    <div class="canvas-toolbar" role="toolbar">
      <input type="search" class="canvas-find" data-testid="canvas-find" placeholder="${t("canvas.find")}" aria-label="${t("canvas.find")}">
      <button type="button" data-act="fit" title="${t("canvas.fit")}">${t("canvas.fit")}</button>
      <button type="button" data-act="in" title="${t("canvas.zoomIn")}" aria-label="${t("canvas.zoomIn")}">+</button>
      <button type="button" data-act="out" title="${t("canvas.zoomOut")}" aria-label="${t("canvas.zoomOut")}">−</button>
      <button type="button" data-act="png" data-testid="export-png">${t("canvas.png")}</button>
      <span class="canvas-status" data-testid="canvas-status"></span>
    </div>
    <div class="cy" data-testid="canvas"></div>
    <details class="legend" open data-testid="legend"><summary>${t("canvas.legend")}</summary><div class="legend-body"></div></details>
    <p class="canvas-hint">${onExpand ? t("canvas.hint") : ""}</p>`;
  const container = host.querySelector(".cy");
  const cy = cytoscape({ container, style: [...stylesheet(), ...styles], minZoom: 0.05, maxZoom: 4,
    textureOnViewport: true, hideEdgesOnViewport: false, pixelRatio: 1 });
  window.crnCanvas = cy;
  const hiddenTypes = new Set();
  let truncated = false;

  function status() {
    const visibleEdges = cy.edges().filter((e) => !e.hasClass("hidden-type")).length;
    host.querySelector(".canvas-status").textContent =
      t("canvas.counts", { nodes: cy.nodes().length, edges: visibleEdges }) + (truncated ? ` · ${t("canvas.truncated")}` : "");
    host.dataset.nodes = String(cy.nodes().length);
    host.dataset.edges = String(visibleEdges);
  }

  function legend() {
    const nodeTypes = [...new Set(cy.nodes().map((n) => n.data("type")))].sort();
    const edgeTypes = [...new Set(cy.edges().map((e) => e.data("type")))].sort();
    const body = host.querySelector(".legend-body");
    body.innerHTML = nodeTypes.map((type) => {
      const s = NODE_STYLES[type] || { color: "#64748b", shape: "ellipse" };
      return `<div class="legend-row"><span class="swatch node-${s.shape}" data-style="background:${s.color}"></span>${t(`type.${type}`)}</div>`;
    }).join("") + edgeTypes.map((type) => {
      const s = EDGE_STYLES[type] || FALLBACK_EDGE;
      return `<label class="legend-row"><input type="checkbox" data-edge-type="${type}" ${hiddenTypes.has(type) ? "" : "checked"}>
        <span class="line" data-style="border-top:3px ${s.style} ${s.color}"></span>${relLabel(type)}</label>`;
    }).join("") + legendExtra;
    // Swatch colours are set through the CSSOM: the CSP refuses style attributes in markup.
    body.querySelectorAll("[data-style]").forEach((el) => { el.style.cssText = el.dataset.style; });
    body.querySelectorAll("input[data-edge-type]").forEach((box) => box.addEventListener("change", () => {
      const type = box.dataset.edgeType;
      if (box.checked) hiddenTypes.delete(type); else hiddenTypes.add(type);
      cy.edges(`[type = "${type}"]`).toggleClass("hidden-type", !box.checked);
      status();
    }));
  }

  function fit() {
    cy.fit(undefined, 30);
    if (cy.zoom() > 1.3) { cy.zoom(1.3); cy.center(); }
  }

  function runLayout(extra = {}) {
    const count = cy.nodes().length;
    if (layout === "cose" && count > RINGS_ABOVE) {
      ringLayout(cy);
      return true;
    }
    cy.layout(layoutOptions(layout, count, { ...layoutExtra, ...extra })).run();
    return false;
  }

  host.querySelector(".canvas-toolbar").addEventListener("click", (event) => {
    const act = event.target.closest("button")?.dataset.act;
    const centre = { x: container.clientWidth / 2, y: container.clientHeight / 2 };
    if (act === "fit") fit();
    if (act === "in") cy.zoom({ level: cy.zoom() * 1.3, renderedPosition: centre });
    if (act === "out") cy.zoom({ level: cy.zoom() / 1.3, renderedPosition: centre });
    if (act === "png") {
      const link = document.createElement("a");
      link.href = cy.png({ full: true, scale: 2, bg: "#ffffff" });
      link.download = "crn-network.png";
      link.click();
    }
  });

  host.querySelector(".canvas-find").addEventListener("input", (event) => {
    const text = event.target.value.trim().toLowerCase();
    cy.elements().removeClass("faded match");
    if (!text) return;
    const matches = cy.nodes().filter((n) => n.data("label").toLowerCase().includes(text));
    cy.elements().addClass("faded");
    matches.removeClass("faded").addClass("match");
    matches.connectedEdges().removeClass("faded");
    if (matches.length) cy.animate({ fit: { eles: matches, padding: 80 }, duration: 200 });
  });

  cy.on("tap", "node", (event) => onSelect(event.target.data(), event.target));
  if (onExpand) cy.on("dbltap", "node", (event) => onExpand(event.target.id(), event.target));

  return {
    cy,
    /** Replace the graph with `network` and lay it out (`rootId`, when given, is marked and centred). */
    setNetwork(network, nodeExtra, extraLayout = {}, rootId = null) {
      truncated = Boolean(network.truncated);
      const t0 = performance.now();
      cy.batch(() => {
        cy.elements().remove();
        cy.add(toElements(network, nodeExtra));
        if (network.nodes.length > LIGHT_EDGES_ABOVE) cy.edges().addClass("light");
        if (rootId) cy.getElementById(rootId).addClass("root");
      });
      // Cytoscape reads these options once at start-up; large graphs switch them on for smooth pan/zoom.
      const renderer = cy.renderer?.();
      if (renderer) {
        renderer.hideEdgesOnViewport = network.nodes.length > LARGE_GRAPH;
        renderer.hideLabelsOnViewport = network.nodes.length > LIGHT_EDGES_ABOVE;
      }
      const t1 = performance.now();
      const fitted = runLayout(extraLayout);
      const t2 = performance.now();
      if (!fitted) fit();
      legend();
      status();
      // Where the time goes, for bench/ui_bench.py.
      window.crnTimings = { ...(window.crnTimings || {}), build: t1 - t0, layout: t2 - t1, fitAndLegend: performance.now() - t2 };
    },
    /** Merge `network` around `centreId`; returns how many nodes were new. New nodes are laid out around the centre. */
    addNetwork(network, centreId) {
      const before = new Set(cy.nodes().map((n) => n.id()));
      const elements = toElements(network).filter((el) => !cy.getElementById(el.data.id).length);
      const fresh = elements.filter((el) => el.group === "nodes");
      const centre = cy.getElementById(centreId);
      const origin = centre.length ? centre.position() : { x: 0, y: 0 };
      fresh.forEach((el, i) => {
        const angle = (2 * Math.PI * i) / Math.max(fresh.length, 1);
        const radius = 80 + 6 * fresh.length;
        el.position = { x: origin.x + radius * Math.cos(angle), y: origin.y + radius * Math.sin(angle) };
      });
      cy.add(elements);
      hiddenTypes.forEach((type) => cy.edges(`[type = "${type}"]`).addClass("hidden-type"));
      const added = fresh.filter((el) => !before.has(el.data.id)).length;
      legend();
      status();
      return added;
    },
    relayout(extra) { if (!runLayout(extra)) fit(); },
    fit,
    refreshLegend() { legend(); status(); },
    destroy() { cy.destroy(); if (window.crnCanvas === cy) window.crnCanvas = null; },
  };
}
