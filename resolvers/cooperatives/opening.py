"""Moving an existing cooperative in (saldo awal) from the filled template.

Every row is checked first (`opening_sheets` for each cell's form, here against the file as a
whole and the cooperative), and nothing is written while any row is wrong or the opening
entry would not balance: its debits are the accounts' debits and the loans' principal, its
credits the accounts' credits and the members' savings. Then, in one transaction, one OPENING
entry dated the cut-over day, and every member's ACTIVE membership with its savings and its
loan's schedule, each held by an account of its own that cannot sign in (no password) until
the member claims it (`resolvers.cooperatives.claims`). A cooperative is moved in once: the
same file again changes nothing (by its SHA-256), another file is refused.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Protocol

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.cooperatives import (
    BookYear,
    BookYearState,
    Cooperative,
    EntryKind,
    JournalEntry,
    LedgerAccount,
    Membership,
    MembershipClaim,
    MembershipStatus,
    NikOwner,
    OpeningImport,
    SavingsAccount,
    SavingsKind,
)
from models.platform import User
from resolvers.cooperatives import opening_sheets as sheets
from resolvers.cooperatives.books import (
    PIUTANG_PINJAMAN,
    SAVINGS_ACCOUNTS,
    Journal,
    Line,
    closed_year_error,
    lock_books,
)
from resolvers.cooperatives.chart import bookkeeper_of
from resolvers.platform import (
    JAKARTA,
    ErrorCode,
    Message,
    Notifier,
    UserError,
    format_rupiah,
    now,
    require_user,
    send_in_background,
    today,
)

MAX_BYTES = 10 * 1024 * 1024
UNUSABLE_PASSWORD = "!"  # no password hash: the imported member's account cannot sign in
BATCH = 500
# The loan terms' fields as the sheet names them.
TERM_COLUMNS = {"tenorMonths": sheets.REMAINING, "annualRateBps": sheets.RATE}


class Upload(Protocol):
    async def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class ImportedLoan:
    """An outstanding loan of the file, to open ACTIVE from the cut-over day."""

    membership_id: int
    holder_id: int
    terms: sheets.LoanRow


@dataclass(frozen=True)
class Lending:
    """What the loans' domain gives the import: its check of a loan's terms (a UserError
    when refused) and the writing of the loans with their schedules."""

    check_terms: Callable[[int, int, int], None]
    open_loans: Callable[[Cooperative, list[ImportedLoan], int, date], Awaitable[None]]


@dataclass
class Outcome:
    dry_run: bool
    imported: bool = False
    already_imported: bool = False
    members: int = 0
    loans: int = 0
    total_debit: int = 0
    total_credit: int = 0
    row_errors: list[sheets.RowError] = field(default_factory=list)
    refusal: str | None = None  # why nothing was written (INVALID, field "file")
    entry: JournalEntry | None = None


async def template_accounts(cooperative_id: int) -> list[sheets.TemplateAccount]:
    """The chart's accounts a file gives opening balances to: all but the control ones."""
    rows = await LedgerAccount.filter(cooperative_id=cooperative_id, is_control=False).order_by(
        "code"
    )
    return [sheets.TemplateAccount(a.code, a.name) for a in rows]


