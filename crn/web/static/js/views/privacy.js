// The person panel's "Privacy" section (privacy, issue 13 §3): consent per channel (writers change it, with where it
// came from), the data-subject export (admins download a ZIP) and erasure (admins, after typing the person's name).
import * as api from "../api.js";
import { t, fmtDate } from "../i18n.js";
import { esc, errorBox, errorMessage, section } from "../ui.js";
import { openDialog } from "../forms.js";

const PRIVACY = `query PersonPrivacy($id: ID!) { personPrivacy(id: $id) { personId erased
  consent { channel granted at source suppressed } } }`;
const CONSENT = `mutation PersonConsentSet($id: ID!, $channel: ConsentChannel!, $granted: Boolean!, $source: String!) {
  personConsentSet(id: $id, channel: $channel, granted: $granted, source: $source) { __typename
    ... on PrivacyError { errors { code message field } } } }`;
const EXPORT = `mutation PersonExport($id: ID!) { personExport(id: $id) { __typename
  ... on PersonExportSuccess { filename contentBase64 } ... on PrivacyError { errors { code message field } } } }`;
const ERASE = `mutation PersonErase($id: ID!, $confirm: String!) { personErase(id: $id, confirm: $confirm) { __typename
  ... on PersonEraseSuccess { name } ... on PrivacyError { errors { code message field } } } }`;

const KEY = "privacy.title";

/** The section's markup (filled by loadPrivacy). */
export function privacySection() {
  return section(KEY, undefined, "person-privacy");
}

function state(c) {
  if (c.granted === true) return t("privacy.given");
  if (c.granted === false) return t("privacy.withdrawn");
  return t("privacy.notAsked");
}

function bodyHtml(p, user) {
  const canWrite = user && user.role !== "viewer" && !p.erased;
  const admin = user && user.role === "admin";
  const rows = p.consent.map((c) => `<tr data-testid="consent-row" data-channel="${esc(c.channel)}" data-granted="${c.granted}">
    <th scope="row">${esc(t(`privacy.channel.${c.channel}`))}</th>
    <td data-testid="consent-state">${esc(state(c))}${c.suppressed.length ? ` <span class="badge" data-testid="consent-suppressed">${esc(c.suppressed.map((r) => t(`privacy.reason.${r}`)).join(", "))}</span>` : ""}</td>
    <td class="muted small">${c.at ? fmtDate(c.at) : ""}${c.source ? ` · ${esc(c.source)}` : ""}</td>
    <td>${canWrite ? `<button type="button" data-act="consent" data-granted="${c.granted !== true}" data-testid="consent-toggle">${esc(t(c.granted === true ? "privacy.withdraw" : "privacy.give"))}</button>` : ""}</td></tr>`).join("");
  return `${p.erased ? `<p class="badge" data-testid="privacy-erased">${esc(t("privacy.erased"))}</p>` : ""}
    <table class="data-table consent-table"><tbody>${rows}</tbody></table>
    <p class="field-error" role="alert" data-testid="privacy-error"></p>
    ${admin ? `<div class="privacy-actions"><button type="button" data-act="export" data-testid="privacy-export">${esc(t("privacy.export"))}</button>
      ${p.erased ? "" : `<button type="button" class="danger" data-act="erase" data-testid="privacy-erase">${esc(t("privacy.erase"))}</button>`}</div>` : ""}`;
}

/** Ask where the consent (or its withdrawal) came from; resolves the text, or null when cancelled. */
function askSource(channel, granted) {
  const { dialog, closed, close } = openDialog({
    title: t(granted ? "privacy.giveTitle" : "privacy.withdrawTitle", { channel: t(`privacy.channel.${channel}`) }),
    testid: "consent-dialog",
    body: `<form class="privacy-form" novalidate><label>${esc(t("privacy.source"))}
      <input name="source" required maxlength="200" data-testid="consent-source" placeholder="${esc(t("privacy.sourceHint"))}"></label>
      <p class="field-error" role="alert" data-error-for="source"></p>
      <div class="form-actions"><button type="submit" data-testid="consent-save">${esc(t("forms.save"))}</button></div></form>`,
  });
  let value = null;
  dialog.querySelector("form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = event.target.elements.source.value.trim();
    if (!text) { dialog.querySelector("[data-error-for=source]").textContent = t("privacy.sourceRequired"); return; }
    value = text;
    close("done");
  });
  return closed.then(() => value);
}

/** Ask the admin to type the person's name; resolves the typed text when confirmed, else null. */
function askErase(name) {
  const { dialog, closed, close } = openDialog({
    title: t("privacy.eraseTitle"), testid: "erase-dialog",
    body: `<form class="privacy-form" novalidate><p class="confirm-message">${esc(t("privacy.eraseWarning", { name }))}</p>
      <label>${esc(t("privacy.typeName"))} <input name="confirm" autocomplete="off" data-testid="erase-confirm-input"></label>
      <div class="form-actions"><button type="submit" class="danger" data-testid="erase-confirm" disabled>${esc(t("privacy.erase"))}</button></div></form>`,
  });
  const input = dialog.querySelector("input[name=confirm]");
  const button = dialog.querySelector("[data-testid=erase-confirm]");
  input.addEventListener("input", () => { button.disabled = input.value.trim() !== name.trim(); });
  let value = null;
  dialog.querySelector("form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (input.value.trim() !== name.trim()) return;
    value = input.value;
    close("done");
  });
  input.focus();
  return closed.then(() => value);
}

function base64Bytes(text) {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/** Fill the Privacy section of person `id` (`getName` gives the name shown, for the erase confirmation). */
export async function loadPrivacy(root, id, user, getName, onErased) {
  const box = root.querySelector(`[data-section="${KEY}"] .card-body`);
  if (!box) return;
  const show = async () => {
    try {
      const p = (await api.gql(PRIVACY, { id })).personPrivacy;
      box.innerHTML = p ? bodyHtml(p, user) : `<p class="muted">${t("empty")}</p>`;
      box.dataset.ready = "1";
    } catch (err) {
      box.innerHTML = errorBox(err);
    }
  };
  const fail = (message) => { const el = box.querySelector("[data-testid=privacy-error]"); if (el) el.textContent = message; };
  const refused = (result) => result.errors.map((e) => e.message).join("; ");
  box.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-act]");
    if (!button) return;
    try {
      if (button.dataset.act === "consent") {
        const channel = button.closest("tr").dataset.channel;
        const granted = button.dataset.granted === "true";
        const source = await askSource(channel, granted);
        if (source === null) return;
        const result = (await api.gql(CONSENT, { id, channel: channel.toUpperCase(), granted, source })).personConsentSet;
        if (result.__typename === "PrivacyError") { fail(refused(result)); return; }
        await show();
      } else if (button.dataset.act === "export") {
        const result = (await api.gql(EXPORT, { id })).personExport;
        if (result.__typename === "PrivacyError") { fail(refused(result)); return; }
        api.saveFile(new Blob([base64Bytes(result.contentBase64)], { type: "application/zip" }), result.filename);
        box.dataset.exported = result.filename;
      } else if (button.dataset.act === "erase") {
        const typed = await askErase(getName());
        if (typed === null) return;
        const result = (await api.gql(ERASE, { id, confirm: typed })).personErase;
        if (result.__typename === "PrivacyError") { fail(refused(result)); return; }
        if (onErased) onErased(result.name);
        await show();
      }
    } catch (err) {
      if (err.code === "unauthenticated") { window.dispatchEvent(new CustomEvent("crn:unauthenticated")); return; }
      fail(errorMessage(err));
    }
  });
  await show();
}
