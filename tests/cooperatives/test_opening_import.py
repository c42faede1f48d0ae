"""Moving a cooperative in (saldo awal): the template, a dry run, a file with errors, the
import of a few hundred members and loans, and the same file again."""

from __future__ import annotations

import asyncio
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from tortoise.expressions import Subquery

from models.cooperatives import (
    BookYear,
    BookYearState,
    LedgerAccount,
    Membership,
    MembershipClaim,
    SavingsAccount,
)
from models.cooperatives.books import EntryKind, JournalEntry, JournalLine
from models.loans import Loan, LoanInstallment
from models.platform import User
from schema.platform.ids import decode_id
from tests.conftest import city_admin, sign_up
from tests.cooperatives.books import books_op, statements
from tests.cooperatives.helpers import Koperasi, nik
from tests.cooperatives.opening import fill, generated, import_file, template_bytes

pytestmark = pytest.mark.usefixtures("books_balance")


async def _row_counts(koperasi: Koperasi) -> tuple[int, ...]:
    cooperative_id = decode_id(koperasi.id, "Cooperative")
    # This cooperative's entries: the server's sweeps may post other cooperatives' meanwhile,
    # and the month-end allowance sweep this one's too (its imported loans may be overdue by
    # the day the tests run).
    entries = JournalEntry.filter(cooperative_id=cooperative_id).exclude(kind=EntryKind.ALLOWANCE)
    return (
        await entries.count(),
        await JournalLine.filter(entry_id__in=Subquery(entries.values("id"))).count(),
        await Membership.filter(cooperative_id=cooperative_id).count(),
        await Loan.all().count(),
        await User.all().count(),
    )


async def test_the_template_lists_the_sheets_and_the_accounts_for_the_pengurus_only(gql, client):
    koperasi = await Koperasi.new(gql)
    data = await template_bytes(client, gql, koperasi)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Anggota", "Pinjaman", "Saldo Akun"]
    assert [c.value for c in book["Anggota"][1]][:6] == [
        "NIK", "Nama", "Telepon", "Alamat", "Tanggal Masuk", "Nomor Anggota"
    ]  # fmt: skip
    codes = [row[0].value for row in book["Saldo Akun"].iter_rows(min_row=2)]
    assert "1-1100" in codes
    assert "1-1200" in codes
    assert "2-1100" not in codes
    assert "1-1300" not in codes

    query = books_op("OpeningBalanceTemplate")
    member, _ = await koperasi.member()
    other = await Koperasi.new(gql)
    for token in (member["token"], other.pengurus["token"], None):
        found = await gql(query, {"cooperativeId": koperasi.id}, token=token)
        node = found["data"]["node"]
        assert node["openingBalanceTemplateUrl"] is None
        assert node["openingBalanceTemplateExpiresAt"] is None
    dinas = await city_admin(gql)
    found = await gql(query, {"cooperativeId": koperasi.id}, token=dinas["token"])
    url = found["data"]["node"]["openingBalanceTemplateUrl"]
    assert url.startswith("http")
    assert (await client.get(url)).status_code == 200
    assert (await client.get(url.replace("sig=", "sig=0"))).status_code == 404
    assert (await client.get(url.replace("expires=", "expires=9"))).status_code == 404


