"""Bench: intro paths to one person (goal p50 < 200 ms) against Cypher's SHORTEST k paths, same pairs."""

from __future__ import annotations

import random
import sys

from intel_common import connect, machine, summary, timed


def main(samples: int = 30, k: int = 3, max_hops: int = 4) -> None:
    db = connect()
    import baselines
    from crn.intel.paths import intro_paths

    rng = random.Random(7)
    users = [r["uid"] for r in db.read(baselines.SAMPLE_USERS)]
    people = [r["uid"] for r in db.read(baselines.SAMPLE_PEOPLE, skip=0, n=5000)]
    pairs = [(rng.choice(users), rng.choice(people)) for _ in range(samples)]
    print(f"machine: {machine()}")
    print(f"{len(users)} users, {len(people)} people sampled from; k={k}, maxHops={max_hops}")
    intro_paths(pairs[0][1], from_user=pairs[0][0], k=k, max_hops=max_hops)  # warm-up
    ours, base, found, base_found = [], [], 0, 0
    for user, person in pairs:
        ms, result = timed(lambda: intro_paths(person, from_user=user, k=k, max_hops=max_hops))
        ours.append(ms)
        found += bool(result.paths)
        ms, rows = timed(lambda: db.read(baselines.SHORTEST_BY_K_DEPTH[(k, 2 * max_hops)], sources=[user], targets=[person]))
        base.append(ms)
        base_found += bool(rows)
    print(summary("crn introPaths (Yen on -log strength, explained)", ours), f"- paths found for {found}/{len(pairs)}")
    print(summary("Cypher SHORTEST k by hop count (baseline)", base), f"- paths found for {base_found}/{len(pairs)}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
