// Links made from the canvases (slice "canvas"): a generic dialog for one link kind (its properties from the API's
// linkForm, either end fixed or picked) and the reporting-line change behind the org chart's drag and drop.
// Every change is the GraphQL `link`/`unlink` mutation, so validation, history and events apply.
import * as api from "./api.js";
import { t } from "./i18n.js";
import { esc, errorMessage } from "./ui.js";
import { openDialog, fieldsHtml, readFields, showErrors, picker, link } from "./forms.js";

const LINK_FORM_QUERY = `query LinkForm($type: RelationshipKind!) { linkForm(type: $type) {
  name key kind required default value labelEn labelZh choices { value labelEn labelZh } } }`;
const UNLINK_MUTATION = `mutation Unlink($input: UnlinkInput!) { unlink(input: $input) { __typename
  ... on UnlinkError { errors { code message field } } } }`;

/** Remove a link; resolves to [] or the API's errors. */
export async function unlink(type, fromId, toId) {
  const result = (await api.gql(UNLINK_MUTATION, { input: { type, fromId, toId } })).unlink;
  return result.errors || [];
}

function endHtml(end, name) {
  return end.fixed ? `<p class="link-end" data-testid="link-${name}">${esc(end.label)}: <strong>${esc(end.fixed.name)}</strong></p>`
    : `<div class="link-pick-${name}"></div>`;
}

/**
 * A dialog creating one link of kind `type` (RelationshipKind): `from` and `to` are {fixed: {id, name}, label} or
 * {types: ["PERSON"|"USER"|"COMPANY"], label, suggestions}; the link's properties come from linkForm(type) minus
 * `omit`. API errors show at their field (fromId/toId at the pickers). Resolves to {from, to} once linked, else null.
 */
export async function linkDialog({ type, title, testid, from, to, omit = [], values = {}, submitLabel = t("forms.add") }) {
  const fields = (await api.gql(LINK_FORM_QUERY, { type })).linkForm.filter((f) => !omit.includes(f.key));
  const { dialog, closed, close } = openDialog({
    title, testid, wide: fields.length > 2,
    body: `<form class="record-form" novalidate>
      <div class="form-error error" role="alert" data-testid="form-error" tabindex="-1" hidden></div>
      ${endHtml(from, "from")}${endHtml(to, "to")}<div class="form-grid">${fieldsHtml(fields, values)}</div>
      <div class="form-actions"><button type="button" data-act="cancel">${esc(t("forms.cancel"))}</button>
        <button type="submit" class="primary" data-testid="form-save">${esc(submitLabel)}</button></div></form>`,
  });
  const el = dialog.querySelector("form");
  el.querySelector("[data-act=cancel]").addEventListener("click", () => close("cancel"));
  const pickers = {};
  for (const [name, end] of [["from", from], ["to", to]]) {
    if (!end.fixed) {
      pickers[name] = picker(el.querySelector(`.link-pick-${name}`), { name: end.name || name, types: end.types, label: end.label,
        suggestions: end.suggestions || [], required: true });
    }
  }
  el.querySelector("input:not([type=hidden]), select")?.focus();
  let linked = null;
  el.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = el.querySelector("[type=submit]");
    button.disabled = true;
    try {
      const chosen = { from: from.fixed || pickers.from.value(), to: to.fixed || pickers.to.value() };
      const missing = ["from", "to"].filter((k) => !chosen[k]).map((k) => ({ field: (k === "from" ? from : to).name || k, message: t("canvas.pickOne") }));
      if (missing.length) { showErrors(el, missing); return; }
      const read = readFields(el, fields);
      const properties = Object.fromEntries(Object.entries(read).filter(([, v]) => v !== null)
        .map(([k, v]) => [fields.find((f) => f.name === k).key, v]));
      const errors = await link(type, chosen.from.id, chosen.to.id, Object.keys(properties).length ? properties : null);
      if (errors.length) {
        showErrors(el, errors.map((e) => ({ ...e, field: e.field === "fromId" ? (from.name || "from") : e.field === "toId" ? (to.name || "to") : e.field })));
        return;
      }
      linked = chosen;
      close("saved");
    } catch (err) {
      if (Array.isArray(err)) showErrors(el, err.map((p) => ({ field: p.field, message: p.message })));
      else showErrors(el, [{ field: null, message: errorMessage(err) }]);
    } finally {
      button.disabled = false;
    }
  });
  await closed;
  return linked;
}

/**
 * Make `personId` report to `managerId` on a solid line (the API refuses cycles: its errors are returned), then
 * end the line to the previous manager `oldManagerId` (if any and different). Resolves to [] or the API's errors.
 */
export async function setManager(personId, managerId, oldManagerId = null) {
  const errors = await link("REPORTING", personId, managerId, { kind: "solid" });
  if (errors.length) return errors;
  if (oldManagerId && oldManagerId !== managerId) return unlink("REPORTING", personId, oldManagerId);
  return [];
}
