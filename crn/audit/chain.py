"""The hash chain of the audit trail: canonical JSON, payload digests, entry hashes and the walk that verifies.

Each entry has a *frame* (who, when, what action on which target, through what) and a *payload* (the actor's
name at the time and the changes, before → after). The payload is hashed on its own (``digest``), and the
chain links frames carrying that digest::

    digest_n = sha256(payload_n)                       # payload_n: canonical JSON text
    hash_n   = sha256(hash_{n-1} + canonical(frame_n + {"digest": digest_n}))

so erasing a person (crn.audit.store.redact_subject) can rewrite a payload and keep the chain: the entry is
marked ``redacted`` and keeps its digest; the walk checks payload ↔ digest only where the payload is original.
The walk also checks the sequence (no gap, no repeat) and that the last entry is the head's, which finds an
edited, deleted, inserted or reordered entry; it starts at the retention checkpoint (``anchor``) when older
entries were purged.

Pure functions: no database.

>>> e = seal({"seq": 1, "at": "2026-01-01T00:00:00.000000Z", "action": "create"}, {"changes": []}, "")
>>> walk([e], anchor_seq=0, anchor_hash="", head_seq=1, head_hash=e["hash"]).ok
True
>>> walk([{**e, "action": "delete"}], anchor_seq=0, anchor_hash="", head_seq=1, head_hash=e["hash"]).first_broken
1
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

# The frame: what every entry says that is not personal data, chained as is.
FRAME_FIELDS: tuple[str, ...] = ("seq", "at", "actor", "action", "target_label", "target", "other", "channel", "ref")


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)) or hasattr(value, "iso_format") or hasattr(value, "isoformat"):
        return value.isoformat() if hasattr(value, "isoformat") else value.iso_format()
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value, key=str) if isinstance(value, (set, frozenset)) else list(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def canonical(value: Any) -> str:
    """The one JSON text of ``value``: keys sorted, no spaces, UTF-8 kept, dates as ISO 8601.

    >>> canonical({"b": 1, "a": [None, "é"]})
    '{"a":[null,"é"],"b":1}'
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain)


def sha256(text: str) -> str:
    """Hex SHA-256 of ``text`` (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def frame_of(entry: dict[str, Any]) -> dict[str, Any]:
    """The chained part of a stored entry."""
    return {name: entry.get(name) for name in FRAME_FIELDS}


def entry_hash(prev_hash: str, frame: dict[str, Any], digest: str) -> str:
    """``sha256(prev_hash + canonical(frame + digest))``."""
    return sha256(prev_hash + canonical({**{n: frame.get(n) for n in FRAME_FIELDS}, "digest": digest}))


def seal(frame: dict[str, Any], payload: dict[str, Any], prev_hash: str) -> dict[str, Any]:
    """The stored form of an entry: its frame, the payload as canonical JSON, the digest and the hash."""
    text = canonical(payload)
    digest = sha256(text)
    return {**{n: frame.get(n) for n in FRAME_FIELDS}, "payload": text, "digest": digest,
            "hash": entry_hash(prev_hash, frame, digest), "redacted": False}


@dataclass(frozen=True)
class Verdict:
    """What the walk found: ``ok``, how many entries it ``checked``, the ``first_broken`` seq (None when ok)
    and the ``reason`` in words; ``anchor_seq`` is where it started (0, or the retention checkpoint),
    ``redacted`` how many entries had their payload erased (chained by digest only)."""

    ok: bool
    checked: int
    first_broken: int | None = None
    reason: str = ""
    anchor_seq: int = 0
    last_seq: int = 0
    redacted: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "checked": self.checked, "first_broken": self.first_broken, "reason": self.reason,
                "anchor_seq": self.anchor_seq, "last_seq": self.last_seq, "redacted": self.redacted}


def walk(entries: Iterable[dict[str, Any]], *, anchor_seq: int, anchor_hash: str, head_seq: int | None,
         head_hash: str | None) -> Verdict:
    """Verify stored entries given in ``seq`` order, from the checkpoint (``anchor_seq``/``anchor_hash``: 0 and
    "" when nothing was purged) to the head (``head_seq``/``head_hash``, None when there is no head).

    Stops at the first problem: a seq out of sequence (deleted, inserted or repeated entry), a payload that is
    not its digest (edited), a hash that is not the chain's (frame edited, entries reordered), or a last entry
    that is not the head's (the newest entries deleted, or one appended behind the chain's back)."""
    expected, prev, checked, redacted = anchor_seq + 1, anchor_hash, 0, 0

    def broken(seq: int, reason: str) -> Verdict:
        return Verdict(False, checked, seq, reason, anchor_seq, expected - 1, redacted)

    for entry in entries:
        seq = entry.get("seq")
        if seq != expected:
            if isinstance(seq, int) and seq < expected:
                return broken(seq, f"entry {seq} appears again after entry {expected - 1} (inserted or reordered)")
            return broken(expected, f"entry {expected} is missing (the next one is {seq}): deleted")
        if entry.get("redacted"):
            redacted += 1
        elif sha256(entry.get("payload") or "") != entry.get("digest"):
            return broken(seq, f"entry {seq}'s payload does not match its digest: edited")
        if entry_hash(prev, frame_of(entry), entry.get("digest") or "") != entry.get("hash"):
            return broken(seq, f"entry {seq}'s hash does not follow from entry {seq - 1}: edited, inserted or "
                               "reordered")
        prev, expected, checked = entry["hash"], expected + 1, checked + 1
    last = expected - 1
    if head_seq is None:
        if checked:
            return broken(last, "the chain has entries but no head")
        return Verdict(True, 0, None, "", anchor_seq, last, redacted)
    if head_seq != last:
        if head_seq > last:
            return broken(last + 1, f"entries {last + 1}..{head_seq} are missing: the newest entries were deleted")
        return broken(head_seq + 1, f"entries after the head's {head_seq} were appended outside the chain")
    if (head_hash or "") != prev:
        return broken(last, f"entry {last}'s hash is not the head's")
    return Verdict(True, checked, None, "", anchor_seq, last, redacted)
