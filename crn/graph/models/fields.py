"""What crn adds to a neomodel property so that one declaration drives every part of crn.

A record type is declared once, as a neomodel class in ``crn/graph/models/``. Each property carries, as
keyword arguments neomodel keeps on the property object, what the rest of crn needs to know about it:

``caption``
    (English, Simplified Chinese) label shown by forms, lists, exports and import mappings.
``filter``
    how lists filter on it: ``"in"`` (one of several values), ``"contains"`` (text), ``"range"``
    (from/to), ``"has"`` (a list property holds a value), or None.
``sort``
    True when lists may sort by it.
``pii``
    True for personal data (privacy exports and erasure find it here).
``form``
    False keeps it out of forms (importers and crn set it, people do not type it).
``writable``
    False for values crn computes (a deal's status follows its stage); the API refuses to set them.
``aliases`` / ``synonyms`` / ``parser``
    import: the extra header names recognised for the column, values from other systems mapped to
    ours (``{"won": "closed_won"}``), and the cell parser when the kind's default is not enough
    (``"domain"``, ``"email"``, ``"probability"``).
``graphql_enum``
    a choice field the GraphQL API types as an enum of that name (other choices travel as strings).

Choices are declared with their labels as :class:`Options` and passed through :func:`choice`, which
also gives neomodel its ``choices``. :mod:`crn.graph.models.catalog` reads all of this into plain
descriptions; nothing else in crn lists fields by hand.

>>> TIER = Options(("gold", "Gold", "金牌"), ("silver", "Silver", "银牌"))
>>> TIER.names
('gold', 'silver')
>>> choice(TIER, caption=("Tier", "等级")).choices
{'gold': 'Gold', 'silver': 'Silver'}
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from neomodel import ArrayProperty, StringProperty


@dataclass(frozen=True)
class Options:
    """An ordered set of allowed values, each with its English and Chinese label."""

    items: tuple[tuple[str, str, str], ...]

    def __init__(self, *items: tuple[str, str, str]) -> None:
        object.__setattr__(self, "items", tuple(items))

    @property
    def names(self) -> tuple[str, ...]:
        """The stored values, in order."""
        return tuple(value for value, _, _ in self.items)

    def label(self, value: str) -> tuple[str, str]:
        """(English, Chinese) label of one value (the value itself when unknown)."""
        return next(((en, zh) for v, en, zh in self.items if v == value), (value, value))

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __contains__(self, value: object) -> bool:
        return value in self.names


def choice(options: Options, **kwargs: Any) -> StringProperty:
    """A text property restricted to ``options`` (neomodel checks them too)."""
    return StringProperty(choices={v: en for v, en, _ in options.items}, options=options, **kwargs)


def choices(options: Options, **kwargs: Any) -> ArrayProperty:
    """A list property whose items are restricted to ``options`` (multiple choice)."""
    return ArrayProperty(StringProperty(), default=list, options=options, **kwargs)


__all__ = ["Options", "choice", "choices"]
