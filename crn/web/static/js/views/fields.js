// Custom fields (admins): the fields added to each record type, a form to add one, and remove / restore /
// purge (with confirmation) and each field's history. Forms, lists, imports and exports pick them up at once.
import * as api from "../api.js";
import { t, language, fmtDate } from "../i18n.js";
import { esc, errorBox } from "../ui.js";
import { confirmDialog } from "../forms.js";

export const name = "fields";

const TYPES = ["Company", "Person", "Deal", "Ticket", "Interaction", "Product", "Order"];
const KINDS = ["text", "number", "money", "date", "boolean", "choice", "multi_choice"];
const DEFS = `query CustomFields($type: String) { customFieldDefinitions(recordType: $type, includeRemoved: true) {
  recordType name kind captionEn captionZh required unique indexed currency status version options { value labelEn labelZh } } }`;
const HISTORY = `query CustomFieldHistory($type: String!, $name: String!) { customFieldHistory(recordType: $type, name: $name) {
  version change at by captionEn captionZh status } }`;
const RESULT = `__typename ... on CustomFieldSuccess { purged field { name status } } ... on CustomFieldError { errors { code message field } }`;
const DEFINE = `mutation CustomFieldDefine($input: CustomFieldInput!) { customFieldDefine(input: $input) { ${RESULT} } }`;
const ACT = {
  remove: `mutation CustomFieldRemove($type: String!, $name: String!) { customFieldRemove(recordType: $type, name: $name) { ${RESULT} } }`,
  restore: `mutation CustomFieldRestore($type: String!, $name: String!) { customFieldRestore(recordType: $type, name: $name) { ${RESULT} } }`,
  purge: `mutation CustomFieldPurge($type: String!, $name: String!) { customFieldPurge(recordType: $type, name: $name) { ${RESULT} } }`,
};

function caption(f) { return language() === "zh" ? f.captionZh : f.captionEn; }

function rowHtml(f) {
  const flags = ["required", "unique", "indexed"].filter((k) => f[k]).map((k) => t(`fields.${k}`)).join(" · ");
  const options = f.options.length ? `<span class="muted">${f.options.map((o) => esc(language() === "zh" ? o.labelZh : o.labelEn)).join(", ")}</span>` : "";
  const actions = f.status === "active"
    ? `<button type="button" data-act="remove" data-testid="field-remove">${t("fields.remove")}</button>`
    : `<button type="button" data-act="restore" data-testid="field-restore">${t("fields.restore")}</button>
       <button type="button" class="danger" data-act="purge" data-testid="field-purge">${t("fields.purge")}</button>`;
  return `<tr data-field="${esc(f.name)}" data-status="${esc(f.status)}" data-testid="field-row">
    <td><strong>${esc(caption(f))}</strong><br><code>${esc(f.name)}</code></td>
    <td>${t(`fields.kind.${f.kind}`)}${f.currency ? ` (${esc(f.currency)})` : ""}<br>${options}</td>
    <td>${flags}</td>
    <td>${f.status === "active" ? t("fields.active") : `<span class="badge">${t("fields.removed")}</span>`} v${f.version}</td>
    <td class="row-actions">${actions}
      <button type="button" data-act="history" data-testid="field-history">${t("fields.history")}</button></td></tr>`;
}

function formHtml(type) {
  return `<form class="task-form" data-testid="field-form" novalidate>
    <input type="hidden" name="recordType" value="${esc(type)}">
    <label>${t("fields.captionEn")} <input name="captionEn" data-testid="field-caption-en" required></label>
    <span class="field-error" data-error-for="captionEn" role="alert"></span>
    <label>${t("fields.captionZh")} <input name="captionZh" data-testid="field-caption-zh"></label>
    <label>${t("fields.name")} <input name="name" data-testid="field-name" placeholder="${t("fields.nameHint")}"></label>
    <span class="field-error" data-error-for="name" role="alert"></span>
    <label>${t("fields.kind")} <select name="kind" data-testid="field-kind">${KINDS.map((k) =>
      `<option value="${k}">${t(`fields.kind.${k}`)}</option>`).join("")}</select></label>
    <span class="field-error" data-error-for="kind" role="alert"></span>
    <label>${t("fields.options")} <textarea name="options" rows="3" data-testid="field-options" placeholder="${t("fields.optionsHint")}"></textarea></label>
    <span class="field-error" data-error-for="options" role="alert"></span>
    <label>${t("fields.currency")} <input name="currency" maxlength="3" data-testid="field-currency" placeholder="CNY"></label>
    <span class="field-error" data-error-for="currency" role="alert"></span>
    <fieldset class="checks"><label><input type="checkbox" name="required" data-testid="field-required"> ${t("fields.required")}</label>
      <label><input type="checkbox" name="unique" data-testid="field-unique"> ${t("fields.unique")}</label>
      <label><input type="checkbox" name="indexed" data-testid="field-indexed"> ${t("fields.indexed")}</label></fieldset>
    <span class="field-error" data-error-for="unique" role="alert"></span>
    <span class="field-error" data-error-for="form" role="alert"></span>
    <button type="submit" data-testid="field-save">${t("fields.add")}</button></form>`;
}

