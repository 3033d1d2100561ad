"""Influence scores: exact betweenness on a path, brokers between two groups."""

import networkx as nx

from crn.analytics.influence import influence_scores


def test_middle_of_a_path_has_all_the_betweenness():
    scores = {s.node: s for s in influence_scores(nx.path_graph(["a", "b", "c"]))}
    assert scores["b"].betweenness == 1.0 and scores["a"].betweenness == 0.0
    assert scores["b"].score == 1.0


def test_bridge_between_two_cliques_is_a_broker_and_limit_applies():
    G = nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(4))
    G.add_edge(3, 4)
    scores = influence_scores(G, limit=2)
    assert sorted(s.node for s in scores) == [3, 4]
    assert all(s.is_broker and "bridges 2 groups" in s.reason for s in scores)


def test_include_ranks_only_the_given_nodes():
    scores = influence_scores(nx.path_graph(["u", "b", "c"]), include={"b", "c"})
    assert [s.node for s in scores] == ["b", "c"]
