"""Plans record the plain completions a field's results reach (`schema.execution.plan`)."""

from __future__ import annotations

from graphql import DocumentNode, FieldNode, FragmentDefinitionNode, OperationDefinitionNode, parse
from graphql.execution.collect_fields import FragmentDetails
from graphql.execution.values import VariableValues

from schema import build_schema
from schema.catalog.cards import CardPlan
from schema.execution.operations import contract_operation
from schema.execution.plan import OperationPlan, plans_of

SCHEMA = build_schema(lean=True)._schema


def plan_of(document: DocumentNode) -> OperationPlan:
    fragments = {
        d.name.value: FragmentDetails(d)
        for d in document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    found = plans_of(SCHEMA).plan(SCHEMA, fragments, VariableValues({}, {}), operation, print)
    assert found is not None
    return found


def root_node(document: DocumentNode) -> FieldNode:
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    node = operation.selection_set.selections[0]
    assert isinstance(node, FieldNode)
    return node


def test_the_search_field_reaches_the_cards_completion():
    document = parse(contract_operation("SearchProducts"))
    found = plan_of(document).plain[id(root_node(document))]
    assert isinstance(found["Product"], CardPlan)
    assert found["Product"].needs.thumbnail
    assert not found["Product"].needs.rating


def test_a_card_asking_more_has_none():
    document = parse("query { products { edges { node { id description } } } }")
    assert "Product" not in plan_of(document).plain[id(root_node(document))]


def test_a_node_at_two_paths_reaching_different_plans_has_none():
    # Q's `products` is alone under `a` (plain cards) and merged with a selection asking
    # more under `b` (not): a resolver finding the node must not read plain rows for `b`.
    document = parse(
        'query { a: shop(slug: "x") { ...Q }'
        ' b: shop(slug: "y") { ...Q products { edges { node { description } } } } }'
        " fragment Q on Shop { products { edges { node { id } } } }"
    )
    fragment = document.definitions[1]
    assert isinstance(fragment, FragmentDefinitionNode)
    assert plan_of(document).plain[id(fragment.selection_set.selections[0])] == {}
