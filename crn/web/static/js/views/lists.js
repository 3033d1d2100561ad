// Lists of companies, people and tickets: filters and sort in the address (so a list can be bookmarked and
// saved), pages of 25 with previous/next, and saved views (my named filter + sort, kept in the graph).
// The tickets list is the queue: each ticket's SLA state comes from the server; assign and change the status
// from the row.
import * as api from "../api.js";
import { t, fmtNumber, fmtMoney, fmtDate, locale } from "../i18n.js";
import { esc, errorBox, errorMessage, link } from "../ui.js";
import * as forms from "../forms.js";

export const name = "list";

const PAGE = 25;
const CHOICES_QUERY = `query ListChoices($type: RecordType!) { recordForm(type: $type) { fields { key labelEn labelZh choices { value labelEn labelZh } } } }`;
const COMPANY_NAME = `query ListCompany($id: ID!) { node(id: $id) { id ... on Company { name } } }`;
const USERS_QUERY = `query ListUsers { me { id name } users(first: 100) { edges { node { id name } } } }`;
const VIEWS_QUERY = `query MySavedViews($list: SavedViewList) { mySavedViews(list: $list) { uid name params } }`;
const SAVE_VIEW = `mutation SavedViewCreate($input: SavedViewInput!) { savedViewCreate(input: $input) { __typename
  ... on SavedViewSuccess { view { uid name params } } ... on SavedViewError { errors { code message field } } } }`;
const DELETE_VIEW = `mutation SavedViewDelete($uid: String!) { savedViewDelete(uid: $uid) { __typename
  ... on SavedViewError { errors { code message field } } } }`;
const ASSIGN = `mutation TicketAssign($id: ID!, $assignee: ID) { ticketAssign(id: $id, assignee: $assignee) { __typename
  ... on TicketAssignSuccess { ticket { id assignees { id name } } } ... on TicketAssignError { errors { code message field } } } }`;
const STATUS = `mutation TicketStatus($id: ID!, $input: TicketInput!) { ticketUpdate(id: $id, input: $input) { __typename
  ... on TicketUpdateSuccess { ticket { id status resolvedAt } } ... on TicketUpdateError { errors { code message field } } } }`;
const PAGE_ARGS = "$filter: {F}, $sort: {S}, $first: Int, $after: String, $last: Int, $before: String";
const PAGE_VARS = "filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before";
const PAGE_INFO = "totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }";

