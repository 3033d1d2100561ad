"""The access of a signed-in user (crn.graph.access.Access): the principal keys they hold.

CONTRACT (issue 13): ``for_user(user)`` is what every entry point binds for a request
(``crn.graph.access.bind(for_user(user))``). Admins get everything. Every other user holds

- ``u:<self>`` and ``u:<each user below them in the manager chain>`` ((:User)-[:REPORTS_TO]->(:User),
  transitively): managers act as the owners of their reports' records (Salesforce's role hierarchy);
- ``g:<each team they are in, and every team below it>``: a region's members read what its teams read;
- ``t:<each territory they work>``;

plus the record types whose organisation-wide default is ``read`` (``read_types``) or ``read_write``
(both), and the personal-data permission (admins always; otherwise the user's flag, else managers yes and
viewers no). The model itself (teams, territories, rules, defaults) is crn.crm.access.

Cache: a viewer's access is computed in one query and kept for ``CACHE_SECONDS`` (as crn.crm.fields keeps
custom-field definitions). Every access change made in this process (crn.crm.access's operations, reporting
lines between users, a user's role) forgets the whole cache at once, so this process sees its own changes
immediately; other processes (a second web worker) see them within ``CACHE_SECONDS``. A version node read on
every request would cost the same round trip as computing the keys, so a short time-to-live is the cheaper
way to bound staleness across processes.
"""

from __future__ import annotations

import threading
import time

from crn.auth.users import AuthUser
from crn.graph import db
from crn.graph.access import DEFAULTS, PROTECTED, Access
from crn.graph.queries import sharing as q

CACHE_SECONDS = 5.0

_cache: dict[str, tuple[float, Access]] = {}
_lock = threading.Lock()


def forget() -> None:
    """Drop every cached access (after an access change; tests)."""
    with _lock:
        _cache.clear()


def for_user(user: AuthUser) -> Access:
    """What ``user`` may read and change."""
    if user.role == "admin":
        return Access(user=user.uid, keys=(f"u:{user.uid}",), read_types=PROTECTED, write_types=PROTECTED,
                      all=True, personal_data=True)
    now = time.monotonic()
    with _lock:
        hit = _cache.get(user.uid)
    if hit is not None and hit[0] > now and hit[1].extra.get("role") == user.role:
        return hit[1]
    access = _compute(user.uid, user.role)
    with _lock:
        _cache[user.uid] = (now + CACHE_SECONDS, access)
    return access


def access_of(user_uid: str) -> Access | None:
    """The access of the user with this uid, computed now (None when there is no such user); for
    explanations and the CLI."""
    row = db.read_one(q.VIEWER, uid=user_uid)
    if not row or not row["found"]:
        return None
    return _from_row(user_uid, row["role"] or "viewer", row)


def _compute(uid: str, role: str) -> Access:
    row = db.read_one(q.VIEWER, uid=uid)
    if not row or not row["found"]:  # a user deleted meanwhile: their own key only, nothing else
        return Access(user=uid, keys=(f"u:{uid}",), extra={"role": role})
    return _from_row(uid, role, row)


def _from_row(uid: str, role: str, row: dict) -> Access:
    from crn.crm.access import personal_data_allowed

    if role == "admin":
        return Access(user=uid, keys=(f"u:{uid}",), read_types=PROTECTED, write_types=PROTECTED, all=True,
                      personal_data=True, extra={"role": role})
    levels = {d["label"]: d["level"] for d in row["defaults"] if d.get("label") and d.get("level") in DEFAULTS}
    keys = ([f"u:{uid}"] + [f"u:{u}" for u in sorted(row["below"])] + [f"g:{t}" for t in sorted(row["teams"])]
            + [f"t:{t}" for t in sorted(row["territories"])])
    return Access(
        user=uid, keys=tuple(dict.fromkeys(keys)),
        read_types=tuple(label for label in PROTECTED if levels.get(label) in ("read", "read_write")),
        write_types=tuple(label for label in PROTECTED if levels.get(label) == "read_write"),
        personal_data=personal_data_allowed(role, row["personal_data"]), extra={"role": role})


def _install() -> None:
    from crn.crm import access as model

    model.on_change(forget)


_install()
