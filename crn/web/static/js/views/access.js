// Access (admins, issue 13): teams and their hierarchy, territories, organisation-wide defaults, sharing rules,
// the personal-data permission per user, and "why can this user see this record?". Also the owner panel that
// record pages show (ownerPanel): who owns the record, and changing the owner for those who may change it.
import * as api from "../api.js";
import { t } from "../i18n.js";
import { esc, errorBox } from "../ui.js";
import { confirmDialog } from "../forms.js";

export const name = "access";

const TABS = ["teams", "territories", "defaults", "rules", "people", "explain"];
const TYPES = ["Company", "Person", "Deal", "Ticket", "Interaction", "Order"];
const LEVELS = ["private", "read", "read_write"];
const TIERS = ["strategic", "key", "standard", "long_tail"];
const RESULT = `__typename ... on AccessChanged { uid } ... on AccessError { errors { code message field } }`;
const MEMBERS = "members { id uid name }";
const Q = {
  teams: `query AccessTeams { accessTeams { uid name parent ${MEMBERS} } accessUsers { user { id name active } } }`,
  territories: `query AccessTerritories { accessTerritories { uid name countries industries tiers ${MEMBERS} } accessUsers { user { id name active } } }`,
  defaults: `query OrgDefaults { orgDefaults { recordType level } }`,
  rules: `query SharingRules { sharingRules { uid name recordType kind teamName level ownerTeamName field values } accessTeams { uid name } }`,
  people: `query AccessUsers { accessUsers { user { id name email role } personalData personalDataEffective } }`,
  explain: `query AccessExplainUsers { accessUsers { user { id name role } } }`,
};
const M = {
  teamCreate: `mutation TeamCreate($name: String!, $parent: String) { teamCreate(name: $name, parent: $parent) { ${RESULT} } }`,
  teamUpdate: `mutation TeamUpdate($uid: String!, $name: String, $parent: String, $toTop: Boolean!) { teamUpdate(uid: $uid, name: $name, parent: $parent, toTop: $toTop) { ${RESULT} } }`,
  teamDelete: `mutation TeamDelete($uid: String!) { teamDelete(uid: $uid) { ${RESULT} } }`,
  memberAdd: `mutation AccessMemberAdd($group: String!, $user: ID!) { accessMemberAdd(group: $group, userId: $user) { ${RESULT} } }`,
  memberRemove: `mutation AccessMemberRemove($group: String!, $user: ID!) { accessMemberRemove(group: $group, userId: $user) { ${RESULT} } }`,
  territoryCreate: `mutation TerritoryCreate($input: TerritoryInput!) { territoryCreate(input: $input) { ${RESULT} } }`,
  territoryDelete: `mutation TerritoryDelete($uid: String!) { territoryDelete(uid: $uid) { ${RESULT} } }`,
  defaultSet: `mutation OrgDefaultSet($type: ProtectedType!, $level: DefaultLevel!) { orgDefaultSet(recordType: $type, level: $level) { ${RESULT} } }`,
  ruleCreate: `mutation SharingRuleCreate($input: SharingRuleInput!) { sharingRuleCreate(input: $input) { ${RESULT} } }`,
  ruleDelete: `mutation SharingRuleDelete($uid: String!) { sharingRuleDelete(uid: $uid) { ${RESULT} } }`,
  personalData: `mutation PersonalDataSet($user: ID!, $allowed: Boolean) { personalDataSet(userId: $user, allowed: $allowed) { ${RESULT} } }`,
};
const EXPLAIN = `query AccessExplain($record: ID!, $user: ID) { accessExplain(recordId: $record, userId: $user) {
  userName recordType recordName found canRead canWrite reasons { kind text write } notes } }`;
const RECORD_ACCESS = `query RecordAccess($id: ID!) { recordAccess(id: $id) { owner { id name } canWrite } }`;
const OWNER_SET = `mutation RecordOwnerSet($id: ID!, $owner: ID!) { recordOwnerSet(id: $id, ownerId: $owner) { ${RESULT} } }`;
const USERS = `query OwnerCandidates { users(first: 100) { edges { node { id name } } } }`;

