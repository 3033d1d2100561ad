"""crn.crm.records: validated writes, stamps, events, stage history, explicit deletes, upserts."""

import pytest

from crn.crm import events, records
from crn.graph.models.catalog import RECORDS
from crn.graph.models.deal import STAGES
from crn.graph import db


@pytest.fixture
def captured():
    seen = []
    events.subscribe("test-capture", lambda tx, evs: seen.extend(evs))
    yield seen
    events.unsubscribe("test-capture")


def count(label: str) -> int:
    return db.read_one(f"MATCH (n:{label}) RETURN count(n) AS n")["n"]


def test_create_stamps_actor_and_publishes(clean_db, captured):
    result = records.create_record("Company", {"name": " Acme ", "domain": "ACME.com", "tier": "key"}, "u1")
    assert result.ok and result.record["name"] == "Acme" and result.record["domain"] == "acme.com"
    assert result.record["updated_by"] == "u1" and result.record["lifecycle"] == "prospect"
    assert [(e.kind, e.label, e.uid, e.actor) for e in captured] == [("created", "Company", result.record["uid"], "u1")]


@pytest.mark.parametrize("label,values,code,field", [
    ("Company", {}, "required", "name"),
    ("Company", {"name": "A", "domain": "http://a.com"}, "invalid_domain", "domain"),
    ("Company", {"name": "A", "tier": "gold"}, "invalid_choice", "tier"),
    ("Company", {"name": "A", "nope": 1}, "unknown_field", "nope"),
    ("Person", {"name": "P", "email": "not-mail"}, "invalid_email", "email"),
    ("Person", {"name": "P", "birthday": "31/12/1990"}, "invalid_date", "birthday"),
    ("Deal", {"name": "D", "probability": 1.5}, "invalid_probability", "probability"),
    ("Deal", {"name": "D", "stage": "won"}, "invalid_choice", "stage"),
    ("Interaction", {"kind": "email"}, "required", "at"),
    ("Ticket", {"subject": "S", "csat": 9}, "invalid_csat", "csat"),
])
def test_create_refuses_bad_input_and_changes_nothing(clean_db, captured, label, values, code, field):
    result = records.create_record(label, values, "u1")
    assert not result.ok and (result.errors[0].code, result.errors[0].field) == (code, field)
    assert count(label) == 0 and captured == []


def test_duplicate_primary_email(clean_db):
    assert records.create_record("Person", {"name": "A", "email": "a@x.io"}, None).ok
    result = records.create_record("Person", {"name": "B", "email": "A@x.io"}, None)
    assert result.errors[0].code == "duplicate_email" and count("Person") == 1


def test_update_unknown_id(clean_db):
    result = records.update_record("Company", "missing", {"name": "X"}, "u1")
    assert result.errors[0].code == "not_found"


def test_deal_stage_history_status_and_customer(clean_db, captured):
    company = records.create_record("Company", {"name": "Acme"}, "u1").record
    deal = records.create_record("Deal", {"name": "Big", "stage": "proposal"}, "u1").record
    from crn.crm import links
    assert links.link("deal_company", deal["uid"], company["uid"], {}, "u1").ok
    captured.clear()
    updated = records.update_record("Deal", deal["uid"], {"stage": "closed_won"}, "u2").record
    assert updated["status"] == "won" and updated["closed_at"] is not None and updated["updated_by"] == "u2"
    assert [h["stage"] for h in updated["stage_history"]] == ["proposal", "closed_won"]
    assert {e.kind for e in captured} == {"updated", "stage_changed"}
    assert db.read_one("MATCH (c:Company:Customer {uid: $uid}) RETURN count(c) AS n", uid=company["uid"])["n"] == 1


def test_delete_with_history_needs_force(clean_db, captured):
    company = records.create_record("Company", {"name": "Acme"}, "u1").record
    deal = records.create_record("Deal", {"name": "Big"}, "u1").record
    from crn.crm import links
    links.link("deal_company", deal["uid"], company["uid"], {}, "u1")
    refused = records.delete_record("Company", company["uid"], "u1")
    assert refused.errors[0].code == "has_history" and "1 deals" in refused.errors[0].message
    assert count("Company") == 1
    assert records.delete_record("Company", company["uid"], "u1", force=True).ok
    assert count("Company") == 0 and count("Deal") == 1
    assert captured[-1].kind == "deleted"


def test_upsert_by_external_id(clean_db):
    first = records.upsert_record("Company", "crm:42", {"name": "Acme"}, "u1")
    again = records.upsert_record("Company", "crm:42", {"name": "Acme Inc"}, "u1")
    assert first.record["uid"] == again.record["uid"] and again.record["name"] == "Acme Inc"
    assert again.record["external_ids"] == ["crm:42"] and count("Company") == 1
    assert records.upsert_record("Company", "no-colon", {"name": "X"}, "u1").errors[0].code == "invalid_external_id"


def test_every_choice_of_the_declaration_is_checked_on_create_and_update(clean_db):
    for label, record in RECORDS.items():
        choices = {f.name: f.choices for f in record.writable if f.choices}
        required = {n: ("2024-01-01T00:00:00Z" if records.FIELDS[label][n] == "datetime"
                        else choices[n][0] if n in choices else "x") for n in record.required}
        for name in choices:
            if name in required:
                continue
            refused = records.create_record(label, {**required, name: "not-a-choice"}, "u1")
            assert [(e.code, e.field) for e in refused.errors] == [("invalid_choice", name)], (label, name)
    uid = records.create_record("Ticket", {"subject": "S"}, "u1").record["uid"]
    assert records.update_record("Ticket", uid, {"priority": "meh"}, "u1").errors[0].field == "priority"
    assert records.update_record("Ticket", uid, {"priority": "urgent"}, "u1").ok


def test_record_form_is_the_declaration_with_the_record_values(clean_db):
    form = records.record_form("Deal")
    assert [f.name for f in form] == [f.name for f in RECORDS["Deal"].fields if f.form and f.writable]
    assert "status" not in [f.name for f in form] and "external_ids" not in [f.name for f in form]
    stage = next(f for f in form if f.name == "stage")
    assert stage.default == "qualification" and [c for c, _ in stage.choices] == list(STAGES)
    assert stage.label == ("Stage", "阶段") and stage.choices[-1][1] == ("Closed lost", "丢单")
    uid = records.create_record("Deal", {"name": "D", "amount": 5, "expected_close": "2026-03-01"}, "u1").record["uid"]
    values = {f.name: f.value for f in records.record_form("Deal", uid)}
    assert values["name"] == "D" and values["amount"] == 5.0 and str(values["expected_close"]) == "2026-03-01"
    assert records.record_form("Deal", "missing") is None
