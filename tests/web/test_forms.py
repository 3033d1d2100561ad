"""Create, edit and delete records and their links in the browser: forms generated from the model's declaration,
the API's validation errors at their field, confirmation before deleting, committee roles declared and confirmed.

The journey creates its own company, people and deal (named with a per-run suffix) and removes them; the demo
records other tests read are left alone.
"""

from __future__ import annotations

import re
import uuid

import pytest

from tests.web.conftest import ADMIN_EMAIL, gid
from tests.web.test_ui import new_page, sign_in, wait_ready

COMPANY = """query($id: ID!) { company(id: $id) { id name domain tier employees
  contacts(first: 20) { edges { properties node { id name email } } }
  deals(first: 10) { edges { node { id name amount } } } tickets(first: 10) { edges { node { id subject priority } } } } }"""
DEAL = """query($id: ID!) { deal(id: $id) { id name amount stage company { id }
  committee { role declared confidence person { id name } } } }"""
FIND = "query($name: String!) { companies(filter: {nameContains: $name}, first: 5) { edges { node { id name } } } }"


def _id_from_hash(page, kind: str) -> str:
    match = re.search(rf"#/{kind}/([^/?]+)$", page.url)
    assert match, page.url
    return page.evaluate("(s) => decodeURIComponent(s)", match.group(1))


def _open_new(page, kind: str):
    page.click("[data-testid=new-menu]")
    page.click(f"[data-testid=new-{kind}]")
    page.wait_for_selector(f"dialog[data-testid=form-{kind}] [data-testid=field-name], "
                           f"dialog[data-testid=form-{kind}] [data-testid=field-subject]")
    return page.locator(f"dialog[data-testid=form-{kind}]")


def _pick(dialog, name: str, text: str, option: str):
    box = dialog.locator(f"[data-testid=picker-{name}]")
    box.fill(text)
    dialog.locator("[data-testid=picker-option]", has_text=option).first.click()
    assert box.input_value() == option


@pytest.fixture(scope="module")
def admin(api):
    """The admin the web tests' `api` fixture created (it signs in with the shared password)."""
    return ADMIN_EMAIL


