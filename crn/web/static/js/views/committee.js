// Buying committee of a deal: members with role badges and confidence, gaps highlighted, suggested next contacts.
import * as api from "../api.js";
import { historySection, loadHistory, uidOf } from "./audit.js";  // audit
import { createCanvas } from "../graph.js";
import { t, fmtMoney, fmtPercent, fmtDate, roleLabel } from "../i18n.js";
import { CUSTOM_FIELDS, customRows, esc, facts, link, section, fill, errorBox } from "../ui.js";
import { workspace, showSelection } from "./common.js";
import * as forms from "../forms.js";
import { logActivityButton } from "./activity.js";
import { ownerPanel } from "./access.js";  // access (issue 13)

export const name = "committee";

const DEAL_QUERY = `query Deal($id: ID!) { deal(id: $id) { id uid name amount currency stage status probability expectedClose ${CUSTOM_FIELDS}
  company { id name } committee { role declared confidence person { id name title } } } }`;
const INFERRED_QUERY = `query Committee($id: ID!) { buyingCommittee(dealId: $id) {
  members { person { id name title } role confidence declared evidence }
  coverage { role covered member { id name } }
  gaps { role reason candidates { person { id name title } score } }
  singleThreadRisks { via { id name } lost explanation } } }`;

const ACCOUNT_PEOPLE_QUERY = `query DealPeople($id: ID!) { company(id: $id) { id contacts(first: 100) { edges { node { id name title } } } } }`;

/** The committee as a Network: the deal in the middle, members around it, gaps as red placeholders with candidates. */
export function committeeNetwork(deal, committee) {
  const nodes = [{ id: deal.id, type: "Deal", label: deal.name, subtitle: deal.company?.name }];
  const edges = [];
  const seen = new Set([deal.id]);
  committee.members.forEach((m, i) => {
    if (!seen.has(m.person.id)) {
      seen.add(m.person.id);
      nodes.push({ id: m.person.id, type: "Person", label: m.person.name, subtitle: m.person.title,
        display: `${m.person.name}\n[${roleLabel(m.role)}] ${fmtPercent(m.confidence)}` });
    }
    edges.push({ id: `m${i}`, source: m.person.id, target: deal.id, type: "ON_COMMITTEE", label: roleLabel(m.role),
      properties: { declared: m.declared } });
  });
  committee.gaps.forEach((g, i) => {
    const gapId = `gap:${g.role}`;
    nodes.push({ id: gapId, type: "Gap", label: `? ${roleLabel(g.role)}`, display: `? ${roleLabel(g.role)}`, gap: true });
    edges.push({ id: `g${i}`, source: gapId, target: deal.id, type: "ON_COMMITTEE", label: "", properties: {} });
    g.candidates.slice(0, 3).forEach((c, j) => {
      if (!seen.has(c.person.id)) {
        seen.add(c.person.id);
        nodes.push({ id: c.person.id, type: "Person", label: c.person.name, subtitle: c.person.title, suggested: true,
          display: `${c.person.name}\n${c.person.title || ""}` });
      }
      edges.push({ id: `c${i}-${j}`, source: c.person.id, target: gapId, type: "SUGGESTED", label: fmtPercent(c.score), properties: {} });
    });
  });
  return { nodes, edges, truncated: false };
}

