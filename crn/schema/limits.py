"""Refusals before execution: tokens, expanded fields, depth, aliases, page sizes, cursors, introspection and
the cost model; the mapping of timeouts to a clear error; and error masking."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    ExecutionResult, FieldNode, FragmentDefinitionNode, FragmentSpreadNode, GraphQLError, GraphQLInterfaceType,
    GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLUnionType, InlineFragmentNode,
    IntValueNode, OperationDefinitionNode, SelectionSetNode, ValidationRule, get_named_type, is_leaf_type,
)
from graphql.language import ArgumentNode
from graphql.pyutils import Undefined
from graphql.utilities import value_from_ast_untyped
from strawberry.extensions import (
    AddValidationRules, MaskErrors, MaxTokensLimiter, ParserCache, SchemaExtension, ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule

from neo4j.exceptions import ServiceUnavailable, SessionExpired

from crn.config import Settings
from crn.graph.db import DatabaseUnavailable, QueryTimeout, QueryTooLarge
from crn.schema.base import DEFAULT_PAGE_SIZE, ClientError, check_cursor

log = logging.getLogger("crn.graphql")

PAGE_ARGUMENTS = ("first", "last")


def page_size_rule(max_page_size: int) -> type[ValidationRule]:
    """A validation rule refusing literal ``first``/``last`` arguments above the page-size limit.

    Sizes given through variables are checked again by the resolvers (``page_window``), still before
    any database work.
    """

    class PageSizeRule(ValidationRule):
        def enter_argument(self, node: ArgumentNode, *_args) -> None:
            if node.name.value in PAGE_ARGUMENTS and isinstance(node.value, IntValueNode):
                value = int(node.value.value)
                if value > max_page_size:
                    self.report_error(GraphQLError(
                        f"Requesting {value} records on the connection exceeds the `{node.name.value}` limit of "
                        f"{max_page_size} records.", node, extensions={"code": "page_size_exceeded"}))

    return PageSizeRule


INTROSPECTION_TYPE_FIELDS_ALLOWED = frozenset({"name", "kind", "__typename"})


class NoIntrospection(ValidationRule):
    """Introspection off (outside development): ``__schema`` is refused, and ``__type`` may only say
    whether a type exists (its ``name``/``kind``), never list fields, arguments or values.

    (A bare ``__type(name:) { name }`` stays legal so generic GraphQL-over-HTTP clients and the
    graphql-http audit can probe the endpoint without learning the schema.)
    """

    def enter_field(self, node: FieldNode, *_args) -> None:
        name = node.name.value
        if name == "__schema":
            self.report_error(GraphQLError("GraphQL introspection has been disabled, but the requested query "
                                           "contained the field '__schema'.", node,
                                           extensions={"code": "introspection_disabled"}))
        elif name == "__type" and node.selection_set:
            asked = {s.name.value for s in node.selection_set.selections if isinstance(s, FieldNode)}
            if not asked <= INTROSPECTION_TYPE_FIELDS_ALLOWED or any(
                    not isinstance(s, FieldNode) for s in node.selection_set.selections):
                self.report_error(GraphQLError("GraphQL introspection has been disabled: `__type` may only ask "
                                               "for `name` and `kind`.", node,
                                               extensions={"code": "introspection_disabled"}))


# ---- document size: tokens and fields after fragment expansion ---------------------------------------

class CodedParserCache(ParserCache):
    """strawberry's ParserCache, with a code on parse errors (``too_many_tokens``, ``query_too_deep`` for
    graphql-core's nesting limit, else ``syntax_error``)."""

    def on_parse(self) -> Iterator[None]:
        try:
            yield from super().on_parse()
        except GraphQLError as error:
            if not (error.extensions or {}).get("code"):
                code = ("too_many_tokens" if "tokens" in error.message
                        else "query_too_deep" if "nested too deeply" in error.message else "syntax_error")
                error.extensions = {**(error.extensions or {}), "code": code}
            raise


