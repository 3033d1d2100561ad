// "Log activity": a compact form (kind, subject, notes, when, participants) that saves through interactionLog
// in one transaction; used from the account panel, a deal and a person. Open it, tick a participant, save:
// three clicks (from a person, they are ticked already and a deal may be picked: two).
import * as api from "../api.js";
import { t } from "../i18n.js";
import { esc, errorBox } from "../ui.js";
import * as forms from "../forms.js";

const KINDS = ["call", "meeting", "visit", "email", "note"];
const PEOPLE_QUERY = `query LogActivityPeople($id: ID!) { me { id name } company(id: $id) { id contacts(first: 30) { edges { node { id name title } } } } }`;
const ME_QUERY = `query LogActivityMe { me { id name } }`;
const LOG = `mutation InteractionLog($input: InteractionLogInput!) { interactionLog(input: $input) { __typename
  ... on InteractionLogSuccess { interaction { id kind subject at } }
  ... on InteractionLogError { errors { code message field } } } }`;

function localNow() {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

function formHtml(people, me, checked = [], deals = []) {
  const box = (p, checked) => `<label class="participant"><input type="checkbox" name="participant" value="${esc(p.id)}" ${checked ? "checked" : ""}
    data-testid="log-participant"> ${esc(p.name)}${p.title ? ` <span class="muted">${esc(p.title)}</span>` : ""}</label>`;
  return `<form class="log-form" data-testid="log-form" novalidate>
    <label>${t("activity.kind")} <select name="kind" data-testid="log-kind">${KINDS.map((k) => `<option value="${k}">${t(`activity.kind.${k}`)}</option>`).join("")}</select></label>
    <span class="field-error" data-error-for="kind" role="alert"></span>
    <label>${t("activity.subject")} <input name="subject" data-testid="log-subject"></label>
    <label>${t("activity.notes")} <textarea name="summary" rows="2" data-testid="log-notes"></textarea></label>
    <label>${t("activity.when")} <input name="at" type="datetime-local" value="${localNow()}" data-testid="log-when"></label>
    <span class="field-error" data-error-for="at" role="alert"></span>
    <fieldset class="participants"><legend>${t("activity.participants")}</legend>
      ${box(me, true)}${people.map((p) => box(p, checked.includes(p.id))).join("")}</fieldset>
    <span class="field-error" data-error-for="participants" role="alert"></span>
    ${deals.length ? `<label>${t("activity.deal")} <select name="deal" data-testid="log-deal"><option value="">${t("activity.noDeal")}</option>
      ${deals.map((d) => `<option value="${esc(d.id)}">${esc(d.name)}</option>`).join("")}</select></label>
    <span class="field-error" data-error-for="about" role="alert"></span>` : ""}
    <span class="field-error" data-error-for="form" role="alert"></span>
    <div class="form-actions"><button type="submit" data-testid="log-save">${t("activity.save")}</button>
      <button type="button" data-action="cancel" data-testid="log-cancel">${t("activity.cancel")}</button></div></form>`;
}

/** Put a "Log activity" button into `host`; after a save, `onSaved(interaction)` refreshes the panel.
 * From a person: `person` ({id, name, title}) is listed and ticked, `deals` ({id, name}) offered (optional). */
export function logActivityButton(host, { companyId = null, about = [], person = null, deals = [] }, onSaved) {
  host.innerHTML = `<button type="button" class="primary" data-testid="log-activity">${t("activity.log")}</button><div class="log-slot"></div>`;
  const slot = host.querySelector(".log-slot");
  host.querySelector("[data-testid=log-activity]").addEventListener("click", async () => {
    try {
      const data = await api.gql(companyId ? PEOPLE_QUERY : ME_QUERY, companyId ? { id: companyId } : {});
      let people = (data.company?.contacts?.edges || []).map((e) => e.node);
      if (person) people = [person, ...people.filter((p) => p.id !== person.id)];
      slot.innerHTML = formHtml(people, data.me, person ? [person.id] : [], deals);
    } catch (err) {
      slot.innerHTML = errorBox(err);
      return;
    }
    const form = slot.querySelector("form");
    form.elements.subject.focus();
    form.querySelector("[data-action=cancel]").addEventListener("click", () => { slot.innerHTML = ""; });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      form.querySelectorAll(".field-error").forEach((n) => { n.textContent = ""; });
      const participants = [...form.querySelectorAll("input[name=participant]:checked")].map((i) => i.value);
      const at = form.elements.at.value ? new Date(form.elements.at.value).toISOString() : null;
      const deal = form.elements.deal?.value;
      const input = { kind: form.elements.kind.value, subject: form.elements.subject.value || null,
        summary: form.elements.summary.value || null, at, participants, about: deal ? [...about, deal] : about };
      try {
        const result = (await api.gql(LOG, { input })).interactionLog;
        if (result.__typename !== "InteractionLogSuccess") {
          for (const e of result.errors) {
            const key = (e.field || "form").split(".")[0];
            const target = form.querySelector(`[data-error-for="${key}"]`) || form.querySelector('[data-error-for="form"]');
            const text = t(`activity.error.${e.code}`);
            target.textContent = text === `activity.error.${e.code}` ? e.message : text;
          }
          return;
        }
        slot.innerHTML = `<p class="muted" role="status" data-testid="log-saved">${t("activity.saved")}</p>`;
        await onSaved(result.interaction);
      } catch (err) {
        form.querySelector('[data-error-for="form"]').innerHTML = errorBox(err);
      }
    });
  });
}

/** A kind's label ("call" -> "Call"); kinds without a translation are shown as stored. */
export function kindLabel(kind) {
  const text = t(`activity.kind.${kind}`);
  return text === `activity.kind.${kind}` ? kind : text;
}

/** Edit / Delete buttons for an interaction of a timeline (`item`: {id, kind, subject}); wire them with
 * wireInteractionActions on the list's container. */
export function interactionActions(item) {
  const name = esc(item.subject || kindLabel(item.kind));
  return `<span class="item-actions"><button type="button" class="link-button" data-act="edit-interaction" data-id="${esc(item.id)}" data-name="${name}" data-testid="interaction-edit">${esc(t("forms.edit"))}</button>
    <button type="button" class="link-button danger" data-act="delete-interaction" data-id="${esc(item.id)}" data-name="${name}" data-testid="interaction-delete">${esc(t("forms.delete"))}</button></span>`;
}

/** Edit (the generated Interaction form) or delete (after confirmation) from a timeline; `onChanged(mark)` reloads. */
export function wireInteractionActions(container, onChanged) {
  container.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-act=edit-interaction], button[data-act=delete-interaction]");
    if (!button) return;
    const { id, name } = button.dataset;
    const changed = button.dataset.act === "edit-interaction"
      ? await forms.attempt(() => forms.recordDialog("Interaction", { id, name }))
      : await forms.attempt(() => forms.deleteRecord("Interaction", id, name));
    if (changed) await onChanged(`${button.dataset.act}:${id}`);
  });
}