async def test_a_few_hundred_members_and_loans_move_in_in_one_balanced_entry(gql, client):
    koperasi = await Koperasi.new(gql)
    filled = generated(400, 150)  # over a thousand lines in the entry
    data = fill(await template_bytes(client, gql, koperasi), filled)
    before = await _row_counts(koperasi)
    dry = await import_file(client, koperasi, data, dry_run=True)
    assert (dry["errors"], dry["rowErrors"]) == ([], []), dry
    assert (dry["dryRun"], dry["imported"], dry["members"], dry["loans"]) == (True, False, 400, 150)
    assert dry["totalDebit"]["amount"] == dry["totalCredit"]["amount"] == filled.debit
    assert dry["journalEntry"] is None
    assert await _row_counts(koperasi) == before

    done = await import_file(client, koperasi, data)
    assert done["errors"] == [], done
    assert (done["imported"], done["alreadyImported"], done["members"], done["loans"]) == (
        True, False, 400, 150,
    )  # fmt: skip
    entry = done["journalEntry"]
    assert (entry["kind"], entry["date"]) == ("OPENING", "2025-12-31")
    assert len(entry["lines"]) > 1000
    debit = sum(line["debit"]["amount"] for line in entry["lines"])
    credit = sum(line["credit"]["amount"] for line in entry["lines"])
    assert debit == credit == filled.debit

    cooperative_id = decode_id(koperasi.id, "Cooperative")
    memberships = await Membership.filter(cooperative_id=cooperative_id).order_by("number")
    assert [m.number for m in memberships] == list(range(1, 401))
    assert {m.status for m in memberships} == {"ACTIVE"}
    assert not any(m.claimed for m in memberships)
    by_nik = {m.nik: m for m in memberships}
    for member in filled.members:
        row = by_nik[member.nik]
        balances = dict(
            await SavingsAccount.filter(membership_id=row.id).values_list("kind", "balance")
        )
        assert balances == {"POKOK": member.pokok, "WAJIB": member.wajib,
                            "SUKARELA": member.sukarela}  # fmt: skip
        holder = await User.get(id=row.user_id)
        assert (holder.name, holder.phone) == (member.name, "+62" + member.phone[1:])
    assert await MembershipClaim.filter(cooperative_id=cooperative_id).count() == 400
    for loan in filled.loans:
        found = await Loan.get(membership_id=by_nik[loan.nik].id)
        assert (found.status, found.outstanding, found.tenor_months, found.method) == (
            "ACTIVE", loan.principal, loan.remaining, loan.method,
        )  # fmt: skip
        installments = await LoanInstallment.filter(loan_id=found.id).order_by("number")
        assert sum(i.principal for i in installments) == loan.principal
        assert installments[0].due_date == loan.next_due

    got = await statements(koperasi, "2025-01-01", "2025-12-31")
    sheet = got["balanceSheet"]
    assert sheet["balanced"] is True
    assert sheet["totalAssets"]["amount"] == filled.debit - 1_500_000  # less the Penyisihan
    lines = {line["accountCode"]: line["amount"]["amount"]
             for line in sheet["assets"]["lines"]}  # fmt: skip
    assert lines["1-1300"] == sum(x.principal for x in filled.loans)
    assert lines["1-1100"] == filled.accounts["1-1100"][0]
    assert lines["1-1700"] == -1_500_000

    # The same file again writes nothing and answers the first import's counts.
    after = await _row_counts(koperasi)
    again = await import_file(client, koperasi, data)
    assert (again["alreadyImported"], again["imported"], again["members"], again["loans"]) == (
        True, False, 400, 150,
    )  # fmt: skip
    assert again["journalEntry"]["id"] == entry["id"]
    assert await _row_counts(koperasi) == after
    # Another file after it is refused.
    filled.accounts["1-1100"] = (filled.accounts["1-1100"][0] + 1, 0)
    filled.accounts["3-2100"] = (0, 4_000_001)
    other = await import_file(client, koperasi, fill(await template_bytes(client, gql, koperasi),
                                                      filled))  # fmt: skip
    assert [(e["field"], e["code"]) for e in other["errors"]] == [("file", "INVALID_STATE")]
    assert await _row_counts(koperasi) == after


async def test_a_file_with_errors_writes_nothing_and_names_every_cell(gql, client):
    koperasi = await Koperasi.new(gql)
    filled = generated(4, 2)
    filled.members[1].nik = "1234"
    filled.members[2].pokok = 55_000  # neither the policy's Rp100.000 nor 0
    filled.members[3].number = 7
    extra = {
        "Anggota": [[filled.members[0].nik, "Kembar", "08121111111", "", date(2021, 1, 1), 7,
                     0, 0, 0],
                    [nik(), "", "12", "", date(2099, 1, 1), None, -5, 1.5, "abc"]],
        "Pinjaman": [[nik(), 1_000_000, 12, "BUNGA", 0, "kemarin"]],
        "Saldo Akun": [["9-9999", "Tidak ada", 1, None], ["2-1100", "Sukarela", None, 5]],
    }  # fmt: skip
    data = fill(await template_bytes(client, gql, koperasi), filled, extra)
    before = await _row_counts(koperasi)
    got = await import_file(client, koperasi, data)
    assert got["imported"] is False
    assert got["journalEntry"] is None
    assert [(e["field"], e["code"]) for e in got["errors"]] == [("file", "INVALID")]
    found = {(e["sheet"], e["row"], e["column"]) for e in got["rowErrors"]}
    assert found >= {
        ("Anggota", 3, "NIK"),
        ("Anggota", 4, "Simpanan Pokok"),
        ("Anggota", 5, "Nomor Anggota"),
        ("Anggota", 6, "Nomor Anggota"),
        ("Anggota", 2, "NIK"),  # the NIK row 6 repeats
        ("Anggota", 6, "NIK"),
        ("Anggota", 7, "Nama"),
        ("Anggota", 7, "Telepon"),
        ("Anggota", 7, "Tanggal Masuk"),
        ("Anggota", 7, "Simpanan Pokok"),
        ("Anggota", 7, "Simpanan Wajib"),
        ("Anggota", 7, "Simpanan Sukarela"),
        ("Pinjaman", 4, "Metode"),
        ("Pinjaman", 4, "Sisa Angsuran"),
        ("Pinjaman", 4, "Tanggal Angsuran Berikut"),
        ("Saldo Akun", 2 + len(await _chart_codes(koperasi)), "Kode Akun"),
        ("Saldo Akun", 3 + len(await _chart_codes(koperasi)), "Kode Akun"),
    }, got["rowErrors"]
    assert all(e["message"] and e["code"] in ("INVALID", "REQUIRED", "DUPLICATE")
               for e in got["rowErrors"])  # fmt: skip
    assert await _row_counts(koperasi) == before