const csv = (text) => text.split(",").map((s) => s.trim()).filter(Boolean);
const options = (items, selected, blank) => (blank !== undefined ? `<option value="">${esc(blank)}</option>` : "")
  + items.map(([value, label]) => `<option value="${esc(value)}" ${value === selected ? "selected" : ""}>${esc(label)}</option>`).join("");
const userOptions = (rows) => options(rows.map((r) => r.user).filter((u) => u.active !== false).map((u) => [u.id, u.name]));
const membersHtml = (group, members) => members.length ? members.map((m) =>
  `<span class="chip" data-testid="access-member">${esc(m.name)} <button type="button" class="link" data-act="member-remove"
    data-group="${esc(group)}" data-user="${esc(m.id)}" aria-label="${esc(t("access.removeMember", { name: m.name }))}">×</button></span>`).join(" ")
  : `<span class="muted">${t("access.noMembers")}</span>`;

/** Run a mutation; show its errors in `where` (returns true when it worked). */
async function mutate(query, variables, where) {
  try {
    const result = Object.values(await api.gql(query, variables))[0];
    if (result.__typename === "AccessError") {
      where.innerHTML = `<p class="field-error" role="alert" data-testid="access-error">${esc(result.errors.map((e) => e.message).join("; "))}</p>`;
      return false;
    }
    where.innerHTML = "";
    return true;
  } catch (err) {
    where.innerHTML = errorBox(err);
    return false;
  }
}

/** Teams as a tree: [team, depth] in display order. */
function tree(teams) {
  const below = new Map();
  for (const team of teams) {
    const key = teams.some((p) => p.uid === team.parent) ? team.parent : null;
    if (!below.has(key)) below.set(key, []);
    below.get(key).push(team);
  }
  const out = [];
  const walk = (parent, depth) => (below.get(parent) || []).forEach((team) => { out.push([team, depth]); walk(team.uid, depth + 1); });
  walk(null, 0);
  return out;
}

