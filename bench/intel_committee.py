"""Bench: buying committee of a deal and its role precision/recall against the demo's answer file.

Goals: p50 < 300 ms against a Cypher baseline; precision/recall >= 0.8. The answer file is read only
here, for scoring; the inference never sees it.
"""

from __future__ import annotations

import sys

from intel_common import answers, connect, machine, summary, timed


def score(pairs_pred: set, pairs_true: set) -> tuple[float, float]:
    hit = len(pairs_pred & pairs_true)
    return (hit / len(pairs_pred) if pairs_pred else 0.0, hit / len(pairs_true) if pairs_true else 0.0)


def main(samples: int = 40, evaluate: int = 400) -> None:
    db = connect()
    import baselines
    from crn.intel.committees import buying_committee

    print(f"machine: {machine()}")
    deals = [r["uid"] for r in db.read(baselines.SAMPLE_OPEN_DEALS, n=samples)]
    buying_committee(deal=deals[0])  # warm-up
    ours, base = [], []
    for deal in deals:
        ms, _ = timed(lambda: buying_committee(deal=deal))
        ours.append(ms)
        ms, _ = timed(lambda: db.read(baselines.COMMITTEE_BASELINE, deal=deal))
        base.append(ms)
    print(summary("crn buyingCommittee (roles, evidence, gaps with paths, cuts)", ours))
    print(summary("Cypher baseline (declared or engaged members, title rule)", base))
    truth = answers("medium")
    if not truth:
        print("no answer file (.crn/demo-answers-medium-*.json): precision/recall skipped")
        return
    pred_all, true_all, pred_inf, true_inf, members_pred, members_true = set(), set(), set(), set(), set(), set()
    base_pred = set()
    for deal, info in list(truth["deals"].items())[:evaluate]:
        result = buying_committee(deal=deal)
        if not hasattr(result, "members"):
            continue
        committee = {(deal, p, r) for p, r in info["committee"].items()}
        predicted = {(deal, m.person, m.role) for m in result.members}
        pred_all |= predicted
        true_all |= committee
        members_pred |= {(d, p) for d, p, _ in predicted}
        members_true |= {(d, p) for d, p, _ in committee}
        declared = set(info.get("declared") or [])
        pred_inf |= {x for x in predicted if x[1] not in declared}
        true_inf |= {x for x in committee if x[1] not in declared}
        base_pred |= {(deal, r["person"], r["role"]) for r in db.read(baselines.COMMITTEE_BASELINE, deal=deal)}
    p, r = score(pred_all, true_all)
    print(f"roles, all members ({len(true_all)} planted seats): precision {p:.3f} recall {r:.3f}")
    p, r = score(pred_inf, true_inf)
    print(f"roles, inferred only (declared seats excluded): precision {p:.3f} recall {r:.3f}")
    p, r = score(members_pred, members_true)
    print(f"membership regardless of role: precision {p:.3f} recall {r:.3f}")
    p, r = score(base_pred, true_all)
    print(f"Cypher baseline roles: precision {p:.3f} recall {r:.3f}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
