"""The activity slice in a real browser: my tasks on home (overdue first, complete, snooze), the new-task form
with its field error, and the Chinese labels."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from crn.graph import db
from tests.web.conftest import PASSWORD
from tests.web.test_ui import new_page, sign_in, wait_ready

EMAIL = "activity-journey@crn.test"


@pytest.fixture(scope="module")
def me(server):
    """A user of our own with three open tasks (one overdue), so no demo record other tests read changes."""
    from crn.auth import users
    from crn.crm import tasks

    if users.get_user(EMAIL) is None:
        users.create_user(EMAIL, "Activity Tester", PASSWORD, role="manager")
    uid = users.get_user(EMAIL).uid
    db.write("MATCH (t:Task)-[:ASSIGNED_TO]->(:User {uid: $uid}) DETACH DELETE t", uid=uid)
    now = datetime.now(timezone.utc)
    made = {title: tasks.create_task({"title": title, "due_at": now + delta}, uid).record["uid"]
            for title, delta in (("Send the proposal", timedelta(days=2)), ("Call back Acme", timedelta(days=-1)),
                                 ("Book the visit", timedelta(days=4)))}
    yield {"uid": uid, "tasks": made}
    db.write("MATCH (t:Task)-[:ASSIGNED_TO]->(:User {uid: $uid}) DETACH DELETE t", uid=uid)


def titles(page) -> list[str]:
    return page.locator("[data-testid=task] .task-title").all_inner_texts()


def task_row(page, title: str):
    return page.locator("[data-testid=task]", has_text=title)


def test_home_lists_my_tasks_and_completes_and_snoozes_them(browser, server, me, shot):
    page = new_page(browser)
    sign_in(page, server, EMAIL)
    page.wait_for_selector("[data-testid=my-tasks]")
    wait_ready(page)
    assert titles(page) == ["Call back Acme", "Send the proposal", "Book the visit"]  # overdue first
    assert "overdue" in task_row(page, "Call back Acme").inner_text()

    task_row(page, "Call back Acme").get_by_role("button", name="Complete").click()
    page.wait_for_function("() => ![...document.querySelectorAll('[data-testid=task]')]"
                           ".some(li => li.textContent.includes('Call back Acme'))")
    done = db.read_one("MATCH (t:Task {uid: $uid}) RETURN t.status AS s, t.updated_by AS by",
                       uid=me["tasks"]["Call back Acme"])
    assert done == {"s": "done", "by": me["uid"]}

    task_row(page, "Book the visit").get_by_role("button", name="Next week").click()
    page.wait_for_function("() => document.querySelectorAll('[data-testid=task]').length === 1")
    assert titles(page) == ["Send the proposal"]
    snoozed = db.read_one("MATCH (t:Task {uid: $uid}) RETURN t.status AS s, t.snoozed_until AS until",
                          uid=me["tasks"]["Book the visit"])
    now = datetime.now().astimezone()  # the browser's clock and zone are this machine's
    monday = (now + timedelta(days=(7 - now.weekday()) % 7 or 7)).replace(hour=9, minute=0, second=0, microsecond=0)
    assert snoozed["s"] == "open" and snoozed["until"].to_native() == monday.astimezone(timezone.utc)  # next Monday 9:00

    page.click("[data-testid=new-task-save]")  # no title: the API's error shows at the field
    page.wait_for_selector("[data-error-for=title]:not(:empty)")
    assert page.locator("[data-error-for=title]").inner_text() == "Required"
    page.fill("[data-testid=new-task-title]", "Prepare the QBR")
    page.fill("[data-testid=new-task-due]", (datetime.now() + timedelta(days=1)).strftime("%Y-%m-%d"))
    page.click("[data-testid=new-task-save]")
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=task]')]"
                           ".some(li => li.textContent.includes('Prepare the QBR'))")
    assert titles(page) == ["Prepare the QBR", "Send the proposal"]  # due tomorrow, before in 2 days
    row = db.read_one("MATCH (t:Task {title: 'Prepare the QBR'})-[:ASSIGNED_TO]->(u:User) RETURN u.uid AS u")
    assert row == {"u": me["uid"]}
    shot(page, "my-day")
    assert page.errors == []


def test_my_tasks_in_chinese_on_a_phone(browser, server, me, shot):
    page = new_page(browser, locale="zh-CN", width=480, height=900)
    sign_in(page, server, EMAIL)
    page.wait_for_selector("[data-testid=section-my-tasks]")
    wait_ready(page)
    assert page.locator("[data-testid=section-my-tasks] h2").inner_text() == "我的任务"
    assert page.locator("[data-testid=new-task-save]").inner_text() == "添加任务"
    first = page.locator("[data-testid=task]").first
    assert first.get_by_role("button", name="完成").is_visible()
    assert first.get_by_role("button", name="明天").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 480  # no sideways scrolling on a phone
    box = first.get_by_role("button", name="完成").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 480 and box["height"] >= 36  # touch-sized
    shot(page, "my-day-zh")
    assert page.errors == []


def test_log_a_call_from_an_account_in_three_clicks(browser, server, me, shot):
    from crn.crm import links, records
    from tests.web.conftest import gid

    company = records.create_record("Company", {"name": "Activity Test Works"}, me["uid"]).record["uid"]
    person = records.create_record("Person", {"name": "Lin Activity", "title": "CFO"}, me["uid"]).record["uid"]
    assert links.link("employment", person, company, {"title": "CFO"}, me["uid"]).ok
    page = new_page(browser)
    sign_in(page, server, EMAIL)
    wait_ready(page)
    page.goto(f"{server}/#/company/{gid('Company', company)}")
    wait_ready(page)
    page.click("[data-testid=log-activity]")                                      # click 1
    page.wait_for_selector("[data-testid=log-form]")
    assert page.locator("[data-testid=log-kind]").input_value() == "call"
    me_box = page.locator("[data-testid=log-participant]").first
    assert me_box.is_checked()                                                    # I am pre-selected
    page.fill("[data-testid=log-subject]", "Budget call with Lin")
    page.locator("label.participant", has_text="Lin Activity").locator("input").check()  # click 2
    with page.expect_response(lambda r: r.url.endswith("/graphql") and "InteractionLog" in (r.request.post_data or "")):
        page.click("[data-testid=log-save]")                                      # click 3
    page.wait_for_selector("[data-testid=timeline-item]:has-text('Budget call with Lin')")
    rows = db.read("MATCH (i:Interaction {subject: 'Budget call with Lin'})-[r:INVOLVED|ABOUT]->(x) "
                   "RETURN i.kind AS kind, type(r) AS t, x.uid AS x ORDER BY t, x")
    assert {(r["kind"], r["t"], r["x"]) for r in rows} == {("call", "ABOUT", company), ("call", "INVOLVED", person),
                                                            ("call", "INVOLVED", me["uid"])}
    knows = db.read_one("MATCH (:User {uid: $u})-[k:KNOWS]->(:Person {uid: $p}) RETURN k.strength AS s",
                        u=me["uid"], p=person)
    assert knows is not None and knows["s"] > 0                                    # strength refreshed
    shot(page, "logged-call")
    assert page.errors == []


def test_log_a_meeting_from_a_deal_links_it_to_the_deal(browser, server, me, shot):
    from crn.crm import links, records
    from tests.web.conftest import gid

    company = records.create_record("Company", {"name": "Deal Activity Works"}, me["uid"]).record["uid"]
    person = records.create_record("Person", {"name": "Ma Dealmeet", "title": "CTO"}, me["uid"]).record["uid"]
    deal = records.create_record("Deal", {"name": "Deal Activity Platform", "amount": 1000.0}, me["uid"]).record["uid"]
    assert links.link("employment", person, company, {"title": "CTO"}, me["uid"]).ok
    assert links.link("deal_company", deal, company, {}, me["uid"]).ok
    page = new_page(browser)
    sign_in(page, server, EMAIL)
    page.goto(f"{server}/#/deal/{gid('Deal', deal)}")
    wait_ready(page)
    page.click("[data-testid=log-activity]")                                      # click 1
    page.wait_for_selector("[data-testid=log-form]")
    page.select_option("[data-testid=log-kind]", "meeting")
    page.fill("[data-testid=log-subject]", "Architecture review with Ma")
    page.locator("label.participant", has_text="Ma Dealmeet").locator("input").check()  # click 2
    with page.expect_response(lambda r: r.url.endswith("/graphql") and "InteractionLog" in (r.request.post_data or "")):
        page.click("[data-testid=log-save]")                                      # click 3
    wait_ready(page)                                                              # the deal view shows again
    rows = db.read("MATCH (i:Interaction {subject: 'Architecture review with Ma'})-[r:INVOLVED|ABOUT]->(x) "
                   "RETURN i.kind AS kind, type(r) AS t, x.uid AS x")
    assert {(r["kind"], r["t"], r["x"]) for r in rows} == {
        ("meeting", "ABOUT", deal), ("meeting", "ABOUT", company), ("meeting", "INVOLVED", person),
        ("meeting", "INVOLVED", me["uid"])}
    shot(page, "logged-meeting-on-deal")
    assert page.errors == []


def test_my_account_shows_a_wrong_current_password_at_its_field_and_my_tokens(browser, server, me, shot):
    from crn.auth import tokens, users

    tokens.create_token(EMAIL, "activity-laptop")
    page = new_page(browser)
    sign_in(page, server, EMAIL)
    wait_ready(page)
    page.click("[data-testid=current-user]")                                     # the header link
    page.wait_for_selector("[data-testid=password-form]")
    wait_ready(page)
    assert "activity-laptop" in page.locator("[data-testid=my-tokens]").inner_text()
    page.fill("[data-testid=password-current]", "not-my-password")
    page.fill("[data-testid=password-new]", "a-brand-new-passphrase")
    page.click("[data-testid=password-save]")
    page.wait_for_selector("[data-testid=password-current-error]:not(:empty)")
    assert page.inner_text("[data-testid=password-current-error]") == "The current password is not right"
    assert page.inner_text("[data-testid=password-new-error]") == ""
    assert users.authenticate(EMAIL, PASSWORD) is not None                        # the password did not change
    assert page.locator("[data-testid=current-user]").is_visible()               # still signed in
    shot(page, "my-account")
    assert page.errors == []
