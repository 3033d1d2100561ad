// Create/edit/delete dialogs and link forms, built from the model's declaration (the API's recordForm/linkForm):
// no field list lives here, only how each kind of field (str, int, float, bool, date, datetime, strs, json) is
// typed and read. Validation is the API's: its errors are shown at their field.
import * as api from "./api.js";
import { language, t } from "./i18n.js";
import { esc, errorMessage } from "./ui.js";

const FORM_QUERY = `query RecordForm($type: RecordType!, $id: ID) { recordForm(type: $type, id: $id) { type id
  fields { name key kind custom required default value labelEn labelZh choices { value labelEn labelZh } } } }`;
const LINK_FORM_QUERY = `query LinkForm($type: RelationshipKind!) { linkForm(type: $type) {
  name key kind required default value labelEn labelZh choices { value labelEn labelZh } } }`;
const PICK_QUERY = `query Pick($text: String!, $types: [SearchType!]) { search(text: $text, types: $types, first: 8) { id type name detail } }`;
const LINK_MUTATION = `mutation Link($input: LinkInput!) { link(input: $input) { __typename
  ... on LinkError { errors { code message field } } } }`;

/** Record types with forms: label -> [GraphQL noun, RecordType value, app route (or null)]. */
export const RECORD_TYPES = {
  Company: ["company", "COMPANY", "company"], Person: ["person", "PERSON", "person"],
  Deal: ["deal", "DEAL", "deal"], Ticket: ["ticket", "TICKET", null],
  // workspace2: interactions (edited from the timelines), products and orders (their list pages)
  Interaction: ["interaction", "INTERACTION", null], Product: ["product", "PRODUCT", null], Order: ["order", "ORDER", null],
};

/** What the header's "+ New" menu offers (an interaction is logged from a record, with its participants). */
export const NEW_MENU = ["Company", "Person", "Deal", "Ticket", "Product", "Order"];

/** Lists that show a record type without a view of its own: where to go after creating one. */
const LIST_ROUTES = { Product: "#/products", Order: "#/orders" };

let dialogSeq = 0;

/** A label in the current language from a declaration's {labelEn, labelZh}. */
export function labelOf(item) {
  return language() === "zh" ? item.labelZh : item.labelEn;
}

/** The form field an API error belongs to: "properties.since" -> "since", "emails[0]" -> "emails",
 * "annual_revenue" -> "annualRevenue" (the API answers camelCase; link properties may come snake_case). */
export function errorField(field) {
  if (!field) return null;
  const bare = String(field).replace(/^properties\./, "").replace(/\[\d+\]$/, "");
  return bare.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
}

// ---- dialogs ---------------------------------------------------------------------------------------------

/** A modal <dialog> (Escape closes it; focus moves into it); resolves `closed` when it closes and is removed. */
export function openDialog({ title, body, testid = "dialog", wide = false }) {
  const dialog = document.createElement("dialog");
  const titleId = `dlg-title-${++dialogSeq}`;
  dialog.className = `modal${wide ? " wide" : ""}`;
  dialog.setAttribute("data-testid", testid);
  dialog.setAttribute("aria-labelledby", titleId);
  dialog.innerHTML = `<div class="modal-head"><h2 id="${titleId}">${esc(title)}</h2>
    <button type="button" class="icon" data-act="close" aria-label="${esc(t("forms.close"))}">×</button></div>
    <div class="modal-body">${body}</div>`;
  document.body.appendChild(dialog);
  const closed = new Promise((resolve) => dialog.addEventListener("close", () => { dialog.remove(); resolve(dialog.returnValue); }));
  dialog.querySelector("[data-act=close]").addEventListener("click", () => dialog.close("cancel"));
  dialog.showModal();
  dialog.querySelector("input:not([type=hidden]), select, textarea, button:not(.icon)")?.focus();
  return { dialog, closed, close: (value = "done") => dialog.close(value) };
}

