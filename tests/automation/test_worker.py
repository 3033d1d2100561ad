"""The outbox and worker against the real Neo4j: enqueue with the change, claim, retry, dead-letter."""

from __future__ import annotations

import threading

import crn.automation
from crn.automation import outbox, store
from crn.automation.worker import Worker
from crn.config import get_settings
from crn.crm.events import Event
from crn.graph import db
from tests.automation.conftest import publish


def _webhook_rule(url: str, rule_id: str = "tier-hook") -> None:
    _, errors = store.save_rule({
        "id": rule_id, "name": "Tell the ERP about tier changes",
        "trigger": {"kind": "updated", "label": "Company", "fields": ["tier"]},
        "conditions": {"all": [{"name": "after.tier", "operator": "equal_to", "value": "key"}]},
        "actions": [{"type": "call_webhook", "params": {"url": url}}],
    })
    assert errors == []


def _change_tier(uid: str, tier: str) -> None:
    publish("MERGE (c:Company {uid: $uid}) SET c.name = 'Acme', c.tier = $tier", {"uid": uid, "tier": tier},
            [Event("updated", "Company", uid, changed=("tier",), before={"tier": "standard"}, after={"tier": tier})])


def test_outbox_item_is_written_with_the_change_and_only_when_conditions_hold(automation, webhook_server):
    _, url = webhook_server
    _webhook_rule(url)
    _change_tier("c1", "long_tail")
    assert outbox.outbox_items() == []
    _change_tier("c1", "key")
    items = outbox.outbox_items()
    assert [(i["rule_id"], i["action"], i["status"]) for i in items] == [("tier-hook", "call_webhook", "pending")]


def test_a_failed_change_leaves_no_outbox_item(automation, webhook_server):
    _, url = webhook_server
    _webhook_rule(url)
    from crn.crm import events

    def work(tx):
        tx.run("CREATE (c:Company {uid: 'c2', name: 'X', tier: 'key'})").consume()
        events.publish(tx, [Event("updated", "Company", "c2", changed=("tier",), after={"tier": "key"})])
        raise RuntimeError("the operation failed after publishing")

    try:
        db.write_tx(work)
    except RuntimeError:
        pass
    assert outbox.outbox_items() == []
    assert db.read("MATCH (c:Company) RETURN c") == []


def test_webhook_is_signed_carries_the_key_and_is_delivered_once(automation, webhook_server, monkeypatch):
    recorder, url = webhook_server
    monkeypatch.setenv("CRN_WEBHOOK_SECRET", "s3cret")
    _webhook_rule(url)
    _change_tier("c1", "key")
    worker = Worker(clock=automation)
    assert worker.run_once()["success"] == 1
    assert worker.run_once()["success"] == 0
    assert len(recorder.requests) == 1
    request = recorder.requests[0]
    from crn.automation.actions import sign

    assert request["headers"]["X-Crn-Signature"] == sign(request["body"], "s3cret")
    assert request["headers"]["Idempotency-Key"] == outbox.outbox_items()[0]["key"]
    assert request["json"]["record"]["name"] == "Acme"
    runs = outbox.rule_runs("tier-hook")
    assert [(r["outcome"], r["attempt"]) for r in runs] == [("success", 1)]


def test_failures_are_retried_with_backoff_then_dead_lettered(automation, webhook_server, monkeypatch):
    recorder, url = webhook_server
    monkeypatch.setenv("CRN_AUTOMATION_MAX_ATTEMPTS", "3")
    monkeypatch.setenv("CRN_AUTOMATION_BACKOFF_SECONDS", "60")
    crn.automation.install(get_settings())  # the listener stamps max_attempts on what it enqueues
    recorder.statuses = [503, 503, 503]
    _webhook_rule(url)
    _change_tier("c1", "key")
    worker = Worker(clock=automation)
    assert worker.run_once()["retry"] == 1
    assert worker.run_once() == {"scheduled": 0, "success": 0, "retry": 0, "dead": 0}  # backing off
    automation.advance(seconds=61)
    assert worker.run_once()["retry"] == 1
    automation.advance(seconds=119)
    assert worker.run_once()["retry"] == 0  # second backoff is doubled
    automation.advance(seconds=2)
    assert worker.run_once()["dead"] == 1
    assert [i["status"] for i in outbox.outbox_items()] == ["dead"]
    assert [r["outcome"] for r in outbox.rule_runs("tier-hook")] == ["dead", "retry", "retry"]
    assert len(recorder.requests) == 3


def test_client_errors_are_not_retried(automation, webhook_server):
    recorder, url = webhook_server
    recorder.statuses = [400]
    _webhook_rule(url)
    _change_tier("c1", "key")
    assert Worker(clock=automation).run_once()["dead"] == 1
    assert outbox.rule_runs("tier-hook")[0]["error"] == "webhook answered 400"


def test_two_workers_never_claim_the_same_item(automation, webhook_server):
    _, url = webhook_server
    _webhook_rule(url)
    for i in range(40):
        _change_tier(f"c{i}", "key")
    workers = [Worker(clock=automation, batch=5) for _ in range(2)]
    claimed: list[list[str]] = [[], []]

    def claim_all(n: int) -> None:
        while True:
            items = workers[n].claim()
            if not items:
                return
            claimed[n] += [i["key"] for i in items]

    threads = [threading.Thread(target=claim_all, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(claimed[0]) + len(claimed[1]) == 40
    assert not set(claimed[0]) & set(claimed[1])


def test_an_expired_lease_is_claimable_again(automation, webhook_server, monkeypatch):
    _, url = webhook_server
    monkeypatch.setenv("CRN_AUTOMATION_LEASE_SECONDS", "30")
    _webhook_rule(url)
    _change_tier("c1", "key")
    first, second = Worker(clock=automation), Worker(clock=automation)
    assert len(first.claim()) == 1  # and then the first worker "dies"
    assert second.claim() == []
    automation.advance(seconds=31)
    retaken = second.claim()
    assert len(retaken) == 1 and retaken[0]["attempts"] == 2
