"""Refusals before execution: depth, aliases, tokens, page sizes, introspection; and error masking."""

from __future__ import annotations

import logging

from graphql import FieldNode, GraphQLError, IntValueNode, ValidationRule
from graphql.language import ArgumentNode
from strawberry.extensions import AddValidationRules, MaskErrors, MaxTokensLimiter, ParserCache, ValidationCache
from strawberry.extensions.max_aliases import create_validator as aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule

from crn.config import Settings

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


class LoggedMaskErrors(MaskErrors):
    """Mask unexpected errors (anything not raised on purpose as a GraphQLError) and log them with context."""

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
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
    (ParserCache/ValidationCache: a repeated document skips parsing and validation).
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
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        lambda: LoggedMaskErrors(should_mask_error=should_mask,
                                 error_message="Unexpected error; it has been logged."),
    ]