// Each list: its record type, the query, the filters (name as the API's filter, in snake_case, and how it is
// typed), the sortable columns and the columns shown.
const LISTS = {
  companies: {
    label: "Company", recordType: "COMPANY", defaultSort: "name",
    query: `query CompanyList(${PAGE_ARGS.replace("{F}", "CompanyFilter").replace("{S}", "CompanySort")}) {
      companies(${PAGE_VARS}) { ${PAGE_INFO} edges { node { id name industry country tier lifecycle employees annualRevenue currency } } } }`,
    field: "companies",
    filters: [["name_contains", "text"], ["industry", "list"], ["country", "list"], ["tier", "choice"], ["lifecycle", "choice"], ["customer", "bool"]],
    sorts: ["name", "employees", "annual_revenue", "created_at", "updated_at"],
    columns: [
      ["name", "name", (c) => link("Company", c.id, c.name)], ["industry", null, (c) => esc(c.industry || "—")],
      ["country", null, (c) => esc(c.country || "—")], ["tier", null, (c, ch) => esc(ch.tier?.[c.tier] || c.tier || "—")],
      ["lifecycle", null, (c, ch) => esc(ch.lifecycle?.[c.lifecycle] || c.lifecycle || "—")],
      ["employees", "employees", (c) => fmtNumber(c.employees)], ["annual_revenue", "annual_revenue", (c) => fmtMoney(c.annualRevenue, c.currency)],
    ],
  },
  people: {
    label: "Person", recordType: "PERSON", defaultSort: "name",
    query: `query PersonList(${PAGE_ARGS.replace("{F}", "PersonFilter").replace("{S}", "PersonSort")}) {
      people(${PAGE_VARS}) { ${PAGE_INFO} edges { node { id name title email seniority lifecycle country
      employments { current company { id name } } } } } }`,
    field: "people",
    filters: [["name_contains", "text"], ["seniority", "choice"], ["lifecycle", "choice"], ["country", "list"], ["company", "company"]],
    sorts: ["name", "created_at", "updated_at"],
    columns: [
      ["name", "name", (p) => link("Person", p.id, p.name)], ["title", null, (p) => esc(p.title || "—")],
      ["company", null, (p) => p.employments.filter((e) => e.current !== false).map((e) => link("Company", e.company.id, e.company.name)).join(", ") || "—"],
      ["email", null, (p) => esc(p.email || "—")], ["seniority", null, (p, ch) => esc(ch.seniority?.[p.seniority] || p.seniority || "—")],
      ["lifecycle", null, (p, ch) => esc(ch.lifecycle?.[p.lifecycle] || p.lifecycle || "—")],
    ],
  },
  tickets: {
    label: "Ticket", recordType: "TICKET", defaultSort: "sla_due_at", defaultDir: "asc",
    query: `query TicketQueue(${PAGE_ARGS.replace("{F}", "TicketFilter").replace("{S}", "TicketSort")}) {
      ticketQueue(${PAGE_VARS}) { ${PAGE_INFO} edges { node { slaState ticket { id subject status priority openedAt slaDueAt resolvedAt
      company { id name } assignees { id name } } } } } }`,
    field: "ticketQueue",
    filters: [["status", "choice"], ["priority", "choice"], ["assignee", "user"], ["sla_breached", "bool"], ["company", "company"]],
    sorts: ["sla_due_at", "opened_at", "updated_at"],
    columns: [],  // the queue draws its own rows (see queueRow)
  },
  // products and orders: created, edited and deleted here with the generated record form (no saved views)
  products: {
    label: "Product", recordType: "PRODUCT", defaultSort: "name", editable: true, savedViews: false,
    query: `query ProductList(${PAGE_ARGS.replace("{F}", "ProductFilter").replace("{S}", "ProductSort")}) {
      products(${PAGE_VARS}) { ${PAGE_INFO} edges { node { id name sku category price currency } } } }`,
    field: "products",
    filters: [["name_contains", "text"], ["category", "list"]],
    sorts: ["name", "price"],
    name: (p) => p.name,
    columns: [
      ["name", "name", (p) => `<span class="record-name">${esc(p.name)}</span>`], ["sku", null, (p) => esc(p.sku || "—")],
      ["category", null, (p) => esc(p.category || "—")], ["price", "price", (p) => fmtMoney(p.price, p.currency)],
    ],
  },
  orders: {
    label: "Order", recordType: "ORDER", defaultSort: "placed_at", editable: true, savedViews: false,
    query: `query OrderList(${PAGE_ARGS.replace("{F}", "OrderFilter").replace("{S}", "OrderSort")}) {
      orders(${PAGE_VARS}) { ${PAGE_INFO} edges { node { id number placedAt total currency status
      company { id name } person { id name } } } } }`,
    field: "orders",
    filters: [["status", "list"]],
    sorts: ["placed_at", "total"],
    name: (o) => o.number || t("type.Order"),
    columns: [
      ["number", null, (o) => `<span class="record-name">${esc(o.number || "—")}</span>`], ["placed_at", "placed_at", (o) => fmtDate(o.placedAt)],
      ["buyer", null, (o) => (o.company ? link("Company", o.company.id, o.company.name) : o.person ? link("Person", o.person.id, o.person.name) : "—")],
      ["total", "total", (o) => fmtMoney(o.total, o.currency)], ["status", null, (o) => esc(o.status || "—")],
    ],
  },
};