/** Ask before a destructive action; resolves true when confirmed. */
export function confirmDialog({ title, message, confirmLabel, testid = "confirm-dialog" }) {
  const { dialog, closed } = openDialog({
    title, testid,
    body: `<p class="confirm-message">${message}</p><div class="form-actions">
      <button type="button" data-act="cancel" data-testid="confirm-cancel">${esc(t("forms.cancel"))}</button>
      <button type="button" class="danger" data-act="confirm" data-testid="confirm-ok">${esc(confirmLabel)}</button></div>`,
  });
  dialog.querySelector("[data-act=cancel]").addEventListener("click", () => dialog.close("cancel"));
  dialog.querySelector("[data-act=confirm]").addEventListener("click", () => dialog.close("confirm"));
  dialog.querySelector("[data-act=cancel]").focus();
  return closed.then((value) => value === "confirm");
}

// ---- fields ----------------------------------------------------------------------------------------------

function pad(n) { return String(n).padStart(2, "0"); }

/** An ISO date-time as the value of a datetime-local input, in the browser's time zone. */
function localInput(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function inputHtml(f, value) {
  const id = `f-${f.name}-${dialogSeq}`;
  const common = `id="${id}" name="${esc(f.name)}" data-testid="field-${esc(f.name)}" aria-describedby="${id}-err"${f.required ? " required aria-required=\"true\"" : ""}`;
  let control;
  if (f.choices?.length && f.kind === "strs") {  // multiple choice
    const chosen = new Set(value || []);
    control = `<select multiple ${common}>${f.choices.map((c) => `<option value="${esc(c.value)}"${chosen.has(c.value) ? " selected" : ""}>${esc(labelOf(c))}</option>`).join("")}</select>`;
  } else if (f.choices?.length) {
    const blank = f.required && value != null ? "" : `<option value=""></option>`;
    control = `<select ${common}>${blank}${f.choices.map((c) => `<option value="${esc(c.value)}"${c.value === value ? " selected" : ""}>${esc(labelOf(c))}</option>`).join("")}</select>`;
  } else if (f.kind === "bool") {
    control = `<input type="checkbox" ${common}${value ? " checked" : ""}>`;
  } else if (f.kind === "int" || f.kind === "float" || f.kind === "money") {
    control = `<input type="number" inputmode="decimal" step="${f.kind === "int" ? "1" : "any"}" ${common} value="${value ?? ""}">`;
  } else if (f.kind === "date") {
    control = `<input type="date" ${common} value="${esc(value ? String(value).slice(0, 10) : "")}">`;
  } else if (f.kind === "datetime") {
    control = `<input type="datetime-local" ${common} value="${esc(value ? localInput(value) : "")}">`;
  } else if (f.kind === "strs") {
    control = `<input type="text" ${common} value="${esc((value || []).join(", "))}" placeholder="${esc(t("forms.commaSeparated"))}">`;
  } else if (f.kind === "json") {
    const text = value == null ? "" : (typeof value === "string" ? value : JSON.stringify(value));
    control = `<textarea rows="3" ${common}>${esc(text)}</textarea>`;
  } else {
    control = `<input type="text" ${common} value="${esc(value ?? "")}">`;
  }
  return `<div class="form-field kind-${esc(f.kind)}" data-field="${esc(f.name)}">
    <label for="${id}">${esc(labelOf(f))}${f.required ? ` <span class="req" aria-hidden="true">*</span>` : ""}</label>
    ${control}<div class="field-error" id="${id}-err" data-testid="error-${esc(f.name)}" role="alert" hidden></div></div>`;
}

/** The inputs of `fields` (from recordForm/linkForm); values from `values` by name, else each field's value or default. */
export function fieldsHtml(fields, values = {}) {
  return fields.map((f) => inputHtml(f, f.name in values ? values[f.name] : (f.value ?? f.default))).join("");
}

class FieldProblem extends Error {
  constructor(field, message) { super(message); this.field = field; }
}

function readOne(f, el) {
  if (f.kind === "bool") return el.checked;
  if (el.multiple) return [...el.selectedOptions].map((o) => o.value);
  const raw = el.value.trim();
  if (el.validity?.badInput) throw new FieldProblem(f.name, t("forms.notANumber"));
  if (raw === "") return null;
  if (f.choices?.length) return raw;
  switch (f.kind) {
    case "int": case "float": case "money": {
      const n = Number(raw);
      if (Number.isNaN(n)) throw new FieldProblem(f.name, t("forms.notANumber"));
      return n;
    }
    case "datetime": return new Date(raw).toISOString();
    case "strs": return raw.split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
    case "json":
      try { return JSON.parse(raw); } catch { throw new FieldProblem(f.name, t("forms.notJson")); }
    default: return raw;
  }
}

/** Read `fields` from a form: {name: value} (null for empty); throws a list of FieldProblems for unreadable input. */
export function readFields(form, fields) {
  const out = {};
  const problems = [];
  for (const f of fields) {
    const el = form.querySelector(`[data-field="${f.name}"] [name="${f.name}"]`);
    if (!el) continue;
    try { out[f.name] = readOne(f, el); } catch (err) { if (err instanceof FieldProblem) problems.push(err); else throw err; }
  }
  if (problems.length) throw problems;
  return out;
}

/** A mutation input from read values: custom fields (recordForm's `custom`) go in `input.custom` by key. */
export function inputOf(fields, values) {
  const input = {};
  const custom = {};
  for (const [name, value] of Object.entries(values)) {
    const f = fields.find((x) => x.name === name);
    if (f?.custom) custom[f.key] = value; else input[name] = value;
  }
  if (Object.keys(custom).length) input.custom = custom;
  return input;
}

/** Clear the errors shown in a form. */
export function clearErrors(form) {
  form.querySelectorAll(".field-error").forEach((el) => { el.hidden = true; el.textContent = ""; });
  form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  const general = form.querySelector(".form-error");
  if (general) { general.hidden = true; general.textContent = ""; }
}

/** Show errors ({field, message, code}) at their fields (others in the form's general error box); focus the first. */
export function showErrors(form, errors) {
  clearErrors(form);
  const general = [];
  let first = null;
  for (const e of errors) {
    const name = errorField(e.field);
    const box = name && form.querySelector(`[data-field="${name}"]`);
    if (!box) { general.push(e.message); continue; }
    const err = box.querySelector(".field-error");
    err.textContent = err.textContent ? `${err.textContent} ${e.message}` : e.message;
    err.hidden = false;
    const input = box.querySelector("input, select, textarea");
    input?.setAttribute("aria-invalid", "true");
    first = first || input;
  }
  const box = form.querySelector(".form-error");
  if (general.length && box) { box.textContent = general.join(" "); box.hidden = false; }
  (first || box)?.focus?.();
}

// ---- pickers ---------------------------------------------------------------------------------------------

/** A search-as-you-type picker over the `search` query (types: ["COMPANY"] or ["PERSON"]); `suggestions`
 * ({id, name, detail}) are listed while the box is empty; `onPick(item)` runs when the user picks one. Returns {value: () => {id, name} | null, set}. */
export function picker(host, { name, types, label, suggestions = [], value = null, required = false, onPick = null }) {
  const id = `pick-${name}-${++dialogSeq}`;
  host.innerHTML = `<div class="form-field picker" data-field="${esc(name)}">
    <label for="${id}">${esc(label)}${required ? ` <span class="req" aria-hidden="true">*</span>` : ""}</label>
    <input type="text" id="${id}" role="combobox" aria-expanded="false" aria-autocomplete="list" aria-controls="${id}-list"
      autocomplete="off" data-testid="picker-${esc(name)}" placeholder="${esc(t("forms.typeToSearch"))}">
    <ul class="picker-results" id="${id}-list" role="listbox" hidden></ul>
    <div class="field-error" data-testid="error-${esc(name)}" role="alert" hidden></div></div>`;
  const input = host.querySelector("input");
  const list = host.querySelector("ul");
  let chosen = null;
  let seq = 0;
  let timer = null;
  let active = -1;
  const set = (item) => {
    clearTimeout(timer);  // a search still pending must not reopen the list over the choice
    seq += 1;
    chosen = item;
    input.value = item ? item.name : "";
    input.dataset.id = item ? item.id : "";
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
  };
  const show = (items) => {
    list.innerHTML = items.length ? items.map((r, i) => `<li role="option" id="${id}-o${i}" data-i="${i}" data-testid="picker-option">
      <span class="name">${esc(r.name)}</span> <span class="muted small">${esc(r.detail || "")}</span></li>`).join("")
      : `<li class="muted">${esc(t("search.none"))}</li>`;
    list.items = items;
    list.hidden = false;
    active = -1;
    input.setAttribute("aria-expanded", "true");
  };
  const highlight = (i) => {
    const options = [...list.querySelectorAll("li[data-i]")];
    active = Math.max(0, Math.min(i, options.length - 1));
    options.forEach((li, j) => li.classList.toggle("active", j === active));
    if (options[active]) input.setAttribute("aria-activedescendant", options[active].id);
  };
  input.addEventListener("focus", () => { if (!input.value.trim() && suggestions.length) show(suggestions); });
  input.addEventListener("input", () => {
    chosen = null;
    input.dataset.id = "";
    clearTimeout(timer);
    const text = input.value.trim();
    if (!text) { if (suggestions.length) show(suggestions); else list.hidden = true; return; }
    timer = setTimeout(async () => {
      const mine = ++seq;
      try {
        const hits = (await api.gql(PICK_QUERY, { text, types })).search;
        const local = suggestions.filter((s) => s.name.toLowerCase().includes(text.toLowerCase()));
        const merged = [...local, ...hits.filter((h) => !local.some((s) => s.id === h.id))];
        if (mine === seq) show(merged);
      } catch (err) {
        if (mine === seq) { list.innerHTML = `<li class="error">${esc(errorMessage(err))}</li>`; list.hidden = false; }
      }
    }, 150);
  });
  input.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown") { highlight(active + 1); event.preventDefault(); }
    if (event.key === "ArrowUp") { highlight(active - 1); event.preventDefault(); }
    if (event.key === "Enter" && list.items?.length) { set(list.items[Math.max(active, 0)]); event.preventDefault(); onPick?.(chosen); }
    if (event.key === "Escape") { list.hidden = true; event.stopPropagation(); event.preventDefault(); }
  });
  list.addEventListener("mousedown", (event) => event.preventDefault());  // keep focus in the box
  list.addEventListener("click", (event) => {
    const li = event.target.closest("li[data-i]");
    if (li) { set(list.items[Number(li.dataset.i)]); onPick?.(chosen); }
  });
  input.addEventListener("blur", () => { list.hidden = true; input.setAttribute("aria-expanded", "false"); });
  if (value) set(value);
  return { value: () => chosen, set };
}

