"""A week of an account manager's work in the browser only, on a laptop and on a phone.

Laptop: create a company -> add a contact -> log a call -> create a deal -> declare the contact's committee role ->
move the deal on the pipeline board -> add a reminder task on "my day" -> complete it. Every step is checked in
the database through the API. Phone (480 px, Chinese): my day -> search -> the account panel -> log an
activity with touch-sized controls -> the task list, with no sideways scrolling.

Records are named per run and removed at the end; the demo's records are only read.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta

from tests.web.conftest import ADMIN_EMAIL
from tests.web.test_board import wait_move
from tests.web.test_forms import _id_from_hash, _open_new, _pick
from tests.web.test_ui import new_page, search_text, sign_in, wait_ready

COMPANY = """query($id: ID!) { company(id: $id) { name contacts(first: 5) { edges { node { id name } } }
  interactions(first: 5) { edges { node { kind subject participants { person { id } } } } } } }"""
DEAL = """query($id: ID!) { deal(id: $id) { stage status stageHistory company { id }
  committee { role declared person { id } } } }"""
TASKS = """query { myOpenTasks(first: 50) { edges { node { uid title } } } }"""


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 480


def test_a_week_of_work_on_a_laptop(browser, server, api, shot):
    run = uuid.uuid4().hex[:6]
    name = f"Weekwork {run}"
    page = new_page(browser)
    sign_in(page, server, ADMIN_EMAIL)

    # Monday: a new account and its first contact.
    form = _open_new(page, "company")
    form.locator("[data-testid=field-name]").fill(name)
    form.locator("[data-testid=field-domain]").fill(f"weekwork-{run}.example.com")
    form.locator("[data-testid=form-save]").click()
    page.wait_for_url(re.compile(r"#/company/"))
    wait_ready(page)
    company_id = _id_from_hash(page, "company")
    page.click("[data-testid=add-person]")
    dialog = page.locator("dialog[data-testid=form-add-person]")
    dialog.locator("[data-testid=mode-new]").check()
    dialog.locator(".mode-new [data-testid=field-name]").fill(f"Grace Weekwork {run}")
    dialog.locator(".mode-new [data-testid=field-email]").fill(f"grace-{run}@weekwork.example.com")
    dialog.locator(".employment [data-testid=field-title]").fill("Head of Operations")
    dialog.locator("[data-testid=form-save]").click()
    dialog.wait_for(state="detached")
    wait_ready(page)
    page.locator("[data-testid=person-row]", has_text=f"Grace Weekwork {run}").wait_for()
    grace = api(COMPANY, id=company_id)["company"]["contacts"]["edges"][0]["node"]

    # Tuesday: the discovery call, logged from the account with the contact ticked.
    page.click("[data-testid=log-activity]")
    log = page.locator("[data-testid=log-form]")
    log.locator("label.participant", has_text=f"Grace Weekwork {run}").locator("input").check()
    log.locator("[data-testid=log-subject]").fill(f"Discovery call {run}")
    log.locator("[data-testid=log-save]").click()
    page.locator("[data-testid=timeline-item]", has_text=f"Discovery call {run}").wait_for()
    calls = api(COMPANY, id=company_id)["company"]["interactions"]["edges"]
    assert [(c["node"]["kind"], c["node"]["subject"]) for c in calls] == [("call", f"Discovery call {run}")]
    assert grace["id"] in [p["person"]["id"] for p in calls[0]["node"]["participants"] if p["person"]]

    # Wednesday: the deal, and the contact declared as its decision maker.
    form = _open_new(page, "deal")
    _pick(form, "company", f"Weekwork {run}", name)
    form.locator("[data-testid=field-name]").fill(f"Weekwork rollout {run}")
    form.locator("[data-testid=field-amount]").fill("48000")
    form.locator("[data-testid=form-save]").click()
    page.wait_for_url(re.compile(r"#/deal/"))
    wait_ready(page)
    deal_id = _id_from_hash(page, "deal")
    page.click("[data-testid=declare-role]")
    dialog = page.locator("dialog[data-testid=form-declare-role]")
    dialog.locator("[data-testid=picker-person]").focus()
    dialog.locator("[data-testid=picker-option]", has_text=f"Grace Weekwork {run}").click()
    dialog.locator("[data-testid=field-role]").select_option("decision_maker")
    dialog.locator("[data-testid=form-save]").click()
    dialog.wait_for(state="detached")
    page.locator("[data-testid=committee-member]", has_text=f"Grace Weekwork {run}").wait_for()

    # Thursday: the deal moves to proposal on the board (filtered to the account).
    page.goto(f"{server}/#/pipeline?company={company_id}")
    wait_ready(page)
    page.select_option(f"[data-testid=card-stage][data-id='{deal_id}']", "proposal")
    wait_move(page, deal_id, "proposal")
    deal = api(DEAL, id=deal_id)["deal"]
    assert (deal["stage"], deal["status"], deal["company"]["id"]) == ("proposal", "open", company_id)
    assert [h["stage"] for h in deal["stageHistory"]] == ["qualification", "proposal"]
    assert [(m["person"]["id"], m["role"], m["declared"]) for m in deal["committee"]] == [
        (grace["id"], "decision_maker", True)]
    shot(page, "board")

    # Friday: my day shows the call on my account; a reminder to send the proposal, then done; one task is
    # given to a colleague and leaves my list.
    me = api("query { me { id } }")["me"]["id"]
    api("""mutation($input: LinkInput!) { link(input: $input) { __typename } }""",
        input={"type": "ACCOUNT_TEAM", "fromId": me, "toId": company_id, "properties": {"role": "account_manager"}})
    page.goto(f"{server}/#/")
    wait_ready(page)
    page.locator("[data-testid=recent-item]", has_text=f"Discovery call {run}").wait_for()
    title = f"Send the proposal {run}"
    page.fill("[data-testid=new-task-title]", title)
    page.fill("[data-testid=new-task-due]", (datetime.now() + timedelta(days=1)).strftime("%Y-%m-%d"))
    page.click("[data-testid=new-task-save]")
    task = page.locator("[data-testid=task]", has_text=title)
    task.wait_for()
    assert title in [e["node"]["title"] for e in api(TASKS)["myOpenTasks"]["edges"]]
    task.get_by_role("button", name="Complete").click()
    task.wait_for(state="detached")
    assert title not in [e["node"]["title"] for e in api(TASKS)["myOpenTasks"]["edges"]]
    colleague = f"colleague-{run}@weekwork.example.com"
    from crn.auth import users

    users.create_user(colleague, f"Colleague {run}", "a long enough password", role="manager")
    page.reload()
    wait_ready(page)
    handover = f"Hand over the QBR {run}"
    page.fill("[data-testid=new-task-title]", handover)
    page.click("[data-testid=new-task-save]")
    row = page.locator("[data-testid=task]", has_text=handover)
    row.wait_for()
    row.locator("[data-testid=task-assign]").select_option(label=f"Colleague {run}")
    row.wait_for(state="detached")
    from crn.graph import db

    given = db.read_one("MATCH (t:Task {title: $title})-[:ASSIGNED_TO]->(u:User) RETURN u.email AS email", title=handover)
    assert given == {"email": colleague}
    assert handover not in [e["node"]["title"] for e in api(TASKS)["myOpenTasks"]["edges"]]
    assert not page.errors, page.errors

    api("mutation($id: ID!) { dealDelete(id: $id) { __typename } }", id=deal_id)
    api("mutation($id: ID!) { companyDelete(id: $id, force: true) { __typename } }", id=company_id)
    api("mutation($id: ID!) { personDelete(id: $id, force: true) { __typename } }", id=grace["id"])


def test_the_day_on_a_phone_in_chinese(browser, server, api, shot):
    run = uuid.uuid4().hex[:6]
    made = api("""mutation($input: CompanyInput!) { companyCreate(input: $input) {
      ... on CompanyCreateSuccess { company { id } } } }""", input={"name": f"Phonework {run}"})
    company_id = made["companyCreate"]["company"]["id"]
    person = api("""mutation($input: PersonInput!) { personCreate(input: $input) {
      ... on PersonCreateSuccess { person { id } } } }""", input={"name": f"Lin Phonework {run}"})
    person_id = person["personCreate"]["person"]["id"]
    api("""mutation($input: LinkInput!) { link(input: $input) { __typename } }""",
        input={"type": "EMPLOYMENT", "fromId": person_id, "toId": company_id, "properties": {"title": "CFO"}})

    page = new_page(browser, locale="zh-CN", width=480, height=900)
    sign_in(page, server, ADMIN_EMAIL)
    page.select_option("[data-testid=lang-switch]", "zh")
    wait_ready(page)
    assert page.locator("[data-testid=new-task-save]").inner_text() == "添加任务"
    _no_sideways_scroll(page)

    page.fill("[data-testid=search-input]", search_text(f"Phonework {run}"))
    result = page.locator("[data-testid=search-result]", has_text=f"Phonework {run}").filter(has_text="公司").first
    result.click()  # the company, not its contact (labelled 联系人)
    page.wait_for_url(re.compile(r"#/company/"))
    wait_ready(page)
    _no_sideways_scroll(page)

    button = page.locator("[data-testid=log-activity]")
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 480 and box["height"] >= 36  # touch-sized
    button.click()
    log = page.locator("[data-testid=log-form]")
    log.locator("label.participant", has_text=f"Lin Phonework {run}").locator("input").check()
    log.locator("[data-testid=log-subject]").fill(f"电话回访 {run}")
    log.locator("[data-testid=log-save]").click()
    page.locator("[data-testid=timeline-item]", has_text=f"电话回访 {run}").wait_for()
    _no_sideways_scroll(page)
    shot(page, "phone-account")

    page.goto(f"{server}/#/")
    wait_ready(page)
    page.fill("[data-testid=new-task-title]", f"发送报价 {run}")
    page.click("[data-testid=new-task-save]")
    page.locator("[data-testid=task]", has_text=f"发送报价 {run}").wait_for()
    _no_sideways_scroll(page)
    assert not page.errors, page.errors

    api("mutation($id: ID!) { companyDelete(id: $id, force: true) { __typename } }", id=company_id)
    api("mutation($id: ID!) { personDelete(id: $id, force: true) { __typename } }", id=person_id)
