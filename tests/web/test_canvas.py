"""Readable network views and links made from the canvases (issue 11 §5 and the canvas links of §1).

Each journey writes its own records (uids and names with a per-run prefix, tests/cypher.py ORG / FAMILY) so the
demo records other tests read are left alone. Layout outcomes are read from the page (Cytoscape's rendered
bounding boxes through window.crnCanvas), changes from the database through the API.
"""

from __future__ import annotations

import uuid

import pytest

from crn.graph import db
from tests.cypher import FAMILY, ORG
from tests.web.conftest import ADMIN_EMAIL, gid
from tests.web.test_ui import new_page, sign_in, wait_ready

MANAGER = "query($id: ID!) { person(id: $id) { id manager { id name } } }"
TEAM = "query($id: ID!) { company(id: $id) { accountTeam { role user { id name } } } }"
KNOWN_BY = "query($id: ID!) { person(id: $id) { knownBy { strength user { name } } } }"
FAMILY_Q = """query($id: ID!) { corporateFamily(companyId: $id) { nodes { company { id } }
  edges { childId parentId share } whitespace { company { id } missing } } }"""
PERSON = """query($id: ID!) { person(id: $id) { employments { since until current company { name } }
  interactions(first: 10) { totalCount } consentMarketing } }"""

# Non-compound nodes' rendered boxes (labels included) that overlap another: [] when the canvas is readable.
OVERLAPS = """() => { const cy = window.crnCanvas;
  const boxes = cy.nodes().filter((n) => !n.isParent()).map((n) => ({ id: n.id(), b: n.boundingBox({ includeLabels: true }) }));
  const out = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i].b, b = boxes[j].b;
    if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) out.push([boxes[i].id, boxes[j].id]);
  }
  return out; }"""


@pytest.fixture(scope="module")
def admin(api):
    return ADMIN_EMAIL


def _org(n: int, fanout: int) -> tuple[str, str]:
    prefix = f"cv{uuid.uuid4().hex[:6]}"
    name = f"Orgworks {prefix}"
    db.write_many([(ORG, {"prefix": prefix, "name": name, "n": n, "fanout": fanout})])
    return prefix, name


def _screen(page, node_id: str) -> tuple[float, float]:
    """Page coordinates of a node's centre (it is scrolled into view first)."""
    pos = page.evaluate("""(id) => { const cy = window.crnCanvas; const n = cy.getElementById(id);
        const r = n.renderedPosition(); if (r.x < 20 || r.y < 20 || r.x > cy.width() - 20 || r.y > cy.height() - 20) cy.center(n);
        const p = n.renderedPosition(); return [p.x, p.y]; }""", node_id)
    box = page.locator("[data-testid=canvas]").bounding_box()
    return box["x"] + pos[0], box["y"] + pos[1]


def _drag(page, source: str, target: str):
    page.evaluate("() => window.crnCanvas.fit(undefined, 40)")  # a small chart: both boxes in view
    sx, sy = _screen(page, source)
    tx, ty = _screen(page, target)
    page.mouse.move(sx, sy)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(sx + (tx - sx) * step / 10, sy + (ty - sy) * step / 10)
    page.mouse.up()