def expanded_fields(document: Any) -> int:
    """How many field selections the document holds once every fragment spread is replaced by the fragment.

    Computed once per fragment (memoised), so a "fragment bomb" (fragments spreading each other many
    times: 10 spreads on 8 levels are 10^8 fields) is measured in time proportional to the document's
    size. A fragment that spreads itself, directly or not, is a ``fragment_cycle`` ClientError.
    """
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    done: dict[str, int] = {}
    active: set[str] = set()

    def count(selection_set: SelectionSetNode | None) -> int:
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += 1 + count(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                total += count(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                total += spread(selection.name.value)
        return total

    def spread(name: str) -> int:
        if name in done:
            return done[name]
        if name in active:
            raise ClientError(f"Fragment {name!r} spreads itself (directly or through other fragments); "
                              "a fragment may not contain itself.", "fragment_cycle")
        fragment = fragments.get(name)
        if fragment is None:
            return 0  # validation names the unknown fragment
        active.add(name)
        done[name] = count(fragment.selection_set)
        active.discard(name)
        return done[name]

    total = sum(count(d.selection_set) for d in document.definitions if isinstance(d, OperationDefinitionNode))
    # fragments no operation spreads are still walked by some validators: count each once
    return total + sum(spread(name) for name in fragments if name not in done)


# ---- the cost model ---------------------------------------------------------------------------------

DEFAULT_LIST_SIZE = 10
"""Items assumed for a relation list that takes no size argument (parents, boardMembers, orders...)."""


def _arg(args: dict[str, Any], name: str, default: float) -> float:
    """A numeric argument for costing: the value when it is a non-negative number, else ``default``."""
    value = args.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        return default
    return value


def _network(args: dict[str, Any]) -> float:
    return _arg(args, "depth", 1) * _arg(args, "limit", 500)


@dataclass(frozen=True)
class FieldCost:
    """What one resolution of a field costs, before what is selected below it.

    ``weight``: a number, or a function of the field's arguments (literals, variables and defaults
    resolved). ``items``: a function of the arguments giving how many items the field's lists hold
    (the field itself when it returns a list, else the lists directly inside its object, as a
    connection's ``edges``/``nodes`` or a network's ``nodes``/``edges``).
    """

    weight: float | Callable[[dict[str, Any]], float] = 1
    items: Callable[[dict[str, Any]], float] | None = None


def _board_columns(args: dict[str, Any]) -> float:
    stages = args.get("stages")
    return float(len(stages)) if isinstance(stages, list) and stages else 6.0


FIELD_COSTS: dict[str, FieldCost] = {
    # Units: about one database row read or one object built. Every object-valued field costs 1 and every
    # item of a list 1 more, multiplied through the lists above it; scalars are free (they come with their
    # object). Connections cost their page size (first/last, else the default page) times their items;
    # relation lists that take no size count DEFAULT_LIST_SIZE items. The fields below do more work per
    # call than the rows they return, so they weigh what their work costs:
    #
    # the canvas walks `depth` hops and returns up to `limit` nodes: depth x limit
    "Query.neighbourhood": FieldCost(_network, items=lambda a: _arg(a, "limit", 200)),
    "Company.network": FieldCost(_network, items=lambda a: _arg(a, "limit", 500)),
    "Person.network": FieldCost(_network, items=lambda a: _arg(a, "limit", 500)),
    # influence projects a company's or family's network and runs PageRank and betweenness over it
    # (scope "all" is the whole network, and admin-only besides)
    "Query.influence": FieldCost(lambda a: 20_000 if a.get("scope") == "all" else 2_000,
                                 items=lambda a: _arg(a, "limit", 50)),
    # community detection over every company's directors, executives and owners (admin-only besides)
    "Query.possibleGroups": FieldCost(20_000),
    # k shortest weighted paths: each path is a search up to maxHops deep through KNOWS/WORKS_AT edges
    "Query.introPaths": FieldCost(lambda a: 100 * _arg(a, "k", 3) * _arg(a, "maxHops", 4),
                                  items=lambda a: _arg(a, "k", 3)),
    # the family's ownership graph, effective shares and a roll-up per member
    "Query.corporateFamily": FieldCost(1_000),
    # board: one aggregate over the matching deals, then `first` cards per column (each a deal with its company
    # and owners; the nested connection takes no size of its own, so the cards are priced here)
    "Query.pipelineBoard": FieldCost(lambda a: 100 + 6 * _board_columns(a) * _arg(a, "first", 50),
                                     items=lambda a: _board_columns(a)),
    "Query.buyingCommittee": FieldCost(500),
    # a rule replayed over `sinceDays` of changes
    "Query.ruleDryRun": FieldCost(lambda a: 300 * max(1.0, _arg(a, "sinceDays", 7))),
    "Query.relationshipStrength": FieldCost(50),
    # aggregates over the whole family (deals, tickets, interactions)
    "Company.familyRollup": FieldCost(100),
    # variable-length paths up the ownership or reporting chain
    "Company.parentChain": FieldCost(5),
    "Company.ultimateParent": FieldCost(5),
    "Person.reportingChain": FieldCost(5),
    # lists whose size is an argument
    "Query.search": FieldCost(10, items=lambda a: _arg(a, "first", 10)),
    "Query.ruleRuns": FieldCost(1, items=lambda a: _arg(a, "first", 50)),
    "Query.nodes": FieldCost(1, items=lambda a: len(a["ids"]) if isinstance(a.get("ids"), list) else 100),
    # my day (workspace2): four pattern matches over my accounts, each kind at most 20 alerts; my deals closing
    "Query.myAlerts": FieldCost(400, items=lambda a: 80),
    "Query.dealsClosing": FieldCost(20),
    "Query.myRecentActivity": FieldCost(20, items=lambda a: a.get("first", 10)),
    "DealsClosing.deals": FieldCost(1, items=lambda a: 50),
    # parses and writes a whole file
    "Mutation.importFile": FieldCost(1_000),
    # writes a spreadsheet of the rows given (at most crn.ingest.exporter.TABLE_MAX_ROWS)
    "Query.tableExport": FieldCost(lambda a: 50 + (len(a["rows"]) if isinstance(a.get("rows"), list) else 2_000)),
    # a kind's columns with captions (reads the custom field definitions)
    "Query.importFields": FieldCost(10),
    # access (issue 13): the explanation reads the viewer's keys and the record's sources; a sharing rule (and its
    # deletion) recomputes the keys of every record of its type and of what follows them
    "Query.accessExplain": FieldCost(50),
    "Mutation.sharingRuleCreate": FieldCost(1_000),
    "Mutation.sharingRuleDelete": FieldCost(1_000),
    # privacy (issue 13 §3): an export reads every section of one person; an erasure scans every node and
    # relationship of the database for the person's name, addresses and phones
    "Query.personPrivacy": FieldCost(5),
    "Mutation.personConsentSet": FieldCost(5),
    "Mutation.personExport": FieldCost(500),
    "Mutation.personErase": FieldCost(5_000),
    # audit: pages of entries (non-admins: scanned in batches and filtered by what they can read), the whole
    # filtered trail as a file, and the walk over the whole chain (admins)
    "Query.auditTrail": FieldCost(50, items=lambda a: _arg(a, "first", 50)),
    "Query.recordHistory": FieldCost(20, items=lambda a: _arg(a, "first", 50)),
    "Query.auditTrailCsv": FieldCost(5_000),
    "Query.auditVerify": FieldCost(5_000),
}

PAGE_SIZE_ARGUMENTS = ("first", "last")
CURSOR_ARGUMENTS = ("after", "before")


class CostModel:
    """The cost of an operation under FIELD_COSTS, with its variables; and the page-size and cursor
    arguments checked on the way (``page_size_exceeded``, ``invalid_page_size``, ``invalid_cursor``),
    so a document naming bad ones through variables is refused before it runs too."""

    def __init__(self, schema: GraphQLSchema, document: Any, variables: dict[str, Any] | None,
                 max_page_size: int) -> None:
        self.schema = schema
        self.max_page_size = max_page_size
        self.default_page = min(DEFAULT_PAGE_SIZE, max_page_size)
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.document = document
        self.given = variables or {}
        self.variables: dict[str, Any] = {}
        self._memo: dict[tuple[str, float], float] = {}
        self._active: set[str] = set()

    def operation_cost(self, operation_name: str | None) -> float:
        """The cost of the operation that will run (the most expensive one when that is ambiguous)."""
        operations = [d for d in self.document.definitions if isinstance(d, OperationDefinitionNode)]
        if operation_name:
            operations = [o for o in operations if o.name and o.name.value == operation_name] or operations
        costs = [self._operation(o) for o in operations]
        return max(costs, default=0)

    def _operation(self, operation: OperationDefinitionNode) -> float:
        self.variables = {}
        for definition in operation.variable_definitions or ():
            name = definition.variable.name.value
            if name in self.given:
                self.variables[name] = self.given[name]
            elif definition.default_value is not None:
                self.variables[name] = value_from_ast_untyped(definition.default_value)
        self._memo.clear()
        root = self.schema.get_root_type(operation.operation)
        return self._selections(operation.selection_set, root, None) if root else 0

    def _selections(self, selection_set: SelectionSetNode | None, parent: Any, items: float | None) -> float:
        """Cost of a selection set on ``parent``; ``items`` sizes the lists directly inside it, when known."""
        total = 0.0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent, items)
            elif isinstance(selection, InlineFragmentNode):
                cond = selection.type_condition
                total += self._selections(selection.selection_set,
                                          self.schema.get_type(cond.name.value) if cond else parent, items)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._spread(selection.name.value, items)
        return total

    def _spread(self, name: str, items: float | None) -> float:
        key = (name, -1 if items is None else items)
        if key in self._memo:
            return self._memo[key]
        fragment = self.fragments.get(name)
        if fragment is None or name in self._active:
            return 0.0  # validation reports unknown fragments and cycles
        self._active.add(name)
        cost = self._selections(fragment.selection_set, self.schema.get_type(fragment.type_condition.name.value),
                                items)
        self._active.discard(name)
        self._memo[key] = cost
        return cost

    def _arguments(self, node: FieldNode, definition: Any) -> dict[str, Any]:
        args = {name: arg.default_value for name, arg in definition.args.items()
                if arg.default_value is not Undefined}
        for argument in node.arguments or ():
            args[argument.name.value] = value_from_ast_untyped(argument.value, self.variables)
        return args

    def _check_page(self, args: dict[str, Any]) -> None:
        for name in PAGE_SIZE_ARGUMENTS:
            value = args.get(name)
            if isinstance(value, int) and not isinstance(value, bool):
                if value < 0:
                    raise ClientError(f"`{name}` must not be negative (got {value}); ask for 0 to "
                                      f"{self.max_page_size} records", "invalid_page_size")
                if value > self.max_page_size:
                    raise ClientError(f"Requesting {value} records on the connection exceeds the `{name}` "
                                      f"limit of {self.max_page_size} records.", "page_size_exceeded")
        for name in CURSOR_ARGUMENTS:
            if isinstance(args.get(name), str):
                check_cursor(args[name], name)

    def _field(self, node: FieldNode, parent: Any, items: float | None) -> float:
        if not isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
            return 0.0
        definition = parent.fields.get(node.name.value)
        if definition is None:
            return 0.0  # __typename, or unknown (validation reports it)
        named = get_named_type(definition.type)
        if is_leaf_type(named):
            return 0.0
        args = self._arguments(node, definition)
        spec = FIELD_COSTS.get(f"{parent.name}.{node.name.value}", FieldCost())
        weight = spec.weight(args) if callable(spec.weight) else spec.weight
        inner: float | None = None
        if "first" in definition.args and "last" in definition.args:  # a connection
            self._check_page(args)
            first, last = args.get("first"), args.get("last")
            size = first if isinstance(first, int) else last if isinstance(last, int) else self.default_page
            inner = float(min(max(size, 0), self.max_page_size))
        elif spec.items is not None:
            inner = float(spec.items(args))
        if _is_list(definition.type):  # inner (or the enclosing connection's page) counts its items
            count = inner if inner is not None else items if items is not None else DEFAULT_LIST_SIZE
            return weight + count * (1 + self._below(node, named, None))
        return weight + self._below(node, named, inner)

    def _below(self, node: FieldNode, named: Any, items: float | None) -> float:
        if isinstance(named, GraphQLUnionType):
            return sum(self._selections(node.selection_set, member, items) for member in named.types)
        return self._selections(node.selection_set, named, items)


def _is_list(type_: Any) -> bool:
    return isinstance(type_.of_type if isinstance(type_, GraphQLNonNull) else type_, GraphQLList)


class BoundedValidation(ValidationCache):
    """strawberry's ValidationCache, bounded and coded.

    Before any validator runs, a document with more than ``max_fields`` field selections once its
    fragments are expanded (or with a fragment cycle) is refused: strawberry's depth and alias
    validators walk fragments spread by spread, so a small "fragment bomb" would keep them busy for
    minutes. Validation errors then get an ``extensions.code`` (``query_too_deep``, ``too_many_aliases``,
    ``fragment_cycle``, ``invalid_document``...).
    """

    def __init__(self, max_fields: int, maxsize: int) -> None:
        super().__init__(maxsize=maxsize)
        self.max_fields = max_fields

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        try:
            fields = expanded_fields(context.graphql_document)
            if fields > self.max_fields:
                raise ClientError(f"The document holds {fields} field selections once its fragments are expanded; "
                                  f"the limit is {self.max_fields} (CRN_MAX_FIELDS). Ask for fewer fields or split "
                                  "the query.", "too_many_fields")
        except ClientError as error:
            context.pre_execution_errors = [error]
            yield
            return
        errors = self.cached_validate_document(context.schema._schema, context.graphql_document,
                                               context.validation_rules)
        context.pre_execution_errors = [_coded(e) for e in errors]  # copies: the cached list stays as it was
        yield


class RequestCost(SchemaExtension):
    """Prices the operation with its variables (CostModel) once it is valid, and refuses it before it runs
    when the cost exceeds ``max_query_cost`` (``query_too_expensive``, naming the cost and the budget),
    or when variables give bad page sizes or cursors."""

    def __init__(self, settings: Settings) -> None:
        self.budget = settings.max_query_cost
        self.max_page_size = settings.max_page_size

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        refusal = self.refusal(context.schema._schema, context.graphql_document, context.variables,
                               context.operation_name)
        if refusal is not None:
            context.result = ExecutionResult(data=None, errors=[refusal])  # strawberry then skips execution
        yield

    def refusal(self, schema: GraphQLSchema, document: Any, variables: dict | None,
                operation_name: str | None) -> ClientError | None:
        """The error refusing the operation, or None when it may run."""
        try:
            cost = CostModel(schema, document, variables, self.max_page_size).operation_cost(operation_name)
        except ClientError as error:
            return error
        if cost <= self.budget:  # False for NaN too
            return None
        # An argument like `sinceDays: 1e400` (a float literal past the largest float) prices the query at
        # infinity, or at NaN once multiplied by 0: refused all the same, with a number that can be shown.
        countable = math.isfinite(cost) and cost < 1e18
        said = f"{cost:,.0f} units" if countable else "more units than can be counted (an argument is out of range)"
        error = ClientError(f"This query would cost {said}; the budget is {self.budget:,} per request "
                            "(CRN_MAX_QUERY_COST). Ask for smaller pages, fewer nested lists or a smaller network, "
                            "or split it into several requests.", "query_too_expensive")
        error.extensions.update({"cost": round(cost) if countable else None, "budget": self.budget})
        return error


_VALIDATION_CODES = (("exceeds maximum operation depth", "query_too_deep"),
                     ("aliases found. Allowed", "too_many_aliases"),
                     ("Cannot spread fragment", "fragment_cycle"))


def _coded(error: GraphQLError) -> GraphQLError:
    """The validation error with an ``extensions.code`` (a copy: validation results are cached and shared)."""
    if (error.extensions or {}).get("code"):
        return error
    code = next((c for text, c in _VALIDATION_CODES if text in error.message), "invalid_document")
    return GraphQLError(error.message, error.nodes, error.source, error.positions, error.path,
                        extensions={**(error.extensions or {}), "code": code})


# ---- errors --------------------------------------------------------------------------------------------

class LoggedMaskErrors(MaskErrors):
    """Mask unexpected errors (anything not raised on purpose as a GraphQLError) and log them with context;
    a Neo4j transaction timeout becomes ``query_timeout`` and a transaction over the memory limit
    ``query_too_large``, with messages saying what to do."""

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        if isinstance(error.original_error, QueryTimeout):
            log.warning("GraphQL operation %r timed out at %s: %s",
                        getattr(self.execution_context, "operation_name", None), error.path, error.original_error)
            return GraphQLError(str(error.original_error), error.nodes, error.source, error.positions, error.path,
                                extensions={"code": "query_timeout"})
        if isinstance(error.original_error, (ServiceUnavailable, SessionExpired)):  # ops: e.g. through neomodel
            error.original_error = DatabaseUnavailable("Neo4j does not answer; retry in a few seconds")
        if isinstance(error.original_error, DatabaseUnavailable):  # ops: 503 + Retry-After (crn/schema/http.py)
            log.warning("GraphQL operation %r: %s", getattr(self.execution_context, "operation_name", None),
                        error.original_error)
            return GraphQLError(str(error.original_error), error.nodes, error.source, error.positions, error.path,
                                extensions={"code": "database_unavailable"})
        if isinstance(error.original_error, QueryTooLarge):
            log.warning("GraphQL operation %r ran out of transaction memory at %s",
                        getattr(self.execution_context, "operation_name", None), error.path)
            return GraphQLError(str(error.original_error), error.nodes, error.source, error.positions, error.path,
                                extensions={"code": "query_too_large"})
        log.error("unexpected error in GraphQL operation %r at %s",
                  getattr(self.execution_context, "operation_name", None), error.path,
                  exc_info=error.original_error)
        masked = super().anonymise_error(error)
        masked.extensions = {"code": "internal_error"}
        return masked


def should_mask(error: GraphQLError) -> bool:
    """True for errors caused by bugs: the original exception is not a deliberate GraphQLError."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def extensions(settings: Settings) -> list:
    """The schema extensions enforcing crn's limits (settings in crn/config.py).

    The rules are strawberry's QueryDepthLimiter / MaxAliasesLimiter validators plus crn's page-size and
    introspection rules, created once so that parsed and validated documents can be cached
    (ParserCache/ValidationCache: a repeated document skips parsing and validation). BoundedValidation
    bounds the expanded document before the validators run; RequestCost prices the operation, with its
    variables, before it executes.
    """
    rules = [
        depth_rule(settings.max_query_depth, should_ignore=None),
        aliases_rule(settings.max_aliases),
        page_size_rule(settings.max_page_size),
    ]
    if not settings.dev_mode:
        rules.append(NoIntrospection)
    return [
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: AddValidationRules(rules),
        lambda: CodedParserCache(maxsize=256),
        lambda: BoundedValidation(settings.max_fields, maxsize=256),
        lambda: RequestCost(settings),
        lambda: LoggedMaskErrors(should_mask_error=should_mask,
                                 error_message="Unexpected error; it has been logged."),
    ]