/** "value | English | 中文" per line -> options. */
function parseOptions(text) {
  return text.split("\n").map((line) => line.split("|").map((part) => part.trim())).filter((parts) => parts[0])
    .map(([value, en, zh]) => ({ value, en: en || null, zh: zh || null }));
}

function showErrors(form, errors) {
  for (const e of errors) {
    const target = form.querySelector(`[data-error-for="${e.field}"]`) || form.querySelector('[data-error-for="form"]');
    target.textContent = e.message;
  }
}

/** Render the custom fields page for one record type (?type=Deal). */
export async function render(root, _params, query, ctx) {
  const type = TYPES.includes(query.get("type")) ? query.get("type") : "Company";
  if (ctx.user?.role !== "admin") {
    root.innerHTML = `<div class="home"><h1>${t("fields.title")}</h1><p class="muted" data-testid="fields-admin-only">${t("fields.adminOnly")}</p></div>`;
    root.dataset.ready = "1";
    return;
  }
  root.innerHTML = `<div class="home"><h1>${t("fields.title")}</h1>
    <nav class="tabs" aria-label="${t("fields.recordType")}">${TYPES.map((k) =>
      `<a href="#/admin/fields?type=${k}" ${k === type ? 'aria-current="page"' : ""} data-testid="fields-type-${k}">${t(`type.${k}`)}</a>`).join("")}</nav>
    <p class="muted">${t("fields.intro")}</p>
    <section class="card"><h2>${t("fields.existing")}</h2><div data-testid="fields-list"><div class="loading" aria-busy="true">…</div></div></section>
    <section class="card"><h2>${t("fields.add")}</h2>${formHtml(type)}</section>
    <section class="card" data-testid="field-history-panel" hidden><h2>${t("fields.history")}</h2><div class="history-body"></div></section></div>`;
  const list = root.querySelector("[data-testid=fields-list]");
  async function load() {
    const defs = (await api.gql(DEFS, { type })).customFieldDefinitions;
    list.innerHTML = defs.length ? `<table class="data-table"><thead><tr><th>${t("fields.field")}</th><th>${t("fields.kind")}</th>
      <th>${t("fields.flags")}</th><th>${t("fields.status")}</th><th></th></tr></thead><tbody>${defs.map(rowHtml).join("")}</tbody></table>`
      : `<p class="muted" data-testid="fields-empty">${t("fields.none")}</p>`;
  }
  list.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-act]");
    if (!button) return;
    const fieldName = button.closest("tr").dataset.field;
    const act = button.dataset.act;
    if (act === "history") {
      const rows = (await api.gql(HISTORY, { type, name: fieldName })).customFieldHistory;
      const panel = root.querySelector("[data-testid=field-history-panel]");
      panel.hidden = false;
      panel.querySelector(".history-body").innerHTML = `<ol class="list" data-testid="field-history-list">${rows.map((r) =>
        `<li>v${r.version} · ${t(`fields.change.${r.change}`)} · ${fmtDate(r.at)} · ${esc(r.by || "")}</li>`).join("")}</ol>`;
      return;
    }
    if (act === "purge" && !(await confirmDialog({ title: t("fields.purge"), message: esc(t("fields.purgeConfirm", { name: fieldName })),
      confirmLabel: t("fields.purge") }))) return;
    if (act === "remove" && !(await confirmDialog({ title: t("fields.remove"), message: esc(t("fields.removeConfirm", { name: fieldName })),
      confirmLabel: t("fields.remove") }))) return;
    try {
      const result = Object.values(await api.gql(ACT[act], { type, name: fieldName }))[0];
      if (result.__typename === "CustomFieldError") list.insertAdjacentHTML("afterbegin", `<p class="field-error" role="alert">${esc(result.errors[0].message)}</p>`);
      await load();
    } catch (err) {
      list.innerHTML = errorBox(err);
    }
  });
  const form = root.querySelector("[data-testid=field-form]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    form.querySelectorAll(".field-error").forEach((n) => { n.textContent = ""; });
    const el = form.elements;
    const input = { recordType: type, kind: el.kind.value, captionEn: el.captionEn.value, captionZh: el.captionZh.value || null,
      name: el.name.value || null, required: el.required.checked, unique: el.unique.checked, indexed: el.indexed.checked,
      options: el.options.value.trim() ? parseOptions(el.options.value) : null, currency: el.currency.value || null };
    try {
      const result = (await api.gql(DEFINE, { input })).customFieldDefine;
      if (result.__typename === "CustomFieldError") { showErrors(form, result.errors); return; }
      form.reset();
      await load();
    } catch (err) {
      form.querySelector('[data-error-for="form"]').innerHTML = errorBox(err);
    }
  });
  try { await load(); } catch (err) { list.innerHTML = errorBox(err); }
  root.dataset.ready = "1";
}