def test_org_chart_of_500_people_stays_readable(browser, server, admin, shot):
    prefix, name = _org(500, 4)
    company = gid("Company", prefix + "org")
    page = new_page(browser)
    sign_in(page, server, admin)
    page.goto(f"{server}/#/company/{company}/org")
    wait_ready(page)
    assert page.inner_text("[data-testid=org-count]") == "500"
    # Deep levels start collapsed: the CEO, 4 VPs and 16 directors, each director folding a team.
    assert page.evaluate("() => window.crnCanvas.nodes().length") == 21
    assert int(page.get_attribute("#view", "data-collapsed")) == 16
    assert int(page.get_attribute("#view", "data-folded")) == 500 - 21
    assert page.evaluate(OVERLAPS) == []
    ceo = gid("Person", prefix + "p0")
    node = page.evaluate("""(id) => { const n = window.crnCanvas.getElementById(id);
        return { label: n.data('display'), avatar: n.data('avatar'), shape: n.style('shape'), w: n.width() }; }""", ceo)
    assert node["label"].split("\n")[:2] == [f"Staff 0 {prefix}", "Chief Executive Officer"]
    assert node["avatar"].startswith("data:image/svg+xml") and "S" in node["avatar"]
    assert node["shape"] == "round-rectangle" and node["w"] >= 200
    folded = page.evaluate("() => window.crnCanvas.nodes('.collapsed').map((n) => n.data('display').split('\\n')[2])")
    assert len(folded) == 16 and all(line.startswith("▸ ") for line in folded)
    shot(page, "collapsed")

    # Expand all: 500 boxes, none overlapping; solid and dotted lines drawn differently.
    page.click("[data-testid=org-expand-all]")
    page.wait_for_function("() => window.crnCanvas.nodes().length === 500")
    assert page.evaluate(OVERLAPS) == []
    lines = page.evaluate("""() => { const cy = window.crnCanvas;
        const one = (sel) => { const e = cy.edges(sel)[0]; return [e.style('line-style'), e.style('line-color'), e.style('curve-style')]; };
        return { solid: one('.solid-line'), dotted: one('.dotted-line'), solidCount: cy.edges('.solid-line').length,
                 dottedCount: cy.edges('.dotted-line').length }; }""")
    assert lines["solidCount"] == 499 and lines["dottedCount"] == len([i for i in range(2, 500) if i % 37 == 0])
    assert lines["solid"][0] == "solid" and lines["dotted"][0] == "dashed"
    assert lines["solid"][1] != lines["dotted"][1] and lines["solid"][2] == "taxi"
    # Reports stacked in a column are joined along the column's left gutter: the last bend sits left of the box, level
    # with its middle, so the line enters the box from the side instead of crossing the boxes above it.
    bends = page.evaluate("""() => window.crnCanvas.edges('.stacked').map((e) => { const pts = e.segmentPoints() || [];
        const last = pts[pts.length - 1]; const t = e.target(); const s = e.source();
        return last ? [last.x < t.position('x') - t.width() / 2, Math.abs(last.y - t.position('y')) < 1,
                       Math.abs(pts[0].x - s.position('x')) < 1, pts[0].y > s.position('y') + s.height() / 2] : [false]; })""")
    assert len(bends) > 300 and all(all(b) for b in bends)
    shot(page, "expanded")
    page.evaluate("() => { const cy = window.crnCanvas; cy.zoom(0.9); cy.center(cy.nodes()[0]); }")
    shot(page, "expanded-zoomed")

    # Collapse a subtree from the panel, expand it with the keyboard (Enter on the focused canvas).
    page.click("[data-testid=org-collapse]")
    page.wait_for_function("() => window.crnCanvas.nodes().length === 21")
    vp = gid("Person", prefix + "p1")
    page.evaluate("(id) => window.crnCanvas.getElementById(id).emit('tap')", vp)
    page.locator("[data-testid=selection-name]", has_text=f"Staff 1 {prefix}").wait_for()
    page.click("[data-testid=org-toggle]")
    page.wait_for_function("() => window.crnCanvas.nodes().length === 17")  # the VP's 4 directors are folded away
    assert page.get_attribute("[data-testid=org-toggle]", "aria-expanded") == "false"
    page.focus("[data-testid=canvas]")
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.crnCanvas.nodes().length === 21")
    page.keyboard.press("ArrowDown")  # to the VP's first director
    page.locator("[data-testid=selection-name]", has_text=f"Staff 5 {prefix}").wait_for()
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.crnCanvas.nodes().length === 25")
    assert page.evaluate(OVERLAPS) == []
    assert not page.errors, page.errors
    page.context.close()


