"""PostLoanLossAllowance and WriteOffLoan as the contract writes them, through HTTP: the
allowance per kolektibilitas band and its balanced entries, posting again (also racing) posts
only what changed, the month-end sweep, the write-off against the allowance with the loan kept
for collection (no more denda, later principal is Pendapatan Lain-lain); the wrong side of
each."""

import asyncio
from datetime import timedelta

import httpx
import pytest

from models.cooperatives.books import EntryKind, JournalEntry, JournalLine
from models.loans import Loan, LoanInstallment, LoanLossAllowance
from resolvers.cooperatives.books import (
    BEBAN_PENYISIHAN,
    KAS,
    PENDAPATAN_LAIN,
    PENYISIHAN_PIUTANG,
    PIUTANG_PINJAMAN,
)
from resolvers.loans import post_month_end_allowances
from resolvers.platform.clock import today
from schema.platform.ids import decode_id
from server.app import make_services
from tests.conftest import GraphQL, city_admin, contract, sign_up
from tests.conftest import contract as operation
from tests.cooperatives.helpers import Koperasi, accounts, codes
from tests.loans.helpers import REPAY, active_loan, late_by

pytestmark = pytest.mark.usefixtures("books_balance")

POLICY = """mutation($id: ID!, $input: LoanPolicyInput!) { setLoanPolicy(cooperativeId: $id,
  input: $input) { policy { allowanceRatesBps } errors { code } } }"""
PAYOFF = """query($id: ID!) { node(id: $id) { ... on Loan { payoffAmount { amount }
  kolektibilitas { level } } } }"""


async def post(koperasi: Koperasi, period: str, token: str | None = None) -> dict:
    result = await koperasi.gql(
        operation("PostLoanLossAllowance"),
        {"cooperativeId": koperasi.id, "period": period},
        token=token or koperasi.pengurus["token"],
    )
    assert "errors" not in result, result
    return result["data"]["postLoanLossAllowance"]


async def write_off(koperasi: Koperasi, loan_id: str, token: str | None = None, **extra) -> dict:
    result = await koperasi.gql(
        operation("WriteOffLoan"),
        {"id": loan_id, "reason": extra.get("reason", "Anggota tidak dapat dihubungi")},
        token=token or koperasi.pengurus["token"],
    )
    assert "errors" not in result, result
    return result["data"]["writeOffLoan"]


async def entry_lines(entry_id: str) -> dict[str, tuple[int, int]]:
    lines = await JournalLine.filter(entry_id=decode_id(entry_id, "JournalEntry")).select_related(
        "account"
    )
    return {line.account.code: (line.debit, line.credit) for line in lines}


async def three_loans(koperasi: Koperasi) -> list[str]:
    """Loans of Rp1.000.000, Rp2.000.000 and Rp3.000.000: lancar, kurang lancar (100 days
    late) and macet (200 days late)."""
    loans = []
    for principal, days in ((1_000_000, 0), (2_000_000, 100), (3_000_000, 200)):
        _, _, loan_id = await active_loan(koperasi, "FLAT", principal, 12)
        if days:
            await late_by(loan_id, days)
        loans.append(loan_id)
    return loans


async def test_the_allowance_is_posted_per_band_and_again_only_what_changed(gql):
    koperasi = await Koperasi.new(gql)
    await three_loans(koperasi)
    period = f"{today():%Y-%m}"
    first = await post(koperasi, period)
    assert first["errors"] == []
    found = first["loanLossAllowance"]
    # 0,5% of 1.000.000 + 50% of 2.000.000 + 100% of 3.000.000.
    required = 5_000 + 1_000_000 + 3_000_000
    assert (found["period"], found["required"], found["previousBalance"], found["posted"]) == (
        period, {"amount": required}, {"amount": 0}, {"amount": required},
    )  # fmt: skip
    assert [
        (b["kolektibilitas"]["level"], b["rateBps"], b["outstanding"]["amount"],
         b["required"]["amount"]) for b in found["bands"]
    ] == [
        (1, 50, 1_000_000, 5_000), (2, 1000, 0, 0), (3, 5000, 2_000_000, 1_000_000),
        (4, 5000, 0, 0), (5, 10000, 3_000_000, 3_000_000),
    ]  # fmt: skip
    assert found["entry"]["date"] == today().isoformat()
    assert await entry_lines(found["entry"]["id"]) == {
        BEBAN_PENYISIHAN: (required, 0),
        PENYISIHAN_PIUTANG: (0, required),
    }
    books = await accounts(koperasi)
    assert (books[PENYISIHAN_PIUTANG], books[BEBAN_PENYISIHAN]) == (-required, required)
    again = (await post(koperasi, period))["loanLossAllowance"]
    assert (again["posted"], again["previousBalance"], again["entry"]) == (
        {"amount": 0}, {"amount": required}, None,
    )  # fmt: skip
    # Lower rates release part of it; two postings racing release it once.
    rates = [100, 1000, 2500, 5000, 5000]
    changed = await gql(
        POLICY,
        {"id": koperasi.id, "input": {"maxPrincipal": 50_000_000, "dendaBpsPerDay": 10,
                                      "graceDays": 7, "allowanceRatesBps": rates}},
        token=koperasi.pengurus["token"],
    )  # fmt: skip
    assert changed["data"]["setLoanPolicy"]["policy"]["allowanceRatesBps"] == rates
    now_required = 10_000 + 500_000 + 1_500_000
    raced = await asyncio.gather(post(koperasi, period), post(koperasi, period))
    posted = sorted(r["loanLossAllowance"]["posted"]["amount"] for r in raced)
    assert posted == [now_required - required, 0]
    released = next(r for r in raced if r["loanLossAllowance"]["entry"])["loanLossAllowance"]
    assert await entry_lines(released["entry"]["id"]) == {
        PENYISIHAN_PIUTANG: (required - now_required, 0),
        BEBAN_PENYISIHAN: (0, required - now_required),
    }
    assert (await accounts(koperasi))[PENYISIHAN_PIUTANG] == -now_required
    cooperative_id = decode_id(koperasi.id, "Cooperative")
    row = await LoanLossAllowance.get(cooperative_id=cooperative_id, period=period)
    assert (row.required, row.posted) == (now_required, now_required)


