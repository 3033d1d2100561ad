// Intro paths from me (or my team) to a person: the k best paths, each hop explained, highlighted on the canvas.
import * as api from "../api.js";
import { createCanvas } from "../graph.js";
import { t, fmtPercent, fmtDate, fmtNumber, relLabel } from "../i18n.js";
import { esc, link, section, fill, errorBox } from "../ui.js";
import { workspace, showSelection } from "./common.js";

export const name = "paths";

const HOP = "from { id name type } to { id name type } relation strength lastInteractionAt explanation";
const PATHS_QUERY = `query Paths($id: ID!, $team: Boolean!) { person(id: $id) { id name title }
  introPaths(toId: $id, k: 3, maxHops: 4, team: $team) { cost strength hops { ${HOP} } } }`;

/** The union of the paths as a Network; each edge remembers which paths use it. */
export function pathsNetwork(paths) {
  const nodes = new Map();
  const edges = new Map();
  paths.forEach((path, p) => path.hops.forEach((hop) => {
    for (const end of [hop.from, hop.to]) if (!nodes.has(end.id)) nodes.set(end.id, { id: end.id, type: end.type, label: end.name, paths: [] });
    nodes.get(hop.from.id).paths.push(p);
    nodes.get(hop.to.id).paths.push(p);
    const key = `${hop.from.id}>${hop.to.id}`;
    if (!edges.has(key)) edges.set(key, { id: `e${edges.size}`, source: hop.from.id, target: hop.to.id, type: hop.relation,
      label: `${relLabel(hop.relation)} ${fmtPercent(hop.strength)}`, properties: { paths: [] } });
    edges.get(key).properties.paths.push(p);
  }));
  return { nodes: [...nodes.values()], edges: [...edges.values()], truncated: false };
}

/** Render intro paths to person `id` (?team=1 for paths from the whole team). */
export async function render(root, [id], query, ctx) {
  const team = query.get("team") === "1";
  const panel = section("view.paths", undefined, "paths") + section("panel.selection", `<p class="muted">${t("canvas.hint")}</p>`, "selection");
  const tabs = `<nav class="tabs"><a href="#/paths/${encodeURIComponent(id)}" class="${team ? "" : "active"}" data-testid="paths-me">${t("paths.from")}</a>
    <a href="#/paths/${encodeURIComponent(id)}?team=1" class="${team ? "active" : ""}" data-testid="paths-team">${t("paths.team")}</a></nav>`;
  root.innerHTML = workspace("…", tabs, panel);
  const host = root.querySelector(".canvas-host");
  let canvas = null;
  canvas = createCanvas(host, { layout: "dagre", layoutExtra: { rankDir: "LR" }, onSelect: (d) => showSelection(root, d, canvas) });
  try {
    const data = await api.gql(PATHS_QUERY, { id, team });
    if (!ctx.isCurrent()) return () => canvas.destroy();
    const target = data.person;
    root.querySelector("[data-testid=view-title]").textContent = t("paths.title", { name: target?.name ?? "" });
    const paths = data.introPaths;
    const net = pathsNetwork(paths);
    canvas.setNetwork(net);
    canvas.cy.edges().addClass("labelled");
    canvas.cy.getElementById(id).addClass("root");
    root.dataset.ready = "1";
    const highlight = (p) => {
      canvas.cy.elements().removeClass("path faded");
      if (p === null) return;
      canvas.cy.elements().addClass("faded");
      canvas.cy.nodes().filter((n) => net.nodes.find((x) => x.id === n.id())?.paths.includes(p)).removeClass("faded").addClass("path");
      canvas.cy.edges().filter((e) => e.data("properties").paths.includes(p)).removeClass("faded").addClass("path");
    };
    fill(root, "view.paths", paths.length ? `<ol class="paths">${paths.map((path, p) => `
      <li data-testid="intro-path" data-path="${p}" tabindex="0">
        <div class="path-head"><strong>${t("paths.path", { n: p + 1 })}</strong>
          <span class="badge">${t("paths.hops", { count: fmtNumber(path.hops.length) })}</span>
          <span class="badge">${t("paths.strength", { value: fmtPercent(path.strength) })}</span></div>
        <ol class="hops">${path.hops.map((h) => `<li data-testid="path-hop">${link(h.from.type, h.from.id, h.from.name)} → ${link(h.to.type, h.to.id, h.to.name)}
          <span class="badge">${esc(relLabel(h.relation))}</span> <span class="muted">${fmtPercent(h.strength)}${h.lastInteractionAt ? ` · ${fmtDate(h.lastInteractionAt)}` : ""}</span>
          <div class="explain">${esc(h.explanation)}</div></li>`).join("")}</ol></li>`).join("")}</ol>`
      : `<p class="muted" data-testid="no-path">${t("paths.none")}</p>`);
    root.querySelectorAll("[data-testid=intro-path]").forEach((li) => {
      const p = Number(li.dataset.path);
      li.addEventListener("mouseenter", () => highlight(p));
      li.addEventListener("focus", () => highlight(p));
      li.addEventListener("click", () => highlight(p));
    });
    if (paths.length) highlight(0);
  } catch (err) {
    if (err.code === "unauthenticated") throw err;
    fill(root, "view.paths", errorBox(err));
  }
  return () => canvas.destroy();
}
