// Import (managers and admins): choose a kind and a CSV/XLSX/JSON file, check it (a dry run shows the column
// mapping and every problem), change the mapping and check again, then import with progress by phase and
// download the rejected rows as CSV. Everything goes through `importFile`, the same importer as `crn import`.
import * as api from "../api.js";
import { t, language, fmtNumber } from "../i18n.js";
import { esc, errorBox, errorMessage } from "../ui.js";

export const name = "imports";

const KINDS = ["companies", "contacts", "orgchart", "deals", "tickets", "interactions", "orders"];
const ACCEPT = ".csv,.tsv,.txt,.xlsx,.json,.jsonl,.ndjson";
const PHASES = ["read", "validate", "write", "done"];
const POLL_MS = 250;
const FIELDS = `query ImportFields($kind: String!) { importFields(kind: $kind) { name captionEn captionZh required } }`;
const PROGRESS = `query ImportProgress($id: String!) { importProgress(id: $id) { phase step steps done total } }`;
const IMPORT = `mutation ImportFile($kind: String!, $file: Upload!, $dryRun: Boolean!, $columns: [ImportColumnInput!], $progressId: String) {
  importFile(kind: $kind, file: $file, dryRun: $dryRun, columns: $columns, progressId: $progressId) {
    __typename
    ... on ImportFileSuccess { read written unchanged skipped errorCount committed dryRun nodesCreated
      columns { header field } errors { row column value reason } errorCsv errorCsvTruncated }
    ... on ImportFileError { errors { code message field } } } }`;

function caption(f) { return language() === "zh" ? f.captionZh : f.captionEn; }

