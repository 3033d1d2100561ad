// The landing view, "my day": my open tasks (overdue first) with complete / snooze, and a new-task form; my deals
// closing this month or quarter, and the alerts only a graph can raise on my accounts, each linking to its record.
import * as api from "../api.js";
import { t, fmtDate, fmtMoney, fmtPercent, roleLabel, locale } from "../i18n.js";
import { esc, errorBox, section, fill, nodesOf, link } from "../ui.js";
import { kindLabel } from "./activity.js";

export const name = "home";

const MY_TASKS = `query MyOpenTasks { myOpenTasks(first: 50) { totalCount
  edges { node { uid title dueAt overdue } } } }`;
const TASK_FIELDS = "... on TaskSuccess { task { uid status } } ... on TaskError { errors { code message field } }";
const COMPLETE = `mutation TaskComplete($uid: String!) { taskComplete(uid: $uid) { __typename ${TASK_FIELDS} } }`;
const SNOOZE = `mutation TaskSnooze($uid: String!, $until: DateTime!) { taskSnooze(uid: $uid, until: $until) { __typename ${TASK_FIELDS} } }`;
const CREATE = `mutation TaskCreate($input: TaskInput!) { taskCreate(input: $input) { __typename ${TASK_FIELDS} } }`;

const USERS = `query TaskUsers { me { uid } users(first: 100) { edges { node { uid name active } } } }`;
const ASSIGN = `mutation TaskAssign($uid: String!, $assignee: String!) { taskAssign(uid: $uid, assignee: $assignee) { __typename ${TASK_FIELDS} } }`;
const RECENT = `query MyRecentActivity { myRecentActivity(first: 10) { people company { id name }
  interaction { id kind subject at } } }`;

// ---- workspace2: deals closing and alerts on my accounts ----
const CLOSING = `query DealsClosing($period: ClosePeriod!) { dealsClosing(period: $period) { start end
  deals { id name amount currency stage expectedClose company { id name } } } }`;
const ALERTS = `query MyAlerts { myAlerts { kind slaState role leftOn company { id name } deal { id name }
  person { id name } ticket { id subject slaDueAt } movedTo { id name } strength lastAt } }`;

function closingHtml(data, period) {
  const toggle = ["month", "quarter"].map((p) => `<button type="button" data-period="${p}" data-testid="closing-${p}"
    aria-pressed="${p === period}" class="${p === period ? "active" : ""}">${esc(t(`home.period.${p}`))}</button>`).join("");
  const rows = data.deals.map((d) => `<li data-testid="closing-deal" data-id="${esc(d.id)}">${link("Deal", d.id, d.name)}
    <span class="muted">${d.company ? esc(d.company.name) : ""} · ${fmtMoney(d.amount, d.currency)} · ${fmtDate(d.expectedClose)}</span></li>`).join("");
  return `<div class="period-toggle" role="group" aria-label="${esc(t("home.period"))}">${toggle}</div>
    <p class="muted small">${esc(fmtDate(data.start))} – ${esc(fmtDate(data.end))}</p>
    ${rows ? `<ul class="list" data-testid="closing-deals">${rows}</ul>` : `<p class="muted" data-testid="closing-empty">${esc(t("home.noClosing"))}</p>`}`;
}

function fmtWhen(value) {
  return value ? new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(new Date(value)) : "—";
}

/** One alert: what happened, on which account, and a link to act on it. */
function alertHtml(a) {
  const account = link("Company", a.company.id, a.company.name);
  let text;
  let href;
  if (a.kind === "SLA_AT_RISK") {
    text = t(a.slaState === "BREACHED" ? "home.alert.slaBreached" : "home.alert.slaSoon", { subject: a.ticket.subject, when: fmtWhen(a.ticket.slaDueAt) });
    href = `#/tickets?company=${encodeURIComponent(a.company.id)}`;
  } else if (a.kind === "CHAMPION_LEFT") {
    text = t(a.movedTo ? "home.alert.leftFor" : "home.alert.left", { name: a.person.name, role: roleLabel(a.role), deal: a.deal.name,
      when: fmtDate(a.leftOn), company: a.movedTo?.name || "" });
    href = `#/deal/${encodeURIComponent(a.deal.id)}`;
  } else if (a.kind === "DECAYING_TIE") {
    text = t(a.lastAt ? "home.alert.decaying" : "home.alert.decayingNever", { name: a.person.name, role: roleLabel(a.role),
      deal: a.deal.name, when: fmtDate(a.lastAt), strength: fmtPercent(a.strength) });
    href = `#/person/${encodeURIComponent(a.person.id)}`;  // log the call from there
  } else {
    text = t("home.alert.singleThreaded", { deal: a.deal.name, name: a.person.name });
    href = `#/deal/${encodeURIComponent(a.deal.id)}`;
  }
  const kind = a.kind.toLowerCase();
  return `<li class="alert alert-${esc(kind)}" data-testid="alert" data-kind="${esc(kind)}">
    <span class="badge alert-kind">${esc(t(`home.alertKind.${kind}`))}</span> <strong class="alert-account">${account}</strong>
    <span class="muted" aria-hidden="true">·</span> <a href="${href}" data-testid="alert-link">${esc(text)}</a></li>`;
}

