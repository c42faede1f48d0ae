"""The time deposit operations this branch serves validate against the schema exactly as
written, and the project's copy is the shared contract's."""

from pathlib import Path

import pytest
from graphql import DocumentNode, OperationDefinitionNode, parse, print_ast, validate

from schema import build_schema

OPERATIONS = Path(__file__).parent / "time_deposit_operations.graphql"
SHARED = (
    Path(__file__).resolve().parents[3] / "shared" / "contract" / "next"
    / "cooperative-products.graphql"
)  # fmt: skip
NAMES = [
    "CreateTimeDepositProduct",
    "TimeDepositProducts",
    "OpenTimeDeposit",
    "TimeDeposits",
    "WithdrawTimeDepositEarly",
]


def operations(path: Path = OPERATIONS) -> dict[str, OperationDefinitionNode]:
    return {
        d.name.value: d
        for d in parse(path.read_text()).definitions
        if isinstance(d, OperationDefinitionNode) and d.name is not None
    }


def operation(name: str) -> str:
    return print_ast(operations()[name])


@pytest.mark.parametrize("name", NAMES)
def test_operation_validates(name):
    document = DocumentNode(definitions=(operations()[name],))
    errors = validate(build_schema()._schema, document)
    assert errors == [], [e.message for e in errors]


@pytest.mark.skipif(not SHARED.is_file(), reason="../shared/contract/next is not present")
@pytest.mark.parametrize("name", NAMES)
def test_operation_is_the_shared_contracts(name):
    assert print_ast(operations()[name]) == print_ast(operations(SHARED)[name])