async def test_bad_periods_and_the_wrong_side_are_refused_and_write_nothing(gql):
    koperasi = await Koperasi.new(gql)
    await three_loans(koperasi)
    warga, _ = await koperasi.member()
    other = await Koperasi.new(gql)
    period = f"{today():%Y-%m}"
    for token in (warga["token"], other.pengurus["token"]):
        assert codes(await post(koperasi, period, token)) == [
            ("cooperativeId", "PERMISSION_DENIED")
        ]
    next_month = today().replace(day=28) + timedelta(days=5)
    for bad in ("2026-13", "202601", "", f"{next_month:%Y-%m}"):
        assert codes(await post(koperasi, bad)) == [("period", "INVALID")]
    cooperative_id = decode_id(koperasi.id, "Cooperative")
    assert not await JournalEntry.exists(cooperative_id=cooperative_id, kind=EntryKind.ALLOWANCE)
    assert not await LoanLossAllowance.exists(cooperative_id=cooperative_id)


async def test_the_month_end_sweep_posts_the_month_just_ended_once(gql, live):
    koperasi = await Koperasi.new(gql)
    loans = await three_loans(koperasi)
    # A loan disbursed before the month ended, 200 days late then.
    loan = await Loan.get(id=decode_id(loans[2], "Loan"))
    ended = today().replace(day=1) - timedelta(days=1)
    await Loan.filter(id=loan.id).update(disbursed_at=loan.disbursed_at - timedelta(days=40))
    cooperative_id = decode_id(koperasi.id, "Cooperative")
    await LoanLossAllowance.filter(cooperative_id=cooperative_id).delete()
    services = make_services(live.settings, None)
    # The server runs the same sweep every minute: its run may post this month before ours,
    # so the posting is checked by what it wrote rather than by who wrote it.
    await post_month_end_allowances(services)
    row = await LoanLossAllowance.get(cooperative_id=cooperative_id, period=f"{ended:%Y-%m}")
    # On the month's last day the first installment was (200 - days since) late.
    late = 200 - (today() - ended).days
    assert row.required == (3_000_000 if late > 180 else 1_500_000)
    entry = await JournalEntry.get(cooperative_id=cooperative_id, kind=EntryKind.ALLOWANCE)
    assert entry.created_at.date() <= ended
    await post_month_end_allowances(services)
    assert (
        await JournalEntry.filter(cooperative_id=cooperative_id, kind=EntryKind.ALLOWANCE).count()
        == 1
    )


