// The account view: a 360° panel (profile, family roll-up, deals, tickets, interactions, team) beside the network canvas.
import * as api from "../api.js";
import { historySection, loadHistory, uidOf } from "./audit.js";  // audit
import { createCanvas } from "../graph.js";
import { t, fmtMoney, fmtNumber, fmtDate, fmtPercent, roleLabel } from "../i18n.js";
import { CUSTOM_FIELDS, customRows, esc, errorBox, facts, link, load, section, nodesOf } from "../ui.js";
import { logActivityButton, interactionActions, wireInteractionActions } from "./activity.js";
import { NETWORK_FIELDS, companyTabs, workspace, showSelection, expandNode } from "./common.js";
import * as forms from "../forms.js";
import { accountLayout } from "../layouts.js";
import { linkDialog } from "../links.js";
import { ownerPanel } from "./access.js";  // access (issue 13)

export const name = "account";

const NETWORK_QUERY = `query AccountNetwork($id: ID!) { company(id: $id) { id uid name network(depth: 1, limit: 500) { ${NETWORK_FIELDS} } } }`;
const PROFILE_QUERY = `query AccountProfile($id: ID!) { company(id: $id) { id name legalName domain industry country city employees
  annualRevenue currency tier lifecycle tags ${CUSTOM_FIELDS} parents { share kind company { id name } } accountTeam { role user { id name email } } } }`;
const ROLLUP_QUERY = `query AccountRollup($id: ID!) { company(id: $id) { id familyRollup { companies openPipeline weightedPipeline
  wonRevenue12m openTickets slaBreaches contacts lastInteractionAt } } }`;
const DEALS_QUERY = `query AccountDeals($id: ID!) { company(id: $id) { id currency deals(first: 50) { totalCount edges { node {
  id name amount currency stage status probability expectedClose } } } } }`;
// open tickets with the SLA state the server computes (the ticket queue's, see crn.crm.ticket_queue)
const TICKETS_QUERY = `query AccountTickets($filter: TicketFilter) { ticketQueue(filter: $filter, first: 20,
  sort: {field: SLA_DUE_AT, direction: ASC}) { totalCount edges { node { slaState ticket { id subject status priority openedAt slaDueAt } } } } }`;
const PEOPLE_QUERY = `query AccountPeople($id: ID!) { company(id: $id) { id contacts(first: 50) { totalCount edges { properties node {
  id name title } } } } }`;
const PEOPLE_FACTS_QUERY = `query AccountPeopleFacts($id: ID!) { company(id: $id) { id contacts(first: 100) { edges { node {
  id title department seniority } } } } }`;
const INTERACTIONS_QUERY = `query AccountInteractions($id: ID!) { company(id: $id) { id interactions(first: 8) { edges { node {
  id kind subject at } } } } }`;

/** The account panel's SLA badge for the server's state (due soon reads "at risk"). */
const SLA_BADGE = { BREACHED: "breached", DUE_SOON: "atRisk", OK: "ok", NONE: "ok" };
// Department frames (compound nodes) and folded groups of the account canvas.
const ACCOUNT_STYLES = [
  { selector: "edge.faint", style: { opacity: 0.22 } },
  { selector: 'node[type = "Department"]', style: { shape: "round-rectangle", "background-color": "#f8fafc", "background-opacity": 0.6,
    "border-width": 1, "border-color": "#cbd5e1", "border-style": "dashed", label: "data(label)", "text-valign": "top",
    "text-halign": "center", "font-size": 11, "font-weight": 600, color: "#334155", padding: 12, "text-margin-y": -4 } },
  { selector: 'node[type = "Group"]', style: { shape: "round-rectangle", width: 150, height: 40, "background-color": "#dcfce7",
    "border-width": 2, "border-color": "#16a34a", label: "data(label)", "text-valign": "center", "text-halign": "center",
    "text-max-width": 140, "font-size": 11, "font-weight": 600 } },
];