async def import_opening_balances(
    viewer: User | None,
    cooperative_id: int,
    upload: Upload,
    cut_over: date,
    dry_run: bool,
    notifier: Notifier,
    lending: Lending,
) -> Outcome:
    user = require_user(viewer)
    cooperative = await bookkeeper_of(user, cooperative_id)
    data = await upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise UserError(ErrorCode.FILE_TOO_LARGE, "Berkas paling besar 10 MB.", "file")
    digest = hashlib.sha256(data).hexdigest()
    done = await OpeningImport.get_or_none(cooperative_id=cooperative.id)
    if done is not None:
        return await _already(done, digest, dry_run)
    await _check_day(cooperative.id, cut_over)
    try:
        found = sheets.read(data, cut_over, today())
    except sheets.Unreadable:
        raise UserError(
            ErrorCode.UNSUPPORTED_FILE, "Berkas harus xlsx dari templat saldo awal.", "file"
        ) from None
    outcome = Outcome(dry_run=dry_run, members=len(found.members), loans=len(found.loans))
    outcome.row_errors = [*found.errors, *await _check_rows(cooperative, found, lending)]
    outcome.row_errors.sort(key=lambda e: (list(sheets.HEADERS).index(e.sheet), e.row))
    outcome.total_debit = sum(a.debit for a in found.accounts) + sum(
        loan.principal for loan in found.loans
    )
    outcome.total_credit = sum(a.credit for a in found.accounts) + sum(
        m.pokok + m.wajib + m.sukarela for m in found.members
    )
    outcome.refusal = _refusal(outcome)
    if outcome.refusal or dry_run:
        return outcome
    try:
        async with in_transaction():
            # The cooperative's row lock: racing imports and approvals queue behind it.
            cooperative = await lock_books(cooperative.id)
            raced = await OpeningImport.get_or_none(cooperative_id=cooperative.id)
            if raced is None:
                invitations = await _write(
                    cooperative, found, user, cut_over, digest, outcome, lending
                )
    except IntegrityError:  # a member number taken since the check
        raise UserError(
            ErrorCode.INVALID_STATE, "Data koperasi baru saja berubah; coba lagi.", "file"
        ) from None
    if raced is not None:  # a racing import committed first
        return await _already(raced, digest, dry_run)
    send_in_background(notifier, invitations)
    outcome.imported = True
    return outcome


async def _already(done: OpeningImport, digest: str, dry_run: bool) -> Outcome:
    if done.digest != digest:
        raise _imported_already()
    return Outcome(
        dry_run=dry_run,
        already_imported=True,
        members=done.members,
        loans=done.loans,
        total_debit=done.total_debit,
        total_credit=done.total_credit,
        entry=await JournalEntry.get(id=done.entry_id),
    )


def _imported_already() -> UserError:
    return UserError(
        ErrorCode.INVALID_STATE,
        "Saldo awal koperasi ini sudah diimpor dari berkas lain; perbaiki lewat jurnal umum.",
        "file",
    )


async def _check_day(cooperative_id: int, cut_over: date) -> None:
    if cut_over > today():
        raise UserError(
            ErrorCode.INVALID, "Tanggal saldo awal tidak boleh di masa depan.", "cutOverDate"
        )
    if await BookYear.exists(
        cooperative_id=cooperative_id, year=cut_over.year, state=BookYearState.CLOSED
    ):
        closed = closed_year_error(cut_over.year).problems[0]
        raise UserError(closed.code, closed.message, "cutOverDate")


def _refusal(outcome: Outcome) -> str | None:
    if outcome.row_errors:
        return (
            f"Berkas memuat {len(outcome.row_errors)} kesalahan (lihat rowErrors); "
            "tidak ada yang disimpan."
        )
    difference = outcome.total_debit - outcome.total_credit
    if difference:
        return (
            f"Debit ({format_rupiah(outcome.total_debit)}) dan kredit "
            f"({format_rupiah(outcome.total_credit)}) berbeda "
            f"{format_rupiah(abs(difference))}; tidak ada yang disimpan."
        )
    if not outcome.total_debit:
        return "Berkas tidak memuat saldo apa pun; tidak ada yang disimpan."
    return None


