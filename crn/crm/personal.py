"""Personal fields (issue 13, field-level access): hidden from viewers without the personal-data permission.

The model declares which fields are personal (``pii=True`` in crn.graph.models: a person's e-mail addresses,
phones, birthday, gender and preferences, a user's e-mail). A viewer whose access (crn.graph.access.Access)
has ``personal_data`` false reads them as null everywhere crn answers with records: GraphQL objects (through
crn.schema.common.build), record forms, the network canvas, exports and search (which then neither shows nor
matches e-mail addresses). Names stay: they are how a record is known (they are ``pii`` for the erasure of
personal data, not hidden here). A user always sees their own e-mail.
"""

from __future__ import annotations

from typing import Any

from crn.graph import access
from crn.graph.models.catalog import RECORDS

IDENTIFYING = ("name",)
"""Personal fields that stay visible: the name a record is known by."""

PERSONAL: dict[str, frozenset[str]] = {
    label: frozenset(f.prop or f.name for f in record.fields if f.pii and f.name not in IDENTIFYING)
    for label, record in RECORDS.items()
}
"""label -> the properties hidden from viewers without the personal-data permission."""

ALL_PERSONAL: frozenset[str] = frozenset().union(*PERSONAL.values())


def hidden() -> bool:
    """True when the bound viewer may not see personal fields (crn's own jobs, unbound, see everything)."""
    viewer = access.current_or_none()
    return viewer is not None and not viewer.personal_data


def hide(label: str | None, values: dict[str, Any] | None) -> dict[str, Any] | None:
    """``values`` (a ``label`` record's properties) with its personal fields nulled when the viewer may not
    see them; every label's personal fields when ``label`` is not known. The viewer's own user record keeps
    its e-mail."""
    if values is None or not hidden():
        return values
    names = PERSONAL.get(label, ALL_PERSONAL) if label else ALL_PERSONAL
    present = names.intersection(values)
    if not present or (label == "User" and values.get("uid") == access.current().user):
        return values
    return {**values, **{name: None for name in present}}


__all__ = ["ALL_PERSONAL", "IDENTIFYING", "PERSONAL", "hidden", "hide"]
