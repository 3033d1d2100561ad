"""Possible groups in the browser (admins): the demo's implicit groups with their binding ties, one drawn on the
canvas; Chinese labels; other roles are told the page is for admins."""

from __future__ import annotations

from tests.web.conftest import ADMIN_EMAIL, PASSWORD
from tests.web.test_ui import new_page, sign_in, wait_ready

GROUPS = "{ possibleGroups { weight companies { id name } links { fromId toId kind binder } } }"


def test_possible_groups_with_their_ties_on_a_canvas(browser, server, api, shot):
    expected = api(GROUPS)["possibleGroups"]
    assert expected, "the demo network plants implicit groups"
    page = new_page(browser)
    sign_in(page, server, ADMIN_EMAIL)
    # an admin's header holds every page's link without pushing the page sideways (a wider document once
    # made the org chart's renderer crash after a drag)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1400
    page.click("[data-testid=nav-groups]")
    wait_ready(page)
    cards = page.locator("[data-testid=group]")
    assert cards.count() == len(expected)
    first = cards.first
    for company in expected[0]["companies"]:
        assert company["name"] in first.inner_text()
    assert first.locator("[data-testid=group-tie]").count() == len(expected[0]["links"])
    first.locator("[data-testid=group-show]").click()
    page.wait_for_function("(n) => window.crnCanvas && window.crnCanvas.nodes().length === n",
                           arg=len(expected[0]["companies"]))
    assert page.evaluate("window.crnCanvas.edges().length") == len(expected[0]["links"])
    shot(page, "groups")
    page.select_option("[data-testid=lang-switch]", "zh")
    wait_ready(page)
    assert page.inner_text("h1") == "潜在集团"
    assert not page.errors, page.errors


def test_a_manager_is_told_groups_are_for_admins(browser, server, api):
    from crn.auth import users

    email = "groups-manager@example.com"
    if users.get_user(email) is None:
        users.create_user(email, "Groups Manager", PASSWORD, role="manager")
    page = new_page(browser)
    sign_in(page, server, email)
    assert page.locator("[data-testid=nav-groups]").count() == 0
    page.goto(server + "/#/groups")
    wait_ready(page)
    assert page.locator("[data-testid=groups-admin-only]").is_visible()
