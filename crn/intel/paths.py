"""Warm introductions: the k best paths from one of our users (or the team) to a person or a company."""

from __future__ import annotations

from dataclasses import dataclass, field

from crn.analytics.paths import IntroPath, intro_paths as best_paths
from crn.graph import projections
from crn.intel import IntelError

__all__ = ["IntroPaths", "intro_paths", "MAX_HOPS_LIMIT", "K_LIMIT"]

MAX_HOPS_LIMIT = 6
K_LIMIT = 10


@dataclass
class IntroPaths:
    """The paths found and, for every node on them, its ``{"type", "name"}``."""

    paths: list[IntroPath]
    nodes: dict[str, dict] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)


def intro_paths(
    to: str, *, from_user: str | None = None, team: bool = False, k: int = 3, max_hops: int = 4,
) -> IntroPaths | IntelError:
    """The k best introduction paths to ``to`` (a person, or anyone currently at a company).

    Paths start at ``from_user``; with ``team`` they may also start at any user on the target's
    account teams (or any active user when the account has no team).
    """
    if not 1 <= k <= K_LIMIT:
        return IntelError("invalid_k", f"k must be between 1 and {K_LIMIT}", "k")
    if not 1 <= max_hops <= MAX_HOPS_LIMIT:
        return IntelError("invalid_max_hops", f"maxHops must be between 1 and {MAX_HOPS_LIMIT}", "maxHops")
    if from_user is None and not team:
        return IntelError("missing_source", "give a user to start from, or ask for the whole team", "fromId")
    known = projections.node_types([to] + ([from_user] if from_user else []))
    target = known.get(to)
    if target is None or target["type"] not in ("Person", "Company"):
        return IntelError("not_found", f"no person or company with uid {to}", "toId")
    if from_user and from_user not in known:
        return IntelError("not_found", f"no user or person with uid {from_user}", "fromId")
    targets = projections.company_people(to) if target["type"] == "Company" else [to]
    sources = [from_user] if from_user else []
    if team:
        sources += [u for u in projections.team_for_targets(targets) if u not in sources]
        if len(sources) == (1 if from_user else 0):
            sources += [u for u in projections.all_active_users() if u not in sources]
    if not targets or not sources:
        return IntroPaths([], {}, sources, targets)
    G = projections.relationship_network(sources, targets, depth=max_hops)
    paths = best_paths(G, sources, targets, k=k, max_hops=max_hops)
    nodes = {n: {"type": G.nodes[n].get("type"), "name": G.nodes[n].get("name")}
             for p in paths for h in p.hops for n in (h.frm, h.to, h.via) if n is not None}
    return IntroPaths(paths, nodes, sources, targets)