/** A date-time in the locale's short style. */
function fmtWhen(value) {
  if (!value) return "—";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(d);
}

/** The list's state from the address: filters (by API name), sort, dir and the page cursor. */
export function readState(list, query) {
  const spec = LISTS[list];
  const filters = {};
  for (const [key] of spec.filters) if (query.get(key)) filters[key] = query.get(key);
  const sort = spec.sorts.includes(query.get("sort")) ? query.get("sort") : spec.defaultSort;
  const dir = ["asc", "desc"].includes(query.get("dir")) ? query.get("dir") : (spec.defaultDir || (sort === "name" ? "asc" : "desc"));
  return { filters, sort, dir, after: query.get("after") || "", before: query.get("before") || "" };
}

/** The parameters a saved view keeps (filters, sort and dir; never the page). */
export function viewParams(list, state) {
  const out = { ...state.filters };
  const spec = LISTS[list];
  if (state.sort !== spec.defaultSort) out.sort = state.sort;
  const defaultDir = spec.defaultDir || (state.sort === "name" ? "asc" : "desc");
  if (state.dir !== defaultDir) out.dir = state.dir;
  return out;
}

function hashOf(list, params) {
  const q = new URLSearchParams(Object.entries(params).sort(([a], [b]) => a.localeCompare(b)));
  const qs = q.toString();
  return `#/${list}${qs ? `?${qs}` : ""}`;
}

/** The API filter from the address's filters: lists split at commas, booleans parsed, "me" resolved. */
function apiFilter(list, filters, me) {
  const out = {};
  for (const [key, kind] of LISTS[list].filters) {
    const value = filters[key];
    if (!value) continue;
    const name = key.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
    if (kind === "list" || kind === "choice") out[name] = value.split(",").map((v) => v.trim()).filter(Boolean);
    else if (kind === "bool") out[name] = value === "true";
    else if (kind === "user") out[name] = value === "me" ? me.id : value;
    else out[name] = value;
  }
  return out;
}

function filterControl(list, key, kind, value, choices, users, companyName) {
  const labelText = t(`lists.filter.${key}`);
  const id = `lf-${key}`;
  let control;
  if (kind === "company") {  // a company picker (wired in render); the chosen id travels in the hidden input
    return `<div class="list-filter company-filter"><input type="hidden" name="${key}" value="${esc(value)}">
      <div class="company-filter-pick"></div>${value ? `<button type="button" class="icon" data-act="clear-company" data-testid="filter-company-clear"
      aria-label="${esc(t("lists.clearCompany"))}">×</button>` : ""}</div>`;
  }
  if (kind === "text" || kind === "list") {
    control = `<input id="${id}" type="search" name="${key}" value="${esc(value)}" data-testid="filter-${key}"${kind === "list" ? ` placeholder="${esc(t("lists.commaHint"))}"` : ""}>`;
  } else if (kind === "choice") {
    const options = Object.entries(choices[key] || {});
    const known = !value || options.some(([v]) => v === value);
    control = `<select id="${id}" name="${key}" data-testid="filter-${key}"><option value="">${esc(t("lists.any"))}</option>
      ${list === "tickets" && key === "status" ? `<option value="open,pending"${value === "open,pending" ? " selected" : ""}>${esc(t("lists.openOrPending"))}</option>` : ""}
      ${options.map(([v, l]) => `<option value="${esc(v)}"${v === value ? " selected" : ""}>${esc(l)}</option>`).join("")}
      ${known || value === "open,pending" ? "" : `<option value="${esc(value)}" selected>${esc(value)}</option>`}</select>`;
  } else if (kind === "bool") {
    control = `<select id="${id}" name="${key}" data-testid="filter-${key}"><option value="">${esc(t("lists.any"))}</option>
      <option value="true"${value === "true" ? " selected" : ""}>${esc(t("lists.yes"))}</option>
      <option value="false"${value === "false" ? " selected" : ""}>${esc(t("lists.no"))}</option></select>`;
  } else {  // user
    control = `<select id="${id}" name="${key}" data-testid="filter-${key}"><option value="">${esc(t("lists.any"))}</option>
      <option value="me"${value === "me" ? " selected" : ""}>${esc(t("lists.me"))}</option>
      ${users.map((u) => `<option value="${esc(u.id)}"${u.id === value ? " selected" : ""}>${esc(u.name)}</option>`).join("")}</select>`;
  }
  return `<div class="list-filter"><label for="${id}">${esc(labelText)}</label>${control}</div>`;
}

