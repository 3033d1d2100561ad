// The pipeline: deals as a board by stage (drag a card, or pick a stage on it, to move the deal) or as a
// sortable table with CSV export. Filters (owner, close period, company or its whole family) and the
// board/table choice live in the address, so a view can be bookmarked.
import * as api from "../api.js";
import { t, fmtMoney, fmtDate, fmtPercent, fmtNumber } from "../i18n.js";
import { esc, errorBox, errorMessage, link } from "../ui.js";

export const name = "pipeline";

let stages = [];  // in pipeline order, as the server's board columns list them (from the model)

const CARD_FIELDS = "id name amount currency stage status probability expectedClose company { id name } owners { id name }";
const BOARD_QUERY = `query PipelineBoard($filter: BoardFilter) { pipelineBoard(filter: $filter, first: 100) {
  stage count totals { currency count amount weighted } deals { totalCount pageInfo { hasNextPage endCursor }
  edges { node { ${CARD_FIELDS} } } } } }`;
const COLUMN_QUERY = `query PipelineColumn($filter: BoardFilter, $stages: [DealStage!], $after: String) {
  pipelineBoard(filter: $filter, stages: $stages, first: 100, after: $after) { stage count deals { totalCount
  pageInfo { hasNextPage endCursor } edges { node { ${CARD_FIELDS} } } } } }`;
const OWNERS_QUERY = `query BoardOwners { users(first: 100) { edges { node { id name team } } } }`;
const COMPANY_QUERY = `query BoardCompany($id: ID!) { node(id: $id) { id ... on Company { name } } }`;
const COMPANY_SEARCH = `query BoardCompanySearch($text: String!) { search(text: $text, types: [COMPANY], first: 8) { id name detail } }`;
const MOVE_MUTATION = `mutation BoardMove($id: ID!, $stage: String!) { dealUpdate(id: $id, input: {stage: $stage}) {
  __typename ... on DealUpdateSuccess { deal { id stage status } } ... on DealUpdateError { errors { code message field } } } }`;

const SORTS = {
  name: (d) => d.name.toLowerCase(), company: (d) => (d.company?.name || "").toLowerCase(),
  stage: (d) => stages.indexOf(d.stage), amount: (d) => d.amount ?? 0, weighted: (d) => weightOf(d),
  probability: (d) => d.probability ?? 0, close: (d) => d.expectedClose || "", owner: (d) => ownerNames(d).toLowerCase(),
};

/** The status a stage implies (as the API sets it). */
export function statusOf(stage) {
  return stage === "closed_won" ? "won" : stage === "closed_lost" ? "lost" : "open";
}

/** A deal's weighted amount: open deals at their probability, won ones in full, lost ones 0 (as the API counts). */
export function weightOf(deal) {
  const status = statusOf(deal.stage);
  const amount = deal.amount ?? 0;
  return status === "won" ? amount : status === "lost" ? 0 : amount * (deal.probability ?? 0);
}

function ownerNames(deal) {
  return deal.owners.map((o) => o.name).join(", ");
}

function isoDay(date) {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
}

/** [from, to] (YYYY-MM-DD) of a close period: this month, this quarter, or the custom range given. */
export function periodRange(period, from, to, today = new Date()) {
  const y = today.getFullYear();
  const m = today.getMonth();
  if (period === "month") return [isoDay(new Date(y, m, 1)), isoDay(new Date(y, m + 1, 0))];
  if (period === "quarter") { const q = Math.floor(m / 3) * 3; return [isoDay(new Date(y, q, 1)), isoDay(new Date(y, q + 3, 0))]; }
  if (period === "custom") return [from || null, to || null];
  return [null, null];
}

function userGid(uid) {
  return btoa(`User:${uid}`);
}

/** Filters and view from the address's query string. */
function readState(query) {
  return {
    owner: query.get("owner") || "", team: query.get("team") || "", period: query.get("period") || "", from: query.get("from") || "",
    to: query.get("to") || "", company: query.get("company") || "", family: query.get("family") === "1",
    view: query.get("view") === "table" ? "table" : "board", sort: query.get("sort") || "close",
    dir: query.get("dir") === "desc" ? "desc" : "asc",
  };
}

