// Automation rules: the list (name, trigger, on/off, last run), switching a rule on or off (the API refuses
// what the user could not save, and the refusal is shown at the rule), a dry run over the last N days and the
// rule's recent runs.
import * as api from "../api.js";
import { t, fmtDate, fmtNumber } from "../i18n.js";
import { esc, errorBox, errorMessage } from "../ui.js";

export const name = "rules";

const MAX_DAYS = 60;
const RUN_FIELDS = "outcome at action error attempt subjectUid";
const RULES = `query Rules { rules { id name description version active triggerKind purpose lastRun { ${RUN_FIELDS} } } }`;
// privacy (issue 13 §3): admins change a rule's purpose by saving its definition again with the new one
const DEFINITION = `query RuleDefinition($id: String!) { rule(id: $id) { definition } }`;
const SAVE = `mutation RuleSave($rule: JSON!) { ruleSave(rule: $rule) { __typename
  ... on RuleSaveError { errors { code message field } } } }`;
const SWITCH = `mutation RuleSetActive($id: String!, $active: Boolean!) { ruleSetActive(id: $id, active: $active) {
  __typename ... on RuleChangeError { errors { code message field } } } }`;
const DRY_RUN = `query RuleDryRun($id: String!, $days: Float!) { ruleDryRun(id: $id, sinceDays: $days) {
  fired { action subjectUid subjectLabel subjectName alreadyDone consentSkip } note errors { code message field } } }`;
const RUNS = `query RuleRuns($id: String!) { ruleRuns(ruleId: $id, first: 20) { uid ${RUN_FIELDS} } }`;

function outcomeBadge(outcome) {
  const key = `rules.outcome.${outcome}`;
  return `<span class="badge outcome-${esc(outcome)}" data-testid="run-outcome" data-outcome="${esc(outcome)}">${esc(t(key) === key ? outcome : t(key))}</span>`;
}

function lastRunHtml(run) {
  if (!run) return `<span class="muted">${t("rules.never")}</span>`;
  return `${outcomeBadge(run.outcome)} <span class="muted small">${fmtDate(run.at)}</span>`;
}

function triggerLabel(kind) {
  const key = `rules.trigger.${kind}`;
  return t(key) === key ? kind : t(key);
}

function rowHtml(rule, canWrite, admin) {
  return `<tr data-testid="rule-row" data-rule="${esc(rule.id)}" data-active="${rule.active}">
    <td><strong>${esc(rule.name)}</strong><br><code class="small">${esc(rule.id)}</code> v${rule.version}</td>
    <td>${esc(triggerLabel(rule.triggerKind))}</td>
    <td data-testid="rule-purpose" data-purpose="${esc(rule.purpose)}">${admin
      ? `<select data-act="purpose" data-testid="rule-purpose-select" aria-label="${esc(t("rules.purposeFor", { name: rule.name }))}">${["marketing", "transactional"].map((p) =>
        `<option value="${p}" ${p === rule.purpose ? "selected" : ""}>${esc(t(`rules.purpose.${p}`))}</option>`).join("")}</select>`
      : `<span class="badge purpose-${esc(rule.purpose)}">${esc(t(`rules.purpose.${rule.purpose}`))}</span>`}</td>
    <td><label class="switch"><input type="checkbox" data-act="switch" data-testid="rule-switch" ${rule.active ? "checked" : ""}
      aria-label="${esc(t("rules.enabledFor", { name: rule.name }))}"> <span>${t(rule.active ? "rules.on" : "rules.off")}</span></label>
      <span class="field-error" role="alert" data-testid="rule-error"></span></td>
    <td data-testid="rule-last-run">${lastRunHtml(rule.lastRun)}</td>
    <td class="row-actions">${canWrite ? `<button type="button" data-act="dry" data-testid="rule-dry-run">${t("rules.dryRun")}</button>` : ""}
      <button type="button" data-act="runs" data-testid="rule-runs">${t("rules.runs")}</button></td></tr>`;
}

