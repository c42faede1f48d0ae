"""Refuses documents nested too deep or with too many aliases (QUERY_TOO_COMPLEX).

A validation rule, so that the verdict is cached with the rest of validation.
Introspection fields do not count towards depth: GraphiQL's own query nests deeply.
"""

from functools import cache

from graphql import GraphQLError, OperationDefinitionNode, ValidationContext, ValidationRule
from strawberry.extensions import AddValidationRules

from resolvers.platform import TopLevelCode
from schema.execution.extensions.document_walk import fields_of, fragments_of

TOO_COMPLEX = {"code": TopLevelCode.QUERY_TOO_COMPLEX}


def _depth(selection_set, fragments, level: int, limit: int) -> int:
    deepest = level
    for field in fields_of(selection_set, fragments):
        if field.name.value.startswith("__") or field.selection_set is None:
            continue
        deepest = max(deepest, _depth(field.selection_set, fragments, level + 1, limit))
        if deepest > limit:
            break
    return deepest


def _aliases(selection_set, fragments, budget: int) -> int:
    count = 0
    for field in fields_of(selection_set, fragments):
        if field.alias is not None:
            count += 1
        if field.selection_set is not None:
            count += _aliases(field.selection_set, fragments, budget - count)
        if count > budget:
            break
    return count


@cache  # one class per limits: the validation cache is keyed by the rule classes
def query_shape_rule(max_depth: int, max_aliases: int) -> type[ValidationRule]:
    class QueryShape(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_args) -> None:
            fragments = fragments_of(self.context.document)
            if _depth(node.selection_set, fragments, 1, max_depth) > max_depth:
                self.report_error(
                    GraphQLError(
                        f"Kueri terlalu dalam (paling dalam {max_depth} tingkat).",
                        node,
                        extensions=TOO_COMPLEX,
                    )
                )
            if _aliases(node.selection_set, fragments, max_aliases) > max_aliases:
                self.report_error(
                    GraphQLError(
                        f"Kueri memakai terlalu banyak alias (paling banyak {max_aliases}).",
                        node,
                        extensions=TOO_COMPLEX,
                    )
                )

        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)

    return QueryShape


class QueryShapeLimiter(AddValidationRules):
    def __init__(self, max_depth: int, max_aliases: int) -> None:
        super().__init__([query_shape_rule(max_depth, max_aliases)])