function hashOf(state) {
  const q = new URLSearchParams();
  for (const key of ["owner", "team", "period", "company", "sort"]) if (state[key] && !(key === "sort" && state.sort === "close")) q.set(key, state[key]);
  if (state.period === "custom") { if (state.from) q.set("from", state.from); if (state.to) q.set("to", state.to); }
  if (state.company && state.family) q.set("family", "1");
  if (state.view === "table") q.set("view", "table");
  if (state.dir === "desc") q.set("dir", "desc");
  const qs = q.toString();
  return `#/pipeline${qs ? `?${qs}` : ""}`;
}

function apiFilter(state) {
  const [from, to] = periodRange(state.period, state.from, state.to);
  const filter = {};
  if (state.owner) filter.owner = state.owner;
  if (state.team) filter.team = state.team;
  if (from) filter.closeFrom = from;
  if (to) filter.closeTo = to;
  if (state.company) { filter.company = state.company; filter.family = state.family; }
  return filter;
}

function stageLabel(stage) {
  return t(`stage.${stage}`);
}

function totalsHtml(totals) {
  if (!totals.length) return `<span class="muted">${t("board.noDeals")}</span>`;
  return totals.map((x) => `<div class="col-total" data-testid="col-total" data-currency="${esc(x.currency)}">
    <span data-testid="col-amount">${fmtMoney(x.amount, x.currency)}</span>
    <span class="muted">${t("board.weighted")} <span data-testid="col-weighted">${fmtMoney(x.weighted, x.currency)}</span></span></div>`).join("");
}

function cardHtml(deal, canWrite) {
  const options = stages.map((s) => `<option value="${s}" ${s === deal.stage ? "selected" : ""}>${esc(stageLabel(s))}</option>`).join("");
  return `<article class="deal-card" data-testid="deal-card" data-id="${esc(deal.id)}" ${canWrite ? 'draggable="true"' : ""}>
    <div class="deal-card-name">${link("Deal", deal.id, deal.name)}</div>
    <div class="muted small">${deal.company ? link("Company", deal.company.id, deal.company.name) : "—"}</div>
    <div class="deal-card-figures"><span data-testid="card-amount">${fmtMoney(deal.amount, deal.currency)}</span>
      <span class="muted">${fmtPercent(deal.probability)}</span>
      <span class="muted" title="${esc(t("field.expectedClose"))}">${fmtDate(deal.expectedClose)}</span></div>
    <div class="muted small">${esc(ownerNames(deal)) || "—"}</div>
    ${canWrite ? `<label class="deal-card-stage small"><span>${t("board.moveTo")}</span>
      <select data-testid="card-stage" data-id="${esc(deal.id)}" aria-label="${esc(t("board.moveDeal", { name: deal.name }))}">${options}</select></label>` : ""}
  </article>`;
}

function columnHtml(col, canWrite) {
  const more = col.hasNext ? `<button type="button" class="load-more" data-act="more" data-stage="${col.stage}" data-testid="col-more">${t("board.more", { count: col.count - col.deals.length })}</button>` : "";
  return `<section class="board-col" data-testid="board-column" data-stage="${col.stage}" aria-label="${esc(stageLabel(col.stage))}">
    <header class="board-col-head"><h2>${esc(stageLabel(col.stage))} <span class="badge" data-testid="col-count">${fmtNumber(col.count)}</span></h2>
      <div class="col-totals" data-testid="col-totals">${totalsHtml(col.totals)}</div></header>
    <div class="board-col-cards">${col.deals.map((d) => cardHtml(d, canWrite)).join("") || `<p class="muted small">${t("board.dropHere")}</p>`}</div>${more}
  </section>`;
}