function dryHtml(rule, days) {
  return `<form class="inline-form" data-testid="dry-run-form" data-rule="${esc(rule.id)}" novalidate>
    <label>${t("rules.days")} <input type="number" name="days" min="1" max="${MAX_DAYS}" step="1" value="${days}" data-testid="dry-run-days"></label>
    <button type="submit" data-testid="dry-run-go">${t("rules.dryRunGo")}</button>
    <span class="field-error" data-error-for="sinceDays" role="alert"></span></form>
    <div data-testid="dry-run-result" aria-live="polite"></div>`;
}

function firedHtml(result) {
  if (result.errors.length) return `<p class="field-error" role="alert" data-testid="dry-run-error">${esc(result.errors[0].message)}</p>`;
  const n = result.fired.length;
  const done = result.fired.filter((f) => f.alreadyDone).length;
  return `<p data-testid="dry-run-count" data-count="${n}">${t(n === 1 ? "rules.firedOne" : "rules.fired", { count: fmtNumber(n) })}${done ? ` ${t("rules.alreadyDone", { count: fmtNumber(done) })}` : ""}</p>
    ${result.note ? `<p class="muted small" data-testid="dry-run-note">${esc(result.note)}</p>` : ""}
    ${n ? `<ul class="list" data-testid="dry-run-items">${result.fired.slice(0, 50).map((f) =>
      `<li data-testid="dry-run-item">${esc(f.action)} · ${f.subjectName ? `${esc(t(`type.${f.subjectLabel}`))} ${esc(f.subjectName)}` : `<code>${esc(f.subjectUid || "")}</code>`}${f.alreadyDone ? ` <span class="badge">${t("rules.done")}</span>` : ""}${f.consentSkip ? ` <span class="badge outcome-skipped" data-testid="dry-run-skip" title="${esc(f.consentSkip)}">${t("rules.outcome.skipped")}</span>` : ""}</li>`).join("")}</ul>` : ""}`;
}

function runsHtml(runs) {
  if (!runs.length) return `<p class="muted" data-testid="runs-empty">${t("rules.noRuns")}</p>`;
  return `<table class="data-table" data-testid="runs-table"><thead><tr><th scope="col">${t("rules.status")}</th><th scope="col">${t("rules.when")}</th>
    <th scope="col">${t("rules.action")}</th><th scope="col">${t("rules.error")}</th></tr></thead><tbody>${runs.map((r) =>
      `<tr data-testid="run-row"><td>${outcomeBadge(r.outcome)}</td><td>${fmtDate(r.at)}</td><td>${esc(r.action)}</td>
        <td>${r.error ? esc(r.error) : `<span class="muted">—</span>`}</td></tr>`).join("")}</tbody></table>`;
}