async def _check_rows(
    cooperative: Cooperative, found: sheets.Sheets, lending: Lending
) -> list[sheets.RowError]:
    """What only the file as a whole and the cooperative can tell: NIKs and numbers unique in
    both, the pokok balance, each loan's member and terms, the accounts of the chart."""
    errors: list[sheets.RowError] = []

    def fail(sheet: str, row: int, column: str, message: str, code: ErrorCode) -> None:
        errors.append(sheets.RowError(sheet, row, column, code, message))

    niks = Counter(m.nik for m in found.members)
    numbers = Counter(m.number for m in found.members if m.number is not None)
    live = [MembershipStatus.PENDING, MembershipStatus.ACTIVE]
    taken_niks: set[str] = {
        row["nik"]
        for row in await Membership.filter(
            cooperative_id=cooperative.id, nik__in=list(niks), status__in=live
        ).values("nik")
    }
    taken_numbers: set[int] = {
        row["number"]
        for row in await Membership.filter(
            cooperative_id=cooperative.id, number__in=list(numbers)
        ).values("number")
    }
    duplicate = ErrorCode.DUPLICATE
    for m in found.members:
        if niks[m.nik] > 1:
            fail(sheets.MEMBERS, m.row, sheets.NIK, "NIK ini muncul lebih dari sekali.", duplicate)
        elif m.nik in taken_niks:
            fail(sheets.MEMBERS, m.row, sheets.NIK, "NIK ini sudah anggota koperasi.", duplicate)
        if m.number is not None and (numbers[m.number] > 1 or m.number in taken_numbers):
            fail(sheets.MEMBERS, m.row, sheets.NUMBER, "Nomor anggota sudah dipakai.", duplicate)
        if m.pokok not in (0, cooperative.pokok_amount):
            fail(sheets.MEMBERS, m.row, sheets.POKOK,
                 f"Simpanan pokok harus {format_rupiah(cooperative.pokok_amount)} atau Rp0.",
                 ErrorCode.INVALID)  # fmt: skip
    borrowers = Counter(loan.nik for loan in found.loans)
    for loan in found.loans:
        if loan.nik not in niks:
            fail(sheets.LOANS, loan.row, sheets.NIK,
                 "NIK ini tidak ada di lembar Anggota.", ErrorCode.INVALID)  # fmt: skip
        elif borrowers[loan.nik] > 1:
            fail(sheets.LOANS, loan.row, sheets.NIK,
                 "Satu anggota hanya boleh punya satu pinjaman berjalan.", duplicate)  # fmt: skip
        try:
            lending.check_terms(loan.principal, loan.rate_bps, loan.installments)
        except UserError as refused:
            problem = refused.problems[0]
            column = TERM_COLUMNS.get(problem.field or "", sheets.PRINCIPAL)
            fail(sheets.LOANS, loan.row, column, problem.message, ErrorCode.INVALID)
    chart = {
        a.code: a.is_control for a in await LedgerAccount.filter(cooperative_id=cooperative.id)
    }
    codes = Counter(a.code for a in found.accounts)
    for account in found.accounts:
        if account.code not in chart:
            fail(sheets.ACCOUNTS, account.row, sheets.CODE,
                 "Kode akun tidak ada di bagan akun koperasi.", ErrorCode.INVALID)  # fmt: skip
        elif chart[account.code]:
            fail(sheets.ACCOUNTS, account.row, sheets.CODE,
                 "Akun ini diisi dari lembar Anggota dan Pinjaman, bukan di sini.",
                 ErrorCode.INVALID)  # fmt: skip
        elif codes[account.code] > 1:
            fail(sheets.ACCOUNTS, account.row, sheets.CODE,
                 "Kode akun ini muncul lebih dari sekali.", duplicate)  # fmt: skip
    return errors


def _numbers(cooperative: Cooperative, found: sheets.Sheets) -> list[int]:
    """Each member's number: as the file gives it, or the next free one."""
    given = {m.number for m in found.members if m.number is not None}
    following = cooperative.last_member_number
    numbers = []
    for member in found.members:
        if member.number is None:
            following += 1
            while following in given:
                following += 1
            numbers.append(following)
        else:
            numbers.append(member.number)
    return numbers


def moment(day: date) -> datetime:
    """The start of `day` in Jakarta."""
    return datetime.combine(day, time(), JAKARTA)