def test_create_edit_link_and_delete(browser, server, api, admin, shot):
    run = uuid.uuid4().hex[:6]
    name = f"Formwork {run}"
    page = new_page(browser)
    sign_in(page, server, admin)
    page.wait_for_selector("[data-testid=new-menu]")

    # 1. New company: an invalid domain is refused by the API and shown at the domain field; nothing is saved.
    form = _open_new(page, "company")
    assert form.locator("[data-field=tier] option").all_inner_texts()[1:] == ["Strategic", "Key", "Standard", "Long tail"]
    form.locator("[data-testid=field-name]").fill(name)
    form.locator("[data-testid=field-domain]").fill("not a domain")
    form.locator("[data-testid=field-tier]").select_option("key")
    form.locator("[data-testid=field-employees]").fill("120")
    form.locator("[data-testid=form-save]").click()
    error = form.locator("[data-testid=error-domain]")
    error.wait_for(state="visible")
    assert "not a domain such as acme.com" in error.inner_text()
    assert form.locator("[data-testid=field-domain]").get_attribute("aria-invalid") == "true"
    assert api(FIND, name=run)["companies"]["edges"] == []
    shot(page, "field-error")
    form.locator("[data-testid=field-domain]").fill(f"formwork-{run}.example.com")
    form.locator("[data-testid=form-save]").click()
    page.wait_for_url(re.compile(r"#/company/"))
    wait_ready(page)
    company_id = _id_from_hash(page, "company")
    assert page.locator("[data-testid=view-title]").inner_text() == name
    page.locator("[data-testid=section-profile]", has_text=f"formwork-{run}.example.com").wait_for()
    stored = api(COMPANY, id=company_id)["company"]
    assert (stored["name"], stored["domain"], stored["tier"], stored["employees"]) == (
        name, f"formwork-{run}.example.com", "key", 120)

    # 2. Add a new person to it, with a title, department and start date (the employment link).
    page.click("[data-testid=add-person]")
    dialog = page.locator("dialog[data-testid=form-add-person]")
    dialog.locator("[data-testid=mode-new]").check()
    dialog.locator(".mode-new [data-testid=field-name]").fill(f"Ada Formwork {run}")
    dialog.locator(".mode-new [data-testid=field-email]").fill(f"ada-{run}@formwork.example.com")
    dialog.locator(".employment [data-testid=field-title]").fill("Chief Technology Officer")
    dialog.locator(".employment [data-testid=field-department]").fill("Engineering")
    dialog.locator(".employment [data-testid=field-since]").fill("2024-01-15")
    dialog.locator(".employment [data-testid=field-until]").fill("2023-01-01")  # ends before it starts
    dialog.locator("[data-testid=form-save]").click()
    since_error = dialog.locator(".employment [data-testid=error-since]")  # the API says properties.since
    since_error.wait_for(state="visible")
    assert "since must not be after until" in since_error.inner_text()
    dialog.locator(".employment [data-testid=field-until]").fill("")
    dialog.locator("[data-testid=form-save]").click()
    dialog.wait_for(state="detached")
    wait_ready(page)
    row = page.locator("[data-testid=person-row]", has_text=f"Ada Formwork {run}")
    row.wait_for()
    assert "Chief Technology Officer" in row.inner_text() and "Engineering" in row.inner_text()
    contacts = api(COMPANY, id=company_id)["company"]["contacts"]["edges"]
    assert [(e["node"]["name"], e["properties"]["title"], e["properties"]["department"], e["properties"]["since"])
            for e in contacts] == [(f"Ada Formwork {run}", "Chief Technology Officer", "Engineering", "2024-01-15")]
    ada_id = contacts[0]["node"]["id"]
    people = api("query($n: String!) { people(filter: {nameContains: $n}) { totalCount } }", n=f"Ada Formwork {run}")
    assert people["people"]["totalCount"] == 1  # the refused first try created the person once, not twice

    # The person view edits the person: a bad e-mail is shown at its field, a good one is saved.
    page.click(f"[data-testid=person-row] >> text=Ada Formwork {run}")
    page.wait_for_url(re.compile(r"#/person/"))
    wait_ready(page)
    page.click("[data-testid=edit-record]")
    form = page.locator("dialog[data-testid=form-person]")
    form.locator("[data-testid=field-email]").fill("ada at formwork")
    form.locator("[data-testid=form-save]").click()
    form.locator("[data-testid=error-email]").wait_for(state="visible")
    form.locator("[data-testid=field-email]").fill(f"ada.lovelace-{run}@formwork.example.com")
    form.locator("[data-testid=field-seniority]").select_option("c_level")
    form.locator("[data-testid=form-save]").click()
    form.wait_for(state="detached")
    page.locator("[data-testid=section-profile]", has_text=f"ada.lovelace-{run}@formwork.example.com").wait_for()
    person = api("query($id: ID!) { person(id: $id) { email seniority } }", id=ada_id)["person"]
    assert person == {"email": f"ada.lovelace-{run}@formwork.example.com", "seniority": "c_level"}
    page.goto(f"{server}/#/company/{company_id}")
    wait_ready(page)

    # 3. New deal for the company, picked with search-as-you-type.
    form = _open_new(page, "deal")
    _pick(form, "company", f"Formwork {run}", name)
    form.locator("[data-testid=field-name]").fill(f"Formwork rollout {run}")
    form.locator("[data-testid=field-amount]").fill("25000")
    form.locator("[data-testid=form-save]").click()
    page.wait_for_url(re.compile(r"#/deal/"))
    wait_ready(page)
    deal_id = _id_from_hash(page, "deal")
    deal = api(DEAL, id=deal_id)["deal"]
    assert (deal["name"], deal["amount"], deal["stage"], deal["company"]["id"]) == (
        f"Formwork rollout {run}", 25000.0, "qualification", company_id)

    # 4. Declare Ada's role on the deal from the committee view; the committee shows it as declared.
    page.click("[data-testid=declare-role]")
    dialog = page.locator("dialog[data-testid=form-declare-role]")
    dialog.locator("[data-testid=picker-person]").focus()
    dialog.locator("[data-testid=picker-option]", has_text=f"Ada Formwork {run}").click()  # the account's people
    dialog.locator("[data-testid=field-role]").select_option("decision_maker")
    dialog.locator("[data-testid=form-save]").click()
    dialog.wait_for(state="detached")
    wait_ready(page)
    member = page.locator("[data-testid=committee-member]", has_text=f"Ada Formwork {run}")
    member.wait_for()
    assert "Decision maker" in member.inner_text() and "declared" in member.inner_text()
    committee = api(DEAL, id=deal_id)["deal"]["committee"]
    assert [(m["person"]["id"], m["role"], m["declared"], m["confidence"]) for m in committee] == [
        (ada_id, "decision_maker", True, 1.0)]
    shot(page, "declared")

    # 5. Edit the company's name on the account view.
    page.goto(f"{server}/#/company/{company_id}")
    wait_ready(page)
    page.click("[data-testid=edit-record]")
    form = page.locator("dialog[data-testid=form-company]")
    assert form.locator("[data-testid=field-name]").input_value() == name  # filled with the record's values
    form.locator("[data-testid=field-name]").fill(f"{name} Holdings")
    form.locator("[data-testid=form-save]").click()
    form.wait_for(state="detached")
    page.locator("[data-testid=view-title]", has_text=f"{name} Holdings").wait_for()
    wait_ready(page)
    assert api(COMPANY, id=company_id)["company"]["name"] == f"{name} Holdings"

    # 6. Delete: cancelling changes nothing; the API refuses while the deal is attached and says why;
    #    "delete anyway" (force) deletes it.
    page.click("[data-testid=delete-record]")
    page.click("dialog[data-testid=confirm-dialog] [data-testid=confirm-cancel]")
    assert api(COMPANY, id=company_id)["company"] is not None
    page.click("[data-testid=delete-record]")
    page.click("dialog[data-testid=confirm-dialog] [data-testid=confirm-ok]")
    refusal = page.locator("dialog[data-testid=force-dialog] [data-testid=api-refusal]")
    refusal.wait_for()
    assert "still has 1 deals" in refusal.inner_text()
    assert api(COMPANY, id=company_id)["company"] is not None
    shot(page, "force")
    page.click("dialog[data-testid=force-dialog] [data-testid=confirm-ok]")
    page.wait_for_url(re.compile(r"#/$"))
    assert api(COMPANY, id=company_id)["company"] is None
    assert api(DEAL, id=deal_id)["deal"]["company"] is None  # detached, not deleted

    # Clean up what the journey made (the demo's records are untouched).
    api("mutation($id: ID!) { dealDelete(id: $id) { __typename } }", id=deal_id)
    api("mutation($id: ID!) { personDelete(id: $id, force: true) { __typename } }", id=ada_id)
    assert not page.errors, page.errors


