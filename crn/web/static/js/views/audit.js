// audit (issue 13): a record's History section (who changed what, when, through what: before -> after) and the
// admin page #/admin/audit (the whole trail with filters, paging, CSV export and "Verify chain").
import * as api from "../api.js";
import { t, locale } from "../i18n.js";
import { esc, errorBox, errorMessage, section, fill } from "../ui.js";

export const name = "audit";

const ENTRY = "seq at actor actorName action label uid other channel ref redacted details changes { field before after }";
const HISTORY = `query RecordHistory($uid: String!, $after: String) { recordHistory(uid: $uid, first: 20, after: $after) {
  hasNextPage endCursor entries { ${ENTRY} } } }`;
const TRAIL = `query AuditTrail($filter: AuditFilter, $after: String) { auditTrail(filter: $filter, first: 50, after: $after) {
  total hasNextPage endCursor entries { ${ENTRY} } } }`;
const CSV = `query AuditTrailCsv($filter: AuditFilter) { auditTrailCsv(filter: $filter) { contentType contentBase64 rows } }`;
const VERIFY = `query AuditVerify { auditVerify { ok checked firstBroken reason anchorSeq lastSeq redacted } }`;
const ACTIONS = ["create", "update", "delete", "link", "unlink", "merge", "import", "export", "login", "login_failed", "logout",
  "token_create", "token_revoke", "rule_create", "rule_update", "rule_enable", "rule_disable", "rule_delete",
  "permission_change", "password_change", "field_define", "field_change", "field_remove", "field_restore", "field_purge",
  "redact", "purge"];
const CHANNELS = ["ui", "api", "cli", "import", "rule", "system"];

/** The uid inside a Relay global id (base64 "Type:uid"). */
export function uidOf(globalId) {
  try { return atob(globalId).split(":").slice(1).join(":"); } catch { return globalId; }
}

function when(value) {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? esc(value)
    : esc(new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "medium" }).format(date));
}

function value(v) {
  if (v === null || v === undefined || v === "") return `<span class="muted">${t("audit.empty")}</span>`;
  const text = typeof v === "string" ? v : JSON.stringify(v);
  return esc(text.length > 120 ? `${text.slice(0, 117)}…` : text);
}

function actionLabel(action) {
  const key = `audit.action.${action}`;
  const label = t(key);
  return label === key ? esc(action) : esc(label);
}

function who(e) { return esc(e.actorName || e.actor || t("audit.system")); }

function channelBadge(e) {
  return `<span class="badge audit-channel" data-testid="audit-channel" title="${esc(e.ref || "")}">${esc(t(`audit.channel.${e.channel}`))}</span>`;
}

function changesHtml(e) {
  const rows = e.changes.map((c) => `<li data-testid="audit-change"><code>${esc(c.field)}</code> ${value(c.before)} → ${value(c.after)}</li>`);
  const details = Object.entries(e.details || {}).filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `<li class="muted"><code>${esc(k)}</code> ${value(v)}</li>`);
  const all = [...rows, ...details];
  return all.length ? `<ul class="audit-changes">${all.join("")}</ul>` : "";
}

function entryItem(e) {
  return `<li class="audit-entry" data-testid="history-entry" data-action="${esc(e.action)}">
    <div><strong>${actionLabel(e.action)}</strong> · ${who(e)} · ${channelBadge(e)}
      <span class="muted small">${when(e.at)}${e.redacted ? ` · ${t("audit.redacted")}` : ""}</span></div>${changesHtml(e)}</li>`;
}

/** The History section of a record panel (filled by loadHistory). */
export function historySection() {
  return section("audit.history", undefined, "history");
}

/** Fill the History section with the record's entries, newest first, 20 at a time. */
export async function loadHistory(root, uid) {
  const body = () => root.querySelector('[data-section="audit.history"] .card-body');
  let after = null;
  const items = [];
  async function more() {
    try {
      const page = (await api.gql(HISTORY, { uid, after })).recordHistory;
      items.push(...page.entries);
      after = page.endCursor;
      fill(root, "audit.history", items.length ? `<ol class="list audit-list" data-testid="history-list">${items.map(entryItem).join("")}</ol>
        ${page.hasNextPage ? `<button type="button" class="small" data-testid="history-more">${t("audit.more")}</button>` : ""}`
        : `<p class="muted" data-testid="history-empty">${t("audit.none")}</p>`);
      body()?.querySelector("[data-testid=history-more]")?.addEventListener("click", more);
    } catch (err) {
      fill(root, "audit.history", errorBox(err));
    }
  }
  await more();
}

function filterForm() {
  const option = (v, label, selected) => `<option value="${esc(v)}"${selected ? " selected" : ""}>${esc(label)}</option>`;
  return `<form class="audit-filters" data-testid="audit-filters">
    <label>${t("audit.filter.actor")} <input name="actor" data-testid="audit-filter-actor" placeholder="${t("audit.filter.actorHint")}"></label>
    <label>${t("audit.filter.action")} <select name="action" data-testid="audit-filter-action">${option("", t("audit.any"))}${ACTIONS.map((a) => option(a, t(`audit.action.${a}`))).join("")}</select></label>
    <label>${t("audit.filter.label")} <input name="label" data-testid="audit-filter-label" placeholder="Company"></label>
    <label>${t("audit.filter.uid")} <input name="uid" data-testid="audit-filter-uid"></label>
    <label>${t("audit.filter.channel")} <select name="channel" data-testid="audit-filter-channel">${option("", t("audit.any"))}${CHANNELS.map((c) => option(c, t(`audit.channel.${c}`))).join("")}</select></label>
    <label>${t("audit.filter.from")} <input type="date" name="from" data-testid="audit-filter-from"></label>
    <label>${t("audit.filter.to")} <input type="date" name="to" data-testid="audit-filter-to"></label>
    <button type="submit" data-testid="audit-apply">${t("audit.apply")}</button>
    <button type="button" data-act="export" data-testid="audit-export">${t("audit.export")}</button>
    <button type="button" data-act="verify" data-testid="audit-verify">${t("audit.verify")}</button></form>`;
}