function slaBadge(state, due) {
  const key = String(state).toLowerCase();
  return `<span class="sla sla-${esc(key)}" data-testid="sla-state" data-state="${esc(key)}">${esc(t(`lists.sla.${key}`))}</span>
    <span class="muted small">${fmtWhen(due)}</span>`;
}

function queueRow(item, choices, users, canWrite) {
  const tk = item.ticket;
  const assignee = tk.assignees[0]?.id || "";
  const statusOptions = Object.entries(choices.status || {}).map(([v, l]) => `<option value="${esc(v)}"${v === tk.status ? " selected" : ""}>${esc(l)}</option>`).join("");
  const userOptions = `<option value="">${esc(t("lists.unassigned"))}</option>` + users.map((u) =>
    `<option value="${esc(u.id)}"${u.id === assignee ? " selected" : ""}>${esc(u.name)}</option>`).join("");
  const priority = choices.priority?.[tk.priority] || tk.priority || "—";
  return `<tr data-testid="list-row" data-id="${esc(tk.id)}" data-resolved="${tk.resolvedAt ? "1" : "0"}">
    <td data-label="${esc(t("lists.col.subject"))}"><span class="ticket-subject">${esc(tk.subject)}</span></td>
    <td data-label="${esc(t("lists.col.company"))}">${tk.company ? link("Company", tk.company.id, tk.company.name) : "—"}</td>
    <td data-label="${esc(t("lists.col.priority"))}"><span class="badge prio-${esc(tk.priority || "")}">${esc(priority)}</span></td>
    <td data-label="${esc(t("lists.col.sla"))}">${slaBadge(item.slaState, tk.slaDueAt)}</td>
    <td data-label="${esc(t("lists.col.status"))}">${canWrite ? `<select data-act="status" data-testid="row-status" aria-label="${esc(t("lists.changeStatus", { name: tk.subject }))}">${statusOptions}</select>` : esc(choices.status?.[tk.status] || tk.status)}</td>
    <td data-label="${esc(t("lists.col.assignee"))}">${canWrite ? `<select data-act="assign" data-testid="row-assignee" aria-label="${esc(t("lists.assignTo", { name: tk.subject }))}">${userOptions}</select>` : esc(tk.assignees.map((u) => u.name).join(", ") || "—")}</td>
    <td data-label="${esc(t("lists.col.opened"))}">${fmtDate(tk.openedAt)}</td>
    <td class="row-msg" aria-live="polite"></td></tr>`;
}

function headerCell(list, key, sortKey, state) {
  const text = esc(t(`lists.col.${key}`));
  if (!sortKey) return `<th scope="col">${text}</th>`;
  const active = state.sort === sortKey;
  const aria = active ? (state.dir === "asc" ? "ascending" : "descending") : "none";
  return `<th scope="col" aria-sort="${aria}"><button type="button" class="sort" data-sort="${sortKey}" data-testid="sort-${sortKey}">${text}${active ? (state.dir === "asc" ? " ▲" : " ▼") : ""}</button></th>`;
}