/** The deals in the table's order (its sort column and direction; ties by name). */
function sortedRows(rows, state) {
  const sortKey = SORTS[state.sort] ? state.sort : "close";
  return [...rows].sort((a, b) => {
    const x = SORTS[sortKey](a);
    const y = SORTS[sortKey](b);
    const c = x < y ? -1 : x > y ? 1 : a.name.localeCompare(b.name);
    return state.dir === "desc" ? -c : c;
  });
}

function tableHtml(rows, state, columns) {
  const headers = [["name", "board.name"], ["company", "field.company"], ["stage", "field.stage"], ["amount", "field.amount"],
    ["weighted", "board.weightedAmount"], ["probability", "field.probability"], ["close", "field.expectedClose"], ["owner", "board.owner"]];
  const sortKey = SORTS[state.sort] ? state.sort : "close";
  const sorted = sortedRows(rows, state);
  const total = columns.reduce((n, c) => n + c.count, 0);
  const head = headers.map(([key, label]) => {
    const aria = key === sortKey ? (state.dir === "desc" ? "descending" : "ascending") : "none";
    return `<th scope="col" aria-sort="${aria}"><button type="button" data-act="sort" data-sort="${key}" data-testid="sort-${key}">${t(label)}${key === sortKey ? (state.dir === "desc" ? " ▼" : " ▲") : ""}</button></th>`;
  }).join("");
  const body = sorted.map((d) => `<tr data-testid="deal-row" data-id="${esc(d.id)}"><td>${link("Deal", d.id, d.name)}</td>
    <td>${d.company ? link("Company", d.company.id, d.company.name) : "—"}</td><td>${esc(stageLabel(d.stage))}</td>
    <td class="num">${fmtMoney(d.amount, d.currency)}</td><td class="num">${fmtMoney(weightOf(d), d.currency)}</td>
    <td class="num">${fmtPercent(d.probability)}</td><td>${fmtDate(d.expectedClose)}</td><td>${esc(ownerNames(d))}</td></tr>`).join("");
  return `<p class="muted small" data-testid="table-count">${t("board.tableCount", { shown: fmtNumber(rows.length), total: fmtNumber(total) })}</p>
    <div class="table-wrap"><table class="deals-table" data-testid="deals-table"><thead><tr>${head}</tr></thead>
    <tbody>${body || `<tr><td colspan="8" class="muted">${t("board.noDeals")}</td></tr>`}</tbody></table></div>`;
}

const EXPORT_HEAD = ["id", "name", "company", "stage", "status", "amount", "currency", "probability", "weighted", "expected_close", "owners"];

/** The exported cells of deals, one array per deal in EXPORT_HEAD's order (amounts as plain numbers). */
function exportCells(rows) {
  return rows.map((d) => [d.id, d.name, d.company?.name ?? null, d.stage, statusOf(d.stage), d.amount ?? null, d.currency ?? null,
    d.probability ?? null, Math.round(weightOf(d) * 100) / 100, d.expectedClose ?? null, ownerNames(d)]);
}

/** CSV text of deals (RFC 4180 quoting; amounts as plain numbers with their currency). */
export function toCsv(rows) {
  const cell = (v) => { const s = String(v ?? ""); return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s; };
  const lines = exportCells(rows).map((cells) => cells.map(cell).join(","));
  return [EXPORT_HEAD.join(","), ...lines].join("\r\n") + "\r\n";
}

// imports-rules: the same table as an XLSX workbook, written by the server (crn.ingest.exporter.table_file)
const TABLE_EXPORT = `query BoardTableExport($headers: [String!]!, $rows: JSON!) { tableExport(headers: $headers, rows: $rows, format: "xlsx") {
  __typename ... on TableExportSuccess { contentBase64 contentType rows } ... on TableExportError { errors { code message } } } }`;

