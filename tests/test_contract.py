"""Every contract operation validates against the schema, except those still pending,
and each pending one really still fails, so the list only ever shrinks."""

from pathlib import Path

import pytest
from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    OperationDefinitionNode,
    Visitor,
    parse,
    validate,
    visit,
)

from schema import CONTRACT_DIR, SDL_PATH, build_schema, export_sdl

SHARED_CONTRACT = Path(__file__).resolve().parents[2] / "shared" / "contract"

# Operations whose domain is not built yet, by the issue that brings them.
PENDING = {
    # Me needs shops (catalogue) and memberships/cooperatives (cooperatives).
    "Me",
    # ShopPage shows the shop's cooperative (cooperatives).
    "ShopPage",
    # Orders.
    "MyCart", "AddToCart", "UpdateCartLine", "Checkout", "MyOrders", "CancelOrder",
    "SellerOrders", "UpdateOrderStatus", "OrderEvents",
    # Cooperatives.
    "Cooperatives", "RegisterCooperative", "ApplyMembership", "DecideMembership",
    "EndMembership", "MemberDashboard", "CooperativeMembers", "RecordDeposit", "Withdraw",
    "ApplyLoan", "ApproveLoan", "DisburseLoan", "IssueMonthlyBills", "InquireBill", "PayBills",
    "ShuPreview", "DistributeShu", "CooperativeTransactions",
    # City.
    "CityDashboard", "KelurahanRollout", "RecordSocialization",
}  # fmt: skip

SCHEMA = build_schema()._schema


def operations(directory: Path) -> list[tuple[str, DocumentNode]]:
    """Each operation as its own document, with the fragments of its file."""
    found = []
    for path in sorted(directory.glob("*.graphql")):
        document = parse(path.read_text())
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                used = [fragments[n] for n in sorted(spreads(definition, fragments))]
                found.append((definition.name.value, DocumentNode(definitions=(definition, *used))))
    return found


def spreads(node, fragments: dict[str, FragmentDefinitionNode], seen=None) -> set[str]:
    """Names of the fragments a definition uses, directly or through other fragments."""
    seen = set() if seen is None else seen

    class Collect(Visitor):
        def enter_fragment_spread(self, spread: FragmentSpreadNode, *_args) -> None:
            name = spread.name.value
            if name not in seen and name in fragments:
                seen.add(name)
                spreads(fragments[name], fragments, seen)

    visit(node, Collect())
    return seen


CONTRACT = operations(CONTRACT_DIR)


@pytest.mark.parametrize(("name", "document"), CONTRACT, ids=[n for n, _ in CONTRACT])
def test_contract_operation(name: str, document: DocumentNode) -> None:
    errors = validate(SCHEMA, document)
    if name in PENDING:
        assert errors, f"{name} validates now: remove it from PENDING"
    else:
        assert errors == [], f"{name}: {[e.message for e in errors]}"


def test_pending_names_are_contract_operations() -> None:
    assert {name for name, _ in CONTRACT} >= PENDING


@pytest.mark.skipif(not SHARED_CONTRACT.is_dir(), reason="../shared/contract is not present")
def test_project_copy_matches_shared_contract() -> None:
    for path in SHARED_CONTRACT.glob("*.graphql"):
        assert (CONTRACT_DIR / path.name).read_text() == path.read_text(), path.name


def test_checked_in_sdl_is_current() -> None:
    assert SDL_PATH.read_text() == export_sdl()