/** Render the rules page. */
export async function render(root, _params, _query, ctx) {
  const canWrite = ctx.user?.role !== "viewer";
  const admin = ctx.user?.role === "admin";
  root.innerHTML = `<div class="home rules"><h1>${t("rules.title")}</h1><p class="muted">${t("rules.intro")}</p>
    <section class="card"><div class="table-wrap" data-testid="rules-list"><div class="loading" aria-busy="true">…</div></div></section>
    <section class="card" data-testid="rule-panel" hidden><h2 data-testid="rule-panel-title"></h2><div class="rule-panel-body"></div></section></div>`;
  const list = root.querySelector("[data-testid=rules-list]");
  const panel = root.querySelector("[data-testid=rule-panel]");
  let rules = [];

  async function load() {
    rules = (await api.gql(RULES)).rules;
    list.innerHTML = rules.length ? `<table class="data-table" data-testid="rules-table"><thead><tr><th scope="col">${t("rules.name")}</th>
      <th scope="col">${t("rules.trigger")}</th><th scope="col">${t("rules.purpose")}</th><th scope="col">${t("rules.enabled")}</th><th scope="col">${t("rules.lastRun")}</th><th></th></tr></thead>
      <tbody>${rules.map((r) => rowHtml(r, canWrite, admin)).join("")}</tbody></table>` : `<p class="muted" data-testid="rules-empty">${t("rules.none")}</p>`;
  }

  function openPanel(rule, titleKey, body) {
    panel.hidden = false;
    panel.dataset.rule = rule.id;
    panel.dataset.mode = titleKey;
    panel.querySelector("[data-testid=rule-panel-title]").textContent = t(titleKey, { name: rule.name });
    panel.querySelector(".rule-panel-body").innerHTML = body;
  }

  list.addEventListener("change", async (event) => {
    const purpose = event.target.closest("[data-act=purpose]");
    if (purpose) {  // privacy: a new version of the rule with the chosen purpose
      const row = purpose.closest("tr");
      const error = row.querySelector("[data-testid=rule-error]");
      error.textContent = "";
      try {
        const definition = (await api.gql(DEFINITION, { id: row.dataset.rule })).rule.definition;
        const result = (await api.gql(SAVE, { rule: { ...definition, purpose: purpose.value } })).ruleSave;
        if (result.__typename === "RuleSaveError") throw Object.assign(new Error(result.errors.map((e) => e.message).join("; ")), { refusal: true });
        await load();
      } catch (err) {
        error.textContent = err.refusal ? t("rules.refused", { message: err.message }) : errorMessage(err);
      }
      return;
    }
    const box = event.target.closest("[data-act=switch]");
    if (!box) return;
    const row = box.closest("tr");
    const error = row.querySelector("[data-testid=rule-error]");
    const wanted = box.checked;
    error.textContent = "";
    box.disabled = true;
    try {
      const result = (await api.gql(SWITCH, { id: row.dataset.rule, active: wanted })).ruleSetActive;
      if (result.__typename === "RuleChangeError") throw Object.assign(new Error(result.errors.map((e) => e.message).join("; ")), { refusal: true });
      await load();
      list.querySelector(`[data-rule="${CSS.escape(row.dataset.rule)}"] [data-testid=rule-switch]`)?.focus();
    } catch (err) {
      if (err.code === "unauthenticated") { window.dispatchEvent(new CustomEvent("crn:unauthenticated")); return; }
      box.checked = !wanted;
      box.disabled = false;
      error.textContent = err.refusal || err.code === "graphql" ? t("rules.refused", { message: err.message }) : errorMessage(err);
      row.dataset.refused = "1";
    }
  });

  list.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-act]");
    if (!button) return;
    const rule = rules.find((r) => r.id === button.closest("tr").dataset.rule);
    if (button.dataset.act === "dry") {
      openPanel(rule, "rules.dryRunTitle", dryHtml(rule, 7));
      panel.querySelector("[data-testid=dry-run-days]").focus();
    } else if (button.dataset.act === "runs") {
      openPanel(rule, "rules.runsTitle", `<div class="loading" aria-busy="true">…</div>`);
      try {
        const runs = (await api.gql(RUNS, { id: rule.id })).ruleRuns;
        panel.querySelector(".rule-panel-body").innerHTML = runsHtml(runs);
      } catch (err) {
        panel.querySelector(".rule-panel-body").innerHTML = errorBox(err);
      }
    }
  });

  panel.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const out = panel.querySelector("[data-testid=dry-run-result]");
    const days = Number(form.elements.days.value);
    form.querySelector("[data-error-for=sinceDays]").textContent = "";
    out.innerHTML = `<div class="loading" aria-busy="true">…</div>`;
    try {
      const result = (await api.gql(DRY_RUN, { id: form.dataset.rule, days })).ruleDryRun;
      const atField = result.errors.find((e) => e.field === "sinceDays");
      if (atField) { form.querySelector("[data-error-for=sinceDays]").textContent = atField.message; out.innerHTML = ""; return; }
      out.innerHTML = firedHtml(result);
    } catch (err) {
      out.innerHTML = errorBox(err);
    }
  });

  try { await load(); } catch (err) { list.innerHTML = errorBox(err); }
  root.dataset.ready = "1";
}
