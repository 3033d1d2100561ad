"""Logging an activity from a person's view in a real browser: the person and I are ticked already, a deal of
theirs may be picked, two clicks save it (one transaction), the person's timeline shows it and my relationship
strength with them visibly moves (old → new), as the graph holds it. The journey creates its own records."""

from __future__ import annotations

import uuid

from crn.graph import db
from tests.web.conftest import ADMIN_EMAIL
from tests.web.test_ui import new_page, sign_in

CREATE = {label: f"""mutation($input: {label}Input!) {{ {label.lower()}Create(input: $input) {{
  ... on {label}CreateSuccess {{ {label.lower()} {{ id name uid }} }} }} }}""" for label in ("Company", "Person", "Deal")}
LINK = """mutation($input: LinkInput!) { link(input: $input) { __typename ... on LinkError { errors { code message } } } }"""


def create(api, label: str, **values) -> dict:
    return api(CREATE[label], input=values)[f"{label.lower()}Create"][label.lower()]


def link(api, kind: str, a: str, b: str, properties=None) -> None:
    assert api(LINK, input={"type": kind, "fromId": a, "toId": b, "properties": properties})["link"]["__typename"] \
        == "LinkSuccess"


def my_strength(person_uid: str) -> float | None:
    row = db.read_one("MATCH (:User {email: $email})-[k:KNOWS]->(:Person {uid: $p}) RETURN k.strength AS s",
                      email=ADMIN_EMAIL, p=person_uid)
    return row["s"] if row else None


def test_log_from_a_person_in_two_clicks_and_see_the_strength_move(browser, server, api, shot):
    tag = uuid.uuid4().hex[:6]
    company = create(api, "Company", name=f"Persontest Co {tag}")
    person = create(api, "Person", name=f"Persontest Pat {tag}", title="CFO")
    deal = create(api, "Deal", name=f"Persontest Deal {tag}")
    link(api, "EMPLOYMENT", person["id"], company["id"], {"title": "CFO"})
    link(api, "DEAL_COMPANY", deal["id"], company["id"])
    link(api, "COMMITTEE", person["id"], deal["id"], {"role": "economic_buyer", "declared": True, "confidence": 1.0})
    assert my_strength(person["uid"]) is None

    page = new_page(browser)
    sign_in(page, server, ADMIN_EMAIL)
    page.goto(f"{server}/#/person/{person['id']}")
    line = page.locator("[data-testid=strength-line]")
    line.locator("[data-testid=strength-now]").wait_for()
    assert line.inner_text() == f"Your relationship with {person['name']}: none yet"

    # click 1: open the form: the person and I are ticked, their open deal is offered
    page.click("[data-testid=log-activity]")
    form = page.locator("[data-testid=log-form]")
    form.wait_for()
    boxes = form.locator("[data-testid=log-participant]")
    ticked = boxes.evaluate_all("els => els.filter(e => e.checked).map(e => e.value)")
    assert person["id"] in ticked and len(ticked) == 2
    assert form.locator("[data-testid=log-deal] option").all_inner_texts() == ["No deal", deal["name"]]
    form.locator("[data-testid=log-deal]").select_option(deal["id"])
    form.locator("[data-testid=log-subject]").fill(f"Budget call {tag}")
    # click 2: save
    page.click("[data-testid=log-save]")
    page.locator("[data-testid=log-saved]").wait_for()
    page.wait_for_function("() => !!document.querySelector('#view').dataset.logged")
    after = my_strength(person["uid"])
    assert after is not None and after > 0
    assert line.locator("[data-testid=strength-old]").inner_text() == "none yet"
    first_now = line.locator("[data-testid=strength-now]").inner_text()
    assert first_now == f"{round(after * 100)}%"
    assert page.locator("[data-testid=person-timeline-item]", has_text=f"Budget call {tag}").count() == 1
    assert f"Web Test Admin {first_now}" in page.locator("[data-testid=known-by]").inner_text()  # the profile too
    row = db.read_one("""MATCH (i:Interaction {subject: $s})
        RETURN [(i)-[:INVOLVED]->(x) | x.uid] AS who, [(i)-[:ABOUT]->(y) | y.uid] AS about""", s=f"Budget call {tag}")
    assert person["uid"] in row["who"] and len(row["who"]) == 2
    assert sorted(row["about"]) == sorted([company["uid"], deal["uid"]])
    shot(page, "strength-moved")

    # a second one: the old value is the one just shown
    logged = page.evaluate("() => document.querySelector('#view').dataset.logged")
    page.click("[data-testid=log-activity]")
    page.locator("[data-testid=log-subject]").fill(f"Follow-up {tag}")
    page.click("[data-testid=log-save]")
    page.wait_for_function("(old) => document.querySelector('#view').dataset.logged !== old", arg=logged)
    assert line.locator("[data-testid=strength-old]").inner_text() == first_now
    assert my_strength(person["uid"]) >= after
    assert line.locator("[data-testid=strength-now]").inner_text() == f"{round(my_strength(person['uid']) * 100)}%"

    # edit the first call with the generated form (its subject), then delete the follow-up (asks first)
    item = page.locator("[data-testid=person-timeline-item]", has_text=f"Budget call {tag}")
    item.locator("[data-testid=interaction-edit]").click()
    dialog = page.locator("[data-testid=form-interaction]")
    assert dialog.locator("[data-testid=field-subject]").input_value() == f"Budget call {tag}"
    dialog.locator("[data-testid=field-subject]").fill(f"Budget review {tag}")
    dialog.locator("button[type=submit]").click()
    page.locator("[data-testid=person-timeline-item]", has_text=f"Budget review {tag}").wait_for()
    assert db.read_one("MATCH (i:Interaction {subject: $s}) RETURN count(i) AS n", s=f"Budget review {tag}")["n"] == 1
    follow = page.locator("[data-testid=person-timeline-item]", has_text=f"Follow-up {tag}")
    follow.locator("[data-testid=interaction-delete]").click()
    page.click("[data-testid=confirm-ok]")
    follow.wait_for(state="detached")
    assert db.read_one("MATCH (i:Interaction {subject: $s}) RETURN count(i) AS n", s=f"Follow-up {tag}")["n"] == 0
    assert page.errors == []
    page.context.close()