/** SLA state of an open ticket from its due time: breached, at risk (due within 24 h) or ok. */
export function slaState(ticket, now = Date.now()) {
  if (!ticket.slaDueAt) return "ok";
  const due = new Date(ticket.slaDueAt).getTime();
  if (due < now) return "breached";
  return due - now < 24 * 3600 * 1000 ? "atRisk" : "ok";
}

function profileHtml(c) {
  return facts([
    [t("field.legalName"), esc(c.legalName)], [t("field.industry"), esc(c.industry)],
    [t("field.country"), esc([c.city, c.country].filter(Boolean).join(", "))], [t("field.domain"), esc(c.domain)],
    [t("field.employees"), fmtNumber(c.employees)], [t("field.revenue"), c.annualRevenue ? fmtMoney(c.annualRevenue, c.currency) : null],
    [t("field.tier"), esc(c.tier)], [t("field.lifecycle"), esc(c.lifecycle)],
    [t("panel.parents"), c.parents.map((p) => `${link("Company", p.company.id, p.company.name)}${p.share != null ? ` (${fmtPercent(p.share > 1 ? p.share / 100 : p.share)})` : ""}`).join(", ")],
    ...customRows(c.customFields),
  ]) + (c.tags?.length ? `<p>${c.tags.map((tag) => `<span class="badge">${esc(tag)}</span>`).join(" ")}</p>` : "");
}

function teamHtml(team) {
  if (!team.length) return `<p class="muted">${t("empty")}</p>`;
  return `<ul class="list">${team.map((m) => `<li data-testid="team-member">${esc(m.user.name)} <span class="badge role">${esc(roleLabel(m.role))}</span></li>`).join("")}</ul>`;
}

