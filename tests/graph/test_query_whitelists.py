"""Names formatted into Cypher (labels, depths, property names) are refused unless whitelisted — with a
ValueError, so the check survives `python -O`."""

import pytest

from crn.graph.queries import records, views


@pytest.mark.parametrize("build", [
    lambda: records.create("Company) DETACH DELETE (x"),
    lambda: records.taken("Company", "name"),
    lambda: views.network(4),
    lambda: views.compile_view("Nope", ()),
])
def test_unlisted_names_are_refused(build):
    with pytest.raises(ValueError):
        build()


def test_listed_names_build_queries():
    assert "CREATE (n:Company)" in records.create("Company")
    assert "$uid" in views.network(2)