// ---- record forms ----------------------------------------------------------------------------------------

function mutationFor(label, verb) {
  const noun = RECORD_TYPES[label][0];
  const args = verb === "Create" ? "$input: " + label + "Input!" : "$id: ID!, $input: " + label + "Input!";
  const pass = verb === "Create" ? "input: $input" : "id: $id, input: $input";
  return `mutation ${label}${verb}(${args}) { ${noun}${verb}(${pass}) { __typename
    ... on ${label}${verb}Success { ${noun} { id } }
    ... on ${label}${verb}Error { errors { code message field } } } }`;
}

/** Run a link mutation; resolves to [] or the API's errors. */
export async function link(type, fromId, toId, properties = null) {
  const result = (await api.gql(LINK_MUTATION, { input: { type, fromId, toId, properties } })).link;
  return result.errors || [];
}

function formShell(inner, submitLabel) {
  return `<form class="record-form" novalidate>
    <div class="form-error error" role="alert" data-testid="form-error" tabindex="-1" hidden></div>
    ${inner}
    <div class="form-actions"><button type="button" data-act="cancel">${esc(t("forms.cancel"))}</button>
      <button type="submit" class="primary" data-testid="form-save">${esc(submitLabel)}</button></div></form>`;
}

/** Show client-side problems or an ApiError in a form; returns nothing. */
function showFailure(form, err) {
  if (Array.isArray(err)) { showErrors(form, err.map((p) => ({ field: p.field, message: p.message }))); return; }
  if (err?.code === "unauthenticated") window.dispatchEvent(new CustomEvent("crn:unauthenticated"));
  showErrors(form, [{ field: null, message: errorMessage(err) }]);
}

