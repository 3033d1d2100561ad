"""The privacy API: personPrivacy, personConsentSet (writers), personExport and personErase (admins only)."""

from __future__ import annotations

import base64
import io
import json
import zipfile

import pytest

from crn.crm import records
from crn.schema.base import encode_id
from tests.schema.conftest import _api

PRIVACY = """query($id: ID!) { personPrivacy(id: $id) { personId erased consent { channel granted source suppressed } } }"""
CONSENT = """mutation($id: ID!, $channel: ConsentChannel!, $granted: Boolean!, $source: String!) {
  personConsentSet(id: $id, channel: $channel, granted: $granted, source: $source) {
    __typename ... on PersonConsentSuccess { privacy { consent { channel granted source } } }
    ... on PrivacyError { errors { code field message } } } }"""
EXPORT = """mutation($id: ID!) { personExport(id: $id) { __typename
  ... on PersonExportSuccess { filename contentBase64 bytes } ... on PrivacyError { errors { code } } } }"""
ERASE = """mutation($id: ID!, $confirm: String!) { personErase(id: $id, confirm: $confirm) { __typename
  ... on PersonEraseSuccess { name nodes } ... on PrivacyError { errors { code field } } } }"""


@pytest.fixture
def person(api) -> str:
    made = records.create_record("Person", {"name": "Pia Api", "email": "pia@api.test"}, actor=None)
    assert made.ok
    return encode_id("Person", made.record["uid"])


def test_consent_is_set_per_channel_and_shown(api, person):
    out = api.data(CONSENT, {"id": person, "channel": "SMS", "granted": True, "source": "shop counter"})
    consent = {c["channel"]: c for c in out["personConsentSet"]["privacy"]["consent"]}
    assert consent["sms"] == {"channel": "sms", "granted": True, "source": "shop counter"}
    assert consent["email"]["granted"] is None  # never asked
    shown = api.data(PRIVACY, {"id": person})["personPrivacy"]
    assert shown["erased"] is False and [c["channel"] for c in shown["consent"]] == ["email", "sms", "phone"]
    empty = api.data(CONSENT, {"id": person, "channel": "EMAIL", "granted": True, "source": "  "})
    assert empty["personConsentSet"]["errors"] == [{"code": "required", "field": "source",
                                                    "message": empty["personConsentSet"]["errors"][0]["message"]}]


def test_viewers_cannot_change_consent_and_only_admins_export_or_erase(api, person):
    viewer, manager = _api("viewer"), _api("manager")
    refused = viewer.gql(CONSENT, {"id": person, "channel": "EMAIL", "granted": True, "source": "x"})
    assert refused["errors"][0]["extensions"]["code"] == "forbidden"
    for doc, variables in ((EXPORT, {"id": person}), (ERASE, {"id": person, "confirm": "Pia Api"})):
        body = manager.gql(doc, variables)
        assert body["errors"][0]["extensions"]["code"] == "forbidden"


def test_admins_export_a_zip_and_erase_with_a_typed_confirmation(api, person):
    out = api.data(EXPORT, {"id": person})["personExport"]
    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(out["contentBase64"])))
    assert json.loads(archive.read("export.json"))["person"]["name"] == "Pia Api" and out["bytes"] > 0
    wrong = api.data(ERASE, {"id": person, "confirm": "Pia"})["personErase"]
    assert wrong == {"__typename": "PrivacyError", "errors": [{"code": "confirmation_mismatch", "field": "confirm"}]}
    done = api.data(ERASE, {"id": person, "confirm": "Pia Api"})["personErase"]
    assert done["__typename"] == "PersonEraseSuccess" and done["name"].startswith("Erased person ")
    assert api.data(PRIVACY, {"id": person})["personPrivacy"]["erased"] is True


RULE_SAVE = """mutation($rule: JSON!) { ruleSave(rule: $rule) { __typename
  ... on RuleSaveSuccess { rule { id purpose } } ... on RuleSaveError { errors { code field } } } }"""


def test_a_rules_purpose_is_shown_and_only_admins_make_one_transactional(api):
    rule = {"id": "receipt", "name": "Receipt", "purpose": "transactional", "trigger": {"kind": "created", "label": "Order"},
            "actions": [{"type": "send_email", "params": {"to": "{{record.email}}", "subject": "Your order"}}]}
    manager = _api("manager")
    refused = manager.data(RULE_SAVE, {"rule": rule})["ruleSave"]
    assert refused == {"__typename": "RuleSaveError", "errors": [{"code": "forbidden_purpose", "field": "purpose"}]}
    assert manager.data(RULE_SAVE, {"rule": {**rule, "purpose": "marketing"}})["ruleSave"]["rule"]["purpose"] == \
        "marketing"
    assert api.data(RULE_SAVE, {"rule": rule})["ruleSave"]["rule"] == {"id": "receipt", "purpose": "transactional"}
    assert api.data("{ rules { id purpose } }")["rules"] == [{"id": "receipt", "purpose": "transactional"}]