function tableHtml(list, rows, state, choices, users, canWrite) {
  const spec = LISTS[list];
  if (list === "tickets") {
    const heads = [["subject", null], ["company", null], ["priority", null], ["sla", "sla_due_at"], ["status", null], ["assignee", null], ["opened", "opened_at"], ["msg", null]];
    return `<table class="table list-table queue" data-testid="list-table"><thead><tr>${heads.map(([k, s]) => (k === "msg" ? `<th><span class="sr-only">${esc(t("lists.col.msg"))}</span></th>` : headerCell(list, k, s, state))).join("")}</tr></thead>
      <tbody>${rows.map((r) => queueRow(r, choices, users, canWrite)).join("")}</tbody></table>`;
  }
  const actions = (r) => (spec.editable && canWrite ? `<td class="row-actions"><button type="button" data-act="edit" data-testid="row-edit" data-name="${esc(spec.name(r))}">${esc(t("forms.edit"))}</button>
    <button type="button" class="danger" data-act="delete" data-testid="row-delete" data-name="${esc(spec.name(r))}">${esc(t("forms.delete"))}</button></td>` : "");
  return `<table class="table list-table" data-testid="list-table"><thead><tr>${spec.columns.map(([k, s]) => headerCell(list, k, s, state)).join("")}${spec.editable && canWrite ? `<th><span class="sr-only">${esc(t("lists.col.actions"))}</span></th>` : ""}</tr></thead>
    <tbody>${rows.map((r) => `<tr data-testid="list-row" data-id="${esc(r.id)}">${spec.columns.map(([k, , cell]) => `<td data-label="${esc(t(`lists.col.${k}`))}">${cell(r, choices)}</td>`).join("")}${actions(r)}</tr>`).join("")}</tbody></table>`;
}

function sameParams(a, b) {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => String(a[k] ?? "") === String(b[k] ?? ""));
}

function viewsHtml(list, views, current) {
  const items = views.map((v) => {
    const active = sameParams(v.params, current);
    return `<li class="saved-view${active ? " active" : ""}" data-testid="saved-view" data-uid="${esc(v.uid)}">
      <a href="${esc(hashOf(list, v.params))}"${active ? ' aria-current="true"' : ""} data-testid="saved-view-open">${esc(v.name)}</a>
      <button type="button" class="icon" data-act="delete-view" data-uid="${esc(v.uid)}" data-name="${esc(v.name)}" data-testid="saved-view-delete"
        aria-label="${esc(t("lists.deleteView", { name: v.name }))}">×</button></li>`;
  }).join("");
  return `<span class="muted">${esc(t("lists.savedViews"))}</span>
    <ul class="saved-views-list" data-testid="saved-views">${items || `<li class="muted" data-testid="no-saved-views">${esc(t("lists.noViews"))}</li>`}</ul>
    <button type="button" data-act="save-view" data-testid="save-view">${esc(t("lists.saveView"))}</button>`;
}

/** Ask for a name and save the current filters as a view; the API's errors are shown at the name field. */
async function saveViewDialog(list, params) {
  const { dialog, closed, close } = forms.openDialog({
    title: t("lists.saveViewTitle"), testid: "save-view-dialog",
    body: `<form novalidate><div class="form-field" data-field="name"><label for="sv-name">${esc(t("lists.viewName"))} <span class="req" aria-hidden="true">*</span></label>
      <input id="sv-name" name="name" data-testid="view-name" maxlength="200" required aria-required="true" aria-describedby="sv-name-err">
      <div class="field-error" id="sv-name-err" data-testid="error-name" role="alert" hidden></div></div>
      <p class="muted small">${esc(Object.keys(params).length ? Object.entries(params).map(([k, v]) => `${t(`lists.filter.${k}`)}: ${v}`).join(" · ") : t("lists.noFilters"))}</p>
      <div class="form-error" role="alert" hidden tabindex="-1"></div>
      <div class="form-actions"><button type="button" data-act="cancel">${esc(t("forms.cancel"))}</button>
      <button type="submit" class="primary" data-testid="view-save">${esc(t("lists.save"))}</button></div></form>`,
  });
  const form = dialog.querySelector("form");
  form.querySelector("[data-act=cancel]").addEventListener("click", () => close("cancel"));
  let saved = null;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const result = (await api.gql(SAVE_VIEW, { input: { list: list.toUpperCase(), name: form.elements.name.value, params } })).savedViewCreate;
      if (result.errors) {
        forms.showErrors(form, result.errors.map((e) => ({ ...e, message: t(`lists.error.${e.code}`) === `lists.error.${e.code}` ? e.message : t(`lists.error.${e.code}`) })));
        return;
      }
      saved = result.view;
      close("saved");
    } catch (err) {
      forms.showErrors(form, [{ field: null, message: errorMessage(err) }]);
    }
  });
  await closed;
  return saved;
}