/** The link that ties a new record to the company picked in its create form (an order: the company that bought). */
const COMPANY_LINKS = { Deal: "DEAL_COMPANY", Ticket: "TICKET_COMPANY", Order: "ORDER_BUYER" };

/** The create (no `id`) or edit dialog of a record, built from recordForm. Deals and tickets pick their company.
 * Resolves to the record's id once saved, or null when cancelled. */
export async function recordDialog(label, { id = null, name = "", company = null } = {}) {
  const [noun, typeValue] = RECORD_TYPES[label];
  const form = (await api.gql(FORM_QUERY, { type: typeValue, id })).recordForm;
  if (!form) throw new api.ApiError("notFound", "not found");
  const fields = form.fields;
  const pickCompany = !id && Boolean(COMPANY_LINKS[label]);
  const title = id ? t("forms.editTitle", { name }) : t(`forms.new.${label}`);
  const { dialog, closed, close } = openDialog({
    title, testid: `form-${noun}`, wide: true,
    body: formShell(`${pickCompany ? `<div class="company-pick"></div>` : ""}<div class="form-grid">${fieldsHtml(fields)}</div>`,
      t(id ? "forms.save" : "forms.create")),
  });
  const el = dialog.querySelector("form");
  el.querySelector("[data-act=cancel]").addEventListener("click", () => close("cancel"));
  const companyPicker = pickCompany ? picker(el.querySelector(".company-pick"), { name: "company", types: ["COMPANY"],
    label: t("field.company"), value: company, required: true }) : null;
  (el.querySelector(".company-pick input") || el.querySelector("input, select, textarea"))?.focus();
  let before = null;
  try { before = readFields(el, fields); } catch { before = {}; }
  let savedId = id;
  el.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = el.querySelector("[type=submit]");
    button.disabled = true;
    try {
      let values = readFields(el, fields);
      if (companyPicker && !companyPicker.value()) {
        showErrors(el, [{ field: "company", message: t("forms.pickCompany") }]);
        return;
      }
      if (savedId) {
        values = Object.fromEntries(Object.entries(values).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k])));
        if (!id) values = {};  // created already; only the company link is left to do
      } else {
        values = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null));
      }
      if (!savedId || Object.keys(values).length) {
        const data = await api.gql(mutationFor(label, savedId ? "Update" : "Create"), savedId ? { id: savedId, input: inputOf(fields, values) } : { input: inputOf(fields, values) });
        const result = data[`${noun}${savedId ? "Update" : "Create"}`];
        if (result.errors) { showErrors(el, result.errors); return; }
        savedId = result[noun].id;
      }
      if (companyPicker) {
        const errors = await link(COMPANY_LINKS[label], savedId, companyPicker.value().id);
        if (errors.length) { showErrors(el, errors.map((e) => ({ ...e, field: e.field === "toId" ? "company" : e.field }))); return; }
      }
      close("saved");
    } catch (err) {
      showFailure(el, err);
    } finally {
      button.disabled = false;
    }
  });
  const outcome = await closed;
  return outcome === "saved" ? { id: savedId, company: companyPicker?.value() || null } : (savedId && !id ? { id: savedId, company: null } : null);
}

