"""Access in the browser: an admin manages teams (a child team and a member), the organisation-wide defaults
and asks why a user sees a record; a record page shows its owner and the admin hands it to someone else.

Names are per run; the default and the owner are put back, so the demo other tests read is as it was.
"""

from __future__ import annotations

import uuid

from tests.web.conftest import ADMIN_EMAIL, gid
from tests.web.test_ui import new_page, sign_in, wait_ready

TEAMS = "{ accessTeams { uid name parent members { name } } }"
DEFAULTS = "{ orgDefaults { recordType level } }"
OWNED = """{ companies(first: 1, sort: {field: NAME, direction: ASC}) { edges { node { id name } } } }"""
OWNER = "query($id: ID!) { recordAccess(id: $id) { owner { id name } } }"


def test_an_admin_manages_teams_and_defaults_and_explains_access(browser, server, api, shot):
    run = uuid.uuid4().hex[:6]
    page = new_page(browser)
    sign_in(page, server, ADMIN_EMAIL)
    page.click("[data-testid=nav-access]")
    wait_ready(page)
    page.locator("[data-testid=access-team-row]", has_text="Asia Pacific Sales").wait_for()  # the demo's teams
    assert page.locator("[data-testid=access-team-row]").count() >= 12  # 4 regions, each with Sales and Support

    # a team under a region, then a member
    page.fill("[data-testid=access-team-name]", f"Team {run}")
    page.locator("[data-testid=access-team-parent]").select_option(label="Asia Pacific")
    page.click("[data-testid=access-team-save]")
    row = page.locator("[data-testid=access-team-row]", has_text=f"Team {run}")
    row.wait_for()
    assert "access-depth-1" in row.locator("td").first.get_attribute("class")
    page.locator("[data-testid=access-member-team]").select_option(label=f"— Team {run}")
    user = page.locator("[data-testid=access-member-user] option").first.inner_text()
    page.click("[data-testid=access-member-save]")
    row.locator("[data-testid=access-member]", has_text=user).wait_for()
    teams = {t["name"]: t for t in api(TEAMS)["accessTeams"]}
    parent = teams[f"Team {run}"]["parent"]
    assert teams[f"Team {run}"]["members"] == [{"name": user}] and parent == teams["Asia Pacific"]["uid"]
    shot(page, "teams")

    # renamed and moved to the top
    page.locator("[data-testid=access-move-team]").select_option(label=f"— Team {run}")
    page.fill("[data-testid=access-move-name]", f"Moved {run}")
    page.locator("[data-testid=access-move-parent]").select_option(value="")
    page.click("[data-testid=access-move-save]")
    row = page.locator("[data-testid=access-team-row]", has_text=f"Moved {run}")
    row.wait_for()
    assert {t["name"]: t["parent"] for t in api(TEAMS)["accessTeams"]}[f"Moved {run}"] is None

    # deleting it (after confirming)
    row.locator("button[data-act=team-delete]").click()
    page.click("[data-testid=confirm-ok]")
    row.wait_for(state="detached")

    # sharing defaults: Deal's changes, then goes back to what it was (other tests read the demo after this one)
    before = {d["recordType"]: d["level"] for d in api(DEFAULTS)["orgDefaults"]}["Deal"]
    other = "read" if before != "read" else "private"
    page.click("[data-testid=access-tab-defaults]")
    wait_ready(page)
    page.locator("[data-testid=access-default-Deal]").select_option(other)
    page.locator("[data-testid=access-defaults-status]", has_text="Saved").wait_for()
    assert {"recordType": "Deal", "level": other} in api(DEFAULTS)["orgDefaults"]
    page.locator("[data-testid=access-default-Deal]").select_option(before)
    page.locator("[data-testid=access-defaults-status]", has_text="Saved").wait_for()
    assert {"recordType": "Deal", "level": before} in api(DEFAULTS)["orgDefaults"]

    # explain: the owner of a company sees it because they own it
    company = api(OWNED)["companies"]["edges"][0]["node"]
    owner = api(OWNER, id=company["id"])["recordAccess"]["owner"]
    page.click("[data-testid=access-tab-explain]")
    wait_ready(page)
    page.locator("[data-testid=access-explain-user]").select_option(value=owner["id"])
    page.fill("[data-testid=access-explain-record]", company["id"])
    page.click("[data-testid=access-explain-run]")
    verdict = page.locator("[data-testid=access-explain-verdict]")
    verdict.wait_for()
    assert "can read and change" in verdict.inner_text()
    assert page.locator("[data-testid=access-explain-result] li[data-kind=owner]").count() == 1
    shot(page, "explain")
    assert not page.errors, page.errors
    page.context.close()


def test_a_record_page_shows_its_owner_and_an_admin_changes_it(browser, server, api):
    company = api(OWNED)["companies"]["edges"][0]["node"]
    owner = api(OWNER, id=company["id"])["recordAccess"]["owner"]
    page = new_page(browser)
    sign_in(page, server, ADMIN_EMAIL)
    page.goto(f"{server}/#/company/{company['id']}")
    wait_ready(page)
    shown = page.locator("[data-testid=record-owner]")
    shown.wait_for()
    assert shown.inner_text() == owner["name"]
    admin_id = gid("User", api("{ me { uid } }")["me"]["uid"])
    page.click("[data-testid=owner-change]")
    page.locator("[data-testid=owner-select]").select_option(value=admin_id)
    page.click("[data-testid=owner-save]")
    page.locator("[data-testid=record-owner]", has_text="Web Test Admin").wait_for()
    assert api(OWNER, id=company["id"])["recordAccess"]["owner"]["id"] == admin_id
    api("mutation($id: ID!, $o: ID!) { recordOwnerSet(id: $id, ownerId: $o) { __typename } }",
        id=company["id"], o=owner["id"])  # put the demo back
    assert not page.errors, page.errors
    page.context.close()
