"""Record-level access in tests (issue 13): how the general suite reads, and how the access tests set it.

A fresh install is private (nobody but admins and the records' principals reads a record). Most tests are
not about access: they create data as crn (or an admin) and read it as a manager or a viewer, as an
organisation with every record type's organisation-wide default at read/write would. ``open_defaults``
gives them that organisation; the access tests (tests/security/test_leak_crawl.py, tests/crm/test_access.py,
...) take the ``private_defaults`` fixture instead, and one test proves a fresh install is private.
"""

from __future__ import annotations

from crn.graph.access import PROTECTED, SYSTEM, bound


def open_defaults() -> None:
    """Every protected record type's organisation-wide default at read/write (crn.crm.access.set_default)."""
    from crn.crm import access

    with bound(SYSTEM):
        for label in PROTECTED:
            assert access.set_default(label, "read_write").ok


def private_defaults() -> None:
    """Every protected record type private again (as a fresh install)."""
    from crn.crm import access

    with bound(SYSTEM):
        for label in PROTECTED:
            assert access.set_default(label, "private").ok