function filtersHtml(state, owners, companyName, me) {
  const ownerOptions = [`<option value="">${t("board.allOwners")}</option>`,
    me ? `<option value="${esc(me)}" ${state.owner === me ? "selected" : ""}>${t("board.me")}</option>` : "",
    ...owners.filter((o) => o.id !== me).map((o) => `<option value="${esc(o.id)}" ${o.id === state.owner ? "selected" : ""}>${esc(o.name)}</option>`)].join("");
  const teams = [...new Set([...owners.map((o) => o.team).filter(Boolean), state.team].filter(Boolean))].sort();
  const teamOptions = [`<option value="">${t("board.allTeams")}</option>`,
    ...teams.map((x) => `<option value="${esc(x)}" ${x === state.team ? "selected" : ""}>${esc(x)}</option>`)].join("");
  const periods = [["", "board.anyTime"], ["month", "board.thisMonth"], ["quarter", "board.thisQuarter"], ["custom", "board.custom"]]
    .map(([v, k]) => `<option value="${v}" ${v === state.period ? "selected" : ""}>${t(k)}</option>`).join("");
  const company = state.company
    ? `<span class="chip" data-testid="company-chip">${esc(companyName || "…")}
        <button type="button" data-act="clear-company" data-testid="company-clear" aria-label="${esc(t("board.clearCompany"))}">✕</button></span>
       <label class="inline"><input type="checkbox" data-testid="filter-family" data-f="family" ${state.family ? "checked" : ""}> ${t("board.family")}</label>`
    : `<span class="company-pick"><input type="search" data-testid="filter-company" placeholder="${esc(t("board.companyPlaceholder"))}" aria-label="${esc(t("field.company"))}" autocomplete="off">
        <ul class="search-results" data-testid="company-results" hidden></ul></span>`;
  return `<form class="board-filters" data-testid="board-filters" role="search">
    <label>${t("board.owner")} <select data-f="owner" data-testid="filter-owner">${ownerOptions}</select></label>
    <label>${t("board.team")} <select data-f="team" data-testid="filter-team">${teamOptions}</select></label>
    <label>${t("board.period")} <select data-f="period" data-testid="filter-period">${periods}</select></label>
    ${state.period === "custom" ? `<label>${t("board.from")} <input type="date" data-f="from" data-testid="filter-from" value="${esc(state.from)}"></label>
      <label>${t("board.to")} <input type="date" data-f="to" data-testid="filter-to" value="${esc(state.to)}"></label>` : ""}
    <span class="board-company">${t("field.company")} ${company}</span>
    <span class="view-toggle" role="group" aria-label="${esc(t("board.viewAs"))}">
      <button type="button" data-act="view" data-view="board" data-testid="view-board" aria-pressed="${state.view === "board"}">${t("board.asBoard")}</button>
      <button type="button" data-act="view" data-view="table" data-testid="view-table" aria-pressed="${state.view === "table"}">${t("board.asTable")}</button>
    </span>
    <button type="button" data-act="csv" data-testid="export-csv">${t("board.exportCsv")}</button>
    <button type="button" data-act="xlsx" data-testid="export-xlsx">${t("board.exportXlsx")}</button>
    <span class="field-error" role="alert" data-testid="export-error"></span>
  </form>`;
}

