// Small DOM helpers shared by the views: escaping, sections, links and translated error boxes.
import { fmtNumber, language, t } from "./i18n.js";

/** Escape text for insertion into HTML. */
export function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** The app URL (hash route) of a node by type and global id. */
export function hrefFor(type, id) {
  const kind = { Company: "company", Person: "person", Deal: "deal" }[type];
  return kind ? `#/${kind}/${encodeURIComponent(id)}` : null;
}

/** An <a> to a node's view (plain text for types without a view, e.g. our users). */
export function link(type, id, name) {
  const href = hrefFor(type, id);
  return href ? `<a href="${href}">${esc(name)}</a>` : `<span class="plain">${esc(name)}</span>`;
}

/** A translated, readable message for an ApiError or any error. */
export function errorMessage(err) {
  if (!err) return "";
  const key = `error.${err.code}`;
  const text = t(key);
  if (text !== key) return text;
  return t("error.generic", { message: err.message || String(err) });
}

/** An error box element. */
export function errorBox(err) {
  return `<div class="error" role="alert" data-testid="error">${esc(errorMessage(err))}</div>`;
}

/** A titled panel section with an id so views can fill it later. */
export function section(key, body = `<div class="loading" aria-busy="true">…</div>`, testid = key) {
  return `<section class="card" data-section="${key}" data-testid="section-${testid}"><h2>${t(key)}</h2><div class="card-body">${body}</div></section>`;
}

/** Fill a section's body (found under root by data-section). */
export function fill(root, key, html) {
  const node = root.querySelector(`[data-section="${key}"] .card-body`);
  if (node) node.innerHTML = html;
}

/** A definition list from [label, value] pairs, skipping empty values. */
export function facts(pairs) {
  const rows = pairs.filter(([, v]) => v !== null && v !== undefined && v !== "" && v !== "—");
  if (!rows.length) return `<p class="muted">${t("empty")}</p>`;
  return `<dl class="facts">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join("")}</dl>`;
}

/** The fields a panel asks for to show a record's custom fields (see customFacts). */
export const CUSTOM_FIELDS = "customFields { name kind captionEn captionZh text number date boolean choices }";

/** Fact rows of a record's custom field values (caption in the current language; empty ones left out). */
export function customRows(values) {
  return (values || []).map((v) => {
    const caption = language() === "zh" ? v.captionZh : v.captionEn;
    const shown = v.text ?? (v.number != null ? fmtNumber(v.number) : null) ?? v.date
      ?? (v.boolean != null ? t(v.boolean ? "fields.yes" : "fields.no") : null) ?? (v.choices?.length ? v.choices.join(", ") : null);
    return [caption, shown == null ? null : esc(shown)];
  });
}

/** Run a loader and put its HTML (or a translated error) into a section. */
export async function load(root, key, loader) {
  try {
    fill(root, key, await loader());
  } catch (err) {
    console.error(key, err);
    if (err?.code === "unauthenticated") window.dispatchEvent(new CustomEvent("crn:unauthenticated"));
    fill(root, key, errorBox(err));
  }
}

/** Connection edges -> nodes. */
export function nodesOf(connection) {
  return (connection?.edges || []).map((e) => e.node);
}
