"""The hash chain without a database: sealing, and the walk finding each kind of tampering."""

from __future__ import annotations

from crn.audit import chain


def _chain(n: int) -> list[dict]:
    entries, prev = [], ""
    for seq in range(1, n + 1):
        entry = chain.seal({"seq": seq, "at": f"2026-01-0{seq}T00:00:00.000000Z", "actor": "u1", "action": "update",
                            "target_label": "Company", "target": f"c{seq}", "other": None, "channel": "ui",
                            "ref": None}, {"actor_name": "Ann", "changes": [{"field": "city", "before": "A",
                                                                            "after": str(seq)}]}, prev)
        entries.append(entry)
        prev = entry["hash"]
    return entries


def _walk(entries, head_seq=None, head_hash=None, anchor_seq=0, anchor_hash=""):
    good = _chain(5)
    return chain.walk(entries, anchor_seq=anchor_seq, anchor_hash=anchor_hash,
                      head_seq=good[-1]["seq"] if head_seq is None else head_seq,
                      head_hash=good[-1]["hash"] if head_hash is None else head_hash)


def test_an_untouched_chain_verifies():
    verdict = _walk(_chain(5))
    assert verdict.ok and verdict.checked == 5 and verdict.first_broken is None and verdict.last_seq == 5


def test_an_edited_payload_is_found_at_its_entry():
    entries = _chain(5)
    entries[2] = {**entries[2], "payload": entries[2]["payload"].replace("Ann", "Eve")}
    verdict = _walk(entries)
    assert (verdict.ok, verdict.first_broken, verdict.checked) == (False, 3, 2)
    assert "digest" in verdict.reason


def test_an_edited_frame_is_found_at_its_entry():
    entries = _chain(5)
    entries[1] = {**entries[1], "actor": "someone-else"}
    assert _walk(entries).first_broken == 2


def test_a_deleted_entry_is_found():
    entries = _chain(5)
    del entries[2]
    verdict = _walk(entries)
    assert verdict.first_broken == 3 and "missing" in verdict.reason


def test_deleting_the_newest_entries_is_found_against_the_head():
    verdict = _walk(_chain(5)[:3])
    assert verdict.first_broken == 4 and "newest" in verdict.reason


def test_an_inserted_entry_is_found():
    entries = _chain(5)
    forged = {**entries[2], "action": "delete"}
    shifted = [{**e, "seq": e["seq"] + 1} for e in entries[2:]]
    verdict = _walk(entries[:2] + [forged] + shifted)
    assert verdict.first_broken == 3
    appended = _walk(entries + [{**entries[-1], "seq": 6}])
    assert not appended.ok and appended.first_broken == 6


def test_reordered_entries_are_found():
    entries = _chain(5)
    a, b = entries[1], entries[2]
    swapped = entries[:1] + [{**b, "seq": 2}, {**a, "seq": 3}] + entries[3:]
    assert _walk(swapped).first_broken == 2


def test_a_redacted_payload_keeps_the_chain():
    entries = _chain(5)
    entries[1] = {**entries[1], "payload": '{"actor_name":"[erased]"}', "redacted": True}
    verdict = _walk(entries)
    assert verdict.ok and verdict.redacted == 1
    entries[1] = {**entries[1], "target": "c99"}  # the frame of a redacted entry is still checked
    assert _walk(entries).first_broken == 2


def test_the_walk_starts_at_the_retention_checkpoint():
    entries = _chain(5)
    verdict = _walk(entries[2:], anchor_seq=2, anchor_hash=entries[1]["hash"])
    assert verdict.ok and verdict.checked == 3 and verdict.anchor_seq == 2
    assert _walk(entries[2:], anchor_seq=2, anchor_hash="forged").first_broken == 3