def test_drag_a_box_onto_another_changes_the_manager_and_cycles_are_refused(browser, server, api, admin, shot):
    prefix, name = _org(7, 2)  # p0 <- p1, p2; p1 <- p3, p4; p2 <- p5, p6
    company = gid("Company", prefix + "org")
    p = {i: gid("Person", f"{prefix}p{i}") for i in range(7)}
    page = new_page(browser)
    sign_in(page, server, admin)
    page.goto(f"{server}/#/company/{company}/org")
    wait_ready(page)
    assert api(MANAGER, id=p[6])["person"]["manager"]["id"] == p[2]

    # Drag p6 onto p1: confirm; p6 now reports to p1 (and no longer to p2), the chart redraws.
    _drag(page, p[6], p[1])
    page.locator("dialog[data-testid=org-confirm]").wait_for()
    assert f"Staff 6 {prefix}" in page.inner_text("dialog[data-testid=org-confirm]")
    page.click("[data-testid=confirm-ok]")
    page.locator("[data-testid=org-message]", has_text=f"Staff 6 {prefix} now reports to Staff 1 {prefix}").wait_for()
    assert api(MANAGER, id=p[6])["person"]["manager"]["id"] == p[1]
    page.wait_for_function("""([id, m]) => { const cy = window.crnCanvas;
        return cy.edges(`[source = "${m}"][target = "${id}"]`).length === 1; }""", arg=[p[6], p[1]])
    assert page.evaluate("(id) => window.crnCanvas.edges(`[target = \"${id}\"].solid-line`).length", p[6]) == 1
    shot(page, "moved")

    # Drag the CEO onto p6, who reports to p1 who reports to the CEO: the API refuses the cycle; nothing changes.
    _drag(page, p[0], p[6])
    page.locator("dialog[data-testid=org-confirm]").wait_for()
    page.click("[data-testid=confirm-ok]")
    refusal = page.locator("[data-testid=org-message][data-kind=error]")
    refusal.wait_for()
    assert "reporting cycle" in refusal.inner_text()
    assert api(MANAGER, id=p[0])["person"]["manager"] is None
    before = page.evaluate("(id) => window.crnCanvas.getElementById(id).position()", p[0])
    assert before["y"] < page.evaluate("(id) => window.crnCanvas.getElementById(id).position('y')", p[6])  # put back
    shot(page, "cycle-refused")

    # The keyboard way: the panel's "Change manager" with a picker of the company's people.
    page.evaluate("(id) => window.crnCanvas.getElementById(id).emit('tap')", p[3])
    page.click("[data-testid=org-change-manager]")
    dialog = page.locator("dialog[data-testid=org-manager-dialog]")
    dialog.locator("[data-testid=picker-manager]").fill(f"Staff 2 {prefix}")
    dialog.locator("[data-testid=picker-option]", has_text=f"Staff 2 {prefix}").first.click()
    dialog.locator("[data-testid=form-save]").click()
    page.click("dialog[data-testid=org-confirm] [data-testid=confirm-ok]")
    page.locator("[data-testid=org-message]", has_text=f"Staff 3 {prefix} now reports to Staff 2 {prefix}").wait_for()
    assert api(MANAGER, id=p[3])["person"]["manager"]["id"] == p[2]
    assert not page.errors, page.errors
    page.context.close()


