"""RecordCashMovement, PostJournalEntry, ReverseJournalEntry, JournalEntries and AccountLedger:
what they post, what they refuse (nothing written), and who may."""

import asyncio
import json
import re
from datetime import timedelta

import pytest

from models.cooperatives.books import JournalEntry
from resolvers.platform import today
from tests.catalog.helpers import picture
from tests.conftest import city_admin
from tests.cooperatives.books import (
    account_ids,
    books_op,
    cash,
    journal_entry,
    ledger,
    reverse,
)
from tests.cooperatives.helpers import Koperasi, codes, journal_size

pytestmark = pytest.mark.usefixtures("books_balance")


async def test_a_receipt_and_a_payment_are_balanced_entries_with_who_and_when(gql):
    koperasi = await Koperasi.new(gql)
    ids = await account_ids(koperasi)
    got = await cash(koperasi, ids["4-1400"], 750000, "2026-05-02", description="Biaya admin")
    assert got["errors"] == []
    entry = got["journalEntry"]
    assert entry == {
        **entry, "kind": "CASH_RECEIPT", "date": "2026-05-02", "description": "Biaya admin",
        "totalDebit": {"amount": 750000}, "totalCredit": {"amount": 750000},
        "receiptPhoto": None,
        "recordedBy": {"id": koperasi.pengurus["user"]["id"], "name": "Pengurus Koperasi"},
    }  # fmt: skip
    assert entry["recordedAt"]
    assert [
        (line["account"]["code"], line["debit"]["amount"], line["credit"]["amount"])
        for line in entry["lines"]
    ] == [("1-1100", 750000, 0), ("4-1400", 0, 750000)]
    # A payment from Bank larger than its balance: recorded as it happened.
    paid = await cash(
        koperasi, ids["5-1200"], 900000, "2026-05-03", "PAYMENT", cashAccountId=ids["1-1200"]
    )
    assert [
        (line["account"]["code"], line["debit"]["amount"], line["credit"]["amount"])
        for line in paid["journalEntry"]["lines"]
    ] == [("5-1200", 900000, 0), ("1-1200", 0, 900000)]
    assert paid["journalEntry"]["kind"] == "CASH_PAYMENT"
    bank = await ledger(koperasi, ids["1-1200"])
    assert bank["closingBalance"] == {"amount": -900000, "formatted": "-Rp900.000"}


async def test_bad_cash_movements_are_refused_and_write_nothing(gql):
    koperasi = await Koperasi.new(gql)
    ids = await account_ids(koperasi)
    before = await journal_size()
    assert codes(await cash(koperasi, ids["4-1400"], 0, "2026-05-02")) == [
        ("input.amount", "INVALID")
    ]
    tomorrow = (today() + timedelta(days=1)).isoformat()
    assert codes(await cash(koperasi, ids["4-1400"], 1000, tomorrow)) == [("input.date", "INVALID")]
    for control in ("2-1100", "3-1100", "1-1300", "2-1200", "1-1500"):
        assert codes(await cash(koperasi, ids[control], 1000, "2026-05-02")) == [
            ("input.accountId", "INVALID")
        ], control
    assert codes(await cash(koperasi, ids["1-1200"], 1000, "2026-05-02")) == [
        ("input.accountId", "INVALID")
    ]
    assert codes(
        await cash(koperasi, ids["4-1400"], 1000, "2026-05-02", cashAccountId=ids["5-1200"])
    ) == [("input.cashAccountId", "INVALID")]
    assert codes(await cash(koperasi, ids["4-1400"], 1000, "2026-05-02", description=" ")) == [
        ("input.description", "REQUIRED")
    ]
    other = await Koperasi.new(gql)
    foreign = await account_ids(other)
    assert codes(await cash(koperasi, foreign["4-1400"], 1000, "2026-05-02")) == [
        ("input.accountId", "INVALID")
    ]
    warga, _ = await koperasi.member()
    admin = await city_admin(gql)
    for token in (warga["token"], other.pengurus["token"], admin["token"]):
        assert codes(await cash(koperasi, ids["4-1400"], 1000, "2026-05-02", token=token)) == [
            ("cooperativeId", "PERMISSION_DENIED")
        ]
    assert await journal_size() == (before[0] + 0, before[1] + 0)