def test_ticket_created_for_a_company(browser, server, api, admin):
    run = uuid.uuid4().hex[:6]
    company = api("""mutation($input: CompanyInput!) { companyCreate(input: $input) {
        ... on CompanyCreateSuccess { company { id name } } } }""", input={"name": f"Ticketworks {run}"}
                  )["companyCreate"]["company"]
    page = new_page(browser)
    sign_in(page, server, admin)
    page.wait_for_selector("[data-testid=new-menu]")
    form = _open_new(page, "ticket")
    form.locator("[data-testid=field-subject]").fill(f"Printer on fire {run}")
    form.locator("[data-testid=form-save]").click()
    form.locator("[data-testid=error-company]").wait_for(state="visible")  # a ticket needs its company
    _pick(form, "company", f"Ticketworks {run}", company["name"])
    form.locator("[data-testid=field-priority]").select_option("urgent")
    form.locator("[data-testid=form-save]").click()
    page.wait_for_url(re.compile(r"#/company/"))
    wait_ready(page)
    page.locator("[data-testid=section-tickets]", has_text=f"Printer on fire {run}").wait_for()
    tickets = api(COMPANY, id=company["id"])["company"]["tickets"]["edges"]
    assert [(t["node"]["subject"], t["node"]["priority"]) for t in tickets] == [(f"Printer on fire {run}", "urgent")]
    # edited from the account's ticket list
    page.locator("[data-testid=ticket-row]", has_text=f"Printer on fire {run}").locator("[data-testid=edit-ticket]").click()
    form = page.locator("dialog[data-testid=form-ticket]")
    assert form.locator("[data-testid=field-priority]").input_value() == "urgent"
    form.locator("[data-testid=field-csat]").fill("9")
    form.locator("[data-testid=form-save]").click()
    form.locator("[data-testid=error-csat]").wait_for(state="visible")
    assert "csat is a score from 1 to 5" in form.locator("[data-testid=error-csat]").inner_text()
    form.locator("[data-testid=field-csat]").fill("5")
    form.locator("[data-testid=field-status]").select_option("pending")
    form.locator("[data-testid=form-save]").click()
    form.wait_for(state="detached")
    wait_ready(page)
    ticket = api("query($id: ID!) { ticket(id: $id) { status csat } }", id=tickets[0]["node"]["id"])["ticket"]
    assert ticket == {"status": "pending", "csat": 5}
    api("mutation($id: ID!) { ticketDelete(id: $id) { __typename } }", id=tickets[0]["node"]["id"])
    api("mutation($id: ID!) { companyDelete(id: $id) { __typename } }", id=company["id"])
    assert not page.errors, page.errors


