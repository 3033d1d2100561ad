// A person: profile, employments, reporting line, deals and who knows them, beside their neighbourhood.
import * as api from "../api.js";
import { createCanvas } from "../graph.js";
import { t, fmtMoney, fmtPercent, roleLabel } from "../i18n.js";
import { CUSTOM_FIELDS, customRows, esc, facts, link, load, section, errorMessage } from "../ui.js";
import { NETWORK_FIELDS, workspace, showSelection, expandNode } from "./common.js";
import * as forms from "../forms.js";
import { detailSections, loadPersonDetails } from "./persondetails.js";

export const name = "person";

const PERSON_QUERY = `query Person($id: ID!) { person(id: $id) { id uid name email title department seniority ${CUSTOM_FIELDS}
  employments { title since until current company { id name } }
  manager { id name title } directReports { id name title } dottedLine { id name title }
  deals { role declared confidence deal { id name stage status amount } }
  knownBy { strength user { id name } } } }`;

/** Render person `id`. */
export async function render(root, [id], _query, ctx) {
  const panel = section("panel.selection", `<p class="muted">${t("canvas.hint")}</p>`, "selection") + section("panel.profile", undefined, "profile")
    + detailSections();
  root.innerHTML = workspace("…", `<nav class="tabs"><a href="#/paths/${encodeURIComponent(id)}" data-testid="find-path">${t("action.introPath")}</a>
    <a href="#/paths/${encodeURIComponent(id)}?team=1">${t("action.introPath")} · ${t("action.teamPaths")}</a></nav>${forms.recordActions()}`, panel);
  let current = null;
  forms.wireRecordActions(root, "Person", () => current, { onSaved: () => ctx.navigate(location.hash), onDeleted: () => ctx.navigate("#/") });
  const host = root.querySelector(".canvas-host");
  let canvas = null;
  canvas = createCanvas(host, { onSelect: (d) => showSelection(root, d, canvas), onExpand: (nodeId) => expandNode(root, canvas, nodeId) });
  load(root, "panel.profile", async () => {
    const p = (await api.gql(PERSON_QUERY, { id })).person;
    if (!p) throw new api.ApiError("notFound", "not found");
    if (!ctx.isCurrent()) return "";
    root.querySelector("[data-testid=view-title]").textContent = p.name;
    current = { id: p.id, name: p.name };
    forms.recordLoaded(root);
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
      + (p.knownBy.length ? `<h3>${t("rel.KNOWS")}</h3><ul class="list">${p.knownBy.map((k) => `<li>${esc(k.user.name)} <span class="muted">${fmtPercent(k.strength)}</span></li>`).join("")}</ul>` : "");
  });
  loadPersonDetails(root, id);
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
