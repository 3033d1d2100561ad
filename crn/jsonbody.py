"""Request bodies as JSON, with a bound on nesting: ``loads`` for /graphql and /auth/login.

Python's json module decodes nested arrays and objects by recursion: a few KB of ``[[[[...`` raise
RecursionError, which no handler expected (a 500 and a traceback per request, even before signing in).
Every JSON body crn reads goes through :func:`loads`, which refuses more than ``MAX_JSON_DEPTH`` levels
with :class:`JSONTooDeep` instead, and ``NaN``/``Infinity`` (not JSON, but accepted by Python's decoder:
an infinite number slipped into the cost model) with :class:`JSONRefused`; both are ValueErrors.

>>> loads('{"a": [1, {"b": 2}]}')
{'a': [1, {'b': 2}]}
>>> loads("[" * 65 + "]" * 65)
Traceback (most recent call last):
...
crn.jsonbody.JSONTooDeep: the JSON is nested 65 levels deep; at most 64 are accepted
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["MAX_JSON_DEPTH", "JSONRefused", "JSONTooDeep", "depth", "loads"]

MAX_JSON_DEPTH = 64
"""Levels of arrays and objects one body may nest (a rule's conditions need a handful)."""


class JSONRefused(ValueError):
    """A body crn does not read as JSON (the message says why)."""


class JSONTooDeep(JSONRefused):
    """The JSON nests more than MAX_JSON_DEPTH levels (the message says how deep it is, when known)."""


def _no_constant(name: str) -> Any:
    raise JSONRefused(f"{name} is not a JSON number (Python's decoder accepts it, the JSON standard does not); "
                      "send a finite number")


def depth(value: Any) -> int:
    """How many levels of lists and dicts ``value`` nests (0 for a scalar), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        elif not isinstance(item, list):
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in item)
    return deepest


def loads(data: str | bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads(data)``, refusing JSON nested deeper than ``max_depth`` (JSONTooDeep) and the non-standard
    constants NaN, Infinity and -Infinity (JSONRefused)."""
    try:
        value = json.loads(data, parse_constant=_no_constant)
    except RecursionError:
        raise JSONTooDeep(f"the JSON is nested too deeply to read; at most {max_depth} levels are accepted") from None
    levels = depth(value)
    if levels > max_depth:
        raise JSONTooDeep(f"the JSON is nested {levels} levels deep; at most {max_depth} are accepted")
    return value
