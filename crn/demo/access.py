"""The demo's organisation for record-level access (issue 13): teams by region, territories, then every record's
keys. Deterministic: team and territory ids derive from their names, so loading twice changes nothing.

The generator already makes each company's account manager its owner (and a seller the owner of each individual
customer); here the generated users' ``territory`` (CN, APAC, NA, EMEA) and ``team`` (sales, support) become
Team nodes, region -> team (e.g. APAC -> APAC Sales), and each region gets a territory by country worked by its
support team, so a sales director sees their reports' book and a support agent their region's accounts.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from crn.crm import access
from crn.graph import db
from crn.graph.queries import sharing as q

_NAMESPACE = uuid.UUID("6b1f3c1e-7f0a-4e55-9a43-5c1d2c1a0b13")
REGIONS = {"CN": ("Greater China", ["CN"]), "APAC": ("Asia Pacific", ["SG", "JP"]), "NA": ("North America", ["US"]),
           "EMEA": ("Europe", ["DE", "GB"])}
FUNCTIONS = {"sales": "Sales", "support": "Support"}


def _uid(kind: str, name: str) -> str:
    return uuid.uuid5(_NAMESPACE, f"{kind}:{name}").hex


def organise(progress: Callable[[str, int, int], None] | None = None) -> dict[str, int]:
    """Create the demo's teams and territories from its users, then compute every record's keys; returns the
    counts (teams, territories, memberships) and the records whose keys changed per type."""
    users = db.read(q.DEMO_USERS)
    teams, territories, members = [], [], []
    for code, (name, countries) in REGIONS.items():
        region = _uid("team", code)
        teams.append({"uid": region, "name": name, "parent": None})
        for function, caption in FUNCTIONS.items():
            teams.append({"uid": _uid("team", f"{code}/{function}"), "name": f"{name} {caption}", "parent": region})
        territories.append({"uid": _uid("territory", code), "name": name, "countries": countries})
    for user in users:
        code, function = user.get("territory"), user.get("team")
        if code in REGIONS and function in FUNCTIONS:
            members.append({"user": user["uid"], "group": _uid("team", f"{code}/{function}")})
            if function == "support":
                members.append({"user": user["uid"], "group": _uid("territory", code)})
    db.write_many([(q.DEMO_TEAMS, {"rows": teams}), (q.DEMO_TERRITORIES, {"rows": territories}),
                   (q.DEMO_MEMBERS, {"rows": members})])
    changed = access.rebuild(progress=progress)
    return {"teams": len(teams), "territories": len(territories), "memberships": len(members), **changed}
