"""Every contract operation validates against the schema, the project's copy of the contract
is the shared one, and the schema's inputs and enums accept exactly the contract's."""

from pathlib import Path

import pytest
from graphql import (
    DocumentNode,
    EnumTypeDefinitionNode,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLNonNull,
    InputObjectTypeDefinitionNode,
    parse,
    print_ast,
    validate,
    value_from_ast,
)
from graphql.pyutils import Undefined

from schema import SDL_PATH, build_schema, export_sdl
from schema.execution import CONTRACT_DIR
from schema.execution.operations import operations

SHARED_CONTRACT = Path(__file__).resolve().parents[3] / "shared" / "contract"

SCHEMA = build_schema()._schema

DECLARED = [
    d
    for d in parse((CONTRACT_DIR / "inputs.graphql").read_text()).definitions
    if isinstance(d, EnumTypeDefinitionNode | InputObjectTypeDefinitionNode)
]


CONTRACT = operations(CONTRACT_DIR)


@pytest.mark.parametrize(("name", "document"), CONTRACT, ids=[n for n, _ in CONTRACT])
def test_contract_operation(name: str, document: DocumentNode) -> None:
    errors = validate(SCHEMA, document)
    assert errors == [], f"{name}: {[e.message for e in errors]}"


@pytest.mark.skipif(not SHARED_CONTRACT.is_dir(), reason="../shared/contract is not present")
def test_project_copy_matches_shared_contract() -> None:
    for path in SHARED_CONTRACT.glob("*.graphql"):
        assert (CONTRACT_DIR / path.name).read_text() == path.read_text(), path.name
    # A capability's file of contract/next is the project's contract once its issue landed.
    for path in SHARED_CONTRACT.glob("next/*.graphql"):
        landed = CONTRACT_DIR / path.name
        if landed.is_file():
            assert landed.read_text() == path.read_text(), path.name


def test_checked_in_sdl_is_current() -> None:
    assert SDL_PATH.read_text() == export_sdl()


# Values a contract of ../shared/contract/next adds to an enum of inputs.graphql, served
# before that file is updated: money.graphql's seller payouts into SUKARELA and
# cooperative-products.graphql's time deposits.
ANNOUNCED = {"TransactionKind": {"SELLER_PAYOUT", "TIME_DEPOSIT", "TIME_DEPOSIT_INTEREST"}}


@pytest.mark.parametrize("declared", DECLARED, ids=[d.name.value for d in DECLARED])
def test_inputs_and_enums_accept_exactly_the_contracts(declared) -> None:
    name = declared.name.value
    ours = SCHEMA.get_type(name)
    if isinstance(declared, EnumTypeDefinitionNode):
        assert isinstance(ours, GraphQLEnumType), name
        wanted = {v.name.value for v in declared.values} | ANNOUNCED.get(name, set())
        assert set(ours.values) == wanted, name
        return
    assert isinstance(ours, GraphQLInputObjectType), name
    wanted = {f.name.value: f for f in declared.fields}
    for field_name, field in ours.fields.items():
        if field_name not in wanted:  # an addition: it must be optional
            assert not isinstance(field.type, GraphQLNonNull), f"{name}.{field_name}"
            continue
        contract = wanted.pop(field_name)
        assert str(field.type) == print_ast(contract.type), f"{name}.{field_name}"
        if contract.default_value is not None:
            expected = value_from_ast(contract.default_value, field.type)
            assert field.default_value == expected, f"{name}.{field_name}"
        else:
            assert field.default_value in (Undefined, None), f"{name}.{field_name}"
    assert not wanted, f"{name} lacks {sorted(wanted)}"
