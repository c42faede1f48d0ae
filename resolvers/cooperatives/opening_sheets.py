"""The saldo awal workbook: the template a pengurus fills, and reading it back row by row.

Three sheets, each with its Indonesian headers in row 1: members (Anggota), their outstanding
loans (Pinjaman) and the other accounts' opening balances (Saldo Akun). Reading checks each
cell's form only (no I/O); what needs the database (a NIK or number already in the
cooperative, an account code of its chart) is checked by `resolvers.cooperatives.opening`.
Every problem names its sheet, the row number as the spreadsheet shows it and the column's
header, in Bahasa Indonesia.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import cast

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from models.loans import InterestMethod
from resolvers.cooperatives.nik import nik_problem
from resolvers.platform import ErrorCode, normalise_phone

MEMBERS, LOANS, ACCOUNTS = "Anggota", "Pinjaman", "Saldo Akun"
NIK, NAME, PHONE, ADDRESS, JOINED, NUMBER = (
    "NIK", "Nama", "Telepon", "Alamat", "Tanggal Masuk", "Nomor Anggota",
)  # fmt: skip
POKOK, WAJIB, SUKARELA = "Simpanan Pokok", "Simpanan Wajib", "Simpanan Sukarela"
PRINCIPAL, RATE, METHOD, REMAINING, NEXT_DUE = (
    "Sisa Pokok", "Bunga per Tahun (%)", "Metode", "Sisa Angsuran", "Tanggal Angsuran Berikut",
)  # fmt: skip
CODE, ACCOUNT_NAME, DEBIT, CREDIT = "Kode Akun", "Nama Akun", "Debit", "Kredit"
HEADERS = {
    MEMBERS: (NIK, NAME, PHONE, ADDRESS, JOINED, NUMBER, POKOK, WAJIB, SUKARELA),
    LOANS: (NIK, PRINCIPAL, RATE, METHOD, REMAINING, NEXT_DUE),
    ACCOUNTS: (CODE, ACCOUNT_NAME, DEBIT, CREDIT),
}
TEXT_COLUMNS = {NIK, PHONE, CODE}  # kept as text, so Excel never rounds a NIK
MAX_NAME, MAX_ADDRESS = 120, 255
MAX_RATE_BPS, MAX_INSTALLMENTS = 10_000, 1_000  # the loan policy's own bounds come after


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    code: ErrorCode
    message: str


@dataclass(frozen=True)
class MemberRow:
    row: int
    nik: str
    name: str
    phone: str
    address: str
    joined: date
    number: int | None
    pokok: int
    wajib: int
    sukarela: int


@dataclass(frozen=True)
class LoanRow:
    row: int
    nik: str
    principal: int
    rate_bps: int
    method: InterestMethod
    installments: int
    next_due: date


@dataclass(frozen=True)
class AccountRow:
    row: int
    code: str
    debit: int
    credit: int


@dataclass
class Sheets:
    """What the file holds, row by row, and every problem found in it."""

    members: list[MemberRow] = field(default_factory=list)
    loans: list[LoanRow] = field(default_factory=list)
    accounts: list[AccountRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


@dataclass(frozen=True)
class TemplateAccount:
    code: str
    name: str


def template(accounts: list[TemplateAccount]) -> bytes:
    """The empty workbook, its account sheet listing `accounts` (the non-control ones)."""
    book = Workbook()
    for index, (title, headers) in enumerate(HEADERS.items()):
        sheet = book.active if index == 0 else book.create_sheet()
        assert sheet is not None  # a new workbook has its first sheet
        sheet.title = title
        sheet.append(list(headers))
        for column, header in enumerate(headers, start=1):
            sheet.cell(1, column).font = Font(bold=True)
            letter = sheet.cell(1, column).column_letter
            sheet.column_dimensions[letter].width = max(14, len(header) + 4)
            if header in TEXT_COLUMNS:
                sheet.column_dimensions[letter].number_format = "@"
    accounts_sheet = book[ACCOUNTS]
    for account in accounts:
        accounts_sheet.append([account.code, account.name, None, None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class Unreadable(Exception):
    """The upload is not an xlsx workbook."""


def read(data: bytes, cut_over: date, today: date) -> Sheets:
    """Every row of the three sheets, checked for form; Unreadable when it is no workbook."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise Unreadable
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as failure:  # openpyxl raises many kinds for a broken archive
        raise Unreadable from failure
    found = Sheets()
    for title in HEADERS:
        if title not in book.sheetnames:
            found.errors.append(
                RowError(title, 1, "", ErrorCode.REQUIRED, f"Lembar '{title}' tidak ada.")
            )
            continue
        _read_sheet(cast(ReadOnlyWorksheet, book[title]), title, found, cut_over, today)
    book.close()
    return found


