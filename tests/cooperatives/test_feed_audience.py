"""Who sees what of a movement in the cooperative's feed (`resolvers.cooperatives.audience`):
every kind of movement and every kind of bill, replayed to a member whose savings did not
move, shows only its kind, account, amount, time and a description generic per kind;
customer numbers and names, notes, member numbers and balances only to the member and the
pengurus."""

import json
from dataclasses import fields

import pytest

from models.bills import BillKind
from models.cooperatives.books import JournalLine, MemberEntryKind
from resolvers.bills.settler import FEED_DESCRIPTIONS
from resolvers.cooperatives.audience import FIELD_AUDIENCE
from resolvers.cooperatives.books import MemberLine
from schema.platform.ids import decode_id, encode_id
from tests.bills.helpers import DEPOSIT, issue, outside_bill, pay, this_period, top_up, unpaid_bills
from tests.cooperatives.feed import follow, next_line
from tests.loans.helpers import active_loan
from tests.shu.test_shu_http import a_year

pytestmark = pytest.mark.usefixtures("books_balance")

EVERYTHING = """subscription($cooperativeId: ID!, $after: ID) {
  cooperativeTransactions(cooperativeId: $cooperativeId, after: $after) {
    id kind account description createdAt amount { amount } balanceAfter { amount }
    membership { number } note
  }
}"""
TELLER_NOTE = "titipan arisan Bu RT Sulastri"


def test_every_field_of_a_movement_has_an_audience():
    assert set(FIELD_AUDIENCE) == {f.name for f in fields(MemberLine)}
    assert set(FEED_DESCRIPTIONS) == set(BillKind)


async def next_month(koperasi, loan_id: str, token: str) -> str:
    found = await koperasi.gql(
        "query($id: ID!) { node(id: $id) { ... on Loan { nextInstallment { dueDate } } } }",
        {"id": loan_id},
        token=token,
    )
    return found["data"]["node"]["nextInstallment"]["dueDate"][:7]


async def member_lines(cooperative_id: str) -> list[int]:
    return (
        await JournalLine.filter(
            entry__cooperative_id=decode_id(cooperative_id, "Cooperative"),
            membership_id__isnull=False,
        )
        .order_by("id")
        .values_list("id", flat=True)
    )


async def replay(live, token: str, cooperative_id: str) -> list[dict]:
    """Every line but the first (`after` names one), as `token` is shown them."""
    first, *rest = await member_lines(cooperative_id)
    after = encode_id("SavingsTransaction", first)
    socket = await follow(live, token, cooperative_id, EVERYTHING, after=after)
    try:
        return [await next_line(socket) for _ in rest]
    finally:
        await socket.close()


async def test_a_member_sees_only_kind_amount_time_and_a_generic_description(gql, live):
    year = await a_year(gql)  # deposits, a purchase, payouts of two leavers
    koperasi = year.koperasi
    assert (await year.distribute())["errors"] == []  # SHU
    pengurus = koperasi.pengurus["token"]
    warga, membership_id = await koperasi.member()
    await koperasi.deposit(membership_id, 2_000_000, note=TELLER_NOTE)
    await koperasi.withdraw(membership_id, 1000, warga["token"])
    assert (await top_up(koperasi, DEPOSIT))["errors"] == []
    assert (await issue(koperasi, this_period()))["issued"] >= 1
    own = await unpaid_bills(koperasi, membership_id, warga["token"])
    outside = [
        await outside_bill(gql, warga, kind=kind) for kind in ("PLN_POSTPAID", "PLN_TOKEN", "PDAM")
    ]
    refused = await outside_bill(gql, warga, "05", kind="BPJS")  # refunded: REFUND
    asked = [own["SIMPANAN_POKOK"], own["SIMPANAN_WAJIB"], *[b["id"] for b in outside]]
    paid = await pay(gql, warga["token"], [*asked, refused["id"]], membershipId=membership_id)
    assert paid["errors"] == [], paid
    borrower, loan_membership, loan_id = await active_loan(koperasi)  # LOAN_DISBURSEMENT
    await issue(koperasi, await next_month(koperasi, loan_id, borrower["token"]))
    installment = await unpaid_bills(koperasi, loan_membership, borrower["token"])
    settled = await pay(
        gql, borrower["token"], [installment["LOAN_INSTALLMENT"]], membershipId=loan_membership
    )  # LOAN_REPAYMENT from SUKARELA
    assert settled["errors"] == [], settled

    stranger, _ = await koperasi.member()
    seen = await replay(live, stranger["token"], koperasi.id)
    whole = await replay(live, pengurus, koperasi.id)

    # Not made here: time deposits and seller payouts into SUKARELA (their descriptions are
    # constants; which fields are hidden does not depend on the kind).
    elsewhere = {"TIME_DEPOSIT", "TIME_DEPOSIT_INTEREST", "SELLER_PAYOUT"}
    assert {line["kind"] for line in seen} == {k.value for k in MemberEntryKind} - elsewhere
    for theirs, full in zip(seen, whole, strict=True):
        assert theirs == {**full, "balanceAfter": None, "membership": None, "note": None}
    private = [TELLER_NOTE]
    for bill in [*outside, refused]:
        private += [bill["customerNumber"], bill["customerName"], bill["description"]]
    shown = json.dumps(seen)
    assert [word for word in private if word in shown] == []
    details = {TELLER_NOTE, *[b["description"] for b in [*outside, refused]]}
    assert details <= {line["note"] for line in whole}  # the member and the pengurus read them
    descriptions = {line["description"] for line in whole}
    assert set(FEED_DESCRIPTIONS.values()) <= descriptions
    assert "Pengembalian dana: Pembayaran iuran BPJS Kesehatan" in descriptions
    mine = await replay(live, warga["token"], koperasi.id)
    assert next(x for x in mine if x["note"] == TELLER_NOTE)["membership"] is not None