async function loadClosing(root, period) {
  const data = (await api.gql(CLOSING, { period: period.toUpperCase() })).dealsClosing;
  fill(root, "home.closing", closingHtml(data, period));
}

async function loadAlerts(root) {
  const list = (await api.gql(ALERTS)).myAlerts;
  fill(root, "home.alerts", list.length ? `<ul class="alerts" data-testid="alerts">${list.map(alertHtml).join("")}</ul>`
    : `<p class="muted" data-testid="alerts-empty">${esc(t("home.noAlerts"))}</p>`);
}

/** Tomorrow or next Monday, 09:00 local time. */
function snoozeUntil(kind) {
  const d = new Date();
  d.setHours(9, 0, 0, 0);
  if (kind === "week") d.setDate(d.getDate() + ((8 - d.getDay()) % 7 || 7));
  else d.setDate(d.getDate() + 1);
  return d.toISOString();
}

function taskRow(task) {
  return `<li class="task${task.overdue ? " overdue" : ""}" data-testid="task" data-uid="${esc(task.uid)}">
    <span class="task-title">${esc(task.title)}</span>
    <span class="task-due muted">${task.dueAt ? esc(fmtDate(task.dueAt)) : ""}${task.overdue ? ` · <strong>${t("activity.overdue")}</strong>` : ""}</span>
    <span class="task-actions">
      <button type="button" data-action="complete" data-testid="task-complete">${t("activity.complete")}</button>
      <button type="button" data-action="tomorrow" data-testid="task-snooze-tomorrow">${t("activity.snoozeTomorrow")}</button>
      <button type="button" data-action="week" data-testid="task-snooze-week">${t("activity.snoozeWeek")}</button>
      ${users.length > 1 ? `<select data-action="assign" data-testid="task-assign" aria-label="${esc(t("home.giveTo"))}">
        <option value="">${esc(t("home.giveTo"))}</option>${users.filter((u) => u.uid !== myUid).map((u) =>
          `<option value="${esc(u.uid)}">${esc(u.name)}</option>`).join("")}</select>` : ""}
    </span></li>`;
}

async function loadTasks(root) {
  const data = await api.gql(MY_TASKS);
  const tasks = nodesOf(data.myOpenTasks);
  fill(root, "activity.myTasks", tasks.length
    ? `<ul class="tasks" data-testid="my-tasks">${tasks.map(taskRow).join("")}</ul>`
    : `<p class="muted" data-testid="my-tasks-empty">${t("activity.noTasks")}</p>`);
}

function showFieldErrors(form, errors) {
  form.querySelectorAll(".field-error").forEach((n) => { n.textContent = ""; });
  for (const e of errors) {
    const slot = form.querySelector(`[data-error-for="${e.field}"]`) || form.querySelector(`[data-error-for="form"]`);
    slot.textContent = t(`activity.error.${e.code}`) === `activity.error.${e.code}` ? e.message : t(`activity.error.${e.code}`);
  }
}

function recentHtml(items) {
  if (!items.length) return `<p class="muted" data-testid="recent-empty">${esc(t("home.noRecent"))}</p>`;
  return `<ul class="list" data-testid="recent-activity">${items.map((a) => `<li data-testid="recent-item">
    <span class="badge">${esc(kindLabel(a.interaction.kind))}</span> ${esc(a.interaction.subject || "")}
    · ${link("Company", a.company.id, a.company.name)}
    <span class="muted">${esc(a.people.join(", "))} · ${esc(fmtWhen(a.interaction.at))}</span></li>`).join("")}</ul>`;
}

async function loadRecent(root) {
  fill(root, "home.recent", recentHtml((await api.gql(RECENT)).myRecentActivity));
}

let users = [];  // who a task may be given to (active users), loaded with the page
let myUid = null;