/** Render the `list` page (companies | people | tickets). */
export async function render(root, [list], query, ctx) {
  const spec = LISTS[list];
  const state = readState(list, query);
  const canWrite = ctx.user?.role !== "viewer";
  root.innerHTML = `<div class="view-head"><h1 data-testid="view-title">${esc(t(`lists.title.${list}`))}</h1>
    <nav class="tabs" aria-label="${esc(t("lists.lists"))}">${Object.keys(LISTS).map((l) =>
      `<a href="#/${l}" data-testid="tab-${l}" class="${l === list ? "active" : ""}"${l === list ? ' aria-current="page"' : ""}>${esc(t(`lists.title.${l}`))}</a>`).join("")}</nav>
    ${spec.editable && canWrite ? `<button type="button" class="primary" data-act="new" data-testid="list-new">${esc(t(`forms.new.${spec.label}`))}</button>` : ""}</div>
    <div class="saved-views" data-testid="saved-views-bar" aria-live="polite"></div>
    <form class="list-filters" data-testid="list-filters" role="search" aria-label="${esc(t("lists.filters"))}"></form>
    <div class="list-status" role="status" data-testid="list-status"></div>
    <div class="list-body" data-testid="list-body"><div class="loading" aria-busy="true">…</div></div>
    <nav class="pager" data-testid="pager" aria-label="${esc(t("lists.pages"))}"></nav>`;
  const bar = root.querySelector(".saved-views");
  const body = root.querySelector(".list-body");
  const go = (params) => ctx.navigate(hashOf(list, params));
  const current = viewParams(list, state);

  const [choiceData, people, viewData, companyData] = await Promise.all([
    api.gql(CHOICES_QUERY, { type: spec.recordType }),
    api.gql(USERS_QUERY),
    spec.savedViews === false ? { mySavedViews: null } : api.gql(VIEWS_QUERY, { list: list.toUpperCase() }).catch((err) => ({ error: err })),
    state.filters.company ? api.gql(COMPANY_NAME, { id: state.filters.company }).catch(() => ({ node: null })) : { node: null },
  ]);
  if (!ctx.isCurrent()) return null;
  const lang = (c) => forms.labelOf(c);
  const choices = Object.fromEntries(choiceData.recordForm.fields.filter((f) => f.choices.length)
    .map((f) => [f.key, Object.fromEntries(f.choices.map((c) => [c.value, lang(c)]))]));
  const users = people.users.edges.map((e) => e.node);
  const me = people.me;

  const renderViews = (views) => { bar.innerHTML = viewsHtml(list, views, current); };
  let views = viewData.error ? [] : viewData.mySavedViews;
  if (viewData.error) bar.innerHTML = errorBox(viewData.error); else if (views) renderViews(views); else bar.hidden = true;
  bar.addEventListener("click", async (event) => {
    const save = event.target.closest("[data-act=save-view]");
    const del = event.target.closest("[data-act=delete-view]");
    if (save) {
      const saved = await forms.attempt(() => saveViewDialog(list, current));
      if (saved) { views = [...views, saved].sort((a, b) => a.name.localeCompare(b.name)); renderViews(views); }
    } else if (del) {
      const ok = await forms.confirmDialog({ title: t("lists.deleteViewTitle"), message: esc(t("lists.deleteViewMessage", { name: del.dataset.name })),
        confirmLabel: t("forms.delete") });
      if (!ok) return;
      try {
        const result = (await api.gql(DELETE_VIEW, { uid: del.dataset.uid })).savedViewDelete;
        if (result.errors) { bar.insertAdjacentHTML("beforeend", `<div class="error" role="alert">${esc(result.errors.map((e) => e.message).join(" "))}</div>`); return; }
        views = views.filter((v) => v.uid !== del.dataset.uid);
        renderViews(views);
      } catch (err) { bar.insertAdjacentHTML("beforeend", errorBox(err)); }
    }
  });

  // filters: a select applies at once, a text box when it changes (Enter or leaving it); a new filter starts at page 1
  const filtersForm = root.querySelector(".list-filters");
  filtersForm.innerHTML = spec.filters.map(([key, kind]) => filterControl(list, key, kind, state.filters[key] || "", choices, users, companyData.node?.name)).join("")
    + (Object.keys(state.filters).length ? `<button type="button" data-act="clear" data-testid="filters-clear">${esc(t("lists.clear"))}</button>` : "");
  const apply = () => {
    const filters = {};
    for (const [key] of spec.filters) { const v = filtersForm.elements[key]?.value.trim(); if (v) filters[key] = v; }
    go(viewParams(list, { ...state, filters }));
  };
  filtersForm.addEventListener("change", (event) => { if (event.target.name) apply(); });  // not the picker's text box
  const companyHost = filtersForm.querySelector(".company-filter-pick");
  if (companyHost) {
    forms.picker(companyHost, { name: "company-filter", types: ["COMPANY"], label: t("lists.filter.company"),
      value: state.filters.company ? { id: state.filters.company, name: companyData.node?.name || "…" } : null,
      onPick: (item) => { filtersForm.elements.company.value = item.id; apply(); } });
  }
  filtersForm.addEventListener("submit", (event) => { event.preventDefault(); apply(); });
  filtersForm.querySelector("[data-act=clear]")?.addEventListener("click", () => go(viewParams(list, { ...state, filters: {} })));
  filtersForm.querySelector("[data-act=clear-company]")?.addEventListener("click", () => {
    const { company, ...rest } = state.filters;
    go(viewParams(list, { ...state, filters: rest }));
  });

  const variables = { filter: apiFilter(list, state.filters, me), sort: { field: state.sort.toUpperCase(), direction: state.dir.toUpperCase() } };
  if (state.before) { variables.last = PAGE; variables.before = state.before; } else { variables.first = PAGE; if (state.after) variables.after = state.after; }
  const pager = root.querySelector(".pager");
  const status = root.querySelector(".list-status");
  // (re)load the page of rows; after a change from a row the list reloads in place (a row may leave the filter)
  const refresh = async (note = "") => {
    let data;
    try {
      data = (await api.gql(spec.query, variables))[spec.field];
    } catch (err) {
      if (err.code === "unauthenticated") throw err;
      body.innerHTML = errorBox(err);
      return;
    }
    if (!ctx.isCurrent()) return;
    const rows = data.edges.map((e) => e.node);
    status.innerHTML = `<span data-testid="list-count">${esc(t("lists.count", { count: fmtNumber(data.totalCount) }))}</span>${note}`;
    body.innerHTML = rows.length ? tableHtml(list, rows, state, choices, users, canWrite)
      : `<p class="muted" data-testid="list-empty">${esc(t("lists.empty"))}</p>`;
    body.querySelectorAll("[data-sort]").forEach((b) => b.addEventListener("click", () => {
      const sort = b.dataset.sort;
      const dir = sort === state.sort ? (state.dir === "asc" ? "desc" : "asc") : (sort === "name" || sort === "sla_due_at" ? "asc" : "desc");
      go(viewParams(list, { ...state, sort, dir }));
    }));
    const { hasPreviousPage, hasNextPage, startCursor, endCursor } = data.pageInfo;
    pager.innerHTML = `${hasPreviousPage ? `<button type="button" data-act="prev" data-testid="page-prev">${esc(t("lists.prev"))}</button>` : ""}
      ${hasNextPage ? `<button type="button" data-act="next" data-testid="page-next">${esc(t("lists.next"))}</button>` : ""}`;
    pager.querySelector("[data-act=prev]")?.addEventListener("click", () => go({ ...current, before: startCursor }));
    pager.querySelector("[data-act=next]")?.addEventListener("click", () => go({ ...current, after: endCursor }));
  };
  await refresh();
  if (list === "tickets" && canWrite) wireQueue(body, root, status, refresh);
  if (spec.editable && canWrite) wireRecords(root, spec, status, refresh);
  root.dataset.ready = "1";
  return null;
}