async def _chart_codes(koperasi: Koperasi) -> list[str]:
    cooperative_id = decode_id(koperasi.id, "Cooperative")
    return await LedgerAccount.filter(cooperative_id=cooperative_id, is_control=False).values_list(
        "code", flat=True
    )


async def test_an_unbalanced_file_shows_the_difference_and_writes_nothing(gql, client):
    koperasi = await Koperasi.new(gql)
    filled = generated(5, 2)
    filled.accounts["1-1100"] = (filled.accounts["1-1100"][0] - 12_345, 0)
    data = fill(await template_bytes(client, gql, koperasi), filled)
    before = await _row_counts(koperasi)
    got = await import_file(client, koperasi, data)
    assert got["rowErrors"] == []
    [error] = got["errors"]
    assert (error["field"], error["code"]) == ("file", "INVALID")
    assert "Rp12.345" in error["message"]
    assert got["totalDebit"]["amount"] == got["totalCredit"]["amount"] - 12_345
    assert await _row_counts(koperasi) == before


async def test_only_the_pengurus_imports_and_only_a_workbook(gql, client):
    koperasi = await Koperasi.new(gql)
    data = fill(await template_bytes(client, gql, koperasi), generated(3, 1))
    member, _ = await koperasi.member()
    other = await Koperasi.new(gql)
    dinas = await city_admin(gql)
    stranger = await sign_up(gql)
    before = await _row_counts(koperasi)
    for token in (member["token"], other.pengurus["token"], dinas["token"], stranger["token"]):
        got = await import_file(client, koperasi, data, token=token)
        assert [e["code"] for e in got["errors"]] == ["PERMISSION_DENIED"], got
    got = await import_file(client, koperasi, b"NIK;Nama\n1;2\n", name="anggota.csv")
    assert [e["code"] for e in got["errors"]] == ["UNSUPPORTED_FILE"]
    got = await import_file(client, koperasi, b"PK\x03\x04" + b"0" * (10 * 1024 * 1024))
    assert [e["code"] for e in got["errors"]] == ["FILE_TOO_LARGE"]
    got = await import_file(client, koperasi, data, cut_over="2999-01-01")
    assert [(e["field"], e["code"]) for e in got["errors"]] == [("cutOverDate", "INVALID")]
    assert await _row_counts(koperasi) == before


async def test_no_import_into_a_closed_year(gql, client):
    koperasi = await Koperasi.new(gql)
    data = fill(await template_bytes(client, gql, koperasi), generated(3, 1))
    cooperative_id = decode_id(koperasi.id, "Cooperative")
    # Closed as CloseBookYear leaves it (its close needs a year of allowances first).
    await BookYear.create(cooperative_id=cooperative_id, year=2024, state=BookYearState.CLOSED)
    before = await _row_counts(koperasi)
    got = await import_file(client, koperasi, data, cut_over="2024-12-31")
    assert [(e["field"], e["code"]) for e in got["errors"]] == [("cutOverDate", "INVALID_STATE")]
    assert await _row_counts(koperasi) == before
    done = await import_file(client, koperasi, data, cut_over="2025-01-01")
    assert (done["errors"], done["imported"]) == ([], True)


async def test_racing_imports_of_the_same_file_import_it_once(gql, client):
    koperasi = await Koperasi.new(gql)
    data = fill(await template_bytes(client, gql, koperasi), generated(20, 5))
    results = await asyncio.gather(*(import_file(client, koperasi, data) for _ in range(4)))
    assert sorted((r["imported"], r["alreadyImported"]) for r in results) == [
        (False, True), (False, True), (False, True), (True, False),
    ]  # fmt: skip
    assert len({r["journalEntry"]["id"] for r in results}) == 1
    cooperative_id = decode_id(koperasi.id, "Cooperative")
    assert await Membership.filter(cooperative_id=cooperative_id).count() == 20