function filterOf(form) {
  const data = new FormData(form);
  const filter = {};
  for (const key of ["actor", "action", "label", "uid", "channel"]) if (String(data.get(key) || "").trim()) filter[key] = String(data.get(key)).trim();
  const day = (key, next) => {
    const v = String(data.get(key) || "");
    if (!v) return;
    const d = new Date(`${v}T00:00:00Z`);
    if (next) d.setUTCDate(d.getUTCDate() + 1);  // "to" includes that whole day
    filter[key] = d.toISOString();
  };
  day("from", false);
  day("to", true);
  return filter;
}

function rowHtml(e) {
  const target = e.uid ? `${esc(e.label || "")} <code class="small">${esc(e.uid)}</code>${e.other ? ` → <code class="small">${esc(e.other)}</code>` : ""}` : esc(e.label || "");
  return `<tr data-testid="audit-row" data-seq="${e.seq}"><td>${e.seq}</td><td>${when(e.at)}</td><td>${who(e)}</td>
    <td>${actionLabel(e.action)}${e.redacted ? ` <span class="badge">${t("audit.redacted")}</span>` : ""}</td><td>${target}</td>
    <td>${channelBadge(e)}</td><td>${changesHtml(e)}</td></tr>`;
}

/** The admin page: #/admin/audit. */
export async function render(root, _params, _query, ctx) {
  if (ctx.user?.role !== "admin") {
    root.innerHTML = `<div class="home"><h1>${t("audit.title")}</h1><p class="muted" data-testid="audit-admin-only">${t("audit.adminOnly")}</p></div>`;
    root.dataset.ready = "1";
    return;
  }
  root.innerHTML = `<div class="home audit-page"><h1>${t("audit.title")}</h1><p class="muted">${t("audit.intro")}</p>
    <section class="card">${filterForm()}<p class="audit-verdict" data-testid="audit-verdict" role="status" aria-live="polite"></p>
      <p class="field-error" data-testid="audit-error" role="alert"></p></section>
    <section class="card"><p class="muted" data-testid="audit-total"></p><div class="audit-scroll" data-testid="audit-table"><div class="loading" aria-busy="true">…</div></div>
      <button type="button" data-testid="audit-more" hidden>${t("audit.more")}</button></section></div>`;
  const form = root.querySelector("[data-testid=audit-filters]");
  const table = root.querySelector("[data-testid=audit-table]");
  const moreButton = root.querySelector("[data-testid=audit-more]");
  const error = root.querySelector("[data-testid=audit-error]");
  let filter = {};
  let after = null;
  let rows = [];
  async function load(reset) {
    error.textContent = "";
    if (reset) { rows = []; after = null; }
    try {
      const page = (await api.gql(TRAIL, { filter, after })).auditTrail;
      rows.push(...page.entries);
      after = page.endCursor;
      if (page.total !== null && page.total !== undefined) root.querySelector("[data-testid=audit-total]").textContent = t(page.total === 1 ? "audit.totalOne" : "audit.total", { count: page.total });
      table.innerHTML = rows.length ? `<table class="data-table audit-table"><thead><tr><th>#</th><th>${t("audit.col.at")}</th>
        <th>${t("audit.col.who")}</th><th>${t("audit.col.action")}</th><th>${t("audit.col.target")}</th><th>${t("audit.col.channel")}</th>
        <th>${t("audit.col.changes")}</th></tr></thead><tbody>${rows.map(rowHtml).join("")}</tbody></table>`
        : `<p class="muted" data-testid="audit-empty">${t("audit.none")}</p>`;
      moreButton.hidden = !page.hasNextPage;
    } catch (err) {
      error.textContent = errorMessage(err);
    }
    root.dataset.ready = "1";
  }
  form.addEventListener("submit", (event) => { event.preventDefault(); filter = filterOf(form); load(true); });
  moreButton.addEventListener("click", () => load(false));
  form.querySelector("[data-act=export]").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    error.textContent = "";
    try {
      const file = (await api.gql(CSV, { filter: filterOf(form) })).auditTrailCsv;
      const bytes = Uint8Array.from(atob(file.contentBase64), (c) => c.charCodeAt(0));
      api.saveFile(new Blob([bytes], { type: file.contentType }), `audit-${new Date().toISOString().slice(0, 10)}.csv`);
    } catch (err) {
      error.textContent = errorMessage(err);
    } finally {
      button.disabled = false;
    }
  });
  form.querySelector("[data-act=verify]").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    const verdict = root.querySelector("[data-testid=audit-verdict]");
    button.disabled = true;
    verdict.className = "audit-verdict";
    verdict.textContent = t("audit.verifying");
    try {
      const v = (await api.gql(VERIFY)).auditVerify;
      verdict.classList.add(v.ok ? "ok" : "broken");
      verdict.dataset.ok = v.ok ? "1" : "0";
      verdict.textContent = v.ok ? t("audit.verifiedOk", { checked: v.checked, last: v.lastSeq, redacted: v.redacted })
        : t("audit.verifiedBroken", { seq: v.firstBroken, reason: v.reason, checked: v.checked });
    } catch (err) {
      verdict.textContent = errorMessage(err);
    } finally {
      button.disabled = false;
    }
  });
  await load(true);
}
