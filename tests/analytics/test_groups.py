"""Implicit groups: ties from shared directors/executives/owners, communities with a seed."""

from crn.analytics.groups import implicit_groups, tie_graph


def test_ties_add_up_and_keep_their_reasons():
    G = tie_graph([("ann", "Ann", "board", "A"), ("ann", "Ann", "board", "B"),
                   ("f", "Fund", "owner", "A"), ("f", "Fund", "owner", "B")])
    assert G.edges["A", "B"]["weight"] == 1.8
    assert sorted(t.kind for t in G.edges["A", "B"]["ties"]) == ["board", "owner"]


def test_binders_with_too_many_companies_bind_nothing():
    rows = [("idx", "Index fund", "owner", f"C{i}") for i in range(30)]
    assert tie_graph(rows).number_of_edges() == 0


def test_two_planted_groups_are_recovered_with_the_same_seed():
    rows = []
    for group, people in (("G1", ["a", "b"]), ("G2", ["c", "d"])):
        for p in people:
            rows += [(p, p, "board", f"{group}-{i}") for i in range(3)]
    rows.append(("x", "x", "executive", "G1-0"))
    rows.append(("x", "x", "executive", "G2-0"))  # one weak bridge
    groups = implicit_groups(tie_graph(rows), seed=3)
    assert [g.companies for g in groups] == [["G1-0", "G1-1", "G1-2"], ["G2-0", "G2-1", "G2-2"]]
    assert implicit_groups(tie_graph(rows), seed=3)[0].companies == groups[0].companies
