"""Lists in a real browser: filters and sort in the address, paging, saved views (save, refused duplicate name,
open, delete with confirmation, stored per user in the graph), and the ticket queue (SLA state from the server,
assign and change status from the row) with its Chinese labels. The journeys create their own records."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import pytest

from crn.graph import db
from tests.web.conftest import ADMIN_EMAIL
from tests.web.test_ui import new_page, sign_in, wait_ready

ME = "query { me { id uid name } }"
CREATE_COMPANY = """mutation($input: CompanyInput!) { companyCreate(input: $input) {
  ... on CompanyCreateSuccess { company { id name } } ... on CompanyCreateError { errors { code message } } } }"""
CREATE_PERSON = """mutation($input: PersonInput!) { personCreate(input: $input) {
  ... on PersonCreateSuccess { person { id name } } ... on PersonCreateError { errors { code message } } } }"""
CREATE_TICKET = """mutation($input: TicketInput!) { ticketCreate(input: $input) {
  ... on TicketCreateSuccess { ticket { id subject } } ... on TicketCreateError { errors { code message } } } }"""
LINK = """mutation($input: LinkInput!) { link(input: $input) { __typename ... on LinkError { errors { code message } } } }"""


@pytest.fixture(scope="module")
def records(api):
    """Three companies in an industry of their own, 26 people with a common name part, and three tickets of one
    company whose SLAs are breached, due in two hours and due in three days."""
    tag = uuid.uuid4().hex[:6]
    industry = f"Listtest-{tag}"
    companies = {}
    for key, employees in [("Alpha", 50), ("Bravo", 500), ("Charlie", 5)]:
        companies[key] = api(CREATE_COMPANY, input={"name": f"Listtest {key} {tag}", "industry": industry,
                                                    "employees": employees})["companyCreate"]["company"]
    for i in range(26):
        api(CREATE_PERSON, input={"name": f"Pagetest {tag} {i:02d}"})
    now = datetime.now(timezone.utc)
    tickets = {}
    for key, due in [("late", now - timedelta(hours=3)), ("soon", now + timedelta(hours=2)),
                     ("fine", now + timedelta(days=3))]:
        ticket = api(CREATE_TICKET, input={"subject": f"Queuetest {key} {tag}", "slaDueAt": due.isoformat(),
                                           "priority": "high"})["ticketCreate"]["ticket"]
        assert api(LINK, input={"type": "TICKET_COMPANY", "fromId": ticket["id"],
                                "toId": companies["Alpha"]["id"]})["link"]["__typename"] == "LinkSuccess"
        tickets[key] = ticket
    return {"tag": tag, "industry": industry, "companies": companies, "tickets": tickets, "me": api(ME)["me"]}


def names(page) -> list[str]:
    return [n.strip() for n in page.locator("[data-testid=list-row] td:first-child").all_inner_texts()]


def test_company_list_filters_sort_and_saved_views(browser, server, records, shot):
    page = new_page(browser)
    sign_in(page, server, ADMIN_EMAIL)
    tag, industry = records["tag"], records["industry"]
    page.click("[data-testid=nav-companies]")
    wait_ready(page)
    assert page.inner_text("[data-testid=view-title]") == "Companies"

    # a filter typed into the list goes into the address and narrows the rows
    page.fill("[data-testid=filter-industry]", industry)
    page.press("[data-testid=filter-industry]", "Enter")
    page.wait_for_function("() => location.hash.includes('industry=')")
    wait_ready(page)
    assert names(page) == [f"Listtest {n} {tag}" for n in ("Alpha", "Bravo", "Charlie")]
    assert page.inner_text("[data-testid=list-count]") == "3 found"

    # sort by a column header; again for the other direction
    page.click("[data-testid=sort-employees]")
    page.wait_for_function("() => location.hash.includes('sort=employees')")
    wait_ready(page)
    assert names(page) == [f"Listtest {n} {tag}" for n in ("Bravo", "Alpha", "Charlie")]  # most employees first
    page.click("[data-testid=sort-employees]")
    page.wait_for_function("() => location.hash.includes('dir=asc')")
    wait_ready(page)
    assert names(page) == [f"Listtest {n} {tag}" for n in ("Charlie", "Alpha", "Bravo")]
    assert page.get_attribute("th[aria-sort=ascending] [data-sort]", "data-sort") == "employees"

    # save the view; the same name again is refused at the name field
    view_name = f"Small first {tag}"
    page.click("[data-testid=save-view]")
    page.fill("[data-testid=view-name]", view_name)
    page.click("[data-testid=view-save]")
    chip = page.locator("[data-testid=saved-view]", has_text=view_name)
    chip.wait_for()
    assert chip.get_attribute("class").split() == ["saved-view", "active"]
    stored = db.read("MATCH (:User {email: $email})-[:SAVED_VIEW]->(v:SavedView {name: $name}) "
                     "RETURN v.list AS list, v.params AS params", email=ADMIN_EMAIL, name=view_name)
    assert len(stored) == 1 and stored[0]["list"] == "companies"
    assert '"industry": "' + industry + '"' in stored[0]["params"] and '"sort": "employees"' in stored[0]["params"]
    page.click("[data-testid=save-view]")
    page.fill("[data-testid=view-name]", view_name.upper())
    page.click("[data-testid=view-save]")
    error = page.locator("[data-testid=save-view-dialog] [data-testid=error-name]")
    error.wait_for()
    assert error.inner_text() == "You already have a view with this name."
    shot(page, "duplicate-view-name")
    page.keyboard.press("Escape")

    # clear the filters (the sort stays), then the saved view brings them back
    page.click("[data-testid=filters-clear]")
    page.wait_for_function("() => location.hash === '#/companies?dir=asc&sort=employees'")
    wait_ready(page)
    assert page.locator("[data-testid=saved-view].active").count() == 0
    page.locator("[data-testid=saved-view]", has_text=view_name).locator("[data-testid=saved-view-open]").click()
    page.wait_for_function("() => location.hash.includes('industry=')")
    wait_ready(page)
    assert names(page) == [f"Listtest {n} {tag}" for n in ("Charlie", "Alpha", "Bravo")]
    assert page.input_value("[data-testid=filter-industry]") == industry

    # delete it: asks first; cancelling keeps it, confirming removes it from the page and the graph
    chip = page.locator("[data-testid=saved-view]", has_text=view_name)
    chip.locator("[data-testid=saved-view-delete]").click()
    page.click("[data-testid=confirm-cancel]")
    assert chip.count() == 1
    chip.locator("[data-testid=saved-view-delete]").click()
    page.click("[data-testid=confirm-ok]")
    chip.wait_for(state="detached")
    assert db.read_one("MATCH (v:SavedView {name: $name}) RETURN count(v) AS n", name=view_name)["n"] == 0
    assert page.errors == []
    page.context.close()


def test_people_list_pages(browser, server, records):
    page = new_page(browser)
    sign_in(page, server, ADMIN_EMAIL)
    page.goto(f"{server}/#/people?name_contains={quote('Pagetest ' + records['tag'])}")
    wait_ready(page)
    assert page.inner_text("[data-testid=list-count]") == "26 found"
    first = names(page)
    assert len(first) == 25 and first[0].startswith(f"Pagetest {records['tag']} 00")
    assert page.locator("[data-testid=page-prev]").count() == 0
    page.click("[data-testid=page-next]")
    page.wait_for_function("() => location.hash.includes('after=')")
    wait_ready(page)
    assert [n.split("\n")[0] for n in names(page)] == [f"Pagetest {records['tag']} 25"]
    page.click("[data-testid=page-prev]")
    page.wait_for_function("() => location.hash.includes('before=')")
    wait_ready(page)
    assert names(page) == first
    page.context.close()


def test_ticket_queue_sla_assign_and_status(browser, server, records, shot):
    page = new_page(browser)
    sign_in(page, server, ADMIN_EMAIL)
    tag, tickets, me = records["tag"], records["tickets"], records["me"]
    company = records["companies"]["Alpha"]
    page.goto(f"{server}/#/tickets")
    wait_ready(page)
    # pick the account in the filter bar's company picker
    page.fill("[data-testid=picker-company-filter]", company["name"])
    page.locator("[data-testid=picker-option]", has_text=company["name"]).first.click()
    page.wait_for_function("() => location.hash.includes('company=')")
    wait_ready(page)
    assert page.input_value("[data-testid=picker-company-filter]") == company["name"]
    rows = page.locator("[data-testid=list-row]")
    assert [rows.nth(i).get_attribute("data-id") for i in range(3)] == [tickets[k]["id"] for k in ("late", "soon", "fine")]
    assert page.locator("[data-testid=sla-state]").evaluate_all("els => els.map(e => e.dataset.state)") == \
        ["breached", "due_soon", "ok"]
    assert page.locator("[data-testid=sla-state]").first.inner_text() == "Breached"

    # assign the breached ticket to me from its row
    late = page.locator(f"[data-testid=list-row][data-id='{tickets['late']['id']}']")
    late.locator("[data-testid=row-assignee]").select_option(me["id"])
    page.wait_for_function("(id) => (document.querySelector('#view').dataset.lastChange || '').startsWith(id + ':assign')",
                           arg=tickets["late"]["id"])
    assert page.inner_text("[data-testid=row-saved]") == f"Queuetest late {tag} assigned to {me['name']}."
    uid = tickets["late"]["id"]
    assigned = db.read("MATCH (u:User)-[:ASSIGNED]->(t:Ticket) WHERE t.subject = $s RETURN u.uid AS u",
                       s=f"Queuetest late {tag}")
    assert [r["u"] for r in assigned] == [me["uid"]]

    # resolve the due-soon ticket: the server stamps it, the queue reloads and its SLA counts as met
    soon = page.locator(f"[data-testid=list-row][data-id='{tickets['soon']['id']}']")
    soon.locator("[data-testid=row-status]").select_option("resolved")
    page.wait_for_function("(id) => (document.querySelector('#view').dataset.lastChange || '') === id + ':status:resolved'",
                           arg=tickets["soon"]["id"])
    row = db.read_one("MATCH (t:Ticket {subject: $s}) RETURN t.status AS status, t.resolved_at IS NOT NULL AS resolved",
                      s=f"Queuetest soon {tag}")
    assert row == {"status": "resolved", "resolved": True}
    soon = page.locator(f"[data-testid=list-row][data-id='{tickets['soon']['id']}']")
    assert soon.locator("[data-testid=sla-state]").get_attribute("data-state") == "ok"
    assert soon.locator("[data-testid=row-status]").input_value() == "resolved"

    # my tickets only: the filter in the address
    page.select_option("[data-testid=filter-assignee]", "me")
    page.wait_for_function("() => location.hash.includes('assignee=me')")
    wait_ready(page)
    assert [rows.nth(i).get_attribute("data-id") for i in range(rows.count())] == [uid]
    shot(page, "queue")
    page.click("[data-testid=filter-company-clear]")
    page.wait_for_function("() => !location.hash.includes('company=')")
    wait_ready(page)
    assert page.input_value("[data-testid=picker-company-filter]") == ""
    assert page.errors == []
    page.context.close()


def test_ticket_queue_in_chinese_at_phone_width(browser, server, records):
    page = new_page(browser, locale="zh-CN", width=420, height=860)
    sign_in(page, server, ADMIN_EMAIL)
    page.goto(f"{server}/#/tickets?company={quote(records['companies']['Alpha']['id'])}&sla_breached=true")
    wait_ready(page)
    assert page.inner_text("[data-testid=view-title]") == "工单"
    assert page.inner_text("[data-testid=save-view]") == "保存视图"
    assert page.locator("[data-testid=sla-state]").all_inner_texts() == ["已超时"]
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    box = page.locator("[data-testid=row-status]").bounding_box()
    assert box["height"] >= 40  # touch-sized
    page.context.close()


def test_products_and_orders_create_edit_delete_with_the_generated_form(browser, server, records, shot):
    page = new_page(browser)
    sign_in(page, server, ADMIN_EMAIL)
    tag = records["tag"]
    page.goto(f"{server}/#/products?name_contains={quote('Prodtest ' + tag)}")
    wait_ready(page)
    assert page.locator("[data-testid=list-empty]").count() == 1

    # create: the form is the model's (recordForm); a refused value is shown at its field
    page.click("[data-testid=list-new]")
    dialog = page.locator("[data-testid=form-product]")
    dialog.locator("[data-testid=field-name]").fill(f"Prodtest {tag} Widget")
    dialog.locator("[data-testid=field-price]").fill("-5")
    dialog.locator("[data-testid=field-currency]").fill("EUR")
    dialog.locator("button[type=submit]").click()
    dialog.locator("[data-testid=error-price]").wait_for(state="visible")
    shot(page, "product-error")
    assert db.read_one("MATCH (p:Product {name: $n}) RETURN count(p) AS n", n=f"Prodtest {tag} Widget")["n"] == 0
    dialog.locator("[data-testid=field-price]").fill("12.5")
    dialog.locator("button[type=submit]").click()
    page.wait_for_function("() => (document.querySelector('#view').dataset.lastChange || '').startsWith('new:')")
    row = page.locator("[data-testid=list-row]")
    assert row.count() == 1 and f"Prodtest {tag} Widget" in row.inner_text()
    stored = db.read_one("MATCH (p:Product {name: $n}) RETURN p.price AS price, p.currency AS currency",
                         n=f"Prodtest {tag} Widget")
    assert stored == {"price": 12.5, "currency": "EUR"}

    # edit in place
    row.locator("[data-testid=row-edit]").click()
    dialog = page.locator("[data-testid=form-product]")
    assert dialog.locator("[data-testid=field-price]").input_value() == "12.5"
    dialog.locator("[data-testid=field-price]").fill("20")
    dialog.locator("button[type=submit]").click()
    page.wait_for_function("() => (document.querySelector('#view').dataset.lastChange || '').startsWith('edit:')")
    assert db.read_one("MATCH (p:Product {name: $n}) RETURN p.price AS price", n=f"Prodtest {tag} Widget")["price"] == 20

    # an order for one of the companies, from the orders list
    page.goto(f"{server}/#/orders")
    wait_ready(page)
    page.click("[data-testid=list-new]")
    dialog = page.locator("[data-testid=form-order]")
    dialog.locator("[data-testid=field-number]").fill(f"PO-{tag}")
    dialog.locator("[data-testid=field-placedAt]").fill("2030-01-15T10:30")
    dialog.locator("[data-testid=field-total]").fill("99")
    company = records["companies"]["Alpha"]
    dialog.locator(".company-pick input").fill(f"Listtest Alpha {tag}")
    dialog.locator("[data-testid=picker-option]").first.click()
    dialog.locator("button[type=submit]").click()
    page.wait_for_function("() => (document.querySelector('#view').dataset.lastChange || '').startsWith('new:')")
    order = db.read_one("MATCH (o:Order {number: $n})-[:PLACED_BY]->(c:Company) RETURN o.total AS total, c.name AS buyer",
                        n=f"PO-{tag}")
    assert order == {"total": 99.0, "buyer": company["name"]}

    # delete the product: asks first
    page.goto(f"{server}/#/products?name_contains={quote('Prodtest ' + tag)}")
    wait_ready(page)
    page.click("[data-testid=row-delete]")
    page.click("[data-testid=confirm-ok]")
    page.wait_for_function("() => (document.querySelector('#view').dataset.lastChange || '').startsWith('delete:')")
    assert page.locator("[data-testid=list-empty]").count() == 1
    assert db.read_one("MATCH (p:Product {name: $n}) RETURN count(p) AS n", n=f"Prodtest {tag} Widget")["n"] == 0
    assert page.errors == []
    page.context.close()


def test_account_panel_uses_the_server_sla_state_and_links_to_the_queue(browser, server, records):
    page = new_page(browser)
    sign_in(page, server, ADMIN_EMAIL)
    company = records["companies"]["Alpha"]
    page.goto(f"{server}/#/company/{quote(company['id'])}")
    link = page.locator("[data-testid=account-ticket-queue]")
    link.wait_for()
    rows = page.locator("[data-testid=ticket-row]")
    badges = {rows.nth(i).inner_text().split("\n")[0].split(" SLA")[0].strip(): rows.nth(i).locator(".badge").first.get_attribute("class")
              for i in range(rows.count())}
    late = [cls for subject, cls in badges.items() if subject.startswith(f"Queuetest late {records['tag']}")]
    assert late == ["badge sla-breached"]
    assert all("sla-ok" in cls for subject, cls in badges.items() if subject.startswith(f"Queuetest fine {records['tag']}"))
    assert page.get_attribute("[data-testid=account-people-list]", "href") == f"#/people?company={quote(company['id'], safe='')}"
    link.click()
    wait_ready(page)
    assert page.input_value("[data-testid=filter-status]") == "open,pending"
    ids = page.locator("[data-testid=list-row]").evaluate_all("els => els.map(e => e.dataset.id)")
    assert records["tickets"]["late"]["id"] in ids
    page.context.close()


def test_a_viewer_sees_the_queue_without_write_controls_but_keeps_views(browser, server, records):
    from crn.auth import users
    from tests.web.conftest import PASSWORD

    email = f"list-viewer-{records['tag']}@example.com"
    users.create_user(email, "List Viewer", PASSWORD, role="viewer")
    page = new_page(browser)
    sign_in(page, server, email)
    page.goto(f"{server}/#/tickets?company={quote(records['companies']['Alpha']['id'])}")
    wait_ready(page)
    assert page.locator("[data-testid=list-row]").count() >= 2
    assert page.locator("[data-testid=row-assignee], [data-testid=row-status]").count() == 0
    page.click("[data-testid=save-view]")
    page.fill("[data-testid=view-name]", "Alpha tickets")
    page.click("[data-testid=view-save]")
    page.locator("[data-testid=saved-view]", has_text="Alpha tickets").wait_for()
    assert db.read_one("MATCH (:User {email: $e})-[:SAVED_VIEW]->(v:SavedView) RETURN v.name AS n", e=email)["n"] \
        == "Alpha tickets"
    page.goto(f"{server}/#/products")
    wait_ready(page)
    assert page.locator("[data-testid=list-new], [data-testid=row-edit]").count() == 0
    page.context.close()