async def record_with_photo(koperasi, client, account_id, photo=None) -> dict:
    """A cash payment with a nota uploaded beside it (GraphQL multipart): the payload."""
    body = {
        "cooperativeId": koperasi.id, "direction": "PAYMENT", "accountId": account_id,
        "amount": 45000, "date": today().isoformat(), "description": "Beli kertas",
        "receiptPhoto": None,
    }  # fmt: skip
    operations = json.dumps({"query": books_op("RecordCashMovement"), "variables": {"input": body}})
    response = await client.post(
        "/graphql",
        data={"operations": operations, "map": json.dumps({"0": ["variables.input.receiptPhoto"]})},
        files={"0": ("nota.jpg", photo or picture("JPEG"), "image/jpeg")},
        headers={
            "Authorization": f"Bearer {koperasi.pengurus['token']}",
            "Apollo-Require-Preflight": "true",
        },
    )
    return response.json()["data"]["recordCashMovement"]


async def test_a_receipt_photo_goes_through_the_image_pipeline(gql, client):
    koperasi = await Koperasi.new(gql)
    ids = await account_ids(koperasi)
    payload = await record_with_photo(koperasi, client, ids["5-1400"])
    assert payload["errors"] == []
    photo = payload["journalEntry"]["receiptPhoto"]
    assert ".webp?expires=" in photo["url"]
    seen = await client.get(photo["url"])  # the signed link is the key
    assert seen.status_code == 200
    assert seen.headers["cache-control"] == "private, no-store"
    # Without its signature, with another, or expired: nobody reads the nota.
    bare = photo["url"].split("?")[0]
    for url in (bare, photo["url"][:-4] + "0000", re.sub(r"expires=\d+", "expires=1000",
                photo["url"])):  # fmt: skip
        assert (await client.get(url)).status_code == 404, url
    before = await journal_size()
    refused = await record_with_photo(koperasi, client, ids["5-1400"], b"bukan gambar")
    assert refused["journalEntry"] is None
    assert refused["errors"][0]["code"] == "UNSUPPORTED_FILE"
    assert await journal_size() == before


async def test_a_general_entry_balances_or_is_refused(gql):
    koperasi = await Koperasi.new(gql)
    ids = await account_ids(koperasi)
    before = await journal_size()
    unbalanced = await journal_entry(
        koperasi, "2026-07-01", [(ids["1-2100"], 5000001, 0), (ids["1-1100"], 0, 5000000)]
    )
    assert codes(unbalanced) == [("input.lines", "INVALID")]
    assert unbalanced["errors"][0]["message"] == "Debit dan kredit tidak seimbang: selisih Rp1"
    one = await journal_entry(koperasi, "2026-07-01", [(ids["1-2100"], 5000, 0)])
    assert codes(one) == [("input.lines", "INVALID")]
    both = await journal_entry(
        koperasi, "2026-07-01", [(ids["1-2100"], 5000, 5000), (ids["1-1100"], 0, 0)]
    )
    assert codes(both) == [("input.lines", "INVALID")]
    control = await journal_entry(
        koperasi, "2026-07-01", [(ids["2-1100"], 5000, 0), (ids["1-1100"], 0, 5000)]
    )
    assert codes(control) == [("input.lines", "INVALID")]
    future = await journal_entry(
        koperasi, "2030-07-01", [(ids["1-2100"], 5000, 0), (ids["1-1100"], 0, 5000)]
    )
    assert codes(future) == [("input.date", "INVALID")]
    warga, _ = await koperasi.member()
    denied = await journal_entry(
        koperasi, "2026-07-01", [(ids["1-2100"], 5000, 0), (ids["1-1100"], 0, 5000)],
        token=warga["token"],
    )  # fmt: skip
    assert codes(denied) == [("cooperativeId", "PERMISSION_DENIED")]
    assert await journal_size() == before
    posted = await journal_entry(
        koperasi,
        "2026-07-01",
        [(ids["1-2100"], 5000000, 0), (ids["1-1100"], 0, 3000000), (ids["2-2100"], 0, 2000000)],
        description="Beli komputer, sebagian dengan utang bank",
    )
    assert posted["errors"] == []
    entry = posted["journalEntry"]
    assert (entry["kind"], entry["totalDebit"], entry["totalCredit"]) == (
        "GENERAL",
        {"amount": 5000000},
        {"amount": 5000000},
    )
    assert [(line["account"]["code"], line["debit"]["amount"], line["credit"]["amount"])
            for line in entry["lines"]] == [
        ("1-2100", 5000000, 0), ("1-1100", 0, 3000000), ("2-2100", 0, 2000000)
    ]  # fmt: skip