/** Render the account view for company `id`. */
export async function render(root, [id], _query, ctx) {
  const started = performance.now();
  const panel = section("panel.selection", `<p class="muted">${t("canvas.hint")}</p>`, "selection") + section("panel.profile", undefined, "profile")
    + section("access.owner", undefined, "owner")  // access (issue 13)
    + section("panel.family", undefined, "family") + section("panel.deals", undefined, "deals")
    + section("panel.tickets", undefined, "tickets") + section("panel.interactions", undefined, "interactions")
    + section("panel.team", undefined, "team") + section("panel.people", undefined, "people")
    + historySection();  // audit
  root.innerHTML = workspace("…", companyTabs(id, "account") + forms.recordActions(
    `<button type="button" data-act="add-person" data-testid="add-person" disabled>${t("forms.addPerson")}</button>
    <button type="button" data-act="add-team" data-testid="add-team" disabled>${t("account.addTeam")}</button>
    <button type="button" data-act="add-knows" data-testid="add-knows" disabled>${t("account.addKnows")}</button>`), panel);
  ownerPanel(root.querySelector('[data-section="access.owner"] .card-body'), id, ctx);  // access (issue 13)
  let current = null;  // {id, name} once loaded
  const refresh = () => ctx.navigate(location.hash);  // re-render this view (panels and canvas), no page reload
  forms.wireRecordActions(root, "Company", () => current, { onSaved: refresh, onDeleted: () => ctx.navigate("#/") });
  root.querySelector("[data-act=add-person]").addEventListener("click", async () => {
    if (current && await forms.attempt(() => forms.addPersonDialog(current))) refresh();
  });
  // Links from the account view: a user onto the account team, a "knows" tie to one of the account's people.
  const accountPeople = () => (graph?.nodes || []).filter((n) => n.type === "Person").map((n) => ({ id: n.id, name: n.label, detail: n.subtitle || "" }));
  const ourUsers = () => (graph?.nodes || []).filter((n) => n.type === "User").map((n) => ({ id: n.id, name: n.label, detail: "" }));
  root.querySelector("[data-act=add-team]").addEventListener("click", async () => {
    if (current && await forms.attempt(() => linkDialog({ type: "ACCOUNT_TEAM", testid: "form-add-team",
      title: t("account.addTeamTitle", { name: current.name }), from: { types: ["USER"], name: "user", label: t("type.User") },
      to: { fixed: current, label: t("type.Company") } }))) refresh();
  });
  root.querySelector("[data-act=add-knows]").addEventListener("click", async () => {
    if (current && await forms.attempt(() => linkDialog({ type: "KNOWS", testid: "form-add-knows",
      title: t("account.addKnowsTitle", { name: current.name }),
      from: { types: ["USER", "PERSON"], name: "who", label: t("account.who"), suggestions: ourUsers() },
      to: { types: ["PERSON"], name: "whom", label: t("account.whom"), suggestions: accountPeople() } }))) refresh();
  });
  const host = root.querySelector(".canvas-host");
  let canvas = null;
  let graph = null;      // {nodes, edges, rootId, people}
  const expanded = new Set();  // departments shown person by person in a large account
  canvas = createCanvas(host, {
    layout: "preset", styles: ACCOUNT_STYLES,
    onSelect: (data) => {
      if (data.type === "Group") { openGroup(data); return; }
      if (data.type === "Department") { if (expanded.has(data.department)) foldGroup(data.department); return; }
      showSelection(root, data, canvas);
    },
    onExpand: (nodeId) => { if (!String(nodeId).startsWith("group:") && !String(nodeId).startsWith("dept:")) expandNode(root, canvas, nodeId); },
  });

  /** Draw the account laid out by meaning (crn/web/static/js/layouts.js accountLayout). */
  function drawAccount(keepViewport = false) {
    const view = keepViewport ? { zoom: canvas.cy.zoom(), pan: { ...canvas.cy.pan() } } : null;
    const laid = accountLayout(graph, { expanded });
    const frames = laid.frames.map((f) => ({ id: f.id, type: "Department", label: f.department || t("account.noDepartment") }));
    const groups = laid.groups.map((g) => ({ id: g.id, type: "Group", label: t("account.group", { name: g.department || t("account.noDepartment"), count: fmtNumber(g.count) }) }));
    const nodes = [...frames, ...groups, ...graph.nodes.filter((n) => !laid.hidden.has(n.id))];
    const positions = Object.fromEntries(laid.positions);
    const groupOf = new Map(laid.groups.map((g) => [g.id, g]));
    const frameOf = new Map(laid.frames.map((f) => [f.id, f]));
    canvas.setNetwork({ nodes, edges: graph.edges, truncated: graph.truncated }, (n) => ({
      ...(n.id === graph.rootId ? { size: 48 } : {}),
      ...(laid.parents.has(n.id) ? { parent: laid.parents.get(n.id) } : {}),
      ...(frameOf.has(n.id) ? { department: frameOf.get(n.id).department, count: frameOf.get(n.id).count } : {}),
      ...(groupOf.has(n.id) ? { count: groupOf.get(n.id).count, department: groupOf.get(n.id).department, size: 40 } : {}),
    }), { positions: (node) => positions[node.id()] || node.position() }, graph.rootId);
    // Employment is what the department frames show: its many lines to the centre are drawn faint.
    canvas.cy.edges('[type = "WORKS_AT"]').filter((e) => e.target().id() === graph.rootId).addClass("faint");
    canvas.cy.nodes('[type = "Department"]').addClass("frame");
    canvas.cy.nodes('[type = "Group"]').addClass("group");
    if (view) canvas.cy.viewport(view);
    root.dataset.groups = String(laid.groups.length);
    // The folded groups as buttons too: keyboard and screen-reader users open them here.
    const wasHidden = groupBar.hidden;
    const opened = laid.frames.filter((f) => expanded.has(f.department));
    groupBar.hidden = !laid.groups.length && !opened.length;
    if (wasHidden !== groupBar.hidden) canvas.cy.resize();
    groupBar.innerHTML = laid.groups.length ? `<span class="muted small">${esc(t("account.groupHint"))}</span>
      ${laid.groups.map((g) => `<button type="button" class="small" data-testid="group-open" data-department="${esc(g.department)}"
        data-count="${g.count}">${esc(t("account.group", { name: g.department || t("account.noDepartment"), count: fmtNumber(g.count) }))}</button>`).join("")}` : "";
    groupBar.insertAdjacentHTML("beforeend", opened.map((f) => `<button type="button" class="small" data-testid="group-fold"
      data-department="${esc(f.department)}">${esc(t("account.fold", { name: f.department || t("account.noDepartment") }))}</button>`).join(""));
  }

  const groupBar = document.createElement("div");
  groupBar.className = "account-groups";
  groupBar.hidden = true;
  host.querySelector(".cy").before(groupBar);  // inside the canvas pane: the workspace grid has two columns only
  groupBar.addEventListener("click", (event) => {
    const button = event.target.closest("[data-testid=group-open]");
    if (button) openGroup({ department: button.dataset.department, count: Number(button.dataset.count) });
    const fold = event.target.closest("[data-testid=group-fold]");
    if (fold) foldGroup(fold.dataset.department);
  });

  function foldGroup(department) {
    expanded.delete(department);
    drawAccount(true);
  }

  function openGroup(data) {
    expanded.add(data.department);
    drawAccount(true);
    const box = root.querySelector("[data-section='panel.selection'] .card-body");
    if (box) box.innerHTML = `<p class="notice" data-testid="group-opened">${esc(t("account.groupOpened", { name: data.department || t("account.noDepartment"), count: fmtNumber(data.count) }))}</p>`;
  }

  const personFacts = api.gql(PEOPLE_FACTS_QUERY, { id }).then((d) => new Map(nodesOf(d.company?.contacts || { edges: [] }).map((p) => [p.id, p])))
    .catch(() => new Map());
  const network = Promise.all([api.gql(NETWORK_QUERY, { id }), personFacts]).then(([data, people]) => {
    if (!ctx.isCurrent()) return;
    const company = data.company;
    if (!company) throw new api.ApiError("notFound", "not found");
    root.querySelector("[data-testid=view-title]").textContent = company.name;
    current = { id: company.id, name: company.name };
    forms.recordLoaded(root);
    document.title = `${company.name} · crn`;
    graph = { ...company.network, rootId: company.id, people };
    drawAccount();
    root.dataset.ready = "1";
    window.crnTimings = { ...(window.crnTimings || {}), accountReady: performance.now(), accountRender: performance.now() - started };
  });

  const loadTimeline = () => load(root, "panel.interactions", async () => {
    const items = nodesOf((await api.gql(INTERACTIONS_QUERY, { id })).company.interactions);
    if (!items.length) return `<p class="muted">${t("empty")}</p>`;
    return `<ul class="list" data-testid="timeline">${items.map((i) => `<li data-testid="timeline-item"><span class="badge">${esc(i.kind)}</span> ${esc(i.subject || "")}
      <span class="muted">${fmtDate(i.at)}</span> ${interactionActions(i)}</li>`).join("")}</ul>`;
  });
  wireInteractionActions(root.querySelector('[data-section="panel.interactions"] .card-body'), () => loadTimeline());
  const logHost = document.createElement("div");
  logHost.className = "log-activity";
  root.querySelector('[data-section="panel.interactions"] h2').after(logHost);
  logActivityButton(logHost, { companyId: id, about: [id] }, loadTimeline);

  const profile = api.gql(PROFILE_QUERY, { id }).then((data) => data.company);
  const sections = [
    load(root, "panel.profile", async () => profileHtml(await profile)),
    load(root, "panel.team", async () => teamHtml((await profile).accountTeam)),
    load(root, "panel.family", async () => {
      const r = (await api.gql(ROLLUP_QUERY, { id })).company.familyRollup;
      if (!r) return `<p class="muted">${t("empty")}</p>`;
      return facts([
        [t("rollup.companies"), fmtNumber(r.companies)], [t("rollup.openPipeline"), fmtMoney(r.openPipeline)],
        [t("rollup.weightedPipeline"), fmtMoney(r.weightedPipeline)], [t("rollup.wonRevenue12m"), fmtMoney(r.wonRevenue12m)],
        [t("rollup.openTickets"), fmtNumber(r.openTickets)], [t("rollup.slaBreaches"), fmtNumber(r.slaBreaches)],
        [t("rollup.contacts"), fmtNumber(r.contacts)], [t("rollup.lastInteractionAt"), fmtDate(r.lastInteractionAt)],
      ]) + `<p><a href="#/company/${encodeURIComponent(id)}/family">${t("view.family")} →</a></p>`;
    }),
    load(root, "panel.deals", async () => {
      const deals = nodesOf((await api.gql(DEALS_QUERY, { id })).company.deals).filter((d) => (d.status || "open").toLowerCase() === "open");
      if (!deals.length) return `<p class="muted">${t("empty")}</p>`;
      return `<ul class="list">${deals.map((d) => `<li data-testid="deal-row">${link("Deal", d.id, d.name)}
        <span class="muted">${esc(d.stage)} · ${fmtMoney(d.amount, d.currency)} · ${fmtPercent(d.probability)} · ${fmtDate(d.expectedClose)}</span>
        <a class="small" href="#/deal/${encodeURIComponent(d.id)}" data-testid="deal-committee">${t("action.committee")}</a></li>`).join("")}</ul>`;
    }),
    load(root, "panel.tickets", async () => {
      const queue = `<p><a href="#/tickets?company=${encodeURIComponent(id)}&status=open%2Cpending" data-testid="account-ticket-queue">${t("lists.openQueue")} →</a></p>`;
      const rows = nodesOf((await api.gql(TICKETS_QUERY, { filter: { company: id, status: ["open", "pending"] } })).ticketQueue);
      if (!rows.length) return `<p class="muted">${t("empty")}</p>${queue}`;
      return `<ul class="list">${rows.map(({ ticket: tk, slaState }) => { const sla = SLA_BADGE[slaState] || "ok"; return `<li data-testid="ticket-row">${esc(tk.subject)}
        <span class="badge sla-${sla}">${t(`sla.${sla}`)}</span> <span class="muted">${esc(tk.priority)} · ${fmtDate(tk.openedAt)}</span>
        <button type="button" class="small" data-act="edit-ticket" data-id="${esc(tk.id)}" data-name="${esc(tk.subject)}"
          data-testid="edit-ticket">${t("forms.edit")}</button></li>`; }).join("")}</ul>${queue}`;
    }),
    load(root, "panel.people", async () => {
      const contacts = (await api.gql(PEOPLE_QUERY, { id })).company.contacts;
      const asList = `<p><a href="#/people?company=${encodeURIComponent(id)}" data-testid="account-people-list">${t("lists.allPeople")} →</a></p>`;
      if (!contacts.edges.length) return `<p class="muted">${t("empty")}</p>${asList}`;
      return `<ul class="list">${contacts.edges.map((e) => `<li data-testid="person-row">${link("Person", e.node.id, e.node.name)}
        <span class="muted">${esc(e.properties?.title || e.node.title || "")}${e.properties?.department ? ` · ${esc(e.properties.department)}` : ""}</span></li>`).join("")}</ul>`
        + (contacts.totalCount > contacts.edges.length ? `<p class="muted small">${fmtNumber(contacts.totalCount)}</p>` : "")
        + asList;
    }),
    loadTimeline(),
    loadHistory(root, uidOf(id)),  // audit
  ];
  try {
    await network;
  } catch (err) {
    host.querySelector(".cy").insertAdjacentHTML("beforebegin", errorBox(err));
    if (err.code === "unauthenticated") throw err;
  }
  root.querySelector("[data-section='panel.tickets']").addEventListener("click", async (event) => {
    const button = event.target.closest("[data-act=edit-ticket]");
    if (button && await forms.attempt(() => forms.recordDialog("Ticket", { id: button.dataset.id, name: button.dataset.name }))) refresh();
  });
  Promise.all(sections);
  return () => canvas.destroy();
}