function assigneeOptions(selected) {
  return users.map((u) => `<option value="${esc(u.uid)}"${u.uid === selected ? " selected" : ""}>${esc(u.name)}</option>`).join("");
}

/** Render my day. */
export async function render(root) {
  root.innerHTML = `<div class="home"><h1>${t("home.title")}</h1><p class="muted">${t("home.hint")}</p>
    ${section("activity.myTasks", undefined, "my-tasks")}
    ${section("home.alerts", undefined, "alerts")}
    ${section("home.closing", undefined, "closing")}
    ${section("home.recent", undefined, "recent")}
    <section class="card" data-testid="section-new-task"><h2>${t("activity.newTask")}</h2>
      <form class="task-form" data-testid="new-task-form" novalidate>
        <label>${t("activity.taskTitle")} <input name="title" data-testid="new-task-title" required></label>
        <span class="field-error" data-error-for="title" role="alert"></span>
        <label>${t("activity.dueDate")} <input name="due" type="date" data-testid="new-task-due"></label>
        <span class="field-error" data-error-for="due_at" role="alert"></span>
        <label>${t("home.assignTo")} <select name="assignee" data-testid="new-task-assignee"></select></label>
        <span class="field-error" data-error-for="assignee" role="alert"></span>
        <span class="field-error" data-error-for="form" role="alert"></span>
        <button type="submit" data-testid="new-task-save">${t("activity.addTask")}</button>
      </form></section></div>`;
  const list = root.querySelector('[data-section="activity.myTasks"]');
  list.addEventListener("change", async (event) => {
    const select = event.target.closest("select[data-action=assign]");
    if (!select || !select.value) return;
    const uid = select.closest("[data-uid]").dataset.uid;
    try {
      const result = (await api.gql(ASSIGN, { uid, assignee: select.value })).taskAssign;
      if (result.__typename !== "TaskSuccess") throw new Error(result.errors.map((e) => e.message).join("; "));
      await loadTasks(root);  // given to someone else: it leaves my list
    } catch (err) {
      select.closest("li").insertAdjacentHTML("beforeend", errorBox(err));
    }
  });
  list.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const uid = button.closest("[data-uid]").dataset.uid;
    const action = button.dataset.action;
    button.disabled = true;
    try {
      const data = action === "complete" ? await api.gql(COMPLETE, { uid })
        : await api.gql(SNOOZE, { uid, until: snoozeUntil(action) });
      const result = data.taskComplete || data.taskSnooze;
      if (result.__typename !== "TaskSuccess") throw new Error(result.errors.map((e) => e.message).join("; "));
      await loadTasks(root);
    } catch (err) {
      button.disabled = false;
      button.closest("li").insertAdjacentHTML("beforeend", errorBox(err));
    }
  });
  const form = root.querySelector("[data-testid=new-task-form]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const title = form.elements.title.value;
    const due = form.elements.due.value;
    const assignee = form.elements.assignee.value || null;
    try {
      const data = await api.gql(CREATE, { input: { title, assignee, dueAt: due ? new Date(`${due}T17:00:00`).toISOString() : null } });
      const result = data.taskCreate;
      if (result.__typename !== "TaskSuccess") { showFieldErrors(form, result.errors); return; }
      form.reset();
      form.elements.assignee.value = me;
      showFieldErrors(form, []);
      await loadTasks(root);
    } catch (err) {
      form.querySelector('[data-error-for="form"]').innerHTML = errorBox(err);
    }
  });
  root.querySelector('[data-section="home.closing"]').addEventListener("click", (event) => {
    const button = event.target.closest("button[data-period]");
    if (button) loadClosing(root, button.dataset.period).catch((err) => fill(root, "home.closing", errorBox(err)));
  });
  const guard = (key, promise) => promise.catch((err) => {
    if (err?.code === "unauthenticated") window.dispatchEvent(new CustomEvent("crn:unauthenticated"));
    fill(root, key, errorBox(err));
  });
  let me = null;
  try {
    const data = await api.gql(USERS);
    me = data.me?.uid || null;
    myUid = me;
    users = nodesOf(data.users).filter((u) => u.active !== false);
    form.elements.assignee.innerHTML = assigneeOptions(me);
  } catch (err) {
    form.querySelector('[data-error-for="form"]').innerHTML = errorBox(err);
  }
  await Promise.all([
    guard("home.recent", loadRecent(root)),
    guard("activity.myTasks", loadTasks(root)),
    guard("home.alerts", loadAlerts(root)),
    guard("home.closing", loadClosing(root, "month")),
  ]);
  root.dataset.ready = "1";
}
