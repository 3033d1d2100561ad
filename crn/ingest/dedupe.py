"""Duplicate detection (blocking + rapidfuzz similarity) and merging two records into one.

Candidates come from blocks (same e-mail, phone digits, domain, or name-token prefix), so only a
small fraction of all pairs is compared; each pair gets a weighted similarity in [0, 1] with the
evidence per field. :func:`merge_records` keeps every relationship of both records, fills the
survivor's empty fields, unions lists, and records the merge as a ``:MergeRecord`` node.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

MAX_BLOCK = 200


@dataclass(frozen=True)
class Compare:
    """How one field contributes: ``method`` is "fuzzy" (token-sort ratio), "exact" or "set" (any overlap)."""

    field: str
    weight: float
    method: str = "fuzzy"


@dataclass
class Pair:
    """Two likely duplicates with their score and per-field similarities."""

    a: str
    b: str
    score: float
    evidence: dict[str, float] = field(default_factory=dict)
    a_label: str = ""
    b_label: str = ""


def normalise_name(text: Any) -> str:
    """Lower case, accents and punctuation kept simple, company suffixes removed."""
    text = re.sub(r"[^\w\s]", " ", str(text or "").lower())
    text = re.sub(r"\b(inc|ltd|llc|gmbh|ag|sa|plc|co|corp|corporation|company|limited|有限公司|集团)\b", " ", text)
    return " ".join(text.split())


def digits(text: Any) -> str:
    """The last 8 digits of a phone number (enough to compare across formats)."""
    return re.sub(r"\D", "", str(text or ""))[-8:]


def _similarity(a: Any, b: Any, method: str) -> float | None:
    if a in (None, "", []) or b in (None, "", []):
        return None
    if method == "exact":
        return 1.0 if a == b else 0.0
    if method == "set":
        sa, sb = set(a if isinstance(a, list) else [a]), set(b if isinstance(b, list) else [b])
        return 1.0 if sa & sb else 0.0
    return fuzz.token_sort_ratio(str(a), str(b)) / 100.0


def score_pair(a: dict[str, Any], b: dict[str, Any], compares: Iterable[Compare]) -> tuple[float, dict[str, float]]:
    """Weighted mean similarity over the fields both records have, and the per-field similarities.

    >>> score_pair({"name": "Ann Lee"}, {"name": "Lee Ann"}, [Compare("name", 1.0)])
    (1.0, {'name': 1.0})
    """
    total = weight = 0.0
    evidence = {}
    for c in compares:
        sim = _similarity(a.get(c.field), b.get(c.field), c.method)
        if sim is None:
            continue
        evidence[c.field] = round(sim, 3)
        total += c.weight * sim
        weight += c.weight
    return (round(total / weight, 4) if weight else 0.0), evidence


def candidate_pairs(records: list[dict[str, Any]], block_keys: Callable[[dict[str, Any]], Iterable[str]],
                    max_block: int = MAX_BLOCK) -> set[tuple[int, int]]:
    """Index pairs sharing at least one block key (blocks larger than ``max_block`` are skipped)."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(records):
        for key in set(block_keys(record)):
            if key:
                blocks[key].append(i)
    pairs = set()
    for members in blocks.values():
        if len(members) < 2 or len(members) > max_block:
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                pairs.add((members[x], members[y]))
    return pairs


def find_duplicates(records: list[dict[str, Any]], compares: list[Compare],
                    block_keys: Callable[[dict[str, Any]], Iterable[str]], threshold: float = 0.8,
                    id_field: str = "uid") -> list[Pair]:
    """Scored candidate pairs at or above ``threshold``, best first."""
    out = []
    for i, j in candidate_pairs(records, block_keys):
        score, evidence = score_pair(records[i], records[j], compares)
        if score >= threshold:
            out.append(Pair(records[i][id_field], records[j][id_field], score, evidence,
                            str(records[i].get("name", "")), str(records[j].get("name", ""))))
    return sorted(out, key=lambda p: (-p.score, p.a, p.b))


# A shared e-mail or phone is strong evidence; different ones are weak evidence against (people have several).
PEOPLE_COMPARES = [Compare("name", 2.0), Compare("emails", 1.5, "set"), Compare("phones", 1.5, "set")]
COMPANY_COMPARES = [Compare("name", 3.0), Compare("domain", 3.0, "exact"), Compare("country", 0.5, "exact"),
                    Compare("city", 0.5, "exact")]


def _name_blocks(name: str) -> list[str]:
    return ["n:" + token[:4] for token in name.split() if len(token) >= 2]


def people_blocks(record: dict[str, Any]) -> list[str]:
    """Blocks for a person: each e-mail, each phone, each name-token prefix."""
    return ([f"e:{e}" for e in record.get("emails", [])] + [f"p:{p}" for p in record.get("phones", [])]
            + _name_blocks(record.get("name", "")))


def company_blocks(record: dict[str, Any]) -> list[str]:
    """Blocks for a company: its domain and each name-token prefix."""
    return ([f"d:{record['domain']}"] if record.get("domain") else []) + _name_blocks(record.get("name", ""))