async def test_an_entry_is_reversed_once_never_edited(gql):
    koperasi = await Koperasi.new(gql)
    ids = await account_ids(koperasi)
    entry = (await cash(koperasi, ids["5-1100"], 2500000, "2026-08-25", "PAYMENT"))["journalEntry"]
    early = await reverse(koperasi, entry["id"], date="2026-08-24")
    assert codes(early) == [("date", "INVALID")]
    assert codes(await reverse(koperasi, entry["id"], reason="")) == [("reason", "REQUIRED")]
    warga, _ = await koperasi.member()
    other = await Koperasi.new(gql)
    assert codes(await reverse(koperasi, entry["id"], warga["token"])) == [("id", "NOT_FOUND")]
    assert codes(await reverse(koperasi, entry["id"], other.pengurus["token"])) == [
        ("id", "NOT_FOUND")
    ]
    admin = await city_admin(gql)
    assert codes(await reverse(koperasi, entry["id"], admin["token"])) == [
        ("id", "PERMISSION_DENIED")
    ]
    second = await koperasi.add_pengurus()
    answers = await asyncio.gather(
        *(reverse(koperasi, entry["id"], token, date="2026-08-26")
          for token in [koperasi.pengurus["token"], second["token"]] * 2)
    )  # fmt: skip
    done = [a for a in answers if a["errors"] == []]
    assert len(done) == 1
    assert all(codes(a) == [("id", "INVALID_STATE")] for a in answers if a not in done)
    reversal = done[0]["journalEntry"]
    assert (reversal["kind"], reversal["date"]) == ("REVERSAL", "2026-08-26")
    assert reversal["reversalOf"] == {"id": entry["id"], "reversedBy": {"id": reversal["id"]}}
    assert [(line["account"]["code"], line["debit"]["amount"], line["credit"]["amount"])
            for line in reversal["lines"]] == [("5-1100", 0, 2500000), ("1-1100", 2500000, 0)]  # fmt: skip
    assert codes(await reverse(koperasi, reversal["id"])) == [("id", "INVALID_STATE")]
    # A member's movement is undone by its own operation.
    _, membership_id = await koperasi.member()
    await koperasi.deposit(membership_id, 10000)
    member_entry = await JournalEntry.filter(kind="DEPOSIT").order_by("-id").first()
    assert member_entry is not None
    from schema.platform.ids import encode_id

    assert codes(await reverse(koperasi, encode_id("JournalEntry", member_entry.id))) == [
        ("id", "INVALID_STATE")
    ]