def test_account_canvas_by_meaning_groups_and_links(browser, server, api, admin, shot):
    prefix, name = _org(60, 6)  # 60 people in 4 departments of 15: a large account folds them
    company = gid("Company", prefix + "org")
    page = new_page(browser)
    sign_in(page, server, admin)
    page.goto(f"{server}/#/company/{company}")
    wait_ready(page)
    assert page.get_attribute("#view", "data-groups") == "4"
    groups = page.evaluate("() => window.crnCanvas.nodes('.group').map((n) => [n.data('department'), n.data('count'), n.data('label')])")
    assert sorted(g[:2] for g in groups) == [["Engineering", 15], ["Finance", 15], ["Operations", 15], ["Sales", 15]]
    assert all(g[2].endswith("15") for g in groups)
    assert page.evaluate("(id) => { const p = window.crnCanvas.getElementById(id).position(); return [p.x, p.y]; }", company) == [0, 0]
    # A group expands on click: its 15 people, each in the department's frame, most senior on top.
    page.evaluate("() => window.crnCanvas.nodes('.group').filter((n) => n.data('department') === 'Engineering').emit('tap')")
    page.wait_for_function("() => document.querySelector('#view').dataset.groups === '3'")
    shown = page.evaluate("""() => { const cy = window.crnCanvas; const frame = cy.nodes('.frame').filter((f) => f.data('label') === 'Engineering');
        return frame.children().map((n) => [n.data('label'), n.position('x'), n.position('y')]); }""")
    assert len(shown) == 15 and all("Staff" in s[0] for s in shown)
    assert page.evaluate(OVERLAPS) == []
    # The same from the keyboard: the folded groups are buttons above the canvas.
    assert page.locator("[data-testid=group-open]").all_inner_texts() == ["Finance · 15", "Operations · 15", "Sales · 15"]
    page.locator("[data-testid=group-open]", has_text="Finance").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#view').dataset.groups === '2'")
    assert page.evaluate("() => window.crnCanvas.nodes('.frame').filter((f) => f.data('label') === 'Finance').children().length") == 15
    assert page.evaluate(OVERLAPS) == []
    shot(page, "account-groups")
    # And folds again: the Finance frame's "Fold" button puts its 15 people back into one group node.
    assert sorted(page.locator("[data-testid=group-fold]").all_inner_texts()) == ["Fold Engineering", "Fold Finance"]
    page.locator("[data-testid=group-fold]", has_text="Finance").click()
    page.wait_for_function("() => document.querySelector('#view').dataset.groups === '3'")
    assert page.evaluate("() => window.crnCanvas.nodes('.frame').filter((f) => f.data('label') === 'Finance').children().map((n) => n.data('type'))") == ["Group"]

    # Add the admin to the account team (left side of the canvas), then a "knows" tie from them to a person.
    page.click("[data-testid=add-team]")
    dialog = page.locator("dialog[data-testid=form-add-team]")
    dialog.locator("[data-testid=picker-user]").fill("Web Test Admin")
    dialog.locator("[data-testid=picker-option]", has_text="Web Test Admin").first.click()
    dialog.locator("[data-testid=form-save]").click()
    dialog.wait_for(state="detached")
    wait_ready(page)
    team = api(TEAM, id=company)["company"]["accountTeam"]
    assert [(m["user"]["name"], m["role"]) for m in team] == [("Web Test Admin", "account_manager")]
    page.wait_for_function("() => window.crnCanvas.nodes('[type = \"User\"]').length === 1")
    user_x, min_x = page.evaluate("""() => { const cy = window.crnCanvas;
        return [cy.nodes('[type = "User"]')[0].position('x'), Math.min(...cy.nodes('[type = "Person"], .group').map((n) => n.position('x')))]; }""")
    assert user_x < min_x
    person = gid("Person", prefix + "p0")
    page.click("[data-testid=add-knows]")
    dialog = page.locator("dialog[data-testid=form-add-knows]")
    dialog.locator("[data-testid=picker-who]").click()
    dialog.locator("[data-testid=picker-option]", has_text="Web Test Admin").first.click()  # suggested: our users here
    dialog.locator("[data-testid=picker-whom]").fill(f"Staff 0 {prefix}")
    dialog.locator("[data-testid=picker-option]", has_text=f"Staff 0 {prefix}").first.click()
    dialog.locator("[data-testid=field-strength]").fill("1.7")
    dialog.locator("[data-testid=form-save]").click()
    dialog.locator("[data-testid=error-strength]").wait_for(state="visible")  # the API's share check, at its field
    assert api(KNOWN_BY, id=person)["person"]["knownBy"] == []
    dialog.locator("[data-testid=field-strength]").fill("0.6")
    dialog.locator("[data-testid=form-save]").click()
    dialog.wait_for(state="detached")
    wait_ready(page)
    assert api(KNOWN_BY, id=person)["person"]["knownBy"] == [{"strength": 0.6, "user": {"name": "Web Test Admin"}}]
    assert not page.errors, page.errors
    page.context.close()


