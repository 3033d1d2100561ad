// Possible groups (admins): companies that look like one group without an ownership link — tied by shared
// directors, executives or minority owners — each with the ties that bind it, drawn on a canvas when opened.
import * as api from "../api.js";
import { createCanvas } from "../graph.js";
import { t, fmtNumber } from "../i18n.js";
import { esc, errorBox, link } from "../ui.js";

export const name = "groups";

const GROUPS = `query PossibleGroups($threshold: Float!) { possibleGroups(threshold: $threshold) { weight
  companies { id name } links { fromId toId kind binder explanation } } }`;
const KIND_EDGE = { board: "BOARD_MEMBER_OF", executive: "WORKS_AT", owner: "OWNS_SHARE" };

function tieLabel(kind) {
  const text = t(`groups.kind.${kind}`);
  return text === `groups.kind.${kind}` ? kind : text;
}

function groupHtml(g, i) {
  const kinds = [...new Set(g.links.map((l) => l.kind))].map((k) => `<span class="badge">${esc(tieLabel(k))}</span>`).join(" ");
  return `<li class="group-card" data-testid="group" data-index="${i}">
    <div class="group-head"><strong>${esc(t("groups.group", { n: i + 1 }))}</strong> · ${esc(t("groups.weight"))} ${fmtNumber(g.weight)}
      · ${esc(t("groups.companies", { n: g.companies.length }))} ${kinds}
      <button type="button" data-act="show" data-index="${i}" data-testid="group-show">${esc(t("groups.show"))}</button></div>
    <p>${g.companies.map((c) => link("Company", c.id, c.name)).join(", ")}</p>
    <details><summary>${esc(t("groups.ties", { n: g.links.length }))}</summary>
      <ul class="list" data-testid="group-ties">${g.links.map((l) => `<li data-testid="group-tie">${esc(l.explanation)}</li>`).join("")}</ul></details></li>`;
}

/** The group as a network: its companies, and one edge per binding tie labelled with who binds them. */
function network(g) {
  return {
    nodes: g.companies.map((c) => ({ id: c.id, type: "Company", label: c.name, subtitle: null })),
    edges: g.links.map((l, i) => ({ id: `tie-${i}`, source: l.fromId, target: l.toId, type: KIND_EDGE[l.kind] || "PARTNER_OF",
      label: l.binder, properties: {} })),
    truncated: false,
  };
}

/** Render the possible groups (?threshold=0.5). */
export async function render(root, _params, query, ctx) {
  const threshold = Math.min(1, Math.max(0, Number(query.get("threshold") ?? 0.5) || 0.5));
  root.innerHTML = `<div class="home"><h1>${esc(t("groups.title"))}</h1><p class="muted">${esc(t("groups.intro"))}</p>
    <div data-testid="groups-body"><div class="loading" aria-busy="true">…</div></div>
    <section class="card" data-testid="group-canvas-card" hidden><h2 data-testid="group-canvas-title"></h2><div class="group-canvas"></div></section></div>`;
  if (ctx.user?.role !== "admin") {
    root.querySelector("[data-testid=groups-body]").innerHTML = `<p class="muted" data-testid="groups-admin-only">${esc(t("groups.adminOnly"))}</p>`;
    root.dataset.ready = "1";
    return undefined;
  }
  let canvas = null;
  const body = root.querySelector("[data-testid=groups-body]");
  try {
    const groups = (await api.gql(GROUPS, { threshold })).possibleGroups;
    body.innerHTML = groups.length
      ? `<ol class="groups" data-testid="groups">${groups.map(groupHtml).join("")}</ol>`
      : `<p class="muted" data-testid="groups-empty">${esc(t("groups.none"))}</p>`;
    body.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-act=show]");
      if (!button) return;
      const g = groups[Number(button.dataset.index)];
      const card = root.querySelector("[data-testid=group-canvas-card]");
      card.hidden = false;
      card.querySelector("[data-testid=group-canvas-title]").textContent = t("groups.group", { n: Number(button.dataset.index) + 1 });
      if (!canvas) canvas = createCanvas(card.querySelector(".group-canvas"));
      canvas.setNetwork(network(g));
      card.scrollIntoView({ block: "nearest" });
    });
  } catch (err) {
    body.innerHTML = errorBox(err);
  }
  root.dataset.ready = "1";
  return () => canvas?.destroy?.();
}