const VIEWS = {
  async teams(body, reload) {
    const { accessTeams: teams, accessUsers: users } = await api.gql(Q.teams);
    const rows = tree(teams);
    body.innerHTML = `<div data-testid="access-teams">${rows.length ? `<table class="data-table"><thead><tr><th>${t("access.team")}</th>
      <th>${t("access.members")}</th><th></th></tr></thead><tbody>${rows.map(([team, depth]) => `<tr data-testid="access-team-row" data-uid="${esc(team.uid)}">
      <td class="access-depth-${Math.min(depth, 5)}">${esc(team.name)}</td><td>${membersHtml(team.uid, team.members)}</td>
      <td class="row-actions"><button type="button" data-act="team-delete" data-uid="${esc(team.uid)}" data-name="${esc(team.name)}">${t("access.delete")}</button></td></tr>`).join("")}</tbody></table>`
      : `<p class="muted">${t("access.noTeams")}</p>`}</div>
      <form class="task-form" data-form="team" data-testid="access-team-form"><h3>${t("access.newTeam")}</h3>
        <label>${t("access.name")} <input name="name" required data-testid="access-team-name"></label>
        <label>${t("access.parent")} <select name="parent" data-testid="access-team-parent">${options(rows.map(([tm, d]) => [tm.uid, `${"— ".repeat(d)}${tm.name}`]), null, t("access.top"))}</select></label>
        <button type="submit" data-testid="access-team-save">${t("access.add")}</button><div class="form-errors"></div></form>
      ${teams.length ? `<form class="task-form" data-form="member" data-testid="access-member-form"><h3>${t("access.addMember")}</h3>
        <label>${t("access.team")} <select name="group" data-testid="access-member-team">${options(rows.map(([tm, d]) => [tm.uid, `${"— ".repeat(d)}${tm.name}`]))}</select></label>
        <label>${t("access.user")} <select name="user" data-testid="access-member-user">${userOptions(users)}</select></label>
        <button type="submit" data-testid="access-member-save">${t("access.add")}</button><div class="form-errors"></div></form>
      <form class="task-form" data-form="move" data-testid="access-move-form"><h3>${t("access.moveTeam")}</h3>
        <label>${t("access.team")} <select name="team" data-testid="access-move-team">${options(rows.map(([tm, d]) => [tm.uid, `${"— ".repeat(d)}${tm.name}`]))}</select></label>
        <label>${t("access.newName")} <input name="rename" data-testid="access-move-name"></label>
        <label>${t("access.parent")} <select name="parent" data-testid="access-move-parent">${options(rows.map(([tm, d]) => [tm.uid, `${"— ".repeat(d)}${tm.name}`]), null, t("access.top"))}</select></label>
        <button type="submit" data-testid="access-move-save">${t("access.save")}</button><div class="form-errors"></div></form>` : ""}`;
    wireForm(body, "move", (f, errs) => mutate(M.teamUpdate, { uid: f.team.value, name: f.rename.value.trim() || null,
      parent: f.parent.value || null, toTop: !f.parent.value }, errs), reload);
    wireForm(body, "team", (f, errs) => mutate(M.teamCreate, { name: f.name.value, parent: f.parent.value || null }, errs), reload);
    wireForm(body, "member", (f, errs) => mutate(M.memberAdd, { group: f.group.value, user: f.user.value }, errs), reload);
  },

  async territories(body, reload) {
    const { accessTerritories: territories, accessUsers: users } = await api.gql(Q.territories);
    body.innerHTML = `<div data-testid="access-territories">${territories.length ? `<table class="data-table"><thead><tr><th>${t("access.territory")}</th>
      <th>${t("access.criteria")}</th><th>${t("access.members")}</th><th></th></tr></thead><tbody>${territories.map((x) => `<tr data-testid="access-territory-row">
      <td>${esc(x.name)}</td><td>${[["access.countries", x.countries], ["access.industries", x.industries], ["access.tiers", x.tiers]]
        .filter(([, v]) => v.length).map(([k, v]) => `${t(k)}: ${esc(v.join(", "))}`).join("<br>")}</td>
      <td>${membersHtml(x.uid, x.members)}</td>
      <td class="row-actions"><button type="button" data-act="territory-delete" data-uid="${esc(x.uid)}" data-name="${esc(x.name)}">${t("access.delete")}</button></td></tr>`).join("")}</tbody></table>`
      : `<p class="muted">${t("access.noTerritories")}</p>`}</div>
      <form class="task-form" data-form="territory" data-testid="access-territory-form"><h3>${t("access.newTerritory")}</h3>
        <label>${t("access.name")} <input name="name" required data-testid="access-territory-name"></label>
        <label>${t("access.countries")} <input name="countries" placeholder="CN, SG" data-testid="access-territory-countries"></label>
        <label>${t("access.industries")} <input name="industries" placeholder="Technology"></label>
        <fieldset class="checks"><legend>${t("access.tiers")}</legend>${TIERS.map((tier) =>
          `<label><input type="checkbox" name="tiers" value="${tier}"> ${t(`access.tier.${tier}`)}</label>`).join("")}</fieldset>
        <p class="muted">${t("access.territoryHint")}</p>
        <button type="submit" data-testid="access-territory-save">${t("access.add")}</button><div class="form-errors"></div></form>
      ${territories.length ? `<form class="task-form" data-form="member"><h3>${t("access.addMember")}</h3>
        <label>${t("access.territory")} <select name="group">${options(territories.map((x) => [x.uid, x.name]))}</select></label>
        <label>${t("access.user")} <select name="user">${userOptions(users)}</select></label>
        <button type="submit">${t("access.add")}</button><div class="form-errors"></div></form>` : ""}`;
    wireForm(body, "territory", (f, errs) => mutate(M.territoryCreate, { input: { name: f.name.value, countries: csv(f.countries.value),
      industries: csv(f.industries.value), tiers: [...body.querySelectorAll("[data-form=territory] [name=tiers]:checked")].map((c) => c.value) } },
    errs), reload);
    wireForm(body, "member", (f, errs) => mutate(M.memberAdd, { group: f.group.value, user: f.user.value }, errs), reload);
  },

  async defaults(body, reload) {
    const { orgDefaults } = await api.gql(Q.defaults);
    body.innerHTML = `<p class="muted">${t("access.defaultsIntro")}</p><table class="data-table" data-testid="access-defaults"><thead><tr>
      <th>${t("access.recordType")}</th><th>${t("access.default")}</th></tr></thead><tbody>${orgDefaults.map((d) => `<tr>
      <td>${t(`type.${d.recordType}`)}</td><td><select data-type="${esc(d.recordType)}" data-testid="access-default-${esc(d.recordType)}"
        aria-label="${esc(t("access.defaultFor", { type: t(`type.${d.recordType}`) }))}">${options(LEVELS.map((l) => [l, t(`access.level.${l}`)]), d.level)}</select></td></tr>`).join("")}
      </tbody></table><div class="form-errors" data-testid="access-defaults-status" role="status"></div>`;
    body.querySelectorAll("select[data-type]").forEach((select) => select.addEventListener("change", async () => {
      const status = body.querySelector("[data-testid=access-defaults-status]");
      status.textContent = "";
      if (await mutate(M.defaultSet, { type: select.dataset.type.toUpperCase(), level: select.value.toUpperCase() }, status)) {
        status.textContent = t("access.saved");
      }
    }));
  },

  async rules(body, reload) {
    const { sharingRules: rules, accessTeams: teams } = await api.gql(Q.rules);
    const teamOptions = options(teams.map((x) => [x.uid, x.name]));
    body.innerHTML = `<p class="muted">${t("access.rulesIntro")}</p><div data-testid="access-rules">${rules.length ? `<table class="data-table"><thead><tr>
      <th>${t("access.name")}</th><th>${t("access.recordType")}</th><th>${t("access.which")}</th><th>${t("access.sharedWith")}</th><th></th></tr></thead>
      <tbody>${rules.map((r) => `<tr data-testid="access-rule-row"><td>${esc(r.name)}</td><td>${t(`type.${r.recordType}`)}</td>
      <td>${r.kind === "owner" ? esc(t("access.ownedBy", { team: r.ownerTeamName || "?" })) : `<code>${esc(r.field)}</code> ∈ ${esc(r.values.join(", "))}`}</td>
      <td>${esc(r.teamName || "?")} (${t(`access.level.${r.level}`)})</td>
      <td class="row-actions"><button type="button" data-act="rule-delete" data-uid="${esc(r.uid)}" data-name="${esc(r.name)}">${t("access.delete")}</button></td></tr>`).join("")}</tbody></table>`
      : `<p class="muted">${t("access.noRules")}</p>`}</div>
      ${teams.length ? `<form class="task-form" data-form="rule" data-testid="access-rule-form"><h3>${t("access.newRule")}</h3>
        <label>${t("access.name")} <input name="name" required></label>
        <label>${t("access.recordType")} <select name="type">${options(TYPES.map((x) => [x, t(`type.${x}`)]))}</select></label>
        <label>${t("access.ownerTeam")} <select name="ownerTeam">${options(teams.map((x) => [x.uid, x.name]), null, t("access.byCriteria"))}</select></label>
        <label>${t("access.field")} <input name="field" placeholder="tier"></label>
        <label>${t("access.values")} <input name="values" placeholder="key, strategic"></label>
        <label>${t("access.sharedWith")} <select name="team">${teamOptions}</select></label>
        <label>${t("access.level")} <select name="level">${options(["read", "read_write"].map((l) => [l, t(`access.level.${l}`)]))}</select></label>
        <button type="submit">${t("access.add")}</button><div class="form-errors"></div></form>` : `<p class="muted">${t("access.rulesNeedTeams")}</p>`}`;
    wireForm(body, "rule", (f, errs) => mutate(M.ruleCreate, { input: { recordType: f.type.value.toUpperCase(), name: f.name.value,
      team: f.team.value, level: f.level.value.toUpperCase(), ownerTeam: f.ownerTeam.value || null,
      field: f.ownerTeam.value ? null : (f.field.value.trim() || null), values: f.ownerTeam.value ? null : csv(f.namedItem("values").value) } },
    errs), reload);
  },

  async people(body) {
    const users = (await api.gql(Q.people)).accessUsers.map((r) => ({ ...r.user, personalData: r.personalData,
      personalDataEffective: r.personalDataEffective }));
    body.innerHTML = `<p class="muted">${t("access.peopleIntro")}</p><table class="data-table" data-testid="access-people"><thead><tr>
      <th>${t("access.user")}</th><th>${t("access.role")}</th><th>${t("access.personalData")}</th><th>${t("access.inEffect")}</th></tr></thead>
      <tbody>${users.map((u) => `<tr data-testid="access-person-row"><td>${esc(u.name)}<br><span class="muted">${esc(u.email)}</span></td>
      <td>${esc(u.role)}</td><td>${u.role === "admin" ? t("access.always") : `<select data-user="${esc(u.id)}" aria-label="${esc(t("access.personalDataFor", { name: u.name }))}">${options(
        [["default", t("access.roleDefault")], ["yes", t("access.allowed")], ["no", t("access.hidden")]],
        u.personalData === null ? "default" : u.personalData ? "yes" : "no")}</select>`}</td>
      <td data-effective>${u.personalDataEffective ? t("access.allowed") : t("access.hidden")}</td></tr>`).join("")}</tbody></table>
      <div class="form-errors" role="status"></div>`;
    body.querySelectorAll("select[data-user]").forEach((select) => select.addEventListener("change", async () => {
      const allowed = { default: null, yes: true, no: false }[select.value];
      if (await mutate(M.personalData, { user: select.dataset.user, allowed }, body.querySelector(".form-errors"))) {
        const fresh = (await api.gql(Q.people)).accessUsers.find((r) => r.user.id === select.dataset.user);
        select.closest("tr").querySelector("[data-effective]").textContent = fresh?.personalDataEffective ? t("access.allowed") : t("access.hidden");
      }
    }));
  },

  async explain(body) {
    const users = (await api.gql(Q.explain)).accessUsers.map((r) => r.user);
    body.innerHTML = `<p class="muted">${t("access.explainIntro")}</p>
      <form class="task-form" data-form="explain" data-testid="access-explain-form">
        <label>${t("access.user")} <select name="user" data-testid="access-explain-user">${options(users.map((u) => [u.id, `${u.name} (${u.role})`]))}</select></label>
        <label>${t("access.record")} <input name="record" required placeholder="Company:3f2a… / ID" data-testid="access-explain-record"></label>
        <button type="submit" data-testid="access-explain-run">${t("access.explainRun")}</button></form>
      <div data-testid="access-explain-result" aria-live="polite"></div>`;
    const form = body.querySelector("[data-form=explain]");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const out = body.querySelector("[data-testid=access-explain-result]");
      const raw = form.record.value.trim();
      const record = /^(Company|Person|Deal|Ticket|Interaction|Order):/.test(raw) ? btoa(raw) : raw;
      try {
        const e = (await api.gql(EXPLAIN, { record, user: form.user.value })).accessExplain;
        if (!e || !e.found) { out.innerHTML = `<p class="muted">${esc(e?.notes?.[0] || t("access.noRecord"))}</p>`; return; }
        const verdict = e.canWrite ? "access.canWrite" : e.canRead ? "access.canRead" : "access.cannot";
        out.innerHTML = `<p data-testid="access-explain-verdict"><strong>${esc(t(verdict, { user: e.userName || "", record: e.recordName || "" }))}</strong></p>
          <ul class="list">${e.reasons.map((r) => `<li data-kind="${esc(r.kind)}"><span class="badge">${t(`access.kind.${r.kind}`)}</span> ${esc(r.text)}</li>`).join("")}
          ${e.notes.map((n) => `<li class="muted">${esc(n)}</li>`).join("")}</ul>`;
      } catch (err) {
        out.innerHTML = errorBox(err);
      }
    });
  },
};