/** Delete a record after confirmation; when the API refuses (e.g. `has_history`), show its message and offer
 * `force`. Resolves true once deleted. */
export async function deleteRecord(label, id, name) {
  const [noun] = RECORD_TYPES[label];
  const ok = await confirmDialog({ title: t("forms.deleteTitle", { name }), message: esc(t("forms.deleteMessage", { name })),
    confirmLabel: t("forms.delete") });
  if (!ok) return false;
  const run = async (force) => (await api.gql(`mutation ${label}Delete($id: ID!, $force: Boolean!) { ${noun}Delete(id: $id, force: $force) {
    __typename ... on ${label}DeleteError { errors { code message field } } } }`, { id, force }))[`${noun}Delete`];
  let result = await run(false);
  if (result.errors?.some((e) => e.code === "has_history")) {
    const message = result.errors.map((e) => esc(e.message)).join("<br>");
    const force = await confirmDialog({ title: t("forms.refusedTitle"), testid: "force-dialog",
      message: `<span data-testid="api-refusal">${message}</span><br><br>${esc(t("forms.forceExplain"))}`,
      confirmLabel: t("forms.forceDelete") });
    if (!force) return false;
    result = await run(true);
  }
  if (result.errors) {
    await confirmDialog({ title: t("forms.refusedTitle"), message: result.errors.map((e) => esc(e.message)).join("<br>"),
      confirmLabel: t("forms.close") });
    return false;
  }
  return true;
}

