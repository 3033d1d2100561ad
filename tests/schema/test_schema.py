"""schema.graphql is the contract: it must match the code, and hold the names other helpers rely on."""

from pathlib import Path

from crn.schema.schema import sdl

ROOT = Path(__file__).resolve().parents[2]


def test_schema_graphql_matches_the_code():
    checked_in = (ROOT / "schema.graphql").read_text()
    assert checked_in == sdl(), "schema.graphql is stale: run `crn schema export` and review the diff"


def test_contract_names_exist():
    text = sdl()
    for name in ("interface Node", "type PageInfo", "type PersonConnection", "type DealConnection",
                 "type TicketConnection", "type InteractionConnection", "type UserError", "type FamilyRollup",
                 "type Network", "type NetworkNode", "type NetworkEdge", "type SearchResult",
                 "search(text: String!, types: [SearchType!] = null, first: Int! = 10): [SearchResult!]!",
                 "company(id: ID!): Company", "person(id: ID!): Person", "deal(id: ID!): Deal", "me: User",
                 "neighbourhood(id: ID!, depth: Int! = 1, limit: Int! = 200): Network",
                 "wonRevenue12m: Float!", "parentChain: [Company!]!", "accountTeam: [AccountTeamMember!]!",
                 "knownBy: [KnownBy!]!", "reportingChain: [Person!]!", "dottedLine: [Person!]!"):
        assert name in text, name
