"""Events per minute processed by automation with 50 active rules: matched and enqueued in the publishing
transaction, then delivered by the worker. Baseline: the same writes with no listener subscribed.

Run against the configured Neo4j (NEO4J_URI or the managed one): `python bench/automation_events.py [N]`.
Everything it creates carries a `bench-` uid/id prefix and is removed at the end.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from rich.progress import track

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _machine  # noqa: E402

import crn.automation  # noqa: E402
from crn.automation import outbox, store  # noqa: E402
from crn.automation.worker import Worker  # noqa: E402
from crn.crm import events  # noqa: E402
from crn.config import get_settings  # noqa: E402
from crn.graph import db, migrations  # noqa: E402

STAGES = ("discovery", "proposal", "negotiation", "closed_won", "closed_lost")
WRITE = "MERGE (n:Company {uid: $uid}) SET n += $props"
WRITE_DEAL = "MERGE (n:Deal {uid: $uid}) SET n += $props"


def rules() -> list[dict]:
    """50 rules of varied kinds; each event matches a few of them."""
    out = []
    for i in range(20):  # new companies, by size band
        out.append({"id": f"bench-size-{i}", "name": f"size band {i}",
                    "trigger": {"kind": "created", "label": "Company"},
                    "conditions": {"all": [{"name": "record.employees", "operator": "greater_than_or_equal_to",
                                            "value": i * 500},
                                           {"name": "record.employees", "operator": "less_than",
                                            "value": i * 500 + 500}]},
                    "actions": [{"type": "add_to_segment", "params": {"segment": f"bench-band-{i}"}}]})
    for i in range(15):  # deal amount changes above thresholds, with nested any
        out.append({"id": f"bench-amount-{i}", "name": f"amount {i}",
                    "trigger": {"kind": "updated", "label": "Deal", "fields": ["amount"]},
                    "conditions": {"all": [{"name": "after.amount", "operator": "greater_than", "value": i * 7000},
                                           {"any": [{"name": "record.currency", "operator": "equal_to",
                                                     "value": "EUR"},
                                                    {"name": "record.amount", "operator": "less_than",
                                                     "value": i * 7000 + 3000}]}]},
                    "actions": [{"type": "send_sms",
                                 "params": {"to": "+100{{record.uid}}", "text": "deal {{record.name}}"}}]})
    for i in range(10):
        out.append({"id": f"bench-stage-{i}", "name": f"stage {i}",
                    "trigger": {"kind": "stage_changed", "to_stage": STAGES[i % len(STAGES)]},
                    "conditions": {"all": [{"name": "record.amount", "operator": "greater_than", "value": i * 10000}]},
                    "actions": [{"type": "add_to_segment", "params": {"segment": "bench-stage"}}]})
    for i in range(5):
        out.append({"id": f"bench-linked-{i}", "name": f"linked {i}",
                    "trigger": {"kind": "linked", "label": f"BENCH{i}"},
                    "actions": [{"type": "add_to_segment", "params": {"segment": "never"}}]})
    return out


def publish_all(n: int, batch: int, listen: bool, label: str) -> float:
    """Write ``n`` changes (``batch`` per transaction, each publishing its events); seconds taken."""
    if listen:
        crn.automation.install(get_settings())
    else:
        events.unsubscribe(crn.automation.LISTENER_NAME)
    start = time.perf_counter()
    for b in track(range(0, n, batch), description=label):
        def work(tx, b=b):
            evts = []
            for i in range(b, min(b + batch, n)):
                uid = f"bench-{label}-{i}"
                if i % 2 == 0:
                    props = {"name": uid, "employees": (i * 37) % 10000}
                    tx.run(WRITE, uid=uid, props=props).consume()
                    evts.append(events.Event("created", "Company", uid, after=props))
                else:
                    props = {"name": uid, "amount": float((i * 131) % 100000), "currency": "EUR" if i % 3 else "USD",
                             "stage": STAGES[i % len(STAGES)]}
                    tx.run(WRITE_DEAL, uid=uid, props=props).consume()
                    evts.append(events.Event("updated", "Deal", uid, changed=("amount", "stage"),
                                             before={"amount": 0.0, "stage": "qualification"}, after=props))
                    evts.append(events.Event("stage_changed", "Deal", uid, before={"stage": "qualification"},
                                             after={"stage": props["stage"]}))
            events.publish(tx, evts)
        db.write_tx(work)
    return time.perf_counter() - start


def run_pipelined(n: int, batch: int) -> tuple[float, int]:
    """Publish with the listener while a worker delivers in a thread; seconds until everything is delivered."""
    import threading

    stop = threading.Event()
    worker = Worker(batch=100, schedules=False)
    before = sum(outbox.outbox_counts().values())
    thread = threading.Thread(target=worker.run_forever, args=(stop, 0.05), daemon=True)
    start = time.perf_counter()
    thread.start()
    publish_all(n, batch, listen=True, label="pipelined")
    while True:
        counts = outbox.outbox_counts()
        if not counts.get("pending") and not counts.get("delivering"):
            break
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    stop.set()
    thread.join()
    return elapsed, sum(outbox.outbox_counts().values()) - before


def cleanup() -> None:
    db.run_in_auto_commit("MATCH (n) WHERE n.uid STARTS WITH 'bench-' CALL (n) { DETACH DELETE n } "
                          "IN TRANSACTIONS OF 5000 ROWS")
    db.run_in_auto_commit("MATCH (n:OutboxItem|RuleRun) WHERE n.rule_id STARTS WITH 'bench-' "
                          "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS")
    db.run_in_auto_commit("MATCH (n:Rule|RuleVersion) WHERE coalesce(n.id, n.rule_id) STARTS WITH 'bench-' "
                          "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS")
    db.run_in_auto_commit("MATCH (s:Segment) WHERE s.name STARTS WITH 'bench-' DETACH DELETE s")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 6000
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    import os
    import tempfile

    os.environ.setdefault("CRN_SMS_FILE", str(Path(tempfile.mkdtemp()) / "bench-sms.log"))
    db.connect()
    migrations.migrate()
    cleanup()
    for rule in rules():
        _, errors = store.save_rule(rule, actor=None)  # the operator, as `crn rules add` without --author
        assert not errors, errors
    print(f"machine: {_machine.describe()}")
    print(f"{len(store.active_rules(0))} active rules; {n} changes, {batch} per transaction "
          f"({n + n // 2} events: created companies, deal updates and stage changes)")
    try:
        baseline = publish_all(n, batch, listen=False, label="baseline")
        with_rules = publish_all(n, batch, listen=True, label="rules")
        pending = outbox.outbox_counts().get("pending", 0)
        worker = Worker(batch=100, schedules=False)
        start = time.perf_counter()
        delivered = 0
        while True:
            counts = worker.run_once()
            got = counts["success"] + counts["retry"] + counts["dead"]
            if not got:
                break
            delivered += got
        delivery = time.perf_counter() - start
        n_events = n + n // 2
        print(f"baseline (no listener): {n_events / baseline * 60:,.0f} events/min ({baseline:.1f} s)")
        print(f"matching + outbox in the same tx: {n_events / with_rules * 60:,.0f} events/min "
              f"({with_rules:.1f} s, {pending} outbox items, overhead {with_rules / baseline - 1:+.0%})")
        print(f"worker delivery: {delivered} actions in {delivery:.1f} s = {delivered / max(delivery, 1e-9) * 60:,.0f} "
              "actions/min (one worker)")
        sequential = n_events / (with_rules + delivery) * 60
        print(f"sequential sum (publish + match + enqueue, then deliver): {sequential:,.0f} events/min")
        pipelined, actions = run_pipelined(n, batch)
        print(f"end to end, pipelined as in production (writers and one worker at the same time, until the outbox "
              f"is empty): {n_events / pipelined * 60:,.0f} events/min, {actions / pipelined * 60:,.0f} actions/min "
              f"({pipelined:.1f} s; goal 10,000 events/min)")
    finally:
        events.unsubscribe(crn.automation.LISTENER_NAME)
        cleanup()
        db.close()


if __name__ == "__main__":
    main()
