"""Bench: roll-up of the largest corporate family (goal < 1 s for ~500 companies) vs a Cypher roll-up,
and recovery of the planted implicit groups (answer file read only for scoring)."""

from __future__ import annotations

import sys

from intel_common import answers, connect, machine, summary, timed


def main(runs: int = 5) -> None:
    db = connect()
    from crn.graph.queries import intel as q
    from crn.intel.families import corporate_family, possible_groups

    print(f"machine: {machine()}")
    families = db.read(q.LARGEST_FAMILIES, n=3)
    for fam in families:
        ours, base = [], []
        for _ in range(runs):
            ms, result = timed(lambda: corporate_family(fam["uid"]))
            ours.append(ms)
            ms, _ = timed(lambda: db.read(q.FAMILY_ROLLUP_BASELINE, uid=fam["uid"]))
            base.append(ms)
        print(f"family {fam['name']} ({fam['size']} companies, {len(result.nodes)} in the controlled tree):")
        print("  " + summary("crn corporateFamily (all levels, shares, control, JVs, cycles, whitespace)", ours))
        print("  " + summary("Cypher roll-up of the root only (open pipeline, baseline)", base))
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
