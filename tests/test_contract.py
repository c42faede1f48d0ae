"""Every contract operation validates against the schema, except those still pending,
and each pending one really still fails, so the list only ever shrinks."""

from pathlib import Path

import pytest
from graphql import DocumentNode, validate

from schema import CONTRACT_DIR, SDL_PATH, build_schema, export_sdl
from schema.operations import operations

SHARED_CONTRACT = Path(__file__).resolve().parents[2] / "shared" / "contract"

# Operations whose domain is not built yet, by the issue that brings them.
PENDING = {
    # Cooperatives.
    "Cooperatives", "RegisterCooperative", "ApplyMembership", "DecideMembership",
    "EndMembership", "MemberDashboard", "CooperativeMembers", "RecordDeposit", "Withdraw",
    "ApplyLoan", "ApproveLoan", "DisburseLoan", "IssueMonthlyBills", "InquireBill", "PayBills",
    "ShuPreview", "DistributeShu", "CooperativeTransactions",
}  # fmt: skip

SCHEMA = build_schema()._schema


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