def test_confirm_an_inferred_member(browser, server, api, admin, demo):
    """An inferred committee member gets a Confirm button that declares the inferred role."""
    page = new_page(browser)
    sign_in(page, server, admin)
    page.wait_for_selector("[data-testid=new-menu]")
    for deal_uid, planted in sorted(demo["deals"].items()):
        if planted["stage"] in ("closed_won", "closed_lost"):
            continue
        inferred = api("""query($id: ID!) { buyingCommittee(dealId: $id) { members { role declared person { id name } } } }""",
                       id=gid("Deal", deal_uid))["buyingCommittee"]["members"]
        inferred = [m for m in inferred if not m["declared"]]
        if inferred:
            break
    else:
        pytest.fail("no open demo deal has an inferred committee member")
    deal_id, target = gid("Deal", deal_uid), inferred[0]
    page.goto(f"{server}/#/deal/{deal_id}")
    wait_ready(page)
    member = page.locator("[data-testid=committee-member]", has_text=target["person"]["name"]).first
    member.locator("[data-testid=confirm-member]").click()
    wait_ready(page)
    page.locator("[data-testid=committee-member]", has_text=target["person"]["name"]).filter(
        has_text="declared").first.wait_for()
    try:
        committee = api(DEAL, id=deal_id)["deal"]["committee"]
        assert (target["person"]["id"], target["role"], True) in [
            (m["person"]["id"], m["role"], m["declared"]) for m in committee]
    finally:  # give the demo back its planted committee
        api("""mutation($input: UnlinkInput!) { unlink(input: $input) { __typename } }""",
            input={"type": "COMMITTEE", "fromId": target["person"]["id"], "toId": deal_id})
    assert not page.errors, page.errors