def find_duplicates_in_graph(kind: str, threshold: float = 0.8) -> list[Pair]:
    """Likely duplicate people or companies in the graph."""
    from crn.graph import db
    from crn.graph.queries import ingest as q

    if kind == "people":
        records = []
        for row in db.read(q.DEDUPE_PEOPLE):
            emails = sorted({e.lower() for e in [row.get("email"), *(row.get("emails") or [])] if e})
            phones = sorted({digits(p) for p in row.get("phones") or [] if digits(p)})
            records.append({"uid": row["uid"], "name": normalise_name(row["name"]), "emails": emails,
                            "phones": phones, "label": row["name"]})
        pairs = find_duplicates(records, PEOPLE_COMPARES, people_blocks, threshold)
    else:
        records = [{"uid": r["uid"], "name": normalise_name(r["name"]), "domain": r.get("domain"),
                    "country": r.get("country"), "city": r.get("city"), "label": r["name"]}
                   for r in db.read(q.DEDUPE_COMPANIES)]
        pairs = find_duplicates(records, COMPANY_COMPARES, company_blocks, threshold)
    labels = {r["uid"]: r["label"] for r in records}
    for pair in pairs:
        pair.a_label, pair.b_label = labels[pair.a], labels[pair.b]
    return pairs


def pairs_table(pairs: list[Pair], kind: str):
    """Candidate pairs as a rich table (score, both records, evidence)."""
    from rich.table import Table

    t = Table(title=f"likely duplicate {kind} ({len(pairs)} shown); merge with `crn merge A B`")
    for name in ("score", "A", "B", "evidence"):
        t.add_column(name)
    for p in pairs:
        t.add_row(f"{p.score:.2f}", f"{p.a_label}\n[dim]{p.a}[/]", f"{p.b_label}\n[dim]{p.b}[/]",
                  ", ".join(f"{k} {v:.2f}" for k, v in p.evidence.items()))
    return t


class MergeError(ValueError):
    """The records cannot be merged (missing, the same, or of different kinds)."""


UNION_PROPS = ("external_ids", "emails", "phones", "tags", "merged_from")
KEEP_PROPS = ("uid", "created_at", "ext_key")


def merged_properties(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """What the survivor ``a`` gets from ``b``: empty fields filled, lists unioned, ``merged_from`` extended.

    >>> merged_properties({"name": "A", "tags": ["x"]}, {"name": "B", "city": "Rome", "tags": ["y"], "uid": "b1"})
    {'city': 'Rome', 'tags': ['x', 'y'], 'merged_from': ['b1']}
    """
    out: dict[str, Any] = {}
    for key, value in b.items():
        if key in KEEP_PROPS or key in UNION_PROPS or key in ("updated_at", "email", "domain"):
            continue
        if a.get(key) in (None, "", []) and value not in (None, "", []):
            out[key] = value
    for key in UNION_PROPS:
        merged = list(dict.fromkeys([*(a.get(key) or []), *(b.get(key) or [])]))
        if key == "merged_from":
            merged = list(dict.fromkeys([*merged, b["uid"]]))
        if key == "emails":
            merged = list(dict.fromkeys([*merged, *[e for e in (a.get("email"), b.get("email")) if e]]))
        if merged != list(a.get(key) or []):
            out[key] = merged
    return out


def merge_records(a: str, b: str, actor: str | None = None, score: float | None = None) -> dict[str, Any]:
    """Merge record ``b`` into ``a`` in one transaction; returns {record, moved}."""
    from datetime import datetime, timezone

    from crn.crm import events as domain_events
    from crn.graph import db
    from crn.graph.queries import ingest as q
    from crn.ingest.exporter import encode_value

    if a == b:
        raise MergeError("cannot merge a record with itself")
    found = {r["uid"]: r for r in db.read(q.MERGE_LOAD, uids=[a, b])}
    for uid in (a, b):
        if uid not in found:
            raise MergeError(f"no person or company with uid {uid}")
        if not found[uid]["writable"]:  # enforce (issue 13)
            raise MergeError(f"you may read {uid} but not change it, so you cannot merge it; ask its owner or an admin")
    label = found[a]["labels"][0] if len(found[a]["labels"]) == 1 else next(
        lbl for lbl in found[a]["labels"] if lbl in q.MERGEABLE_LABELS)
    if label not in found[b]["labels"]:
        raise MergeError(f"{a} is a {label} but {b} is not; only records of one kind merge")
    pa, pb = found[a]["props"], found[b]["props"]
    props = merged_properties(pa, pb)
    props["updated_at"] = datetime.now(timezone.utc)
    props["updated_by"] = actor
    snapshot = json.dumps({k: encode_value(v) for k, v in pb.items()}, default=str, ensure_ascii=False)
    record_uid = uuid.uuid4().hex

    def work(tx) -> dict[str, Any]:
        types = tx.run(q.merge_rel_types(label), b=b).single()
        moved = 0
        for rel_type in types["out"]:
            moved += tx.run(q.merge_move_out(label, rel_type), a=a, b=b).single()["moved"]
        for rel_type in types["inc"]:
            moved += tx.run(q.merge_move_in(label, rel_type), a=a, b=b).single()["moved"]
        tx.run(q.merge_finish(label), a=a, b=b, props=props, record_uid=record_uid, label=label, actor=actor,
               merged_props=snapshot, score=score).consume()
        domain_events.publish(tx, [
            domain_events.Event("updated", label, a, actor=actor, changed=tuple(props),
                                after={"merged_from": b}),
            domain_events.Event("deleted", label, b, actor=actor, after={"merged_into": a}),
        ])
        return {"record": record_uid, "moved": moved}

    return db.write_tx(work)