function wireForm(body, key, submit, reload) {
  const form = body.querySelector(`[data-form="${key}"]`);
  form?.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await submit(form.elements, form.querySelector(".form-errors"))) await reload();
  });
}

/** Render the access page (?tab=teams|territories|defaults|rules|people|explain). */
export async function render(root, _params, query, ctx) {
  const tab = TABS.includes(query.get("tab")) ? query.get("tab") : "teams";
  if (ctx.user?.role !== "admin") {
    root.innerHTML = `<div class="home"><h1>${t("access.title")}</h1><p class="muted" data-testid="access-admin-only">${t("access.adminOnly")}</p></div>`;
    root.dataset.ready = "1";
    return;
  }
  root.innerHTML = `<div class="home"><h1>${t("access.title")}</h1>
    <nav class="tabs" aria-label="${t("access.title")}">${TABS.map((k) =>
      `<a href="#/admin/access?tab=${k}" ${k === tab ? 'aria-current="page"' : ""} data-testid="access-tab-${k}">${t(`access.tab.${k}`)}</a>`).join("")}</nav>
    <p class="muted">${t(`access.intro.${tab}`)}</p>
    <section class="card"><div class="card-body" data-testid="access-body"><div class="loading" aria-busy="true">…</div></div></section></div>`;
  const body = root.querySelector("[data-testid=access-body]");
  const reload = async () => {
    try { await VIEWS[tab](body, reload); } catch (err) { body.innerHTML = errorBox(err); }
    root.dataset.ready = "1";
  };
  body.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-act]");
    if (!button) return;
    const act = button.dataset.act;
    const status = document.createElement("div");
    body.prepend(status);
    if (act === "member-remove") {
      if (await mutate(M.memberRemove, { group: button.dataset.group, user: button.dataset.user }, status)) await reload();
      return;
    }
    const mutation = { "team-delete": M.teamDelete, "territory-delete": M.territoryDelete, "rule-delete": M.ruleDelete }[act];
    if (!mutation || !(await confirmDialog({ title: t("access.delete"), message: esc(t("access.deleteConfirm", { name: button.dataset.name })),
      confirmLabel: t("access.delete") }))) return;
    if (await mutate(mutation, { uid: button.dataset.uid }, status)) await reload();
  });
  await reload();
}

