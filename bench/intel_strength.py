"""Bench: full strength refresh (goal < 2 min) vs a one-pass Cypher aggregate of the same pairs."""

from __future__ import annotations

from intel_common import connect, machine, timed


def main() -> None:
    db = connect()
    import baselines
    from crn.intel.strength import refresh_all

    print(f"machine: {machine()}")
    ms, row = timed(lambda: db.read_one(baselines.STRENGTH_BASELINE))
    print(f"Cypher baseline (count + last touch per user-person pair, read only): {ms / 1000:.2f} s "
          f"for {row['pairs']:,} pairs")
    ms, pairs = timed(lambda: refresh_all())
    print(f"crn analytics refresh (all pairs incl. person-person, scored and written): {ms / 1000:.2f} s "
          f"for {pairs:,} pairs")


if __name__ == "__main__":
    main()