async def _write(
    cooperative: Cooperative,
    found: sheets.Sheets,
    pengurus: User,
    cut_over: date,
    digest: str,
    outcome: Outcome,
    lending: Lending,
) -> list[Message]:
    """Everything the file holds, in the caller's transaction; the invitations to send."""
    emails = [f"impor-{uuid.uuid4().hex}@anggota.satupintu.invalid" for _ in found.members]
    await User.bulk_create(
        [User(name=m.name, email=email, phone=m.phone, password_hash=UNUSABLE_PASSWORD)
         for m, email in zip(found.members, emails, strict=True)],
        batch_size=BATCH,
    )  # fmt: skip
    user_ids = dict(await User.filter(email__in=emails).values_list("email", "id"))
    numbers = _numbers(cooperative, found)
    await Membership.bulk_create(
        [
            Membership(
                cooperative_id=cooperative.id, user_id=user_ids[email], number=number,
                status=MembershipStatus.ACTIVE, joined_at=moment(m.joined), nik=m.nik,
                address=m.address, phone=m.phone, claimed=False,
            )
            for m, email, number in zip(found.members, emails, numbers, strict=True)
        ],
        batch_size=BATCH,
    )  # fmt: skip
    by_user = dict(
        await Membership.filter(
            cooperative_id=cooperative.id, user_id__in=list(user_ids.values())
        ).values_list("user_id", "id")
    )
    members = {m.nik: by_user[user_ids[e]] for m, e in zip(found.members, emails, strict=True)}
    holders = {m.nik: user_ids[e] for m, e in zip(found.members, emails, strict=True)}
    await SavingsAccount.bulk_create(
        [SavingsAccount(membership_id=i, kind=k) for i in members.values() for k in SavingsKind],
        batch_size=BATCH,
    )
    await MembershipClaim.bulk_create(
        [MembershipClaim(membership_id=members[m.nik], cooperative_id=cooperative.id,
                         phone=m.phone, nik=m.nik) for m in found.members],
        batch_size=BATCH,
    )  # fmt: skip
    owned = {row["nik"] for row in await NikOwner.filter(nik__in=list(members)).values("nik")}
    await NikOwner.bulk_create(
        [NikOwner(nik=nik, user_id=holders[nik], membership_id=members[nik], verified_at=now())
         for nik in members if nik not in owned],
        batch_size=BATCH,
    )  # fmt: skip
    await Cooperative.filter(id=cooperative.id).update(
        last_member_number=max([cooperative.last_member_number, *numbers]), is_digital=True
    )
    await lending.open_loans(
        cooperative,
        [ImportedLoan(members[x.nik], holders[x.nik], x) for x in found.loans],
        pengurus.id,
        cut_over,
    )  # fmt: skip
    entry = await Journal().post(
        cooperative.id,
        EntryKind.OPENING,
        "Saldo awal",
        _lines(found, members, numbers),
        note=f"Saldo awal per {cut_over:%d-%m-%Y} dari berkas impor",
        actor_id=pengurus.id,
        day=cut_over,
    )
    await OpeningImport.create(
        cooperative_id=cooperative.id, digest=digest, cut_over=cut_over,
        members=outcome.members, loans=outcome.loans, total_debit=outcome.total_debit,
        total_credit=outcome.total_credit, entry_id=entry.id, imported_by_id=pengurus.id,
    )  # fmt: skip
    outcome.entry = entry
    return [_invitation(cooperative, m.phone) for m in found.members]


def _lines(found: sheets.Sheets, members: dict[str, int], numbers: list[int]) -> list[Line]:
    number_of = {m.nik: n for m, n in zip(found.members, numbers, strict=True)}
    lines = [Line(a.code, debit=a.debit, credit=a.credit) for a in found.accounts]
    lines += [
        Line(PIUTANG_PINJAMAN, debit=loan.principal, memo=f"Anggota no. {number_of[loan.nik]}")
        for loan in found.loans
    ]
    for m in found.members:
        for kind, amount in zip(SavingsKind, (m.pokok, m.wajib, m.sukarela), strict=True):
            if amount:
                lines.append(
                    Line(SAVINGS_ACCOUNTS[kind], credit=amount, membership_id=members[m.nik])
                )
    return lines


def _invitation(cooperative: Cooperative, phone: str) -> Message:
    return Message(
        to=phone,
        subject=f"Keanggotaan {cooperative.name} di SatuPintu",
        body=(
            f"Keanggotaan Anda di {cooperative.name} kini tercatat di SatuPintu. Masuk atau "
            "daftar di SatuPintu, lalu klaim keanggotaan Anda dengan nomor telepon ini dan "
            "NIK Anda: kode sekali pakai akan dikirim ke nomor ini."
        ),
        kind="MEMBERSHIP_CLAIM_INVITATION",
    )
