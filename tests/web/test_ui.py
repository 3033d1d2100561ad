"""The network UI in a real browser (Debian's Chromium via Playwright) against crn and the small demo."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.web.conftest import PASSWORD, gid

DEAL_QUERY = """query($id: ID!) { deal(id: $id) { id name status company { id name }
  committee { role declared person { id name } } } }"""
KNOWN_BY_QUERY = "query($id: ID!) { person(id: $id) { id name knownBy { strength user { id name email } } } }"

ROLE_EN = {"economic_buyer": "Economic buyer", "decision_maker": "Decision maker", "champion": "Champion",
           "influencer": "Influencer", "technical_evaluator": "Technical evaluator", "user": "User",
           "procurement": "Procurement", "blocker": "Blocker"}


@pytest.fixture(scope="module")
def journey(demo, api):
    """What the journey uses, read from the demo's answers and the API: an open deal with a declared committee,
    a user who knows one member (we sign in as them) and a member to reach through an intro path."""
    from crn.auth import users

    for deal_uid, planted in sorted(demo["deals"].items()):
        if not planted["declared"] or planted["stage"] in ("closed_won", "closed_lost"):
            continue
        deal = api(DEAL_QUERY, id=gid("Deal", deal_uid))["deal"]
        if not any(word.isascii() for word in deal["company"]["name"].split()):
            continue  # the full-text search does not find names written only in Chinese (see search_text)
        declared = [m for m in deal["committee"] if m["declared"]]
        known = {m["person"]["id"]: api(KNOWN_BY_QUERY, id=m["person"]["id"])["person"]["knownBy"] for m in declared}
        for member in declared:
            if not known[member["person"]["id"]]:
                continue
            me = max(known[member["person"]["id"]], key=lambda k: k["strength"] or 0)["user"]
            others = [m for m in declared if m is not member and me["id"] not in {k["user"]["id"] for k in known[m["person"]["id"]]}]
            target = (others or [member])[0]
            users.set_password(me["email"], PASSWORD)
            return {"deal": deal, "me": me, "target": target["person"], "declared": declared}
    pytest.fail("the small demo has no open deal with a declared committee known to one of our users")


def search_text(name: str) -> str:
    """What a user types to find `name`: its Latin words (the full-text index does not split Chinese words)."""
    latin = " ".join(word for word in name.split() if word.isascii())
    return latin or name


def new_page(browser, locale="en-US", width=1400, height=900):
    context = browser.new_context(locale=locale, viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    return page


def sign_in(page, server, email, password=PASSWORD, wait=True):
    """Sign in through the login page; with ``wait``, until the app has left it and rendered where it went
    (otherwise its own navigation after sign-in can land after the test's next ``goto``)."""
    page.goto(server + "/")
    page.wait_for_selector("[data-testid=login]")
    page.fill("[data-testid=login-email]", email)
    page.fill("[data-testid=login-password]", password)
    page.click("[data-testid=login-submit]")
    if wait:
        page.wait_for_function("() => location.hash !== '#/login' && !!document.querySelector('[data-testid=current-user]')")
        wait_ready(page)


def canvas_counts(page) -> tuple[int, int]:
    status = page.locator("[data-testid=canvas-pane]")
    return int(status.get_attribute("data-nodes")), int(status.get_attribute("data-edges"))


def wait_ready(page):
    """Wait until the view for the *current* address is rendered (a click changes the address at once, but
    the previous view stays marked ready until the hashchange handler starts the next one)."""
    page.wait_for_function("() => { const v = document.querySelector('#view');"
                           " return v.dataset.ready === '1' && v.dataset.hash === location.hash; }")


def test_journey(browser, server, journey, shot):
    """sign in -> search -> open an account -> expand a node -> committee -> intro path -> family tree."""
    page = new_page(browser)
    me, deal, target = journey["me"], journey["deal"], journey["target"]
    company = deal["company"]

    # sign in
    sign_in(page, server, me["email"])
    page.wait_for_selector("[data-testid=current-user]")
    assert page.inner_text("[data-testid=current-user]") == me["name"]
    shot(page, "1-signed-in")

    # search as you type
    page.fill("[data-testid=search-input]", search_text(company["name"]))
    result = page.locator("[data-testid=search-result]", has_text=company["name"]).first
    result.wait_for()
    shot(page, "2-search")
    result.click()

    # the account view: name, 360° panel, network canvas
    wait_ready(page)
    assert page.inner_text("[data-testid=view-title]") == company["name"]
    nodes, edges = canvas_counts(page)
    assert nodes == page.evaluate("() => window.crnCanvas.nodes().length") > 1 and edges >= 1
    assert page.evaluate("(id) => window.crnCanvas.getElementById(id).data('label')", company["id"]) == company["name"]
    page.locator("[data-testid=deal-row]", has_text=deal["name"]).wait_for()
    page.wait_for_function("() => !document.querySelector('.panel .loading')")
    assert page.locator(".panel [data-testid=error]").count() == 0, page.inner_text(".panel")
    shot(page, "3-account")

    # click a node (details), then double-click to expand its neighbours
    node_id = page.evaluate("""() => { const cy = window.crnCanvas;
        const users = cy.nodes('[type = "User"]'); const people = cy.nodes('[type = "Person"]');
        return (users.length ? users : people)[0].id(); }""")
    x, y = node_position(page, node_id)
    page.mouse.click(x, y)
    page.locator("[data-testid=selection-name]").wait_for()
    page.mouse.dblclick(x, y)
    page.wait_for_function("() => document.querySelector('#view').dataset.expanded !== undefined")
    added = int(page.get_attribute("#view", "data-expanded"))
    assert canvas_counts(page)[0] == nodes + added
    shot(page, "4-expanded")

    # the deal's buying committee: declared members with their roles
    page.locator("[data-testid=deal-row]", has_text=deal["name"]).locator("[data-testid=deal-committee]").click()
    wait_ready(page)
    assert page.inner_text("[data-testid=view-title]").startswith(deal["name"])
    members = page.locator("[data-testid=committee-member]")
    for member in journey["declared"]:
        row = members.filter(has_text=member["person"]["name"]).first
        assert ROLE_EN[member["role"]] in row.inner_text()
    shot(page, "5-committee")

    # an intro path from me to a committee member, each hop explained and highlighted on the canvas
    members.filter(has_text=target["name"]).first.locator("a").first.click()
    page.wait_for_selector("[data-testid=find-path]")
    page.click("[data-testid=find-path]")
    wait_ready(page)
    assert target["name"] in page.inner_text("[data-testid=view-title]")
    paths = page.locator("[data-testid=intro-path]")
    assert paths.count() >= 1
    hops = paths.first.locator("[data-testid=path-hop]")
    assert hops.count() >= 1
    assert hops.first.inner_text().startswith(me["name"])
    assert target["name"] in hops.last.inner_text()
    highlighted = page.evaluate("() => window.crnCanvas.nodes('.path').length")
    assert highlighted == hops.count() + 1
    shot(page, "6-intro-path")

    # back and forward work across views
    page.go_back()
    page.wait_for_function("() => location.hash.startsWith('#/person/')")
    page.go_forward()
    wait_ready(page)
    assert target["name"] in page.inner_text("[data-testid=view-title]")

    # the corporate family tree of the account
    page.goto(f"{server}/#/company/{company['id']}")
    wait_ready(page)
    page.click("[data-testid=tab-family]")
    wait_ready(page)
    count = int(re.sub(r"\D", "", page.inner_text("[data-testid=family-count]")))
    assert count >= 1 and canvas_counts(page)[0] == count
    assert page.evaluate("(id) => window.crnCanvas.getElementById(id).data('label')", company["id"]) == company["name"]
    assert page.evaluate("(id) => window.crnCanvas.getElementById(id).hasClass('root')", company["id"])
    shot(page, "7-family")
    assert not page.errors, page.errors
    page.context.close()


def node_position(page, node_id: str) -> tuple[float, float]:
    """Page coordinates of a node on the canvas (after centring it)."""
    pos = page.evaluate("""(id) => { const cy = window.crnCanvas; const n = cy.getElementById(id);
        cy.center(n); const p = n.renderedPosition(); return [p.x, p.y]; }""", node_id)
    box = page.locator("[data-testid=canvas]").bounding_box()
    return box["x"] + pos[0], box["y"] + pos[1]


def test_wrong_password_shows_an_error(browser, server, shot):
    page = new_page(browser)
    sign_in(page, server, "web-test-admin@example.com", "not the password", wait=False)
    error = page.locator("[data-testid=error]")
    error.wait_for()
    assert error.inner_text() == "Wrong email or password."
    assert page.locator("[data-testid=current-user]").count() == 0
    shot(page, "error")
    page.context.close()


def test_without_a_session_no_data_is_served(browser, server, journey):
    company = journey["deal"]["company"]
    response = httpx.post(f"{server}/graphql", json={"query": "query($id: ID!) { company(id: $id) { name } }",
                                                     "variables": {"id": company["id"]}})
    assert company["name"] not in response.text
    assert response.status_code == 401 or not (response.json().get("data") or {}).get("company")
    page = new_page(browser)
    page.goto(f"{server}/#/company/{company['id']}")
    page.wait_for_selector("[data-testid=login]")
    assert page.evaluate("() => location.hash") == "#/login"
    assert company["name"] not in page.inner_text("body")
    page.context.close()


def test_shared_link_opens_the_same_view_after_sign_in(browser, server, journey):
    company = journey["deal"]["company"]
    page = new_page(browser)
    page.goto(f"{server}/#/company/{company['id']}/org")
    page.wait_for_selector("[data-testid=login]")
    page.fill("[data-testid=login-email]", journey["me"]["email"])
    page.fill("[data-testid=login-password]", PASSWORD)
    page.click("[data-testid=login-submit]")
    wait_ready(page)
    assert page.evaluate("() => location.hash") == f"#/company/{company['id']}/org"
    assert page.inner_text("[data-testid=view-title]").startswith(company["name"])
    # Deep levels start folded: the boxes drawn plus the people folded under collapsed managers are everyone.
    folded = int(page.get_attribute("#view", "data-folded"))
    assert canvas_counts(page)[0] + folded == int(page.inner_text("[data-testid=org-count]").replace(",", ""))
    page.click("[data-testid=signout]")
    page.wait_for_selector("[data-testid=login]")
    page.context.close()


def test_first_steps_in_chinese(browser, server, journey, shot):
    company = journey["deal"]["company"]
    page = new_page(browser, locale="zh-CN")
    page.goto(server + "/")
    page.wait_for_selector("[data-testid=login]")
    assert page.inner_text("[data-testid=login] h1") == "登录 crn"
    assert page.inner_text("[data-testid=login-submit]") == "登录"
    sign_in(page, server, journey["me"]["email"])
    page.wait_for_selector("[data-testid=current-user]")
    assert page.get_attribute("[data-testid=search-input]", "placeholder") == "搜索公司和联系人…"
    page.fill("[data-testid=search-input]", search_text(company["name"]))
    result = page.locator("[data-testid=search-result]", has_text=company["name"]).first
    assert "公司" in result.inner_text()
    result.click()
    wait_ready(page)
    assert page.inner_text("[data-testid=tab-family]") == "企业族谱"
    assert page.inner_text("[data-testid=section-profile] h2") == "概况"
    assert re.fullmatch(r"\d+ 个节点 · \d+ 条边", page.inner_text("[data-testid=canvas-status]").split(" · 网络")[0])
    shot(page, "zh-account")
    page.select_option("[data-testid=lang-switch]", "en")
    wait_ready(page)
    assert page.inner_text("[data-testid=tab-family]") == "Corporate family"
    page.context.close()


def _overlap(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def test_tablet_layout_stacks_without_overlap(browser, server, journey, shot):
    company = journey["deal"]["company"]
    page = new_page(browser, width=1024, height=768)
    sign_in(page, server, journey["me"]["email"])
    page.wait_for_selector("[data-testid=current-user]")
    page.goto(f"{server}/#/company/{company['id']}")
    wait_ready(page)
    canvas = page.locator("[data-testid=canvas-pane]").bounding_box()
    panel = page.locator("[data-testid=panel]").bounding_box()
    assert not _overlap(canvas, panel)
    assert panel["y"] >= canvas["y"] + canvas["height"]  # stacked, panel below the canvas
    assert canvas["x"] + canvas["width"] <= 1024 and panel["x"] + panel["width"] <= 1024
    header = [page.locator(sel).bounding_box() for sel in
              (".brand", "[data-testid=search-input]", "[data-testid=lang-switch]", "[data-testid=signout]")]
    for i, a in enumerate(header):
        for b in header[i + 1:]:
            assert not _overlap(a, b)
    cards = [page.locator(".panel .card").nth(i).bounding_box() for i in range(page.locator(".panel .card").count())]
    for i, a in enumerate(cards):
        for b in cards[i + 1:]:
            assert not _overlap(a, b)
    shot(page, "tablet")
    page.context.close()


def test_sign_in_with_a_token_and_see_influence(browser, server, journey, shot):
    from crn.auth import tokens

    company = journey["deal"]["company"]
    page = new_page(browser)
    page.goto(f"{server}/#/company/{company['id']}/influence")
    page.wait_for_selector("[data-testid=login]")
    page.click("[data-testid=login] summary")
    page.fill("[data-testid=login-token]", tokens.create_token(journey["me"]["email"], "web-ui-test"))
    page.click("#token-form button[type=submit]")
    wait_ready(page)
    assert page.inner_text("[data-testid=current-user]") == journey["me"]["name"]
    rows = page.locator("[data-testid=influence-row]")
    assert rows.count() >= 1
    brokers_listed = page.locator("[data-testid=influence-row] .badge.broker").count()
    brokers_drawn = page.evaluate("() => window.crnCanvas.nodes('.broker').length")
    assert brokers_drawn >= brokers_listed
    sizes = page.evaluate("""() => window.crnCanvas.nodes('[type = "Person"]').map((n) => n.data('size'))""")
    assert len(set(sizes)) > 1  # node size follows the influence score
    shot(page, "influence")
    page.context.close()
