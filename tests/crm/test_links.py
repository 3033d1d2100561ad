"""crn.crm.links: every link kind validates its properties; cycles are refused; failures change nothing."""

from crn.crm import links, records
from crn.graph import db


def make(label, **values):
    return records.create_record(label, values, "u1").record["uid"]


def rels(rel_type: str) -> int:
    return db.read_one(f"MATCH ()-[r:{rel_type}]->() RETURN count(r) AS n")["n"]


def test_no_company_its_own_parent_even_indirectly(clean_db):
    a, b, c = make("Company", name="A"), make("Company", name="B"), make("Company", name="C")
    assert links.link("subsidiary", b, a, {"share": 0.6}, "u1").ok
    assert links.link("subsidiary", c, b, {"share": 0.6}, "u1").ok
    assert links.link("subsidiary", a, c, {"share": 0.1}, "u1").errors[0].code == "cycle"
    assert links.link("subsidiary", a, a, {}, "u1").errors[0].code == "cycle"
    assert rels("SUBSIDIARY_OF") == 2


def test_share_rules(clean_db):
    a, b = make("Company", name="A"), make("Company", name="B")
    result = links.link("subsidiary", b, a, {"share": 1.5}, "u1")
    assert (result.errors[0].code, result.errors[0].field) == ("invalid_share", "properties.share")
    assert links.link("subsidiary", b, a, {"share_min": 0.5, "share_max": 0.25}, "u1").errors[0].code == "invalid_range"
    assert links.link("subsidiary", b, a, {"since": "yesterday"}, "u1").errors[0].code == "invalid_date"
    assert rels("SUBSIDIARY_OF") == 0
    ok = links.link("subsidiary", b, a, {"share_min": 0.25, "share_max": 0.5, "since": "2020-01-01"}, "u1")
    assert ok.ok and ok.record["updated_by"] == "u1" and str(ok.record["since"]) == "2020-01-01"


def test_no_reporting_cycle_but_dotted_lines_may_cross(clean_db):
    a, b = make("Person", name="A"), make("Person", name="B")
    assert links.link("reporting", a, b, {"kind": "solid"}, "u1").ok
    assert links.link("reporting", b, a, {"kind": "solid"}, "u1").errors[0].code == "cycle"
    assert links.link("reporting", b, a, {"kind": "dotted"}, "u1").ok


def test_employment_keeps_history(clean_db):
    p, c = make("Person", name="P"), make("Company", name="C")
    assert links.link("employment", p, c, {"title": "Dev", "since": "2020-01-01"}, "u1").ok
    assert links.link("employment", p, c, {"title": "Lead"}, "u1").ok  # updates the open stint
    assert rels("WORKS_AT") == 1
    assert links.link("employment", p, c, {"until": "2022-01-01"}, "u1").ok  # closes it
    assert links.link("employment", p, c, {"title": "CTO", "since": "2024-01-01"}, "u1").ok  # a new stint
    assert rels("WORKS_AT") == 2


def test_unknown_ids_role_and_unlink(clean_db):
    p, d = make("Person", name="P"), make("Deal", name="D")
    missing = links.link("committee", p, "nope", {"role": "champion"}, "u1")
    assert (missing.errors[0].code, missing.errors[0].field) == ("not_found", "toId")
    assert links.link("committee", p, d, {"role": "king"}, "u1").errors[0].code == "invalid_choice"
    assert links.link("committee", p, d, {}, "u1").errors[0].code == "required"
    assert links.link("committee", p, d, {"role": "champion", "confidence": 0.7}, "u1").ok
    assert links.unlink("committee", p, d, "u1").ok and rels("ON_COMMITTEE") == 0
    assert links.unlink("committee", p, d, "u1").errors[0].code == "not_found"


def test_order_makes_a_customer_and_single_links_replace(clean_db):
    person, order = make("Person", name="P"), make("Order", placed_at="2026-01-01T10:00:00Z")
    assert links.link("order_buyer", order, person, {}, "u1").ok
    assert db.read_one("MATCH (p:Person:Customer) RETURN count(p) AS n")["n"] == 1
    deal, a, b = make("Deal", name="D"), make("Company", name="A"), make("Company", name="B")
    links.link("deal_company", deal, a, {}, "u1")
    links.link("deal_company", deal, b, {}, "u1")
    assert db.read("MATCH (:Deal)-[:FOR]->(c) RETURN c.name AS n") == [{"n": "B"}]


def test_every_link_kind_links_and_unlinks(clean_db):
    uids = {label: make(label, **values) for label, values in {
        "Company": {"name": "C"}, "Person": {"name": "P"}, "User": {"name": "U"}, "Deal": {"name": "D"},
        "Ticket": {"subject": "T"}, "Interaction": {"kind": "call", "at": "2026-01-01T00:00:00Z"},
        "Product": {"name": "X"}, "Order": {"placed_at": "2026-01-01T00:00:00Z"}}.items()}
    other = {"Company": make("Company", name="C2"), "Person": make("Person", name="P2"),
             "User": make("User", name="U2")}
    for name, kind in links.LINKS.items():
        start = uids[kind.from_labels[0]]
        end = other.get(kind.to_labels[0], uids[kind.to_labels[0]])
        props = {"role": "champion"} if name == "committee" else {}
        assert links.link(name, start, end, props, "u1").ok, name
        assert links.unlink(name, start, end, "u1").ok, name


def test_linking_a_won_deal_makes_its_company_a_customer(clean_db):
    deal = make("Deal", name="D", stage="closed_won")
    company = make("Company", name="C")
    assert links.link("deal_company", deal, company, {}, "u1").ok
    assert db.read_one("MATCH (c:Company:Customer) RETURN count(c) AS n")["n"] == 1


def test_link_form_and_declared_choices():
    role = links.link_form("committee")[0]
    assert role.name == "role" and [c for c, _ in role.choices] == list(links.LINKS["committee"].choices["role"])
    assert dict(role.choices)["technical_evaluator"] == ("Technical evaluator", "技术评估人")
    assert [f.name for f in links.link_form("employment")] == ["title", "department", "since", "until"]
    assert links.link_form("nope") is None


def test_a_link_choice_error_names_its_property(clean_db):
    a = records.create_record("Company", {"name": "A"}, "u1").record["uid"]
    b = records.create_record("Company", {"name": "B"}, "u1").record["uid"]
    refused = links.link("subsidiary", a, b, {"kind": "colony"}, "u1")
    assert [(e.code, e.field) for e in refused.errors] == [("invalid_choice", "properties.kind")]