def _read_sheet(
    sheet: ReadOnlyWorksheet, title: str, found: Sheets, cut_over: date, today: date
) -> None:
    rows = sheet.iter_rows(values_only=True)
    header = [str(v).strip() if v is not None else "" for v in next(rows, ())]
    missing = [h for h in HEADERS[title] if h not in header]
    if missing:
        found.errors.append(
            RowError(title, 1, missing[0], ErrorCode.REQUIRED, f"Kolom '{missing[0]}' tidak ada.")
        )
        return
    places = {h: header.index(h) for h in HEADERS[title]}
    for number, values in enumerate(rows, start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        cells = {h: values[i] if i < len(values) else None for h, i in places.items()}
        row = _Row(title, number, cells, found.errors)
        if title == MEMBERS:
            _member(row, found, cut_over, today)
        elif title == LOANS:
            _loan(row, found)
        else:
            _account(row, found)


class _Row:
    """One row's cells by header, each read into its type or a RowError."""

    def __init__(
        self, sheet: str, number: int, cells: dict[str, object], errors: list[RowError]
    ) -> None:
        self.sheet, self.line, self.cells, self.errors = sheet, number, cells, errors
        self.ok = True

    def fail(self, column: str, message: str, code: ErrorCode = ErrorCode.INVALID) -> None:
        self.errors.append(RowError(self.sheet, self.line, column, code, message))
        self.ok = False

    def text(self, column: str, limit: int, *, required: bool = True) -> str:
        value = self.cells[column]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = "" if value is None else str(value).strip()
        if required and not text:
            self.fail(column, f"{column} wajib diisi.", ErrorCode.REQUIRED)
        elif len(text) > limit:
            self.fail(column, f"{column} paling panjang {limit} karakter.")
        return text

    def day(self, column: str) -> date | None:
        value = self.cells[column]
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = "" if value is None else str(value).strip()
        if not text:
            self.fail(column, f"{column} wajib diisi.", ErrorCode.REQUIRED)
            return None
        for parse in (date.fromisoformat, _dmy):
            try:
                return parse(text)
            except ValueError:
                continue
        self.fail(column, f"{column} bukan tanggal (tulis seperti 31-12-2025).")
        return None

    def number(self, column: str, *, required: bool = False) -> Decimal | None:
        value = self.cells[column]
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(column, f"{column} wajib diisi.", ErrorCode.REQUIRED)
            return None
        if isinstance(value, bool):
            value = str(value)
        text = str(value).strip().removeprefix("Rp").strip().replace("%", "")
        if isinstance(value, str):
            text = text.replace(".", "").replace(",", ".")  # 1.500.000 or 12,5 as Indonesians
        try:
            return Decimal(text)
        except InvalidOperation:
            self.fail(column, f"{column} harus angka.")
            return None

    def rupiah(self, column: str, *, required: bool = False) -> int:
        amount = self.number(column, required=required)
        if amount is None:
            return 0
        if amount != amount.to_integral_value() or amount < 0:
            self.fail(column, f"{column} harus rupiah utuh, tidak kurang dari 0.")
            return 0
        return int(amount)

    def count(self, column: str, low: int, high: int) -> int | None:
        amount = self.number(column, required=True)
        if amount is None:
            return None
        if amount != amount.to_integral_value() or not low <= amount <= high:
            self.fail(column, f"{column} harus bilangan bulat {low} sampai {high}.")
            return None
        return int(amount)


def _dmy(text: str) -> date:
    day, month, year = text.replace("/", "-").split("-")
    return date(int(year), int(month), int(day))


def _member(row: _Row, found: Sheets, cut_over: date, today: date) -> None:
    nik = row.text(NIK, 16)
    problem = nik_problem(nik, today) if nik else None
    if problem:
        row.fail(NIK, problem)
    name = row.text(NAME, MAX_NAME)
    raw_phone = row.text(PHONE, 20)
    phone = normalise_phone(raw_phone) if raw_phone else None
    if raw_phone and phone is None:
        row.fail(PHONE, "Nomor telepon Indonesia tidak valid.")
    address = row.text(ADDRESS, MAX_ADDRESS, required=False)
    joined = row.day(JOINED)
    if joined is not None and joined > cut_over:
        row.fail(JOINED, "Tanggal masuk tidak boleh setelah tanggal saldo awal.")
    number = row.count(NUMBER, 1, 10_000_000) if row.cells[NUMBER] is not None else None
    pokok, wajib, sukarela = row.rupiah(POKOK), row.rupiah(WAJIB), row.rupiah(SUKARELA)
    if row.ok and phone and joined:
        found.members.append(
            MemberRow(row.line, nik, name, phone, address, joined, number, pokok, wajib,
                      sukarela)
        )  # fmt: skip


def _loan(row: _Row, found: Sheets) -> None:
    nik = row.text(NIK, 16)
    principal = row.rupiah(PRINCIPAL, required=True)
    if row.ok and principal < 1:
        row.fail(PRINCIPAL, "Sisa pokok harus lebih dari Rp0.")
    rate = row.number(RATE, required=True)
    rate_bps = 0
    if rate is not None:
        bps = rate * 100
        if bps != bps.to_integral_value() or not 0 <= bps <= MAX_RATE_BPS:
            row.fail(RATE, "Bunga per tahun harus 0 sampai 100 persen, paling banyak 2 desimal.")
        else:
            rate_bps = int(bps)
    method_text = row.text(METHOD, 10).upper()
    if method_text and method_text not in InterestMethod.__members__:
        row.fail(METHOD, "Metode harus FLAT, EFEKTIF atau ANUITAS.")
    remaining = row.count(REMAINING, 1, MAX_INSTALLMENTS)
    next_due = row.day(NEXT_DUE)
    if row.ok and remaining is not None and next_due is not None:
        found.loans.append(
            LoanRow(row.line, nik, principal, rate_bps, InterestMethod(method_text), remaining,
                    next_due)
        )  # fmt: skip


def _account(row: _Row, found: Sheets) -> None:
    code = row.text(CODE, 10)
    debit, credit = row.rupiah(DEBIT), row.rupiah(CREDIT)
    if debit and credit:
        row.fail(CREDIT, "Isi debit atau kredit saja, tidak keduanya.")
    if row.ok and (debit or credit):
        found.accounts.append(AccountRow(row.line, code, debit, credit))