function randomId() {
  return (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`).replace(/[^A-Za-z0-9_-]/g, "");
}

function formHtml() {
  return `<form class="import-form" data-testid="import-form" novalidate>
    <label>${t("imports.kind")} <select name="kind" data-testid="import-kind">${KINDS.map((k) =>
      `<option value="${k}">${t(`imports.kind.${k}`)}</option>`).join("")}</select></label>
    <label>${t("imports.file")} <input type="file" name="file" accept="${ACCEPT}" data-testid="import-file"></label>
    <span class="field-error" data-error-for="file" role="alert"></span>
    <p class="muted small">${t("imports.formats")}</p>
    <div class="import-actions"><button type="submit" data-testid="import-check">${t("imports.check")}</button></div>
    <span class="field-error" data-error-for="form" role="alert"></span></form>`;
}

function summaryHtml(r) {
  const ready = r.read - r.skipped;
  const items = r.dryRun
    ? [["imports.read", r.read], ["imports.ready", ready], ["imports.skipped", r.skipped], ["imports.problems", r.errorCount]]
    : [["imports.read", r.read], ["imports.written", r.written], ["imports.unchanged", r.unchanged],
      ["imports.skipped", r.skipped], ["imports.problems", r.errorCount]];
  return `<dl class="facts import-counts" data-testid="import-summary" data-dry-run="${r.dryRun}">${items.map(([k, v]) =>
    `<dt>${t(k)}</dt><dd data-count="${k.split(".")[1]}">${fmtNumber(v)}</dd>`).join("")}</dl>`;
}

function mappingHtml(columns, fields) {
  const options = (chosen) => [`<option value="">${t("imports.notImported")}</option>`, ...fields.map((f) =>
    `<option value="${esc(f.name)}" ${f.name === chosen ? "selected" : ""}>${esc(caption(f))} (${esc(f.name)})${f.required ? " *" : ""}</option>`)].join("");
  const unmapped = columns.filter((c) => !c.field).map((c) => c.header);
  const missing = fields.filter((f) => f.required && !columns.some((c) => c.field === f.name));
  return `<table class="data-table" data-testid="import-mapping"><thead><tr><th scope="col">${t("imports.header")}</th>
    <th scope="col">${t("imports.field")}</th></tr></thead><tbody>${columns.map((c, i) =>
      `<tr data-testid="mapping-row" data-header="${esc(c.header)}" data-field="${esc(c.field || "")}"><td>${esc(c.header)}</td>
        <td><select data-col="${i}" data-testid="mapping-select" aria-label="${esc(t("imports.fieldFor", { header: c.header }))}">${options(c.field)}</select></td></tr>`).join("")}
    </tbody></table>
    <p class="muted small" data-testid="import-unmapped">${unmapped.length
      ? t("imports.unmapped", { headers: unmapped.map((h) => `“${h}”`).join(", ") }) : t("imports.allMapped")}</p>
    ${missing.length ? `<p class="field-error" data-testid="import-missing">${esc(t("imports.missing", { fields: missing.map(caption).join(", ") }))}</p>` : ""}`;
}

function problemsHtml(r) {
  if (!r.errorCount) return `<p class="muted" data-testid="import-no-problems">${t("imports.noProblems")}</p>`;
  const shown = r.errors.length;
  return `<p data-testid="import-problem-count">${t(r.errorCount === 1 ? "imports.problemCountOne" : "imports.problemCount", {
    count: fmtNumber(r.errorCount), rows: fmtNumber(r.skipped) })}${shown < r.errorCount ? ` ${t("imports.firstShown", { shown: fmtNumber(shown) })}` : ""}</p>
    <div class="table-wrap"><table class="data-table" data-testid="import-problems"><thead><tr>
      <th scope="col">${t("imports.row")}</th><th scope="col">${t("imports.column")}</th><th scope="col">${t("imports.value")}</th>
      <th scope="col">${t("imports.reason")}</th></tr></thead><tbody>${r.errors.map((e) =>
        `<tr data-testid="problem-row" data-row="${e.row}"><td class="num">${e.row}</td><td>${esc(e.column)}</td><td>${esc(e.value)}</td><td>${esc(e.reason)}</td></tr>`).join("")}
    </tbody></table></div>
    ${r.errorCsv ? `<button type="button" data-act="errors" data-testid="import-error-file">${t("imports.errorFile")}</button>
      ${r.errorCsvTruncated ? `<span class="muted small" data-testid="import-error-file-cut">${t("imports.errorFileCut")}</span>` : ""}` : ""}`;
}

function progressHtml(p) {
  const step = p ? p.step : 1;
  const fraction = p && p.total ? p.done / p.total : 0;
  return `<ol class="import-phases" data-testid="import-phases">${PHASES.map((ph, i) =>
    `<li data-phase="${ph}" class="${i + 1 < step ? "done" : i + 1 === step ? "current" : ""}" ${i + 1 === step ? 'aria-current="step"' : ""}>${t(`imports.phase.${ph}`)}</li>`).join("")}</ol>
    <progress data-testid="import-progress" max="${PHASES.length}" value="${Math.min(PHASES.length, step - 1 + fraction)}"
      aria-label="${esc(t("imports.progress"))}"></progress>
    <p class="muted small" data-testid="import-progress-text" aria-live="polite">${p
      ? t("imports.phaseOf", { phase: t(`imports.phase.${p.phase}`), step: p.step, steps: p.steps })
        + (p.total ? ` · ${t("imports.rowsDone", { done: fmtNumber(p.done), total: fmtNumber(p.total) })}` : "")
      : t("imports.uploading")}</p>`;
}

/** Render the import page. */
export async function render(root, _params, _query, ctx) {
  if (ctx.user?.role === "viewer") {
    root.innerHTML = `<div class="home"><h1>${t("imports.title")}</h1><p class="muted" data-testid="imports-read-only">${t("imports.readOnly")}</p></div>`;
    root.dataset.ready = "1";
    return;
  }
  root.innerHTML = `<div class="home imports"><h1>${t("imports.title")}</h1><p class="muted">${t("imports.intro")}</p>
    <section class="card"><h2>${t("imports.choose")}</h2>${formHtml()}</section>
    <section class="card" data-testid="import-result" hidden><h2 data-testid="import-result-title"></h2>
      <div class="result-summary"></div>
      <div class="import-run" data-testid="import-run" hidden></div>
      <h3>${t("imports.mapping")}</h3><div class="result-mapping"></div>
      <div class="import-actions"><button type="button" data-act="recheck" data-testid="import-recheck">${t("imports.recheck")}</button>
        <button type="button" class="primary" data-act="run" data-testid="import-run-button">${t("imports.run")}</button></div>
      <span class="field-error" data-error-for="columns" role="alert" data-testid="import-mapping-error"></span>
      <h3>${t("imports.problemsTitle")}</h3><div class="result-problems"></div></section></div>`;
  const form = root.querySelector("[data-testid=import-form]");
  const result = root.querySelector("[data-testid=import-result]");
  const run = root.querySelector("[data-testid=import-run]");
  const state = { file: null, kind: null, fields: [], columns: null, last: null, busy: false };
  const fieldsCache = {};

  async function fieldsOf(kind) {
    if (!fieldsCache[kind]) fieldsCache[kind] = (await api.gql(FIELDS, { kind })).importFields;
    return fieldsCache[kind];
  }

  function chosenColumns() {
    return [...result.querySelectorAll("[data-testid=mapping-select]")].map((select) =>
      ({ header: state.columns[Number(select.dataset.col)].header, field: select.value || null }));
  }

  function setBusy(busy) {
    state.busy = busy;
    root.querySelectorAll("button").forEach((b) => { b.disabled = busy; });
    result.setAttribute("aria-busy", String(busy));
  }

  function clearErrors() {
    root.querySelectorAll(".field-error[data-error-for]").forEach((n) => { n.textContent = ""; });
  }

  function showErrors(errors) {
    for (const e of errors) {
      const target = root.querySelector(`[data-error-for="${e.field}"]`) || form.querySelector('[data-error-for="form"]');
      target.textContent = e.message;
    }
  }

  async function submit(dryRun, columns) {
    clearErrors();
    const progressId = dryRun ? null : randomId();
    let polling = null;
    let stopped = false;
    setBusy(true);
    if (!dryRun) {
      run.hidden = false;
      run.innerHTML = progressHtml(null);
      const poll = async () => {
        try {
          const p = (await api.gql(PROGRESS, { id: progressId })).importProgress;
          if (!stopped && p) { run.innerHTML = progressHtml(p); run.dataset.phase = p.phase; }
        } catch { /* the import's own answer reports failures */ }
        if (!stopped) polling = setTimeout(poll, POLL_MS);
      };
      polling = setTimeout(poll, POLL_MS);
    }
    try {
      const data = await api.gqlUpload(IMPORT, { kind: state.kind, dryRun, columns, progressId }, { file: state.file });
      const r = data.importFile;
      if (r.__typename === "ImportFileError") { showErrors(r.errors); run.hidden = true; return; }
      state.last = r;
      state.columns = r.columns;
      result.hidden = false;
      result.dataset.state = dryRun ? "checked" : "imported";
      result.querySelector("[data-testid=import-result-title]").textContent = t(dryRun ? "imports.checked" : "imports.imported",
        { file: state.file.name });
      result.querySelector(".result-summary").innerHTML = summaryHtml(r);
      result.querySelector(".result-mapping").innerHTML = mappingHtml(r.columns, state.fields);
      result.querySelector(".result-problems").innerHTML = problemsHtml(r);
      const ready = r.read - r.skipped;
      const runButton = result.querySelector("[data-testid=import-run-button]");
      runButton.textContent = t(ready === 1 ? "imports.runOne" : "imports.run", { count: fmtNumber(ready) });
      if (!dryRun) {
        stopped = true;
        run.innerHTML = progressHtml({ phase: "done", step: PHASES.length, steps: PHASES.length, done: r.read, total: r.read });
        run.dataset.phase = "done";
      } else {
        run.hidden = true;
      }
    } catch (err) {
      if (err.code === "unauthenticated") { window.dispatchEvent(new CustomEvent("crn:unauthenticated")); return; }
      form.querySelector('[data-error-for="form"]').innerHTML = errorBox(err);
      run.hidden = true;
    } finally {
      stopped = true;
      clearTimeout(polling);
      setBusy(false);
      const ready = state.last ? state.last.read - state.last.skipped : 0;
      result.querySelector("[data-testid=import-run-button]").disabled = !state.last || ready === 0 || (state.last && !state.last.dryRun);
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (state.busy) return;
    clearErrors();
    const file = form.elements.file.files[0];
    if (!file) { form.querySelector('[data-error-for="file"]').textContent = t("imports.noFile"); return; }
    state.file = file;
    state.kind = form.elements.kind.value;
    state.last = null;
    try {
      state.fields = await fieldsOf(state.kind);
    } catch (err) {
      form.querySelector('[data-error-for="form"]').textContent = errorMessage(err);
      return;
    }
    await submit(true, null);
  });
  // A changed file or kind needs a new check before it can be imported.
  form.addEventListener("change", () => {
    if (state.last) { result.hidden = true; state.last = null; }
  });
  result.addEventListener("change", (event) => {
    if (event.target.matches("[data-testid=mapping-select]")) {
      result.querySelector("[data-testid=import-run-button]").disabled = true;  // check the new mapping first
      event.target.closest("tr").dataset.field = event.target.value;
    }
  });
  result.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-act]");
    if (!button || state.busy) return;
    if (button.dataset.act === "recheck") await submit(true, chosenColumns());
    else if (button.dataset.act === "run") await submit(false, chosenColumns());
    else if (button.dataset.act === "errors" && state.last?.errorCsv) {
      const base = state.file.name.replace(/\.[^.]+$/, "");
      api.saveFile("\ufeff" + state.last.errorCsv, `${base}-errors.csv`, "text/csv;charset=utf-8");
    }
  });
  root.dataset.ready = "1";
}
