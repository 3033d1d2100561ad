"""Log an activity in one step: the interaction, its participants and what it is about, in ONE transaction.

A call with a participant that does not exist leaves nothing behind (no half-logged interaction); the
events (``created`` Interaction, ``linked`` INVOLVED/ABOUT) reach the relationship-strength listener
(crn.intel.strength) once the transaction commits.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from neo4j import ManagedTransaction

from crn.crm import events, links, records
from crn.crm.records import Result
from crn.crm.validation import FieldError, OperationError
from crn.crm.views import props
from crn.graph.models import new_uid
from crn.graph.queries import links as link_q
from crn.graph.queries import records as record_q


def log_interaction(values: dict[str, Any], participants: list[str], about: list[str],
                    actor: str | None) -> Result:
    """Create an Interaction from ``values`` (``at`` defaults to now), INVOLVED links to each participant
    (person or user uids) and ABOUT links to each deal/ticket/company uid in ``about``, atomically."""
    values = {"at": datetime.now(timezone.utc), **{k: v for k, v in values.items() if v is not None}}
    record = records.spec("Interaction")
    try:
        values = records._normalise("Interaction", records._coerce(record, values))
    except OperationError as exc:
        return Result(errors=exc.errors)
    values = {**record.defaults, **values, "tags": values.get("tags") or [],
              "external_ids": values.get("external_ids") or []}
    errors = records.validate_new("Interaction", values, record)
    if not participants:
        errors.append(FieldError("required", "pick at least one participant", "participants"))
    if errors:
        return Result(errors=errors)
    now, uid = datetime.now(timezone.utc), new_uid()
    values = records._stored(record, values)
    stamped = {**values, "uid": uid, "created_at": now, "updated_at": now, "updated_by": actor}
    kinds = [(links.LINKS["participant"], p, f"participants.{i}") for i, p in enumerate(dict.fromkeys(participants))]
    kinds += [(links.LINKS["interaction_about"], a, f"about.{i}") for i, a in enumerate(dict.fromkeys(about))]

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        node = tx.run(record_q.create("Interaction"), props=stamped).single()["node"]
        published = [events.Event("created", "Interaction", uid, actor=actor, changed=tuple(sorted(values)),
                                  after=props(node))]
        missing = []
        for kind, other, field in kinds:
            ends = links._ends(tx, kind, uid, other)  # enforce (issue 13): only records the actor may read
            if not ends["to_found"]:
                missing.append(FieldError("not_found", f"no {' or '.join(kind.to_labels)} with id {other}", field))
                continue
            tx.run(link_q.link(kind.rel_type, kind.from_labels, kind.to_labels, kind.single, kind.open_stint),
                   from_uid=uid, to_uid=other, props={"updated_at": now, "updated_by": actor}).consume()
            published.append(events.Event("linked", kind.rel_type, uid, actor=actor, other_uid=other))
        if missing:
            raise OperationError(missing)  # aborts the transaction: the interaction goes too
        events.publish(tx, published)
        return node

    try:
        return Result(record=props(events.write_tx(work)))
    except OperationError as exc:
        return Result(errors=exc.errors)