def test_forms_in_chinese(browser, server, api, admin):
    page = new_page(browser, locale="zh-CN")
    sign_in(page, server, admin)
    page.wait_for_selector("[data-testid=new-menu]")
    assert page.locator("[data-testid=new-menu]").inner_text() == "+ 新建"
    page.click("[data-testid=new-menu]")
    assert page.locator("[data-testid=new-company]").inner_text() == "新建公司"
    page.click("[data-testid=new-company]")
    form = page.locator("dialog[data-testid=form-company]")
    form.locator("[data-testid=field-name]").wait_for()
    assert form.locator("h2").inner_text() == "新建公司"
    assert form.locator("[data-field=name] label").inner_text().startswith("名称")
    assert form.locator("[data-field=tier] option").all_inner_texts()[1:] == ["战略", "重点", "标准", "长尾"]
    assert form.locator("[data-testid=form-save]").inner_text() == "创建"
    form.locator("[data-testid=form-save]").click()  # no name: the API's `required` error at the name field
    form.locator("[data-testid=error-name]").wait_for(state="visible")
    assert "name is required" in form.locator("[data-testid=error-name]").inner_text()
    page.keyboard.press("Escape")
    form.wait_for(state="detached")
    assert not page.errors, page.errors


def test_forms_fit_a_phone(browser, server, api, admin):
    """At 480 px the create dialog fills the screen, fields stack in one column and the save button is reachable."""
    page = new_page(browser, width=480, height=800)
    sign_in(page, server, admin)
    page.wait_for_selector("[data-testid=new-menu]")
    form = _open_new(page, "deal")
    box = form.bounding_box()
    assert box["x"] >= 0 and box["width"] <= 480
    name, amount = (form.locator(f"[data-testid=field-{f}]").bounding_box() for f in ("name", "amount"))
    assert amount["y"] > name["y"] + name["height"] - 1  # one column
    form.locator("[data-testid=form-save]").scroll_into_view_if_needed()
    assert form.locator("[data-testid=form-save]").is_visible()
    page.keyboard.press("Escape")
    form.wait_for(state="detached")
    assert not page.errors, page.errors


def test_add_an_existing_person_with_the_keyboard(browser, server, api, admin):
    """Add person → existing person found by typing, chosen with the arrow keys and Enter; the form is sent with Enter."""
    run = uuid.uuid4().hex[:6]
    company = api("""mutation($input: CompanyInput!) { companyCreate(input: $input) {
        ... on CompanyCreateSuccess { company { id name } } } }""", input={"name": f"Keyway {run}"})["companyCreate"]["company"]
    person = api("""mutation($input: PersonInput!) { personCreate(input: $input) {
        ... on PersonCreateSuccess { person { id name } } } }""", input={"name": f"Grace Keyway {run}"})["personCreate"]["person"]
    page = new_page(browser)
    sign_in(page, server, admin)
    page.wait_for_selector("[data-testid=new-menu]")
    page.goto(f"{server}/#/company/{company['id']}")
    wait_ready(page)
    page.click("[data-testid=add-person]")
    dialog = page.locator("dialog[data-testid=form-add-person]")
    box = dialog.locator("[data-testid=picker-person]")
    box.press_sequentially(f"Keyway {run}")
    dialog.locator("[data-testid=picker-option]", has_text=person["name"]).wait_for()
    box.press("ArrowDown")
    box.press("Enter")
    assert box.input_value() == person["name"]
    title = dialog.locator(".employment [data-testid=field-title]")
    title.fill("Head of Procurement")
    title.press("Enter")
    dialog.wait_for(state="detached")
    wait_ready(page)
    page.locator("[data-testid=person-row]", has_text=person["name"]).filter(has_text="Head of Procurement").wait_for()
    edges = api(COMPANY, id=company["id"])["company"]["contacts"]["edges"]
    assert [(e["node"]["id"], e["properties"]["title"]) for e in edges] == [(person["id"], "Head of Procurement")]
    api("mutation($id: ID!) { personDelete(id: $id, force: true) { __typename } }", id=person["id"])
    api("mutation($id: ID!) { companyDelete(id: $id) { __typename } }", id=company["id"])
    assert not page.errors, page.errors
