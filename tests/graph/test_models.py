"""Model round trips through neomodel against the real Neo4j, and uniqueness violations."""

import datetime as dt

import pytest
from neomodel.exceptions import UniqueProperty

from crn.graph.models import Company, Deal, Person


def test_company_round_trip(clean_db):
    c = Company(name="Acme Group", domain="acme.example", country="CN", tags=["steel"]).save()
    got = Company.nodes.get(uid=c.uid)
    assert (got.name, got.domain, got.country, got.tags) == ("Acme Group", "acme.example", "CN", ["steel"])


def test_subsidiary_with_share_and_several_parents(clean_db):
    child = Company(name="JV Co").save()
    a = Company(name="Parent A").save()
    b = Company(name="Parent B").save()
    child.parents.connect(a, {"share": 0.5, "kind": "joint_venture", "since": dt.date(2020, 1, 1)})
    child.parents.connect(b, {"share": 0.5, "kind": "joint_venture"})
    shares = sorted(child.parents.relationship(p).share for p in child.parents.all())
    assert shares == [0.5, 0.5]
    assert {p.name for p in child.parents.all()} == {"Parent A", "Parent B"}


def test_employment_history_and_committee(clean_db):
    acme = Company(name="Acme").save()
    alice = Person(name="Alice", email="alice@acme.example", seniority="c_level").save()
    alice.employers.connect(acme, {"title": "CFO", "since": dt.date(2019, 5, 1)})
    deal = Deal(name="Acme renewal", amount=120000.0).save()
    deal.company.connect(acme)
    deal.committee.connect(alice, {"role": "economic_buyer", "declared": True, "confidence": 1.0})
    rel = deal.committee.relationship(alice)
    assert (rel.role, rel.declared) == ("economic_buyer", True)
    assert alice.employers.relationship(acme).title == "CFO"


def test_duplicate_primary_email_is_refused(clean_db):
    Person(name="Bob", email="bob@x.example").save()
    with pytest.raises(UniqueProperty) as info:
        Person(name="Robert", email="bob@x.example").save()
    assert "bob@x.example" in str(info.value)


def test_duplicate_domain_is_refused(clean_db):
    Company(name="One", domain="one.example").save()
    with pytest.raises(UniqueProperty):
        Company(name="Other", domain="one.example").save()


def test_temporals_are_native_neo4j_values(clean_db):
    """Models write date/datetime as Neo4j temporals, so Cypher can compare them with date()/datetime()."""
    from crn.graph import db
    from crn.graph.models import Ticket

    deal = Deal(name="Dated", expected_close=dt.date(2026, 3, 31)).save()
    ticket = Ticket(subject="Down", sla_due_at=dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.timezone.utc)).save()
    row = db.read_one(
        "MATCH (d:Deal {uid: $d}), (t:Ticket {uid: $t}) "
        "RETURN d.expected_close = date('2026-03-31') AS date_ok, "
        "t.sla_due_at = datetime('2026-01-02T03:04:00Z') AS datetime_ok, "
        "valueType(t.created_at) AS created_type",
        d=deal.uid, t=ticket.uid)
    assert row["date_ok"] and row["datetime_ok"]
    assert row["created_type"].startswith("ZONED DATETIME")
    assert Deal.nodes.get(uid=deal.uid).expected_close == dt.date(2026, 3, 31)
    assert Ticket.nodes.get(uid=ticket.uid).sla_due_at == dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.timezone.utc)
