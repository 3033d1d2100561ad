"""crn.jsonbody: JSON bodies with a bound on nesting."""

from __future__ import annotations

import pytest

from crn import jsonbody


def test_depth_counts_levels_without_recursion():
    assert jsonbody.depth(1) == 0
    assert jsonbody.depth({"a": [1, {"b": []}]}) == 4
    deep: list = []
    for _ in range(50_000):
        deep = [deep]
    assert jsonbody.depth(deep) == 50_001


def test_loads_at_the_limit_and_one_past():
    assert jsonbody.loads("[" * 64 + "]" * 64) is not None
    with pytest.raises(jsonbody.JSONTooDeep, match="65 levels deep; at most 64"):
        jsonbody.loads("[" * 65 + "]" * 65)
    with pytest.raises(jsonbody.JSONTooDeep, match="too deeply"):
        jsonbody.loads("[" * 100_000 + "]" * 100_000)  # past Python's recursion limit
    assert isinstance(jsonbody.JSONTooDeep("x"), ValueError)


def test_non_standard_constants_are_refused():
    for constant in ("NaN", "Infinity", "-Infinity"):
        with pytest.raises(jsonbody.JSONRefused, match="not a JSON number"):
            jsonbody.loads('{"d": %s}' % constant)
    assert jsonbody.loads('{"d": 1e308}') == {"d": 1e308}