/** New / Edit / Delete with the generated record form (forms.recordDialog); the list reloads in place and says
 * what happened. */
function wireRecords(root, spec, status, refresh) {
  const done = async (key, name, mark) => {
    await refresh(` · <span class="ok" data-testid="row-saved">${esc(t(key, { name }))}</span>`);
    root.dataset.lastChange = mark;
  };
  root.querySelector("[data-act=new]")?.addEventListener("click", async () => {
    const saved = await forms.attempt(() => forms.recordDialog(spec.label));
    if (saved) await done("lists.created", t(`type.${spec.label}`), `new:${saved.id}`);
  });
  root.querySelector(".list-body").addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-act=edit], button[data-act=delete]");
    if (!button) return;
    const id = button.closest("tr").dataset.id;
    const name = button.dataset.name;
    if (button.dataset.act === "edit") {
      if (await forms.attempt(() => forms.recordDialog(spec.label, { id, name }))) await done("lists.updated", name, `edit:${id}`);
    } else if (await forms.attempt(() => forms.deleteRecord(spec.label, id, name))) {
      await done("lists.deleted", name, `delete:${id}`);
    }
  });
}

/** A status change; resolving or closing stamps when (unless it was resolved already), reopening clears it,
 * so the SLA state follows. */
export function statusInput(status, wasResolved) {
  if (status === "resolved" || status === "closed") return wasResolved ? { status } : { status, resolvedAt: new Date().toISOString() };
  return { status, resolvedAt: null };
}