def test_family_subsidiary_whitespace_and_person_details_in_chinese(browser, server, api, admin, shot, demo):
    prefix = f"cf{uuid.uuid4().hex[:6]}"
    db.write_many([(FAMILY, {"prefix": prefix})])
    holding = gid("Company", prefix + "fp")
    quiet = gid("Company", prefix + "fx")
    page = new_page(browser, locale="zh-CN")
    sign_in(page, server, admin)
    page.goto(f"{server}/#/company/{holding}/family")
    wait_ready(page)
    assert page.inner_text("[data-testid=family-count]") == "2"
    assert page.inner_text("[data-testid=add-subsidiary]") == "添加子公司"
    assert page.get_attribute("#view", "data-whitespace") == "0"

    # Attach "Quiet" as a 60 % subsidiary: the tree redraws with it, highlighted as whitespace (no deals, no contacts).
    page.click("[data-testid=add-subsidiary]")
    dialog = page.locator("dialog[data-testid=form-add-subsidiary]")
    dialog.locator("[data-testid=picker-subsidiary]").fill(f"Quiet {prefix}")
    dialog.locator("[data-testid=picker-option]", has_text=f"Quiet {prefix}").first.click()
    dialog.locator("[data-testid=field-share]").fill("0.6")
    dialog.locator("[data-testid=form-save]").click()
    dialog.wait_for(state="detached")
    wait_ready(page)
    page.wait_for_function("() => document.querySelector('[data-testid=family-count]')?.textContent === '3'")
    family = api(FAMILY_Q, id=holding)["corporateFamily"]
    assert {(e["childId"], e["share"]) for e in family["edges"] if e["parentId"] == holding} >= {(quiet, 0.6)}
    assert [w["company"]["id"] for w in family["whitespace"]] == [quiet]
    assert page.get_attribute("#view", "data-whitespace") == "1"
    assert page.evaluate("(id) => window.crnCanvas.getElementById(id).hasClass('whitespace')", quiet)
    assert page.evaluate("(id) => window.crnCanvas.getElementById(id).style('border-style')", quiet) == "dashed"
    row = page.locator("[data-testid=whitespace-row]")
    assert row.count() == 1 and f"Quiet {prefix}" in row.inner_text()
    assert page.inner_text("[data-testid=section-whitespace] h2") == "空白市场"
    shot(page, "family-whitespace")

    # The person view: employment history with dates, interactions, tickets, orders, consent (in Chinese).
    contact = gid("Person", prefix + "fc")
    page.goto(f"{server}/#/person/{contact}")
    wait_ready(page)
    row = page.locator("[data-testid=employment-row]")
    row.wait_for()
    assert f"Buyer {prefix}" in row.inner_text() and "2020" in row.inner_text() and "现任" in row.inner_text()
    assert page.inner_text("[data-testid=section-person-employments] h2") == "任职经历"
    assert page.inner_text("[data-testid=person-consent]") == "否"
    for key in ("person-tickets", "person-orders"):
        assert page.locator(f"[data-testid=section-{key}] .loading").count() == 0
    stored = api(PERSON, id=contact)["person"]
    assert stored["employments"][0]["company"]["name"] == f"Buyer {prefix}" and stored["consentMarketing"] in (None, False)
    assert not page.errors, page.errors
    page.context.close()
