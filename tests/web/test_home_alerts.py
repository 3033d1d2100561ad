"""My day's deals closing and alerts in a real browser, for a manager with their own account: a champion who left
(employment ended through the API), a single-threaded deal (one contact in its logged calls) and a ticket about to
breach its SLA, each one click from its record; the quarter toggle; the Chinese labels."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

import pytest

from crn.crm import alerts
from tests.web.conftest import PASSWORD
from tests.web.test_ui import new_page, sign_in, wait_ready

CREATE = {label: f"""mutation($input: {label}Input!) {{ {label.lower()}Create(input: $input) {{
  ... on {label}CreateSuccess {{ {label.lower()} {{ id uid }} }} }} }}""" for label in ("Company", "Person", "Deal", "Ticket")}
LINK = """mutation($input: LinkInput!) { link(input: $input) { __typename ... on LinkError { errors { code message } } } }"""
LOG = """mutation($input: InteractionLogInput!) { interactionLog(input: $input) { __typename } }"""


@pytest.fixture(scope="module")
def manager(api):
    """A manager on one account's team: a deal of theirs closing this month whose champion left, another deal
    with one engaged contact, and a ticket whose SLA ends within the hour."""
    from crn.auth import users
    from tests.web.conftest import gid

    tag = uuid.uuid4().hex[:6]
    email = f"home-{tag}@example.com"
    user = users.create_user(email, f"Home Manager {tag}", PASSWORD, role="manager")
    me = gid("User", user.uid)

    def create(label, **values):
        return api(CREATE[label], input=values)[f"{label.lower()}Create"][label.lower()]

    def link(kind, a, b, properties=None):
        assert api(LINK, input={"type": kind, "fromId": a, "toId": b, "properties": properties})["link"]["__typename"] \
            == "LinkSuccess"

    start, end = alerts.period_range("month", datetime.now(timezone.utc).date())
    company = create("Company", name=f"Hometest Account {tag}")
    elsewhere = create("Company", name=f"Hometest Rival {tag}")
    link("ACCOUNT_TEAM", me, company["id"], {"role": "owner"})
    renewal = create("Deal", name=f"Hometest Renewal {tag}", expectedClose=end.isoformat(), amount=5000)
    pilot = create("Deal", name=f"Hometest Pilot {tag}", expectedClose=(end + timedelta(days=200)).isoformat())
    for deal in (renewal, pilot):
        link("DEAL_COMPANY", deal["id"], company["id"])
        link("DEAL_OWNER", me, deal["id"])
    champion = create("Person", name=f"Hometest Champion {tag}")
    link("EMPLOYMENT", champion["id"], company["id"], {"since": "2019-01-01", "until": "2024-06-30"})
    link("EMPLOYMENT", champion["id"], elsewhere["id"], {"since": "2024-07-01"})
    link("COMMITTEE", champion["id"], renewal["id"], {"role": "champion", "declared": True, "confidence": 1.0})
    contact = create("Person", name=f"Hometest Contact {tag}")
    link("EMPLOYMENT", contact["id"], company["id"], {"since": "2020-01-01"})
    for subject in ("Kick-off", "Demo"):
        assert api(LOG, input={"kind": "call", "subject": subject, "participants": [contact["id"], me],
                               "about": [pilot["id"]]})["interactionLog"]["__typename"] == "InteractionLogSuccess"
    buyer = create("Person", name=f"Hometest Buyer {tag}")
    link("EMPLOYMENT", buyer["id"], company["id"], {"since": "2018-01-01"})
    link("COMMITTEE", buyer["id"], renewal["id"], {"role": "economic_buyer", "declared": True, "confidence": 1.0})
    long_ago = (datetime.now(timezone.utc) - timedelta(days=100)).isoformat()  # the tie (KNOWS) follows the call
    assert api(LOG, input={"kind": "meeting", "subject": "Lunch", "at": long_ago, "participants": [buyer["id"], me],
                           "about": [company["id"]]})["interactionLog"]["__typename"] == "InteractionLogSuccess"
    ticket = create("Ticket", subject=f"Hometest outage {tag}",
                    slaDueAt=(datetime.now(timezone.utc) + timedelta(minutes=50)).isoformat())
    link("TICKET_COMPANY", ticket["id"], company["id"])
    return {"email": email, "tag": tag, "company": company, "renewal": renewal, "pilot": pilot, "ticket": ticket,
            "buyer": buyer,
            "end": end}


def test_my_day_shows_closing_deals_and_graph_alerts(browser, server, manager, shot):
    tag = manager["tag"]
    page = new_page(browser)
    sign_in(page, server, manager["email"])
    page.goto(f"{server}/#/")
    wait_ready(page)
    closing = page.locator("[data-testid=closing-deal]")
    assert closing.count() == 1 and closing.get_attribute("data-id") == manager["renewal"]["id"]
    page.click("[data-testid=closing-quarter]")
    page.wait_for_selector("[data-testid=closing-quarter][aria-pressed=true]")
    quarter_end = alerts.period_range("quarter", date.today())[1]
    expected = 2 if manager["end"] + timedelta(days=200) <= quarter_end else 1
    assert page.locator("[data-testid=closing-deal]").count() == expected

    items = page.locator("[data-testid=alert]")
    assert items.evaluate_all("els => els.map(e => e.dataset.kind)") == \
        ["sla_at_risk", "champion_left", "decaying_tie", "single_threaded"]
    assert items.nth(0).locator("[data-testid=alert-link]").inner_text().startswith(
        f"“Hometest outage {tag}” is about to breach its SLA")
    assert items.nth(1).locator("[data-testid=alert-link]").inner_text().startswith(
        f"Hometest Champion {tag} (Champion on Hometest Renewal {tag}) left on ")
    assert items.nth(1).inner_text().endswith(f"now at Hometest Rival {tag}")
    assert items.nth(2).locator("[data-testid=alert-link]").inner_text().startswith(
        f"Your tie to Hometest Buyer {tag} (Economic buyer on Hometest Renewal {tag}) is fading: last contact ")
    assert items.nth(3).locator("[data-testid=alert-link]").inner_text() == \
        f"Hometest Pilot {tag} depends on one contact: Hometest Contact {tag}"
    shot(page, "alerts")

    # one click to act: the ticket alert opens the account's ticket queue, the deal alerts the deal
    items.nth(0).locator("[data-testid=alert-link]").click()
    wait_ready(page)
    assert page.locator("[data-testid=list-row]").get_attribute("data-id") == manager["ticket"]["id"]
    page.go_back()
    wait_ready(page)
    page.locator("[data-testid=alert][data-kind=champion_left] [data-testid=alert-link]").click()
    page.wait_for_function("(id) => location.hash === '#/deal/' + encodeURIComponent(id)", arg=manager["renewal"]["id"])
    page.go_back()
    wait_ready(page)
    page.locator("[data-testid=alert][data-kind=decaying_tie] [data-testid=alert-link]").click()
    page.wait_for_function("(id) => location.hash === '#/person/' + encodeURIComponent(id)", arg=manager["buyer"]["id"])
    page.locator("[data-testid=log-activity]").wait_for()  # acting on it: log the call from the person
    assert page.errors == []
    page.context.close()


def test_my_day_alerts_in_chinese(browser, server, manager):
    page = new_page(browser, locale="zh-CN", width=420, height=860)
    sign_in(page, server, manager["email"])
    page.goto(f"{server}/#/")
    wait_ready(page)
    assert page.inner_text("[data-testid=section-alerts] h2") == "我的客户提醒"
    assert page.locator("[data-testid=alert] .alert-kind").all_inner_texts() == ["SLA", "已离职", "关系减弱", "单线联系"]
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.context.close()