/** Assign and change status from the queue's rows; the list then reloads (the SLA state and the filter follow)
 * and says what changed, or shows the API's error at the row. */
function wireQueue(body, root, status, refresh) {
  body.addEventListener("change", async (event) => {
    const select = event.target.closest("select[data-act]");
    if (!select) return;
    const row = select.closest("tr");
    const msg = row.querySelector(".row-msg");
    const id = row.dataset.id;
    const subject = row.querySelector(".ticket-subject")?.textContent || "";
    select.disabled = true;
    msg.textContent = "";
    delete root.dataset.lastChange;
    try {
      const data = select.dataset.act === "assign"
        ? (await api.gql(ASSIGN, { id, assignee: select.value || null })).ticketAssign
        : (await api.gql(STATUS, { id, input: statusInput(select.value, row.dataset.resolved === "1") })).ticketUpdate;
      if (data.errors) {
        msg.innerHTML = `<span class="error" role="alert" data-testid="row-error">${esc(data.errors.map((e) => e.message).join(" "))}</span>`;
        select.disabled = false;
        return;
      }
      const what = select.dataset.act === "assign" ? "lists.assigned" : "lists.statusChanged";
      await refresh(` · <span class="ok" data-testid="row-saved">${esc(t(what, { name: subject, value: select.selectedOptions[0]?.textContent || "" }))}</span>`);
      root.dataset.lastChange = `${id}:${select.dataset.act}:${select.value}`;
    } catch (err) {
      msg.innerHTML = `<span class="error" role="alert">${esc(errorMessage(err))}</span>`;
      select.disabled = false;
    }
  });
}