// ---- links -----------------------------------------------------------------------------------------------

/** "Add person" to a company: an existing person (picker) or a new one (the Person form's required fields and
 * email), with the employment's properties from linkForm(EMPLOYMENT). Resolves to the person's id, or null. */
export async function addPersonDialog(company) {
  const [personForm, employment] = await Promise.all([
    api.gql(FORM_QUERY, { type: "PERSON", id: null }).then((d) => d.recordForm.fields),
    api.gql(LINK_FORM_QUERY, { type: "EMPLOYMENT" }).then((d) => d.linkForm),
  ]);
  const newFields = personForm.filter((f) => f.required || f.key === "email");
  const { dialog, closed, close } = openDialog({
    title: t("forms.addPersonTitle", { name: company.name }), testid: "form-add-person", wide: true,
    body: formShell(`<fieldset class="mode"><legend class="sr-only">${esc(t("forms.addPersonTitle", { name: company.name }))}</legend>
      <label><input type="radio" name="mode" value="existing" checked data-testid="mode-existing"> ${esc(t("forms.existingPerson"))}</label>
      <label><input type="radio" name="mode" value="new" data-testid="mode-new"> ${esc(t("forms.newPerson"))}</label></fieldset>
      <div class="mode-existing"></div><div class="mode-new form-grid" hidden>${fieldsHtml(newFields)}</div>
      <h3>${esc(t("forms.employment"))}</h3><div class="form-grid employment">${fieldsHtml(employment)}</div>`, t("forms.add")),
  });
  const el = dialog.querySelector("form");
  el.querySelector("[data-act=cancel]").addEventListener("click", () => close("cancel"));
  const who = picker(el.querySelector(".mode-existing"), { name: "person", types: ["PERSON"], label: t("type.Person"), required: true });
  const mode = () => el.querySelector("[name=mode]:checked").value;
  el.querySelectorAll("[name=mode]").forEach((r) => r.addEventListener("change", () => {
    el.querySelector(".mode-existing").hidden = mode() !== "existing";
    el.querySelector(".mode-new").hidden = mode() !== "new";
    clearErrors(el);
  }));
  let personId = null;
  el.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = el.querySelector("[type=submit]");
    button.disabled = true;
    try {
      const props = readFields(el.querySelector(".employment"), employment);
      const properties = Object.fromEntries(Object.entries(props).filter(([, v]) => v !== null).map(([k, v]) => [employment.find((f) => f.name === k).key, v]));
      if (mode() === "existing") {
        if (!who.value()) { showErrors(el, [{ field: "person", message: t("forms.pickPerson") }]); return; }
        personId = who.value().id;
      } else if (!personId) {
        const values = Object.fromEntries(Object.entries(readFields(el.querySelector(".mode-new"), newFields)).filter(([, v]) => v !== null));
        const result = (await api.gql(mutationFor("Person", "Create"), { input: inputOf(newFields, values) })).personCreate;
        if (result.errors) { showErrors(el, result.errors); return; }
        personId = result.person.id;
      }
      const errors = await link("EMPLOYMENT", personId, company.id, properties);
      if (errors.length) { showErrors(el, errors); return; }
      close("saved");
    } catch (err) {
      showFailure(el, err);
    } finally {
      button.disabled = false;
    }
  });
  return (await closed) === "saved" ? personId : null;
}

/** Declare a committee role on a deal: a person (picker; `suggestions` are the account's people) and a role from
 * linkForm(COMMITTEE). Resolves true once declared. */