/** Render the pipeline view. */
export async function render(root, _params, query, ctx) {
  const state = readState(query);
  const me = ctx.user?.uid ? userGid(ctx.user.uid) : "";
  const canWrite = ctx.user?.role !== "viewer";
  let columns = [];
  let owners = [];
  let companyName = "";
  let loadSeq = 0;
  let focusAfter = null;  // the card whose stage picker had the focus before a redraw (keyboard moves)

  root.innerHTML = `<div class="view-head"><h1 data-testid="view-title">${t("board.title")}</h1></div>
    <div data-testid="filters-host"></div><div class="board-msg" data-testid="board-msg" aria-live="polite"></div><div data-testid="summary-host"></div>
    <div class="board-host" data-testid="board-host"><div class="loading" aria-busy="true">…</div></div>`;
  const filtersHost = root.querySelector("[data-testid=filters-host]");
  const host = root.querySelector("[data-testid=board-host]");
  const msg = root.querySelector("[data-testid=board-msg]");
  document.title = `${t("board.title")} · crn`;

  const say = (html, kind = "") => { msg.className = `board-msg ${kind}`; msg.innerHTML = html; };
  const rows = () => columns.flatMap((c) => c.deals);

  function drawFilters() {
    filtersHost.innerHTML = filtersHtml(state, owners, companyName, me);
  }

  /** The open pipeline (every stage but the closed ones) per currency, over all pages. */
  function summaryHtml() {
    const sums = {};
    columns.filter((c) => statusOf(c.stage) === "open").flatMap((c) => c.totals).forEach((x) => {
      const s = (sums[x.currency] ||= { count: 0, amount: 0, weighted: 0 });
      s.count += x.count; s.amount += x.amount; s.weighted += x.weighted;
    });
    const parts = Object.entries(sums).sort(([a], [b]) => a.localeCompare(b)).map(([currency, s]) =>
      `<span data-testid="open-total" data-currency="${esc(currency)}">${t(s.count === 1 ? "board.openTotalOne" : "board.openTotal", { count: fmtNumber(s.count),
        amount: fmtMoney(s.amount, currency), weighted: fmtMoney(s.weighted, currency) })}</span>`);
    return `<p class="board-summary" data-testid="board-summary">${t("board.openPipeline")}: ${parts.join(" · ") || t("board.noDeals")}</p>`;
  }

  function draw() {
    root.querySelector("[data-testid=summary-host]").innerHTML = summaryHtml();
    if (state.view === "table") host.innerHTML = tableHtml(rows(), state, columns);
    else host.innerHTML = `<div class="board" data-testid="board">${columns.map((c) => columnHtml(c, canWrite)).join("")}</div>`;
    if (focusAfter) host.querySelector(`select[data-testid=card-stage][data-id="${CSS.escape(focusAfter)}"]`)?.focus();
  }

  /** Keep the address in step with the filters (bookmarkable) without re-running the router. */
  function syncHash() {
    const hash = hashOf(state);
    if (location.hash !== hash) history.replaceState(null, "", hash);
    root.dataset.hash = location.hash;
  }

  async function load() {
    const mine = ++loadSeq;
    delete root.dataset.ready;
    const data = await api.gql(BOARD_QUERY, { filter: apiFilter(state) });
    if (mine !== loadSeq || !ctx.isCurrent()) return;
    columns = data.pipelineBoard.map((c) => ({
      stage: c.stage.toLowerCase(), count: c.count, totals: c.totals, deals: c.deals.edges.map((e) => e.node),
      hasNext: c.deals.pageInfo.hasNextPage, endCursor: c.deals.pageInfo.endCursor,
    }));
    stages = columns.map((c) => c.stage);
    draw();
    root.dataset.ready = "1";
  }

  async function reload() {
    try { await load(); } catch (err) {
      if (err.code === "unauthenticated") { window.dispatchEvent(new CustomEvent("crn:unauthenticated")); return; }
      host.innerHTML = errorBox(err);
      root.dataset.ready = "1";
    }
  }

  async function loadMore(stage) {
    const col = columns.find((c) => c.stage === stage);
    if (!col?.hasNext) return;
    try {
      const data = await api.gql(COLUMN_QUERY, { filter: apiFilter(state), stages: [stage.toUpperCase()], after: col.endCursor });
      const page = data.pipelineBoard[0];
      col.deals.push(...page.deals.edges.map((e) => e.node));
      col.hasNext = page.deals.pageInfo.hasNextPage;
      col.endCursor = page.deals.pageInfo.endCursor;
      draw();
    } catch (err) { say(errorBox(err)); }
  }

  function adjust(col, deal, sign) {
    col.count += sign;
    const currency = deal.currency || "USD";
    let total = col.totals.find((x) => x.currency === currency);
    if (!total) { total = { currency, count: 0, amount: 0, weighted: 0 }; col.totals.push(total); col.totals.sort((a, b) => a.currency.localeCompare(b.currency)); }
    total.count += sign;
    total.amount += sign * (deal.amount ?? 0);
    total.weighted += sign * weightOf(deal);
    col.totals = col.totals.filter((x) => x.count > 0);
  }

  /** Optimistic move: the card and the totals move at once; the API's refusal puts everything back. */
  async function move(id, stage) {
    const from = columns.find((c) => c.deals.some((d) => d.id === id));
    const to = columns.find((c) => c.stage === stage);
    if (!from || !to || from === to) return;
    const snapshot = structuredClone(columns);
    focusAfter = document.activeElement?.matches?.("select[data-testid=card-stage]") ? id : null;
    const deal = from.deals.find((d) => d.id === id);
    adjust(from, deal, -1);
    from.deals = from.deals.filter((d) => d.id !== id);
    const moved = { ...deal, stage, status: statusOf(stage) };
    adjust(to, moved, +1);
    to.deals = [...to.deals, moved].sort((a, b) => (a.expectedClose || "9999").localeCompare(b.expectedClose || "9999"));
    draw();
    root.dataset.moving = id;
    say(esc(t("board.moving", { name: deal.name, stage: stageLabel(stage) })));
    let failure = null;
    try {
      const data = await api.gql(MOVE_MUTATION, { id, stage });
      const result = data.dealUpdate;
      if (result.__typename !== "DealUpdateSuccess") failure = result.errors.map((e) => e.message).join("; ");
    } catch (err) {
      if (err.code === "unauthenticated") { window.dispatchEvent(new CustomEvent("crn:unauthenticated")); return; }
      failure = errorMessage(err);
    }
    if (!ctx.isCurrent()) return;
    if (failure) {
      columns = snapshot;
      draw();
      say(`<div class="error" role="alert" data-testid="move-error">${esc(t("board.moveFailed", { name: deal.name, message: failure }))}</div>`);
      root.dataset.lastMove = `${id}:failed`;
    } else {
      say(esc(t("board.moved", { name: deal.name, stage: stageLabel(stage) })), "ok");
      await reload();  // the server's totals (other users' changes, pages beyond the first)
      root.dataset.lastMove = `${id}:${stage}`;
    }
    delete root.dataset.moving;
    focusAfter = null;
  }

  function download() {
    const blob = new Blob(["\ufeff" + toCsv(rows())], { type: "text/csv;charset=utf-8" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `pipeline-${isoDay(new Date())}.csv`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  async function downloadXlsx(button) {
    const error = filtersHost.querySelector("[data-testid=export-error]");
    error.textContent = "";
    button.disabled = true;
    try {
      const result = (await api.gql(TABLE_EXPORT, { headers: EXPORT_HEAD, rows: exportCells(sortedRows(rows(), state)) })).tableExport;
      if (result.__typename === "TableExportError") { error.textContent = result.errors[0].message; return; }
      const bytes = Uint8Array.from(atob(result.contentBase64), (c) => c.charCodeAt(0));
      api.saveFile(new Blob([bytes], { type: result.contentType }), `pipeline-${isoDay(new Date())}.xlsx`);
    } catch (err) {
      error.textContent = errorMessage(err);
    } finally {
      button.disabled = false;
    }
  }

  // ---- events (delegated: the board and the filters are redrawn often) ----
  filtersHost.addEventListener("change", (event) => {
    const f = event.target.dataset.f;
    if (!f) return;
    state[f] = event.target.type === "checkbox" ? event.target.checked : event.target.value;
    if (f === "period") drawFilters();
    syncHash();
    reload();
  });
  filtersHost.addEventListener("submit", (event) => event.preventDefault());
  filtersHost.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-act]");
    const pick = event.target.closest("li[data-id]");
    if (pick) {
      state.company = pick.dataset.id;
      companyName = pick.dataset.name;
      drawFilters();
      syncHash();
      reload();
      return;
    }
    if (!button) return;
    const act = button.dataset.act;
    if (act === "view") {
      state.view = button.dataset.view;
      drawFilters();
      syncHash();
      draw();
    } else if (act === "clear-company") {
      state.company = "";
      state.family = false;
      companyName = "";
      drawFilters();
      syncHash();
      reload();
    } else if (act === "csv") {
      download();
    } else if (act === "xlsx") {
      downloadXlsx(event.target.closest("button"));
    }
  });
  let searchTimer = null;
  let searchSeq = 0;
  filtersHost.addEventListener("input", (event) => {
    if (event.target.dataset.testid !== "filter-company") return;
    const input = event.target;
    const list = filtersHost.querySelector("[data-testid=company-results]");
    clearTimeout(searchTimer);
    const text = input.value.trim();
    if (!text) { list.hidden = true; return; }
    searchTimer = setTimeout(async () => {
      const mine = ++searchSeq;
      try {
        const hits = (await api.gql(COMPANY_SEARCH, { text })).search;
        if (mine !== searchSeq) return;
        list.innerHTML = hits.length ? hits.map((h) => `<li role="option" tabindex="0" data-id="${esc(h.id)}" data-name="${esc(h.name)}" data-testid="company-result">
          <span class="name">${esc(h.name)}</span><span class="detail">${esc(h.detail || "")}</span></li>`).join("") : `<li class="muted">${t("search.none")}</li>`;
      } catch (err) { list.innerHTML = `<li>${errorBox(err)}</li>`; }
      list.hidden = false;
    }, 150);
  });
  filtersHost.addEventListener("keydown", (event) => {
    const li = event.target.closest("li[data-id]");
    if (li && event.key === "Enter") { event.preventDefault(); li.click(); }
  });

  host.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-act]");
    if (!button) return;
    if (button.dataset.act === "more") loadMore(button.dataset.stage);
    if (button.dataset.act === "sort") {
      const key = button.dataset.sort;
      state.dir = state.sort === key && state.dir === "asc" ? "desc" : "asc";
      state.sort = key;
      syncHash();
      draw();
      host.querySelector(`[data-sort="${key}"]`)?.focus();
    }
  });
  host.addEventListener("change", (event) => {
    const select = event.target.closest("select[data-testid=card-stage]");
    if (select) move(select.dataset.id, select.value);
  });
  host.addEventListener("dragstart", (event) => {
    const card = event.target.closest?.(".deal-card[draggable=true]");
    if (!card) return;
    event.dataTransfer.setData("text/plain", card.dataset.id);
    event.dataTransfer.effectAllowed = "move";
    card.classList.add("dragging");
  });
  host.addEventListener("dragend", (event) => event.target.closest?.(".deal-card")?.classList.remove("dragging"));
  host.addEventListener("dragover", (event) => {
    const col = event.target.closest?.(".board-col");
    if (!col || !canWrite) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    host.querySelectorAll(".board-col.drop-target").forEach((c) => { if (c !== col) c.classList.remove("drop-target"); });
    col.classList.add("drop-target");
  });
  host.addEventListener("dragleave", (event) => {
    const col = event.target.closest?.(".board-col");
    if (col && !col.contains(event.relatedTarget)) col.classList.remove("drop-target");
  });
  host.addEventListener("drop", (event) => {
    const col = event.target.closest?.(".board-col");
    if (!col) return;
    event.preventDefault();
    col.classList.remove("drop-target");
    const id = event.dataTransfer.getData("text/plain");
    if (id) move(id, col.dataset.stage);
  });

  // ---- first load: owners and the company's name alongside the board ----
  drawFilters();
  const side = Promise.all([
    api.gql(OWNERS_QUERY).then((d) => { owners = d.users.edges.map((e) => e.node); }).catch(() => null),
    state.company ? api.gql(COMPANY_QUERY, { id: state.company }).then((d) => { companyName = d.node?.name || ""; }).catch(() => null) : null,
  ]).then(() => { if (ctx.isCurrent()) drawFilters(); });
  await reload();
  await side;
  return () => { loadSeq += 1; clearTimeout(searchTimer); };
}
