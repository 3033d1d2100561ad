"""Consent in automation (issue 13 §3): marketing sends only with per-channel consent and never to suppressed
addresses (fail closed, skips recorded with their reason); transactional rules are admin-only; one-click
unsubscribe end to end through a real SMTP receiver and crn over real HTTP."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest

from crn.automation import outbox, store, templates
from crn.automation.sms import FileSmsProvider
from crn.automation.worker import Worker
from crn.config import get_settings
from crn.crm import privacy
from crn.crm.events import Event
from crn.graph import db
from tests.automation.conftest import publish, smtp_server, webhook_server  # noqa: F401 - fixtures
from tests.live import running_crn


def _person(uid: str, name: str, email: str | None = None, phones: list[str] | None = None, **consent) -> None:
    db.write("CREATE (p:Person {uid: $uid, name: $name, email: $email, phones: $phones}) SET p += $consent",
             uid=uid, name=name, email=email, phones=phones or [], consent=consent)


def _ordered(uid: str, days_ago: int, now) -> None:
    db.write("MATCH (p:Person {uid: $uid}) CREATE (:Order {uid: $uid + '-o', number: $uid, placed_at: $at})"
             "-[:PLACED_BY]->(p)", uid=uid, at=now - timedelta(days=days_ago))


def _save(data: dict, actor: str | None = None) -> None:
    _, errors = store.save_rule(data, actor=actor)
    assert errors == []


def _runs(rule_id: str) -> dict[str, tuple[str, str | None]]:
    return {r["subject_uid"]: (r["outcome"], r["error"]) for r in outbox.rule_runs(rule_id)}


def _win_back(rule_id: str = "win-back") -> dict:
    return templates.template_rule("win_back", {"id": rule_id})


def test_a_win_back_rule_emails_only_people_with_consent_and_unsubscribe_works_end_to_end(automation, smtp_server):
    now = automation.now()
    _person("ann", "Ann Consent", "ann@shop.test", consent_email=True)
    _person("bob", "Bob Never", "bob@shop.test")                       # never asked: no consent
    _person("cy", "Cy Withdrew", "cy@shop.test", consent_email=False)  # said no
    _person("dee", "Dee Texts", "dee@shop.test", consent_sms=True)     # consent for another channel only
    for uid in ("ann", "bob", "cy", "dee"):
        _ordered(uid, 92, now)
    _save(_win_back())
    with running_crn() as port:
        base = f"http://127.0.0.1:{port}"
        worker = Worker(clock=automation, settings=replace(get_settings(), public_url=base))
        counts = worker.run_once()
        assert counts["success"] == 1 and counts["skipped"] == 3, (counts, outbox.rule_runs())
        assert [m["To"] for m in smtp_server.messages] == ["ann@shop.test"]
        runs = _runs("win-back")
        assert runs["ann"][0] == "success"
        assert runs["bob"][0] == "skipped" and runs["bob"][1].startswith("no_consent")
        assert runs["cy"][0] == "skipped" and runs["cy"][1].startswith("consent_withdrawn")
        assert runs["dee"][0] == "skipped" and runs["dee"][1].startswith("no_consent")
        assert {i["status"] for i in outbox.outbox_items("win-back")} == {"done", "skipped"}

        message = smtp_server.messages[0]
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        links = re.findall(r"<([^>]+)>", message["List-Unsubscribe"])
        url = next(link for link in links if link.startswith("http"))
        assert url.startswith(f"{base}/u/") and "ann" not in url.lower()  # the token names no address
        assert url in message.get_content()  # the visible link in the body

        # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to the URL, with no cookie
        answer = httpx.post(url, content=b"List-Unsubscribe=One-Click",
                            headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=30)
        assert answer.status_code == 200 and "unsubscribed" in answer.text.lower()
        consent = privacy.consent_of("ann")["email"]
        assert consent["granted"] is False and consent["source"] == "unsubscribe link"
        assert consent["suppressed"] == ["unsubscribed"]
        assert db.read("MATCH (s:Suppression) RETURN s.channel AS c, s.reason AS r") == [
            {"c": "email", "r": "unsubscribed"}]

        # the next campaign skips her, and says why
        _save(_win_back("win-back-2"))
        counts = worker.run_once()
        assert counts["success"] == 0 and len(smtp_server.messages) == 1
        ann = _runs("win-back-2")["ann"]
        assert ann[0] == "skipped" and ann[1].startswith("suppressed")


def test_staff_are_reachable_and_unknown_addresses_are_not_by_marketing_rules(automation, smtp_server):
    db.write("CREATE (:User {uid: 'u1', name: 'Sam Sales', email: 'sam@us.test', role: 'manager'})")
    _save({"id": "notify", "name": "notify", "trigger": {"kind": "created", "label": "Company"},
           "actions": [{"type": "send_email", "params": {"to": "Sam Sales <SAM@us.test>, stranger@else.test",
                                                          "subject": "New {{record.name}}"}}]})
    publish("CREATE (:Company {uid: 'c1', name: 'Acme'})", {}, [Event("created", "Company", "c1",
                                                                       after={"name": "Acme"})])
    assert Worker(clock=automation).run_once()["success"] == 1
    assert [m["To"] for m in smtp_server.messages] == ["Sam Sales <SAM@us.test>"]  # the stranger is skipped
    assert smtp_server.messages[0]["List-Unsubscribe"]  # every marketing e-mail carries one


def test_transactional_rules_ignore_marketing_consent_but_never_reach_an_erased_address(automation, smtp_server):
    _person("p1", "Pat Buyer", "pat@shop.test")  # no marketing consent
    _save({"id": "order-confirm", "name": "Order confirmation", "purpose": "transactional",
           "trigger": {"kind": "created", "label": "Order"},
           "actions": [{"type": "send_email", "params": {"to": "pat@shop.test", "subject": "Your order"}}]})
    publish("CREATE (:Order {uid: 'o1', number: 'N1'})", {}, [Event("created", "Order", "o1")])
    worker = Worker(clock=automation)
    assert worker.run_once()["success"] == 1
    message = smtp_server.messages[0]
    assert message["X-Crn-Purpose"] == "transactional" and message["List-Unsubscribe"] is None
    privacy.suppress("email", ["PAT@shop.test"], "erased", "test")
    publish("CREATE (:Order {uid: 'o2', number: 'N2'})", {}, [Event("created", "Order", "o2")])
    assert worker.run_once()["skipped"] == 1 and len(smtp_server.messages) == 1
    assert _runs("order-confirm")["o2"][1].startswith("erased")


def test_only_admins_save_transactional_rules(automation):
    from crn.auth import users

    manager = users.create_user("m@us.test", "Manager", "correct horse battery staple", role="manager")
    rule = {"id": "sneaky", "name": "Blast", "purpose": "transactional", "trigger": {"kind": "manual"},
            "actions": [{"type": "send_email", "params": {"to": "{{record.email}}", "subject": "Sale!"}}]}
    _, errors = store.save_rule(rule, actor=manager.uid)
    assert [(e.code, e.field) for e in errors] == [("forbidden_purpose", "purpose")]
    _, errors = store.save_rule({**rule, "purpose": "marketing"}, actor=manager.uid)
    assert errors == []


def test_a_manager_cannot_keep_a_transactional_rule_running_after_losing_admin(automation, smtp_server):
    from crn.auth import users
    from crn.crm import records

    admin = users.create_user("a@us.test", "Admin", "correct horse battery staple", role="admin")
    _save({"id": "receipt", "name": "Receipt", "purpose": "transactional",
           "trigger": {"kind": "created", "label": "Order"},
           "actions": [{"type": "send_email", "params": {"to": "x@shop.test", "subject": "Receipt"}}]},
          actor=admin.uid)
    assert records.update_record("User", admin.uid, {"role": "manager"}, actor=None).ok
    publish("CREATE (:Order {uid: 'o1', number: 'N1'})", {}, [Event("created", "Order", "o1")])
    Worker(clock=automation).run_once()
    assert smtp_server.messages == []
    assert "transactional rules need an admin" in _runs("receipt")["o1"][1]


def test_marketing_sms_needs_sms_consent(automation):
    _person("t1", "Tia Text", phones=["+86 138 0013 8000"], consent_sms=True)
    _person("t2", "Ted Text", phones=["+86 139 0000 0000"], consent_email=True)
    _save({"id": "sms-promo", "name": "promo", "trigger": {"kind": "created", "label": "Person"},
           "actions": [{"type": "send_sms", "params": {"to": "{{record.phones.0}}", "text": "Sale"}}]})
    publish("MATCH (p:Person) RETURN p", {}, [Event("created", "Person", "t1"), Event("created", "Person", "t2")])
    counts = Worker(clock=automation).run_once()
    assert counts["success"] == 1 and counts["skipped"] == 1
    assert [m["to"] for m in FileSmsProvider(get_settings().sms_file).sent()] == ["+86 138 0013 8000"]
    assert _runs("sms-promo")["t2"][1].startswith("no_consent")


@pytest.mark.parametrize("consent, posted", [(True, 1), (None, 0)])
def test_a_marketing_tool_webhook_posts_only_people_with_consent(automation, webhook_server, consent, posted):  # noqa: F811
    recorder, url = webhook_server
    _person("w1", "Wes Hook", "wes@shop.test", **({"consent_email": consent} if consent else {}))
    _save({"id": "to-crm-tool", "name": "sync", "trigger": {"kind": "created", "label": "Person"},
           "actions": [{"type": "call_webhook", "params": {"url": url, "marketing_tool": True}}]})
    publish("MATCH (p:Person) RETURN p", {}, [Event("created", "Person", "w1")])
    Worker(clock=automation).run_once()
    assert len(recorder.requests) == posted
    if not posted:
        assert _runs("to-crm-tool")["w1"][0] == "skipped"


def test_giving_consent_again_lifts_an_unsubscribe_but_not_an_erasure(automation):
    _person("g1", "Gil Again", "gil@shop.test", consent_email=True)
    key = privacy.address_hashes("email", ["gil@shop.test"])["gil@shop.test"]
    token = privacy.make_token("email", key, "g1", 30)
    assert privacy.unsubscribe(token)["already"] is False
    assert privacy.may_send("email", "gil@shop.test", "marketing").code == "suppressed"
    consent, errors = privacy.set_consent("g1", "email", True, "signed up again at the shop", actor=None)
    assert errors == [] and consent["email"]["granted"] is True and consent["email"]["suppressed"] == []
    assert privacy.may_send("email", "Gil@Shop.test", "marketing").allowed
    privacy.suppress("email", ["gil@shop.test"], "erased", "test")
    privacy.set_consent("g1", "email", True, "again", actor=None)
    assert privacy.may_send("email", "gil@shop.test", "marketing").code == "erased"


def test_a_dry_run_says_which_sends_consent_would_skip(automation):
    from crn.automation import runs

    now = automation.now()
    _person("ann", "Ann Consent", "ann@shop.test", consent_email=True)
    _person("bob", "Bob Never", "bob@shop.test")
    for uid in ("ann", "bob"):
        _ordered(uid, 92, now)
    _save(_win_back())
    result = runs.dry_run(store.get_rule("win-back"), get_settings(), clock=automation)
    skips = {f["subject_uid"]: f["consent_skip"] for f in result["fired"]}
    assert skips["ann"] is None and skips["bob"].startswith("no_consent")
    assert outbox.outbox_items() == []  # a dry run writes nothing
