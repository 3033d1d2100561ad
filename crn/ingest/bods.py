"""Beneficial Ownership Data Standard 0.4 (and 0.2/0.3) JSON: entities, persons and ownership relationships.

Entity statements become companies, person statements people, and each shareholding interest of a
relationship statement a ``SUBSIDIARY_OF`` (entity owner) or ``OWNS_SHARE`` (person owner) edge with
``share`` (exact) or ``share_min``/``share_max`` (a range), ``direct`` and ``since``/``until``.
Statement numbers (1 = first statement of the file) are the "rows" of the error report.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from crn.ingest import validation as v
from crn.ingest.plan import LinkOp, Plan

OWNERSHIP_TYPES = ("shareholding", "voting-rights", "votingRights")


def _load(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    data = json.loads(text)
    return data if isinstance(data, list) else data.get("statements", [data])


def _kind(st: dict[str, Any]) -> str:
    kind = st.get("recordType") or st.get("statementType") or ""
    return {"entityStatement": "entity", "personStatement": "person",
            "ownershipOrControlStatement": "relationship"}.get(kind, kind)


def _record_id(st: dict[str, Any]) -> str:
    return str(st.get("recordId") or st.get("statementID") or st.get("statementId"))


def _share(interest: dict[str, Any]) -> tuple[float | None, float | None, float | None]:
    share = interest.get("share") or {}
    exact = share.get("exact")
    low = share.get("minimum", share.get("exclusiveMinimum"))
    high = share.get("maximum", share.get("exclusiveMaximum"))
    for value in (exact, low, high):
        if value is not None and not 0 <= float(value) <= 100:
            raise v.CellError("share must be between 0 and 100")
    return (None if exact is None else float(exact) / 100, None if low is None else float(low) / 100,
            None if high is None else float(high) / 100)


def plan_bods(path: Path, plan: Plan, ctx) -> int:
    """Add the statements of a BODS file to ``plan``; returns how many statements were read."""
    statements = _load(Path(path))
    nodes: dict[str, Any] = {}
    for number, st in enumerate(statements, start=1):
        details = st.get("recordDetails") or st
        kind = _kind(st)
        rid = _record_id(st)
        xid = f"{ctx.source}:{rid}"
        if kind == "entity":
            name = details.get("name")
            if not name:
                ctx.error(number, "name", "", "entity statement without a name")
                continue
            ids = [f"{i.get('scheme') or i.get('schemeName')}:{i.get('id')}" for i in details.get("identifiers", [])
                   if i.get("id")]
            jurisdiction = details.get("incorporatedInJurisdiction") or details.get("jurisdiction") or {}
            nodes[rid] = plan.node("Company", [("ext_key", xid)], {
                "name": name, "country": jurisdiction.get("code") or jurisdiction.get("name"),
                "external_ids": [xid, *ids], "ext_key": xid}, number)
        elif kind == "person":
            names = details.get("names") or [{}]
            name = names[0].get("fullName") or " ".join(
                p for p in (names[0].get("givenName"), names[0].get("familyName")) if p)
            if not name:
                ctx.error(number, "names", "", "person statement without a name")
                continue
            nationality = (details.get("nationalities") or [{}])[0]
            nodes[rid] = plan.node("Person", [("ext_key", xid)], {
                "name": name, "country": nationality.get("code"), "external_ids": [xid], "ext_key": xid}, number)
    totals: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for number, st in enumerate(statements, start=1):
        if _kind(st) != "relationship":
            continue
        details = st.get("recordDetails") or st
        subject = details.get("subject")
        party = details.get("interestedParty")
        subject_id = subject if isinstance(subject, str) else (subject or {}).get("describedByEntityStatement")
        party_id = party if isinstance(party, str) else ((party or {}).get("describedByEntityStatement")
                                                          or (party or {}).get("describedByPersonStatement"))
        child, owner = nodes.get(str(subject_id)), nodes.get(str(party_id))
        if child is None or owner is None:
            ctx.error(number, "subject" if child is None else "interestedParty",
                      subject_id if child is None else party_id, "refers to a statement not in the file")
            continue
        if child is owner:
            ctx.error(number, "interestedParty", party_id, "company is its own parent")
            continue
        for interest in details.get("interests", []):
            if interest.get("type") not in OWNERSHIP_TYPES and not interest.get("share"):
                continue
            try:
                exact, low, high = _share(interest)
                since = v.parse_date(interest["startDate"]) if interest.get("startDate") else None
                until = v.parse_date(interest["endDate"]) if interest.get("endDate") else None
            except (v.CellError, ValueError) as exc:
                ctx.error(number, "interests", json.dumps(interest.get("share") or interest.get("startDate")), str(exc))
                break
            level = interest.get("directOrIndirect") or interest.get("interestLevel") or "unknown"
            props = {"share": exact, "share_min": low if exact is None else None,
                     "share_max": high if exact is None else None, "since": since, "until": until,
                     "direct": {"direct": True, "indirect": False}.get(level)}
            if owner.label == "Company":
                props["kind"] = "subsidiary"
                plan.link(LinkOp("SUBSIDIARY_OF", child, owner, props, number))
            else:
                plan.link(LinkOp("OWNS_SHARE", owner, child, props, number))
            if until is None and level != "indirect" and interest.get("type") == "shareholding":
                totals[str(subject_id)].append((number, exact if exact is not None else (low or 0)))
    for subject_id, shares in totals.items():
        total = sum(s for _, s in shares)
        if total > 1.0 + 1e-9:
            rows = ", ".join(str(n) for n, _ in shares)
            for number, share in shares:
                ctx.error(number, "interests", f"{share:.0%}",
                          f"ownership of {nodes[subject_id].describe()} adds up to {total:.0%} (statements {rows}), above 100%")
    return len(statements)