async def test_the_journal_lists_oldest_first_by_date_and_kind(gql):
    koperasi = await Koperasi.new(gql)
    ids = await account_ids(koperasi)
    late = (await cash(koperasi, ids["4-1900"], 3000, "2026-03-03"))["journalEntry"]
    early = (await cash(koperasi, ids["4-1900"], 1000, "2026-03-01"))["journalEntry"]
    middle = (await cash(koperasi, ids["5-9900"], 2000, "2026-03-02", "PAYMENT"))["journalEntry"]
    _, membership_id = await koperasi.member()
    await koperasi.deposit(membership_id, 50000)
    query = books_op("JournalEntries")

    async def listed(token=None, **extra):
        result = await gql(
            query,
            {"cooperativeId": koperasi.id, **extra},
            token=token or koperasi.pengurus["token"],
        )
        assert "errors" not in result, result
        return result["data"]["node"]["journalEntries"]

    everything = await listed(**{"from": "2026-03-01", "to": "2026-03-03"})
    assert [e["node"]["id"] for e in everything["edges"]] == [early["id"], middle["id"], late["id"]]
    assert everything["totalCount"] == 3
    paged = await listed(first=2)
    assert paged["pageInfo"]["hasNextPage"]
    rest = await listed(first=2, after=paged["pageInfo"]["endCursor"])
    assert [e["node"]["id"] for e in paged["edges"] + rest["edges"]][:3] == [
        early["id"], middle["id"], late["id"]
    ]  # fmt: skip
    assert rest["edges"][-1]["node"]["kind"] == "MEMBER"
    members = await listed(kind="MEMBER")
    assert [e["node"]["kind"] for e in members["edges"]] == ["MEMBER"]
    payments = await listed(kind="CASH_PAYMENT")
    assert [e["node"]["id"] for e in payments["edges"]] == [middle["id"]]
    warga, _ = await koperasi.member()
    assert await listed(warga["token"]) is None
    admin = await city_admin(gql)
    assert (await listed(admin["token"]))["totalCount"] == 4
    backwards = await gql(
        query, {"cooperativeId": koperasi.id, "from": "2026-03-03", "to": "2026-03-01"},
        token=koperasi.pengurus["token"],
    )  # fmt: skip
    assert backwards["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_ledger_runs_its_balance_across_pages(gql):
    koperasi = await Koperasi.new(gql)
    ids = await account_ids(koperasi)
    movements = [
        ("4-1900", 100000, "2026-01-05", "RECEIPT"),
        ("5-1200", 30000, "2026-02-01", "PAYMENT"),
        ("4-1400", 20000, "2026-02-01", "RECEIPT"),
        ("5-1300", 150000, "2026-02-10", "PAYMENT"),
        ("4-1900", 5000, "2026-03-01", "RECEIPT"),
    ]
    for code, amount, day, direction in movements:
        await cash(koperasi, ids[code], amount, day, direction)
    signed = [a if d == "RECEIPT" else -a for _, a, _, d in movements]
    running = [sum(signed[: i + 1]) for i in range(len(signed))]
    pages, after = [], None
    while True:
        page = await ledger(koperasi, ids["1-1100"], first=2, after=after)
        pages.extend(page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert [e["node"]["balanceAfter"]["amount"] for e in pages] == running
    assert [e["node"]["entry"]["date"] for e in pages] == [m[2] for m in movements]
    assert page["totalCount"] == 5
    assert page["closingBalance"]["amount"] == running[-1]
    february = await ledger(koperasi, ids["1-1100"], **{"from": "2026-02-01", "to": "2026-02-28"})
    assert february["openingBalance"] == {"amount": 100000}
    assert [e["node"]["balanceAfter"]["amount"] for e in february["edges"]] == running[1:4]
    assert february["closingBalance"]["amount"] == running[3]
    expense = await ledger(koperasi, ids["5-1300"])
    assert expense["edges"][0]["node"]["balanceAfter"] == {
        "amount": 150000,
        "formatted": "Rp150.000",
    }
    warga, _ = await koperasi.member()
    assert await ledger(koperasi, ids["1-1100"], warga["token"]) is None
    other = await Koperasi.new(gql)
    assert await ledger(koperasi, ids["1-1100"], other.pengurus["token"]) is None


async def test_a_receipt_photo_is_seen_by_the_pengurus_and_the_dinas_only(gql, client):
    koperasi = await Koperasi.new(gql)
    ids = await account_ids(koperasi)
    photo = (await record_with_photo(koperasi, client, ids["5-1400"]))["journalEntry"][
        "receiptPhoto"
    ]
    node = """query($id: ID!) { node(id: $id) { ... on Image { id url } } }"""
    admin = await city_admin(gql)
    for token in (koperasi.pengurus["token"], admin["token"]):
        found = await gql(node, {"id": photo["id"]}, token=token)
        assert found["data"]["node"]["id"] == photo["id"], found
        assert (await client.get(found["data"]["node"]["url"])).status_code == 200
    warga, _ = await koperasi.member()
    other = await Koperasi.new(gql)
    for token in (None, warga["token"], other.pengurus["token"]):
        found = await gql(node, {"id": photo["id"]}, token=token)
        assert found["data"]["node"] is None, found