/** Render the committee of deal `id`. */
export async function render(root, [id], _query, ctx) {
  const panel = section("panel.selection", `<p class="muted">${t("canvas.hint")}</p>`, "selection") + section("panel.profile", undefined, "deal")
    + section("access.owner", undefined, "owner")  // access (issue 13)
    + section("committee.members", undefined, "members") + section("committee.gaps", undefined, "gaps")
    + section("committee.risks", undefined, "risks") + historySection();  // audit: + History
  root.innerHTML = workspace("…", forms.recordActions(
    `<button type="button" data-act="declare-role" data-testid="declare-role" disabled>${t("forms.declareRole")}</button>`), panel);
  ownerPanel(root.querySelector('[data-section="access.owner"] .card-body'), id, ctx);  // access (issue 13)
  let current = null;  // the deal once loaded
  const refresh = () => ctx.navigate(location.hash);
  forms.wireRecordActions(root, "Deal", () => current, { onSaved: refresh,
    onDeleted: () => ctx.navigate(current?.company ? `#/company/${encodeURIComponent(current.company.id)}` : "#/") });
  const declare = async (person = null, role = null) => {
    if (!current) return;
    let suggestions = [];
    if (current.company) {
      try {
        const people = (await api.gql(ACCOUNT_PEOPLE_QUERY, { id: current.company.id })).company;
        suggestions = (people?.contacts.edges || []).map((e) => ({ id: e.node.id, name: e.node.name, detail: e.node.title }));
      } catch (err) { if (err.code === "unauthenticated") throw err; }
    }
    if (await forms.attempt(() => forms.declareRoleDialog(current, { person, role, suggestions }))) refresh();
  };
  root.querySelector("[data-act=declare-role]").addEventListener("click", () => declare());
  loadHistory(root, uidOf(id));  // audit
  const host = root.querySelector(".canvas-host");
  let canvas = null;
  const legendExtra = `<div class="legend-row"><span class="swatch" data-style="background:#fecaca;border:2px dashed #dc2626"></span>${t("committee.gaps")}</div>
    <div class="legend-row"><span class="swatch" data-style="border:2px dashed #dc2626"></span>${t("committee.suggested")}</div>`;
  canvas = createCanvas(host, { layout: "concentric-deal", legendExtra, onSelect: (d) => { if (d.type !== "Gap") showSelection(root, d, canvas); } });
  try {
    const deal = (await api.gql(DEAL_QUERY, { id })).deal;
    if (!deal) throw new api.ApiError("notFound", "not found");
    // null when the deal has no account to infer from: its declared members alone
    const committee = (await api.gql(INFERRED_QUERY, { id })).buyingCommittee
      || { members: deal.committee.map((m) => ({ ...m, evidence: [] })), gaps: [], coverage: [], singleThreadRisks: [] };
    if (!ctx.isCurrent()) return () => canvas.destroy();
    current = deal;
    forms.recordLoaded(root);
    root.querySelector("[data-testid=view-title]").textContent = `${deal.name} · ${t("view.committee")}`;
    fill(root, "panel.profile", facts([
      [t("field.company"), deal.company ? link("Company", deal.company.id, deal.company.name) : null],
      [t("field.stage"), esc(deal.stage)], [t("field.amount"), fmtMoney(deal.amount, deal.currency)],
      [t("field.probability"), fmtPercent(deal.probability)], [t("field.expectedClose"), fmtDate(deal.expectedClose)],
      ...customRows(deal.customFields),
    ]));
    if (deal.company) {  // log a call or meeting about this deal: participants from its account, linked to deal and account
      const logHost = document.createElement("div");
      logHost.className = "log-activity";
      root.querySelector('[data-section="panel.profile"]').append(logHost);
      logActivityButton(logHost, { companyId: deal.company.id, about: [deal.id, deal.company.id] }, refresh);
    }
    const net = committeeNetwork(deal, committee);
    canvas.setNetwork(net, (n) => ({ ...(n.display ? { display: n.display } : {}), size: n.type === "Deal" ? 44 : 28 }));
    for (const n of net.nodes) {
      if (n.gap) canvas.cy.getElementById(n.id).addClass("gap");
      if (n.suggested) canvas.cy.getElementById(n.id).addClass("suggested");
    }
    canvas.cy.getElementById(deal.id).addClass("root");
    root.dataset.ready = "1";
    fill(root, "committee.members", committee.members.length ? `<ul class="list">${committee.members.map((m) => `
      <li data-testid="committee-member">${link("Person", m.person.id, m.person.name)} <span class="muted">${esc(m.person.title || "")}</span><br>
        <span class="badge role" data-testid="committee-role">${esc(roleLabel(m.role))}</span>
        <span class="badge">${t("committee.confidence", { value: fmtPercent(m.confidence) })}</span>
        <span class="badge ${m.declared ? "declared" : "inferred"}">${t(m.declared ? "committee.declared" : "committee.inferred")}</span>
        ${m.declared ? "" : `<button type="button" class="small" data-act="confirm-member" data-person="${esc(m.person.id)}" data-role="${esc(m.role)}"
          data-testid="confirm-member" title="${esc(t("forms.confirmHint"))}">${t("forms.confirm")}</button>`}
        ${m.evidence?.length ? `<ul class="evidence">${m.evidence.map((e) => `<li>${esc(e)}</li>`).join("")}</ul>` : ""}</li>`).join("")}</ul>`
      : `<p class="muted">${t("empty")}</p>`);
    const members = root.querySelector("[data-section='committee.members']");
    members.addEventListener("click", async (event) => {
      const button = event.target.closest("[data-act=confirm-member]");
      if (!button) return;
      button.disabled = true;
      try {
        const errors = await forms.confirmMember(deal, button.dataset.person, button.dataset.role);
        if (!errors.length) { refresh(); return; }
        button.insertAdjacentHTML("afterend", `<div class="error" role="alert">${esc(errors.map((e) => e.message).join(" "))}</div>`);
      } catch (err) {
        button.insertAdjacentHTML("afterend", errorBox(err));
      }
      button.disabled = false;
    });
    fill(root, "committee.gaps", committee.gaps.length ? `<ul class="list">${committee.gaps.map((g) => `
      <li data-testid="committee-gap"><span class="badge gap">${esc(roleLabel(g.role))}</span> <span class="muted">${esc(g.reason)}</span>
        ${g.candidates.length ? `<div class="small">${t("committee.suggested")}:</div><ul>${g.candidates.slice(0, 3).map((c) => `
          <li>${link("Person", c.person.id, c.person.name)} <span class="muted">${esc(c.person.title || "")} · ${fmtPercent(c.score)}</span>
          <a class="small" href="#/paths/${encodeURIComponent(c.person.id)}">${t("action.introPath")}</a>
          <button type="button" class="small" data-act="declare-candidate" data-person="${esc(c.person.id)}" data-name="${esc(c.person.name)}"
            data-role="${esc(g.role)}">${t("forms.declareRole")}</button></li>`).join("")}</ul>` : ""}</li>`).join("")}</ul>`
      : `<p class="muted">${t("committee.noGaps")}</p>`);
    root.querySelector("[data-section='committee.gaps']").addEventListener("click", (event) => {
      const button = event.target.closest("[data-act=declare-candidate]");
      if (button) declare({ id: button.dataset.person, name: button.dataset.name }, button.dataset.role);
    });
    fill(root, "committee.risks", committee.singleThreadRisks.length ? `<ul class="list">${committee.singleThreadRisks.map((r) => `
      <li>${link("Person", r.via.id, r.via.name)}: ${esc(r.explanation)}</li>`).join("")}</ul>`
      : `<p class="muted">${t("empty")}</p>`);
  } catch (err) {
    if (err.code === "unauthenticated") throw err;
    fill(root, "committee.members", errorBox(err));
  }
  return () => canvas.destroy();
}