async def test_a_macet_loan_is_written_off_against_the_allowance_and_kept_for_collection(gql):
    koperasi = await Koperasi.new(gql)
    lancar, _, macet = await three_loans(koperasi)
    token = koperasi.pengurus["token"]
    before = (await gql(PAYOFF, {"id": macet}, token=token))["data"]["node"]
    assert before["kolektibilitas"] == {"level": 5}
    # With no rate for macet, only the others are provided for: 1.005.000 in all.
    rates = {"maxPrincipal": 50_000_000, "dendaBpsPerDay": 10, "graceDays": 7,
             "allowanceRatesBps": [50, 1000, 5000, 5000, 0]}  # fmt: skip
    set_rates = await gql(POLICY, {"id": koperasi.id, "input": rates}, token=token)
    assert set_rates["data"]["setLoanPolicy"]["errors"] == []
    period = f"{today():%Y-%m}"
    assert (await post(koperasi, period))["loanLossAllowance"]["required"]["amount"] == 1_005_000
    done = await write_off(koperasi, macet)
    assert done["errors"] == []
    loan = done["loan"]
    assert (loan["status"], loan["outstanding"]) == ("ACTIVE", {"amount": 3_000_000})
    assert loan["writtenOffAt"] is not None
    entry = await JournalEntry.get(
        cooperative_id=decode_id(koperasi.id, "Cooperative"), kind=EntryKind.WRITE_OFF
    )
    lines = await JournalLine.filter(entry_id=entry.id).select_related("account")
    assert {x.account.code: (x.debit, x.credit) for x in lines} == {
        PIUTANG_PINJAMAN: (0, 3_000_000),
        PENYISIHAN_PIUTANG: (1_005_000, 0),
        BEBAN_PENYISIHAN: (1_995_000, 0),
    }
    # No more denda: the payoff is what is owed without it.
    after = (await gql(PAYOFF, {"id": macet}, token=token))["data"]["node"]
    assert after["payoffAmount"]["amount"] < before["payoffAmount"]["amount"]
    assert codes(await write_off(koperasi, macet)) == [("id", "INVALID_STATE")]
    assert codes(await write_off(koperasi, lancar)) == [("id", "INVALID_STATE")]
    # Collected later: the principal part is Pendapatan Lain-lain, Piutang stays as it was.
    piutang = (await accounts(koperasi))[PIUTANG_PINJAMAN]
    first = await LoanInstallment.get(loan_id=decode_id(macet, "Loan"), number=1)
    owed = first.principal + first.interest
    repaid = await gql(REPAY, {"id": macet, "amount": owed}, token=token)
    assert repaid["data"]["repayLoan"]["errors"] == []
    books = await accounts(koperasi)
    assert books[PIUTANG_PINJAMAN] == piutang
    assert books[PENDAPATAN_LAIN] == first.principal
    assert books[KAS] > 0


async def test_the_wrong_side_cannot_write_off(gql):
    koperasi = await Koperasi.new(gql)
    borrower, _, macet = await active_loan(koperasi, "FLAT", 1_000_000, 12)
    await late_by(macet, 200)
    other = await Koperasi.new(gql)
    stranger = await sign_up(gql, "Orang Lain")
    assert codes(await write_off(koperasi, macet, borrower["token"])) == [
        ("id", "PERMISSION_DENIED")
    ]
    for token in (other.pengurus["token"], stranger["token"]):
        assert codes(await write_off(koperasi, macet, token)) == [("id", "NOT_FOUND")]
    assert codes(await write_off(koperasi, macet, reason="  ")) == [("reason", "REQUIRED")]
    assert (await Loan.get(id=decode_id(macet, "Loan"))).written_off_at is None
    cooperative_id = decode_id(koperasi.id, "Cooperative")
    assert not await JournalEntry.exists(cooperative_id=cooperative_id, kind=EntryKind.WRITE_OFF)


async def test_the_test_clock_crossing_a_month_end_posts_the_allowance(gql, sandbox):
    koperasi = await Koperasi.new(gql)
    _, _, macet = await active_loan(koperasi, "FLAT", 1_000_000, 12)
    await late_by(macet, 200)
    admin = await city_admin(gql)
    first_of_next = (today().replace(day=28) + timedelta(days=5)).replace(day=1)
    async with httpx.AsyncClient(base_url=sandbox.url, timeout=120) as http:
        moved = await GraphQL(http)(
            contract("AdvanceTestClock"),
            {"input": {"days": (first_of_next - today()).days}},
            token=admin["token"],
        )
    assert moved["data"]["advanceTestClock"]["errors"] == [], moved
    runs = moved["data"]["advanceTestClock"]["sweeps"]
    assert {"kind": "LOAN_LOSS_ALLOWANCE", "day": first_of_next.isoformat()} in [
        {"kind": r["kind"], "day": r["day"]} for r in runs
    ]
    cooperative_id = decode_id(koperasi.id, "Cooperative")
    row = await LoanLossAllowance.get(cooperative_id=cooperative_id, period=f"{today():%Y-%m}")
    assert row.required == 1_000_000  # 100% of the macet loan
    entry = await JournalEntry.get(cooperative_id=cooperative_id, kind=EntryKind.ALLOWANCE)
    lines = await JournalLine.filter(entry_id=entry.id).select_related("account")
    assert {x.account.code: (x.debit, x.credit) for x in lines} == {
        BEBAN_PENYISIHAN: (1_000_000, 0),
        PENYISIHAN_PIUTANG: (0, 1_000_000),
    }
