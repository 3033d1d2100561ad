"""The access of a signed-in user (crn.graph.access.Access): the principal keys they hold.

CONTRACT (issue 13): ``for_user(user)`` is what every entry point binds for a request
(``crn.graph.access.bind(for_user(user))``). This first version gives admins everything and every other
user their own key only, with every record type private; the access model (teams and their hierarchy, the
manager chain, territories, sharing rules, organisation-wide defaults, the personal-data permission) widens
it in this module.
"""

from __future__ import annotations

from crn.auth.users import AuthUser
from crn.graph.access import PROTECTED, Access


def for_user(user: AuthUser) -> Access:
    """What ``user`` may read and change."""
    if user.role == "admin":
        return Access(user=user.uid, keys=(f"u:{user.uid}",), read_types=PROTECTED, write_types=PROTECTED,
                      all=True, personal_data=True)
    return Access(user=user.uid, keys=(f"u:{user.uid}",), personal_data=user.role == "manager")
