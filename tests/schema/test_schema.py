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



def test_every_root_field_is_declared_by_name_in_a_domain_module():
    """Grepping `company_create` (or `companyCreate`) finds where a root field is written: every field of Query
    and Mutation has a resolver of its own name (nothing generated, e.g. with `type()`), defined in a domain
    module, never in schema.py, which only composes."""
    import inspect

    from crn.schema.schema import Mutation, Query

    for root in (Query, Mutation):
        for field in root.__strawberry_definition__.fields:
            func = field.base_resolver.wrapped_func
            module = inspect.getsourcefile(func)
            assert func.__name__ == field.python_name and "<locals>" not in func.__qualname__, (
                f"{field.graphql_name}: resolver {func.__qualname__} is generated, not declared by name")
            assert f"def {field.python_name}(" in Path(module).read_text()
            assert not module.endswith("schema/schema.py"), f"{field.graphql_name} is declared in schema.py"
    composer = (ROOT / "crn" / "schema" / "schema.py").read_text()
    assert "strawberry.field" not in composer and "strawberry.mutation" not in composer