export async function declareRoleDialog(deal, { person = null, role = null, suggestions = [] } = {}) {
  const roleField = (await api.gql(LINK_FORM_QUERY, { type: "COMMITTEE" })).linkForm.filter((f) => f.key === "role")
    .map((f) => ({ ...f, required: true }));
  const { dialog, closed, close } = openDialog({
    title: t("forms.declareTitle", { name: deal.name }), testid: "form-declare-role",
    body: formShell(`<div class="who"></div>${fieldsHtml(roleField, { role })}`, t("forms.declare")),
  });
  const el = dialog.querySelector("form");
  el.querySelector("[data-act=cancel]").addEventListener("click", () => close("cancel"));
  const who = picker(el.querySelector(".who"), { name: "person", types: ["PERSON"], label: t("type.Person"), suggestions,
    value: person, required: true });
  el.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = el.querySelector("[type=submit]");
    button.disabled = true;
    try {
      const { role: chosen } = readFields(el, roleField);
      if (!who.value()) { showErrors(el, [{ field: "person", message: t("forms.pickPerson") }]); return; }
      const errors = await link("COMMITTEE", who.value().id, deal.id, { role: chosen, declared: true, confidence: 1.0 });
      if (errors.length) { showErrors(el, errors.map((e) => ({ ...e, field: e.field === "fromId" ? "person" : e.field }))); return; }
      close("saved");
    } catch (err) {
      showFailure(el, err);
    } finally {
      button.disabled = false;
    }
  });
  return (await closed) === "saved";
}

/** Confirm an inferred committee member: declare the role the inference gave. Resolves to [] or errors. */
export function confirmMember(deal, personId, role) {
  return link("COMMITTEE", personId, deal.id, { role, declared: true, confidence: 1.0 });
}

/** Edit/Delete buttons for a record's view head (wire them with wireRecordActions). */
export function recordActions(extra = "") {
  return `<div class="record-actions">${extra}
    <button type="button" data-act="edit-record" data-testid="edit-record" disabled>${esc(t("forms.edit"))}</button>
    <button type="button" class="danger" data-act="delete-record" data-testid="delete-record" disabled>${esc(t("forms.delete"))}</button></div>`;
}

/** Enable the record actions once the view knows its record (they start disabled). */
export function recordLoaded(root) {
  root.querySelectorAll(".record-actions button[disabled]").forEach((b) => { b.disabled = false; });
}

/** Tell the user an action could not start (e.g. the form could not be loaded). */
function report(err) {
  if (err?.code === "unauthenticated") { window.dispatchEvent(new CustomEvent("crn:unauthenticated")); return; }
  console.error(err);
  confirmDialog({ title: t("forms.refusedTitle"), message: esc(errorMessage(err)), confirmLabel: t("forms.close") });
}

/** Run a dialog-opening action, reporting a failure to start it. */
export async function attempt(action) {
  try { return await action(); } catch (err) { report(err); return null; }
}

/** Wire Edit/Delete: `record()` gives {id, name} (null until loaded); `onSaved` refreshes, `onDeleted` leaves. */
export function wireRecordActions(root, label, record, { onSaved, onDeleted }) {
  root.querySelector("[data-act=edit-record]")?.addEventListener("click", async () => {
    const r = record();
    if (!r) return;
    try {
      if (await recordDialog(label, { id: r.id, name: r.name })) onSaved();
    } catch (err) { report(err); }
  });
  root.querySelector("[data-act=delete-record]")?.addEventListener("click", async () => {
    const r = record();
    try {
      if (r && await deleteRecord(label, r.id, r.name)) onDeleted(r);
    } catch (err) { report(err); }
  });
}

/** Where to go after creating a record: its view, or (a ticket) its company's account view. */
export function hrefAfterCreate(label, saved) {
  const route = RECORD_TYPES[label][2];
  if (route) return `#/${route}/${encodeURIComponent(saved.id)}`;
  if (LIST_ROUTES[label]) return LIST_ROUTES[label];
  return saved.company ? `#/company/${encodeURIComponent(saved.company.id)}` : null;
}
