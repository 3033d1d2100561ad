"""Bench: roll-up of a 500-company family and recovery of the planted implicit groups.

Goal: < 1 s against a Cypher roll-up; the answer file is read only for scoring the groups.
"""

from __future__ import annotations

import sys

from intel_common import answers, connect, machine, summary, timed


def main(runs: int = 5) -> None:
    db = connect()
    import baselines
    from crn.intel.families import corporate_family, possible_groups

    print(f"machine: {machine()}")
    families = db.read(baselines.LARGEST_FAMILIES, n=2)
    # A 500-company family (branching 8, three levels below the root), removed afterwards.
    rows, parents = [{"uid": "bench-fam-0", "parent": None, "share": None, "country": "US"}], ["bench-fam-0"]
    while len(rows) < 500:
        level = []
        for parent in parents:
            for _ in range(8):
                if len(rows) >= 500:
                    break
                uid = f"bench-fam-{len(rows)}"
                rows.append({"uid": uid, "parent": parent, "share": 0.51 + (len(rows) % 49) / 100,
                             "country": "US" if len(rows) % 3 else "DE"})
                level.append(uid)
        parents = level
    db.write(baselines.BENCH_FAMILY_DELETE)
    db.write(baselines.BENCH_FAMILY_CREATE, rows=rows)
    db.write(baselines.BENCH_FAMILY_LINK, rows=rows[1:])
    families.insert(0, {"uid": "bench-fam-0", "name": "synthetic bench family", "size": len(rows)})
    for fam in families:
        ours, base = [], []
        for _ in range(runs):
            ms, result = timed(lambda: corporate_family(fam["uid"]))
            ours.append(ms)
            ms, _ = timed(lambda: db.read(baselines.FAMILY_ROLLUP_BASELINE, uid=fam["uid"]))
            base.append(ms)
        print(f"family {fam['name']} ({fam['size']} companies, {len(result.nodes)} in the controlled tree):")
        print("  " + summary("crn corporateFamily (all levels, shares, control, JVs, cycles, whitespace)", ours))
        print("  " + summary("Cypher roll-up of the root only (open pipeline, baseline)", base))
    db.write(baselines.BENCH_FAMILY_DELETE)
    ms, groups = timed(lambda: possible_groups())
    print(f"possible groups: {len(groups)} found in {ms:.0f} ms")
    truth = answers("medium")
    if not truth:
        print("no answer file: group recovery skipped")
        return
    planted = [set(g["companies"]) for g in truth.get("implicit_groups", [])]
    found = [{c["uid"] for c in g.companies} for g in groups]
    best = [max((len(p & f) / len(p | f) for f in found), default=0.0) for p in planted]
    recovered = sum(1 for b in best if b >= 0.5)
    print(f"planted groups recovered (Jaccard >= 0.5): {recovered}/{len(planted)}; "
          f"mean best Jaccard {sum(best) / max(1, len(best)):.3f}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