/** The owner panel of a record page: fills `host` with the owner and, for those who may change the record, a
 *  way to hand it to someone else. */
export async function ownerPanel(host, id, ctx) {
  if (!host) return;
  const draw = async () => {
    let info;
    try { info = (await api.gql(RECORD_ACCESS, { id })).recordAccess; } catch (err) { host.innerHTML = errorBox(err); return; }
    if (!info) { host.innerHTML = `<p class="muted">${t("access.noOwner")}</p>`; return; }
    const canChange = info.canWrite && ctx.user?.role !== "viewer";
    host.innerHTML = `<p data-testid="record-owner">${info.owner ? esc(info.owner.name) : `<span class="muted">${t("access.noOwner")}</span>`}</p>
      ${canChange ? `<button type="button" data-testid="owner-change">${t("access.changeOwner")}</button>` : ""}<div class="form-errors"></div>`;
    host.querySelector("[data-testid=owner-change]")?.addEventListener("click", async () => {
      const users = (await api.gql(USERS)).users.edges.map((e) => e.node);
      host.innerHTML = `<form class="task-form" data-testid="owner-form"><label>${t("access.newOwner")}
        <select name="owner" data-testid="owner-select">${options(users.map((u) => [u.id, u.name]), info.owner?.id)}</select></label>
        <button type="submit" data-testid="owner-save">${t("access.save")}</button>
        <button type="button" data-act="cancel">${t("access.cancel")}</button><div class="form-errors"></div></form>`;
      const form = host.querySelector("form");
      form.querySelector("[data-act=cancel]").addEventListener("click", draw);
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        if (await mutate(OWNER_SET, { id, owner: form.owner.value }, form.querySelector(".form-errors"))) await draw();
      });
    });
  };
  await draw();
}
