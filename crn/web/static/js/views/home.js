// The landing view, "my day": my open tasks (overdue first) with complete / snooze, and a new-task form.
import * as api from "../api.js";
import { t, fmtDate } from "../i18n.js";
import { esc, errorBox, section, fill, nodesOf } from "../ui.js";

export const name = "home";

const MY_TASKS = `query MyOpenTasks { myOpenTasks(first: 50) { totalCount
  edges { node { uid title dueAt overdue } } } }`;
const TASK_FIELDS = "... on TaskSuccess { task { uid status } } ... on TaskError { errors { code message field } }";
const COMPLETE = `mutation TaskComplete($uid: String!) { taskComplete(uid: $uid) { __typename ${TASK_FIELDS} } }`;
const SNOOZE = `mutation TaskSnooze($uid: String!, $until: DateTime!) { taskSnooze(uid: $uid, until: $until) { __typename ${TASK_FIELDS} } }`;
const CREATE = `mutation TaskCreate($input: TaskInput!) { taskCreate(input: $input) { __typename ${TASK_FIELDS} } }`;

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

/** Render my day. */
export async function render(root) {
  root.innerHTML = `<div class="home"><h1>${t("home.title")}</h1><p class="muted">${t("home.hint")}</p>
    ${section("activity.myTasks", undefined, "my-tasks")}
    <section class="card" data-testid="section-new-task"><h2>${t("activity.newTask")}</h2>
      <form class="task-form" data-testid="new-task-form" novalidate>
        <label>${t("activity.taskTitle")} <input name="title" data-testid="new-task-title" required></label>
        <span class="field-error" data-error-for="title" role="alert"></span>
        <label>${t("activity.dueDate")} <input name="due" type="date" data-testid="new-task-due"></label>
        <span class="field-error" data-error-for="due_at" role="alert"></span>
        <span class="field-error" data-error-for="form" role="alert"></span>
        <button type="submit" data-testid="new-task-save">${t("activity.addTask")}</button>
      </form></section></div>`;
  const list = root.querySelector('[data-section="activity.myTasks"]');
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
    try {
      const data = await api.gql(CREATE, { input: { title, dueAt: due ? new Date(`${due}T17:00:00`).toISOString() : null } });
      const result = data.taskCreate;
      if (result.__typename !== "TaskSuccess") { showFieldErrors(form, result.errors); return; }
      form.reset();
      showFieldErrors(form, []);
      await loadTasks(root);
    } catch (err) {
      form.querySelector('[data-error-for="form"]').innerHTML = errorBox(err);
    }
  });
  try {
    await loadTasks(root);
  } catch (err) {
    fill(root, "activity.myTasks", errorBox(err));
  }
  root.dataset.ready = "1";
}
