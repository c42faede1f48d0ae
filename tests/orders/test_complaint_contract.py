"""The receipt and complaint operations of the marketplace contract validate against the
schema exactly as written, and the project's copy is the shared one."""

from pathlib import Path

import pytest
from graphql import DocumentNode, OperationDefinitionNode, parse, print_ast, validate

from schema import build_schema
from tests.orders.complaint_helpers import OPERATIONS

SHARED = (
    Path(__file__).resolve().parents[3]
    / "shared" / "contract" / "next" / "marketplace-operations.graphql"
)  # fmt: skip
NAMES = [
    "ConfirmReceipt", "OrderDetails", "OrderLineDetails", "OpenComplaint",
    "UploadComplaintPhoto", "RespondToComplaint", "ShipComplaintReturn",
    "ReceiveComplaintReturn", "EscalateComplaint", "DecideComplaint", "SellerComplaints",
    "MarketplaceModeration",
]  # fmt: skip


def _operations(path: Path) -> dict[str, OperationDefinitionNode]:
    return {
        d.name.value: d
        for d in parse(path.read_text()).definitions
        if isinstance(d, OperationDefinitionNode) and d.name is not None
    }


def test_the_copy_holds_every_receipt_and_complaint_operation():
    assert set(NAMES) <= set(_operations(OPERATIONS))


@pytest.mark.parametrize("name", NAMES)
def test_operation_validates(name):
    document = DocumentNode(definitions=(_operations(OPERATIONS)[name],))
    errors = validate(build_schema()._schema, document)
    assert errors == [], [e.message for e in errors]


@pytest.mark.skipif(not SHARED.is_file(), reason="../shared/contract/next is not present")
@pytest.mark.parametrize("name", NAMES)
def test_operation_is_the_shared_contracts(name):
    ours, theirs = _operations(OPERATIONS)[name], _operations(SHARED)[name]
    assert print_ast(ours) == print_ast(theirs)
