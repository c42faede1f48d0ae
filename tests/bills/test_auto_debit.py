"""Standing instructions (auto-debit) over HTTP: the member's instruction and its states, from
the right and the wrong side; RunAutoDebit paying as PayBills from SUKARELA, in its order,
whole or not at all; overlapping runs and sweeps paying a bill once; the test clock's sweep
collecting a bill on its due date."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import httpx
import pytest

from models.bills import AutoDebitAttempt, Bill, BillKind, BillReceipt, BillReceiptLine
from models.cooperatives import Membership, MembershipStatus
from models.cooperatives.books import JournalEntry, JournalLine
from models.loans import LoanInstallment
from models.platform import Notification
from resolvers.bills.auto_debit import run_auto_debits
from resolvers.bills.monthly import last_day
from resolvers.cooperatives.books import SIMPANAN_WAJIB
from resolvers.platform import add_months
from resolvers.platform.clock import today
from schema.platform.ids import decode_id, encode_id
from server.app import make_services
from tests.bills.auto_debit import act, create, due_bill, instruction_id, listed, run
from tests.bills.helpers import issue, pay
from tests.conftest import GraphQL, city_admin, contract, sign_up
from tests.cooperatives.feed import follow, next_line, wait_for_followers
from tests.cooperatives.helpers import Koperasi, accounts, codes, sukarela
from tests.loans.helpers import active_loan

pytestmark = pytest.mark.usefixtures("books_balance")

WAJIB = 20_000


async def member_with(koperasi: Koperasi, savings: int) -> tuple[dict, str]:
    user, membership_id = await koperasi.member()
    if savings:
        assert (await koperasi.deposit(membership_id, savings))["errors"] == []
    return user, membership_id


def bill_pk(bill_id: str) -> int:
    return decode_id(bill_id, "Bill")


async def status_of(bill_id: str) -> str:
    return (await Bill.get(id=bill_pk(bill_id))).status


async def test_a_member_creates_one_live_instruction_that_the_member_and_pengurus_read(gql):
    koperasi = await Koperasi.new(gql)
    member, membership_id = await member_with(koperasi, 0)
    made = await create(koperasi, membership_id, member["token"],
                        ["SIMPANAN_WAJIB", "LOAN_INSTALLMENT", "SIMPANAN_WAJIB"])  # fmt: skip
    assert made["errors"] == []
    instruction = made["standingInstruction"]
    assert (instruction["status"], instruction["kinds"]) == (
        "ACTIVE", ["LOAN_INSTALLMENT", "SIMPANAN_WAJIB"],
    )  # fmt: skip
    again = await create(koperasi, membership_id, member["token"], ["SIMPANAN_WAJIB"])
    assert codes(again) == [("membershipId", "DUPLICATE")]
    for token in (member["token"], koperasi.pengurus["token"]):
        seen = await listed(koperasi, membership_id, token)
        assert seen is not None
        assert [(i["id"], i["status"], i["pausedAt"], i["cancelledAt"]) for i in seen] == [
            (instruction["id"], "ACTIVE", None, None)
        ]
    other = await Koperasi.new(gql)
    neighbour, _ = await member_with(koperasi, 0)
    stranger = await sign_up(gql, "Orang Lain")
    for token in (neighbour["token"], other.pengurus["token"], stranger["token"]):
        assert await listed(koperasi, membership_id, token) is None
    # Cancelled, it stays listed, and the member may authorise anew.
    assert (await act(koperasi, "Cancel", instruction["id"], member["token"]))["errors"] == []
    newer = await instruction_id(koperasi, membership_id, member["token"], kinds=["SIMPANAN_WAJIB"])
    seen = await listed(koperasi, membership_id, member["token"])
    assert [(i["id"], i["status"]) for i in seen or []] == [
        (newer, "ACTIVE"), (instruction["id"], "CANCELLED"),
    ]  # fmt: skip


async def test_creating_is_refused_from_the_wrong_side_and_for_other_kinds(gql):
    koperasi = await Koperasi.new(gql)
    member, membership_id = await member_with(koperasi, 0)
    neighbour, _ = await member_with(koperasi, 0)
    other = await Koperasi.new(gql)
    stranger = await sign_up(gql, "Orang Lain")
    assert codes(await create(koperasi, membership_id, koperasi.pengurus["token"])) == [
        ("membershipId", "PERMISSION_DENIED")
    ]
    for token in (neighbour["token"], other.pengurus["token"], stranger["token"]):
        assert codes(await create(koperasi, membership_id, token)) == [
            ("membershipId", "NOT_FOUND")
        ]
    unknown = encode_id("Membership", 10**9)
    assert codes(await create(koperasi, unknown, member["token"])) == [
        ("membershipId", "NOT_FOUND")
    ]
    for kinds in ([], ["PDAM"], ["SIMPANAN_WAJIB", "SIMPANAN_POKOK"]):
        assert codes(await create(koperasi, membership_id, member["token"], kinds)) == [
            ("kinds", "INVALID")
        ]
    result = await gql(contract("CreateStandingInstruction"),
                       {"membershipId": membership_id, "kinds": ["SIMPANAN_WAJIB"]})  # fmt: skip
    assert codes(result["data"]["createStandingInstruction"]) == [(None, "UNAUTHENTICATED")]
    assert await listed(koperasi, membership_id, member["token"]) == []
    applicant = await sign_up(gql, "Calon Anggota")
    pending = (await koperasi.apply(applicant))["membership"]["id"]
    assert codes(await create(koperasi, pending, applicant["token"])) == [
        ("membershipId", "INVALID_STATE")
    ]


async def test_a_run_skips_the_instruction_of_a_membership_no_longer_active(gql):
    koperasi = await Koperasi.new(gql)
    member, membership_id = await member_with(koperasi, 100_000)
    await instruction_id(koperasi, membership_id, member["token"])
    wajib = await due_bill(membership_id, BillKind.SIMPANAN_WAJIB, WAJIB, 1)
    owner = decode_id(membership_id, "Membership")
    await Membership.filter(id=owner).update(status=MembershipStatus.ENDED)
    assert (await run(koperasi))["paid"] == []
    await Membership.filter(id=owner).update(status=MembershipStatus.ACTIVE)
    assert (await run(koperasi))["paid"] == [wajib]


async def test_racing_creations_make_one_instruction(gql):
    koperasi = await Koperasi.new(gql)
    member, membership_id = await member_with(koperasi, 0)
    made = await asyncio.gather(
        *[create(koperasi, membership_id, member["token"]) for _ in range(6)]
    )
    assert sorted(c for m in made for _, c in codes(m)) == ["DUPLICATE"] * 5
    assert len(await listed(koperasi, membership_id, member["token"]) or []) == 1


async def test_pause_resume_cancel_follow_their_states_and_sides(gql):
    koperasi = await Koperasi.new(gql)
    member, membership_id = await member_with(koperasi, 0)
    instruction = await instruction_id(koperasi, membership_id, member["token"])
    pengurus = koperasi.pengurus["token"]
    neighbour, _ = await member_with(koperasi, 0)
    other = await Koperasi.new(gql)
    for verb in ("Pause", "Resume", "Cancel"):
        for token in (neighbour["token"], other.pengurus["token"]):
            assert codes(await act(koperasi, verb, instruction, token)) == [("id", "NOT_FOUND")]
        missing = encode_id("StandingInstruction", 10**9)
        assert codes(await act(koperasi, verb, missing, member["token"])) == [("id", "NOT_FOUND")]
    assert codes(await act(koperasi, "Resume", instruction, member["token"])) == [
        ("id", "INVALID_STATE")
    ]
    paused = await act(koperasi, "Pause", instruction, pengurus)  # the pengurus may pause
    assert paused["errors"] == []
    assert paused["standingInstruction"]["status"] == "PAUSED"
    assert paused["standingInstruction"]["pausedAt"]
    assert codes(await act(koperasi, "Pause", instruction, member["token"])) == [
        ("id", "INVALID_STATE")
    ]
    assert codes(await act(koperasi, "Resume", instruction, pengurus)) == [
        ("id", "PERMISSION_DENIED")
    ]
    resumed = await act(koperasi, "Resume", instruction, member["token"])
    assert resumed["standingInstruction"]["status"] == "ACTIVE"
    assert (await act(koperasi, "Pause", instruction, member["token"]))["errors"] == []
    cancelled = await act(koperasi, "Cancel", instruction, pengurus)
    assert cancelled["standingInstruction"]["status"] == "CANCELLED"
    assert cancelled["standingInstruction"]["cancelledAt"]
    for verb in ("Pause", "Resume", "Cancel"):
        assert codes(await act(koperasi, verb, instruction, member["token"])) == [
            ("id", "INVALID_STATE")
        ]
    # Racing cancellations: one wins.
    second = await instruction_id(koperasi, membership_id, member["token"])
    done = await asyncio.gather(*[act(koperasi, "Cancel", second, t)
                                  for t in (member["token"], pengurus) * 3])  # fmt: skip
    assert sorted(c for d in done for _, c in codes(d)) == ["INVALID_STATE"] * 5


async def test_only_its_pengurus_runs_the_auto_debit_and_never_for_a_later_day(gql):
    koperasi = await Koperasi.new(gql)
    member, membership_id = await member_with(koperasi, 100_000)
    await instruction_id(koperasi, membership_id, member["token"])
    wajib = await due_bill(membership_id, BillKind.SIMPANAN_WAJIB, WAJIB, 0)
    other = await Koperasi.new(gql)
    stranger = await sign_up(gql, "Orang Lain")
    for token in (member["token"], other.pengurus["token"], stranger["token"]):
        assert codes(await run(koperasi, token)) == [("cooperativeId", "PERMISSION_DENIED")]
    missing = Koperasi(gql, {"id": encode_id("Cooperative", 10**9)}, koperasi.pengurus)
    assert codes(await run(missing)) == [("cooperativeId", "NOT_FOUND")]
    later = await run(koperasi, day=today() + timedelta(days=1))
    assert codes(later) == [("date", "INVALID")]
    assert await status_of(wajib) == "UNPAID"
    assert await sukarela(membership_id) == 100_000
    done = await run(koperasi)
    assert (done["paid"], done["unpaid"], done["collected"]) == (
        [wajib], [], {"amount": WAJIB, "formatted": "Rp20.000"},
    )  # fmt: skip


async def test_installments_first_then_wajib_oldest_first_each_whole_or_not_at_all(gql):
    koperasi = await Koperasi.new(gql)
    member, membership_id, _ = await active_loan(koperasi, "FLAT", 1_200_000, 12)
    await instruction_id(koperasi, membership_id, member["token"])
    newer = await due_bill(membership_id, BillKind.SIMPANAN_WAJIB, WAJIB, 0, "2026-02")
    older = await due_bill(membership_id, BillKind.SIMPANAN_WAJIB, WAJIB, 40, "2026-01")
    installment = await due_bill(membership_id, BillKind.LOAN_INSTALLMENT, 130_000, 1, "2026-03")
    # An installment bill billed as IssueMonthlyBills bills it (naming its installment).
    first = await LoanInstallment.filter(loan__membership_id=decode_id(membership_id, "Membership")
                                         ).order_by("number").first()  # fmt: skip
    assert first is not None
    await Bill.filter(id=bill_pk(installment)).update(
        installment_id=first.id, amount=first.principal + first.interest
    )
    owed = first.principal + first.interest  # 100.000 + 18.000
    # SUKARELA holds the installment and one wajib, and Rp1 less than the second.
    withdrawn = 1_200_000 - (owed + WAJIB + WAJIB - 1)
    assert (await koperasi.withdraw(membership_id, withdrawn, member["token"]))["errors"] == []
    done = await run(koperasi)
    assert done["errors"] == []
    assert (done["paid"], done["unpaid"]) == ([installment, older], [newer])
    assert done["collected"]["amount"] == owed + WAJIB
    assert await sukarela(membership_id) == WAJIB - 1
    assert [await status_of(b) for b in (installment, older, newer)] == ["PAID", "PAID", "UNPAID"]
    assert (await LoanInstallment.get(id=first.id)).paid_at is not None
    # Later runs the same day pay nothing more and record the unpaid bill once for the day.
    again = await asyncio.gather(run(koperasi), run(koperasi))
    assert [(a["paid"], a["unpaid"]) for a in again] == [([], [newer])] * 2
    unpaid = await AutoDebitAttempt.filter(bill_id=bill_pk(newer)).values_list("date", "outcome")
    assert unpaid == [(today(), "UNPAID")]
    # A top-up, and the next run pays it: the day has its PAID outcome too.
    await koperasi.deposit(membership_id, 1)
    assert (await run(koperasi))["paid"] == [newer]
    assert await sukarela(membership_id) == 0
    outcomes = await AutoDebitAttempt.filter(bill_id=bill_pk(newer)).order_by("id")
    assert [(a.date, a.outcome) for a in outcomes] == [(today(), "UNPAID"), (today(), "PAID")]


async def test_an_automatic_payment_is_the_payment_paybills_makes(gql, live):
    koperasi = await Koperasi.new(gql)
    by_hand, hand_id = await member_with(koperasi, 50_000)
    automatic, auto_id = await member_with(koperasi, 50_000)
    await instruction_id(koperasi, auto_id, automatic["token"], kinds=["SIMPANAN_WAJIB"])
    hand_bill = await due_bill(hand_id, BillKind.SIMPANAN_WAJIB, WAJIB, 2)
    auto_bill = await due_bill(auto_id, BillKind.SIMPANAN_WAJIB, WAJIB, 2)
    assert (await pay(gql, by_hand["token"], [hand_bill], membershipId=hand_id))["errors"] == []
    socket = await follow(live, koperasi.pengurus["token"], koperasi.id)
    try:
        await wait_for_followers(live.server.config.app.state.services.events, koperasi.id)
        assert (await run(koperasi))["paid"] == [auto_bill]
        seen = [await next_line(socket) for _ in range(2)]
    finally:
        await socket.close()
    assert [(x["kind"], x["account"], x["amount"]["amount"]) for x in seen] == [
        ("BILL_PAYMENT", "SUKARELA", -WAJIB), ("BILL_PAYMENT", "WAJIB", WAJIB),
    ]  # fmt: skip

    async def paid(bill_id: str, membership_id: str) -> tuple:
        bill = await Bill.get(id=bill_pk(bill_id))
        receipt = await BillReceipt.get(id=bill.receipt_id)
        entry = await JournalEntry.get(membership_id=decode_id(membership_id, "Membership"),
                                       kind="BILL_PAYMENT")  # fmt: skip
        lines = (
            await JournalLine.filter(entry_id=entry.id)
            .order_by("id")
            .values_list("account__code", "debit", "credit", "savings")
        )
        owner = await BillReceiptLine.filter(bill_id=bill.id).count()
        return (receipt.source, receipt.status, receipt.total, receipt.user_id == bill.user_id,
                entry.description, entry.note, entry.actor_id == bill.user_id, lines, owner)  # fmt: skip

    assert await paid(auto_bill, auto_id) == await paid(hand_bill, hand_id)
    assert await sukarela(auto_id) == await sukarela(hand_id) == 30_000
    page = (await koperasi.dashboard(auto_id, automatic["token"]))["data"]["node"]
    newest = page["transactions"]["edges"][0]["node"]
    assert (newest["kind"], newest["amount"]["amount"]) == ("BILL_PAYMENT", WAJIB)


async def test_a_paused_instruction_is_skipped_and_collects_after_resume(gql):
    koperasi = await Koperasi.new(gql)
    member, membership_id = await member_with(koperasi, 100_000)
    instruction = await instruction_id(koperasi, membership_id, member["token"])
    assert (await act(koperasi, "Pause", instruction, member["token"]))["errors"] == []
    wajib = await due_bill(membership_id, BillKind.SIMPANAN_WAJIB, WAJIB, 3)
    assert (await run(koperasi))["paid"] == []
    yesterday = today() - timedelta(days=1)
    assert (await run(koperasi, day=yesterday))["paid"] == []
    assert await status_of(wajib) == "UNPAID"
    assert (await act(koperasi, "Resume", instruction, member["token"]))["errors"] == []
    # A past day a sweep missed collects what was due by then.
    assert (await run(koperasi, day=yesterday))["paid"] == [wajib]
    assert await sukarela(membership_id) == 100_000 - WAJIB
    # Cancelled: nothing more is collected; bills of kinds it does not name never were.
    later = await due_bill(membership_id, BillKind.SIMPANAN_WAJIB, WAJIB, 0, "2030-01")
    assert (await act(koperasi, "Cancel", instruction, member["token"]))["errors"] == []
    assert (await run(koperasi))["paid"] == []
    await instruction_id(koperasi, membership_id, member["token"], kinds=["LOAN_INSTALLMENT"])
    assert (await run(koperasi))["paid"] == []
    assert await status_of(later) == "UNPAID"


async def test_overlapping_runs_and_sweeps_pay_each_bill_once_and_never_below_zero(gql, live):
    services = make_services(live.settings, None)
    koperasi = await Koperasi.new(gql)
    second = await koperasi.add_pengurus()
    bills: dict[str, list[str]] = {}
    savings = [0, 19_999, 20_000, 45_000, 60_000, 200_000]
    members = []
    for held in savings:
        member, membership_id = await member_with(koperasi, held)
        await instruction_id(koperasi, membership_id, member["token"])
        members.append(membership_id)
        bills[membership_id] = [
            await due_bill(membership_id, BillKind.SIMPANAN_WAJIB, WAJIB, days, f"2025-{m:02d}")
            for m, days in ((1, 30), (2, 20), (3, 0))
        ]
    tokens = [koperasi.pengurus["token"], second["token"]] * 4
    results = await asyncio.gather(
        *[run(koperasi, token) for token in tokens],
        *[run_auto_debits(services) for _ in range(3)],
    )
    runs = [r for r in results if isinstance(r, dict)]
    assert all(r["errors"] == [] for r in runs)
    paid_by_runs = [b for r in runs for b in r["paid"]]
    assert len(paid_by_runs) == len(set(paid_by_runs))  # no bill paid by two runs
    for held, membership_id in zip(savings, members, strict=True):
        count = min(held // WAJIB, 3)
        states = [await status_of(b) for b in bills[membership_id]]
        assert states == ["PAID"] * count + ["UNPAID"] * (3 - count), (held, states)
        assert await sukarela(membership_id) == held - count * WAJIB
        for bill_id in bills[membership_id]:
            lines = await BillReceiptLine.filter(bill_id=bill_pk(bill_id)).count()
            receipts = await BillReceipt.filter(lines__bill_id=bill_pk(bill_id)).count()
            assert lines == receipts == (1 if await status_of(bill_id) == "PAID" else 0)
            outcomes = await AutoDebitAttempt.filter(bill_id=bill_pk(bill_id)).values_list(
                "outcome", flat=True
            )
            assert outcomes == (["PAID"] if await status_of(bill_id) == "PAID" else ["UNPAID"])
            told = await Notification.filter(
                subject_type="Bill", subject_id=bill_pk(bill_id), kind__startswith="AUTO_DEBIT"
            ).values_list("kind", flat=True)
            assert told == [f"AUTO_DEBIT_{'PAID' if outcomes == ['PAID'] else 'FAILED'}"]
    total_paid = sum(min(held // WAJIB, 3) for held in savings)
    assert set(paid_by_runs) <= {b for ids in bills.values() for b in ids}
    swept = [r for r in results if isinstance(r, int)]
    assert len(paid_by_runs) + sum(swept) == total_paid
    books = await accounts(koperasi)
    assert books[SIMPANAN_WAJIB] == total_paid * WAJIB


async def test_the_test_clock_collects_a_wajib_on_its_due_date(gql, sandbox):
    koperasi = await Koperasi.new(gql)
    member, membership_id = await member_with(koperasi, 50_000)
    await instruction_id(koperasi, membership_id, member["token"], kinds=["SIMPANAN_WAJIB"])
    period = f"{add_months(today(), 1):%Y-%m}"  # next month's: due on its last day
    assert (await issue(koperasi, period))["issued"] == 1
    wajib = await Bill.get(
        membership_id=decode_id(membership_id, "Membership"), kind=BillKind.SIMPANAN_WAJIB
    )
    due: date = last_day(period)
    admin = await city_admin(gql)
    async with httpx.AsyncClient(base_url=sandbox.url, timeout=300) as http:
        sgql = GraphQL(http)
        await _advance(sgql, admin["token"], (due - today()).days - 1)
        assert (await Bill.get(id=wajib.id)).status == "UNPAID"  # never before it is due
        runs = await _advance(sgql, admin["token"], 1)
    # That day's sweep paid it (and whatever other tests left due).
    assert [r["day"] for r in runs if r["kind"] == "AUTO_DEBIT" and r["changed"]] == [
        due.isoformat()
    ]
    assert (await Bill.get(id=wajib.id)).status == "PAID"
    assert await sukarela(membership_id) == 50_000 - WAJIB
    outcome = await AutoDebitAttempt.get(bill_id=wajib.id)
    assert (outcome.outcome, outcome.date) == ("PAID", due)


async def _advance(sgql: GraphQL, token: str, days: int) -> list[dict]:
    moved = await sgql(contract("AdvanceTestClock"), {"input": {"days": days}}, token=token)
    assert moved["data"]["advanceTestClock"]["errors"] == [], moved
    return moved["data"]["advanceTestClock"]["sweeps"]
