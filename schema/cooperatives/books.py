"""The cooperative's full books: its chart of accounts, cash movements, general journal,
reversals and ledgers. Read by the pengurus and the Dinas; written by a pengurus with the
bookkeeping right."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Annotated, TypeVar, cast

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload
from strawberry.types import Info

from models import cooperatives as m
from resolvers.catalog.images import Upload as PhotoUpload
from resolvers.cooperatives import chart, entries, journal
from resolvers.cooperatives.journal import Ledger, LedgerLine
from schema.catalog.images import Image
from schema.cooperatives.savings import LedgerAccountKind, viewer_facts
from schema.platform import (
    ERRORS,
    After,
    Connection,
    First,
    Money,
    OkPayload,
    Rupiah,
    User,
    UserError,
    Visible,
    connection,
    decode_id,
    described_enum,
    payload_of,
)

T = TypeVar("T")


class BookEntryKind(StrEnum):
    MEMBER = "MEMBER"
    CASH_RECEIPT = "CASH_RECEIPT"
    CASH_PAYMENT = "CASH_PAYMENT"
    GENERAL = "GENERAL"
    REVERSAL = "REVERSAL"
    OPENING = "OPENING"
    ALLOWANCE = "ALLOWANCE"
    WRITE_OFF = "WRITE_OFF"
    CLOSING = "CLOSING"


class Direction(StrEnum):
    RECEIPT = "RECEIPT"
    PAYMENT = "PAYMENT"


JournalEntryKind = described_enum(
    BookEntryKind,
    "The kind of a journal entry in the cooperative's books.",
    {
        "MEMBER": "A member's movement (savings, loans, bills, purchases, SHU, payouts).",
        "CASH_RECEIPT": "Cash or bank received, recorded by a pengurus.",
        "CASH_PAYMENT": "Cash or bank paid out, recorded by a pengurus.",
        "GENERAL": "A general journal entry (jurnal umum) by a pengurus.",
        "REVERSAL": "Undoes another entry, its debits and credits swapped.",
        "OPENING": "The opening balances (saldo awal) of a cooperative moving in.",
        "ALLOWANCE": "The allowance for bad loans (penyisihan piutang tak tertagih).",
        "WRITE_OFF": "A macet loan written off against the allowance.",
        "CLOSING": "The year-end close: income and expenses into SHU Belum Dibagi.",
    },
    name="JournalEntryKind",
)
CashDirection = described_enum(
    Direction,
    "Whether cash comes in or goes out.",
    {
        "RECEIPT": "Money received: debit the cash account.",
        "PAYMENT": "Money paid out: credit the cash account.",
    },
    name="CashDirection",
)


@strawberry.type(description="An account of the cooperative's chart of accounts.")
class LedgerAccount(Visible, relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="Its code, e.g. 1-1100; unique in the chart.")
    name: str = strawberry.field(description="Its name, in Bahasa Indonesia.")
    kind: LedgerAccountKind = strawberry.field(description="Its class.")
    is_cash: bool = strawberry.field(description="Kas or Bank: a cash account.")
    is_control: bool = strawberry.field(
        description="Carries members' or the platform's sub-ledgers: moved only by member "
        "operations, never by cash movements or journal entries."
    )
    is_system: bool = strawberry.field(description="Seeded with the chart: never deleted.")
    model: strawberry.Private[m.LedgerAccount]

    @classmethod
    def of(cls, account: m.LedgerAccount) -> LedgerAccount:
        return cls(
            id=account.id,
            code=account.code,
            name=account.name,
            kind=account.kind,
            is_cash=account.is_cash,
            is_control=account.is_control,
            is_system=account.is_system,
            model=account,
        )

    @strawberry.field(description="Whether any journal line (even a reversed one) names it.")
    async def has_entries(self, info: Info) -> bool:
        used = await _chart_once(info, ("used", self.model.cooperative_id), self._used)
        return self.model.id in used

    async def _used(self) -> set[int]:
        return await chart.accounts_with_entries(self.model.cooperative_id)

    @strawberry.field(description="The account it nests under; null for a top account.")
    async def parent(self) -> LedgerAccount | None:
        if self.model.parent_id is None:
            return None
        found = await m.LedgerAccount.get_or_none(id=self.model.parent_id)
        return LedgerAccount.of(found) if found else None

    @strawberry.field(
        description="Its balance on its normal side (debit minus credit for ASSET and EXPENSE, "
        "credit minus debit otherwise) at the end of `asOf`."
    )
    async def balance(
        self,
        info: Info,
        as_of: Annotated[
            dt.date | None,
            strawberry.argument(description="The day (Asia/Jakarta); default today."),
        ] = None,
    ) -> Money:
        sums = await _chart_once(
            info,
            ("sums", self.model.cooperative_id, as_of),
            lambda: chart.balances_of(self.model.cooperative_id, as_of),
        )
        return Money(amount=chart.normal_balance(self.model.kind, *sums.get(self.model.id, (0, 0))))

    @strawberry.field(
        description="Its ledger (buku besar) from `from` to `to` inclusive, oldest first, with "
        "running balances."
    )
    async def ledger(
        self,
        from_: Annotated[
            dt.date | None,
            strawberry.argument(name="from", description="First day; default the first entry."),
        ] = None,
        to: Annotated[
            dt.date | None, strawberry.argument(description="Last day; default today.")
        ] = None,
        first: First = 50,
        after: After = None,
    ) -> AccountLedger:
        found = await journal.ledger_of(self.model, from_, to, first=first, after=after)
        return AccountLedger.of(found)


async def _chart_once(info: Info, key: tuple[object, ...], read: Callable[[], Awaitable[T]]) -> T:
    """What every account of one chart needs, read once per request for all of them."""
    found = info.context.extra.get(key)
    if found is None:
        found = info.context.extra[key] = asyncio.ensure_future(read())
    return await found


@strawberry.type(description="One line of an account's ledger, with the balance after it.")
class LedgerEntryLine:
    debit: Money = strawberry.field(description="Its debit (0 for a credit).")
    credit: Money = strawberry.field(description="Its credit (0 for a debit).")
    balance_after: Money = strawberry.field(
        description="The account's running balance after this line, on its normal side."
    )
    memo: str | None = strawberry.field(description="The line's memo, if any.")
    row: strawberry.Private[LedgerLine]

    @strawberry.field(description="The entry the line belongs to.")
    def entry(self) -> JournalEntry:
        return JournalEntry.of(self.row.line.entry)


@strawberry.type(
    description="An account's ledger for a period, oldest first, page by page: each page "
    "continues the running balance of the page before it."
)
class AccountLedger(Connection[LedgerEntryLine]):
    opening_balance: Money = strawberry.field(
        description="The balance at the end of the day before `from` (0 without `from`)."
    )
    closing_balance: Money = strawberry.field(
        description="The balance at the end of `to` (or today)."
    )

    @classmethod
    def of(cls, ledger: Ledger) -> AccountLedger:
        def line(row: LedgerLine) -> LedgerEntryLine:
            return LedgerEntryLine(
                debit=Money(amount=row.line.debit),
                credit=Money(amount=row.line.credit),
                balance_after=Money(amount=row.balance_after),
                memo=row.line.memo,
                row=row,
            )

        page = connection(ledger.page, line)
        return cls(
            edges=page.edges,
            page_info=page.page_info,
            count=page.count,
            opening_balance=Money(amount=ledger.opening),
            closing_balance=Money(amount=ledger.closing),
        )


@strawberry.type(description="A debit or a credit of a journal entry.")
class JournalLine:
    debit: Money = strawberry.field(description="Its debit (0 for a credit).")
    credit: Money = strawberry.field(description="Its credit (0 for a debit).")
    memo: str | None = strawberry.field(description="The line's memo, if any.")
    account: LedgerAccount = strawberry.field(description="The account it moves.")

    @classmethod
    def of(cls, line: m.JournalLine) -> JournalLine:
        return cls(
            debit=Money(amount=line.debit),
            credit=Money(amount=line.credit),
            memo=line.memo,
            account=LedgerAccount.of(line.account),
        )


@strawberry.type(
    description="A balanced journal entry of the cooperative's books; never edited or "
    "deleted, only undone by a REVERSAL."
)
class JournalEntry(Visible, relay.Node):
    id: relay.NodeID[int]
    description: str = strawberry.field(description="What it records.")
    recorded_at: dt.datetime = strawberry.field(description="When it was recorded.")
    model: strawberry.Private[m.JournalEntry]

    @classmethod
    def of(cls, entry: m.JournalEntry) -> JournalEntry:
        return cls(
            id=entry.id,
            description=entry.description,
            recorded_at=entry.created_at,
            model=entry,
        )

    @strawberry.field(description="Its kind.")
    def kind(self) -> JournalEntryKind:
        return BookEntryKind(journal.book_kind(m.EntryKind(self.model.kind)))

    @strawberry.field(description="The business day it records (Asia/Jakarta).")
    def date(self) -> dt.date:
        assert self.model.date is not None  # every entry has one since migration 0030
        return self.model.date

    @strawberry.field(description="Who recorded it; null for what the system posted.")
    async def recorded_by(self, info: Info) -> User | None:
        if self.model.actor_id is None:
            return None
        found = await info.context.loaders.user.load(self.model.actor_id)
        return User.of(found) if found else None

    async def _lines(self, info: Info) -> list[m.JournalLine]:
        return await info.context.loaders.entry_lines.load(self.model.id)

    @strawberry.field(description="Its lines, debits and credits, as posted.")
    async def lines(self, info: Info) -> list[JournalLine]:
        return [JournalLine.of(line) for line in await self._lines(info)]

    @strawberry.field(description="Its debits together.")
    async def total_debit(self, info: Info) -> Money:
        return Money(amount=sum(line.debit for line in await self._lines(info)))

    @strawberry.field(description="Its credits together: always equal to the debits.")
    async def total_credit(self, info: Info) -> Money:
        return Money(amount=sum(line.credit for line in await self._lines(info)))

    @strawberry.field(description="The entry this REVERSAL undoes; else null.")
    async def reversal_of(self, info: Info) -> JournalEntry | None:
        if self.model.reversal_of_id is None:
            return None
        found = await info.context.loaders.journal_entry.load(self.model.reversal_of_id)
        return JournalEntry.of(found) if found else None

    @strawberry.field(description="The REVERSAL that undid this entry; else null.")
    async def reversed_by(self, info: Info) -> JournalEntry | None:
        found = await info.context.loaders.entry_reversal.load(self.model.id)
        return JournalEntry.of(found) if found else None

    @strawberry.field(description="The photo of the nota of a cash movement; else null.")
    async def receipt_photo(self, info: Info) -> Image | None:
        if self.model.receipt_image_id is None:
            return None
        found = await info.context.loaders.image.load(self.model.receipt_image_id)
        return Image.of(found, signed=True) if found else None


async def books_readable(info: Info, cooperative_id: int) -> bool:
    return chart.can_read_books(await viewer_facts(info), cooperative_id)


async def chart_of_accounts(info: Info, cooperative_id: int) -> list[LedgerAccount] | None:
    if not await books_readable(info, cooperative_id):
        return None
    return [LedgerAccount.of(a) for a in await chart.chart_of(cooperative_id)]


async def journal_entries(
    info: Info,
    cooperative_id: int,
    from_: dt.date | None,
    to: dt.date | None,
    kind: BookEntryKind | None,
    first: int | None,
    after: str | None,
) -> Connection[JournalEntry] | None:
    if not await books_readable(info, cooperative_id):
        return None
    page = await journal.entries_page(
        cooperative_id, from_, to, kind.value if kind else None, first=first, after=after
    )
    return connection(page, JournalEntry.of)


@strawberry.input(description="A new sub-account of the chart.")
class LedgerAccountInput:
    kind: LedgerAccountKind = strawberry.field(description="Its class.")
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="An account of that kind to nest under; else a top account."
    )
    name: str = strawberry.field(description="Its name, at most 80 characters; unique.")
    code: str | None = strawberry.field(
        default=None,
        description="Its code (the kind's digit, a dash, four to seven digits); default the "
        "next free code under the parent or the kind.",
    )


@strawberry.input(description="A cash or bank receipt or payment.")
class CashMovementInput:
    cooperative_id: strawberry.ID = strawberry.field(description="The cooperative.")
    direction: CashDirection = strawberry.field(description="Received or paid out.")
    account_id: strawberry.ID = strawberry.field(
        description="The other side: an income, expense, asset... account; neither cash nor "
        "control."
    )
    cash_account_id: strawberry.ID | None = strawberry.field(
        default=None, description="Kas (default) or Bank, or a sub-account of either."
    )
    amount: Rupiah = strawberry.field(description="More than 0.")
    date: dt.date = strawberry.field(description="The business day; not in the future.")
    description: str = strawberry.field(description="What it was, at most 255 characters.")
    receipt_photo: Upload | None = strawberry.field(
        default=None, description="The nota, through the image pipeline."
    )


@strawberry.input(description="One line of a general journal entry.")
class JournalLineInput:
    account_id: strawberry.ID = strawberry.field(description="An account, not a control one.")
    debit: Rupiah = strawberry.field(default=0, description="Its debit, or 0.")
    credit: Rupiah = strawberry.field(default=0, description="Its credit, or 0.")
    memo: str | None = strawberry.field(default=None, description="A memo, at most 255 chars.")


@strawberry.input(description="A general journal entry.")
class JournalEntryInput:
    cooperative_id: strawberry.ID = strawberry.field(description="The cooperative.")
    date: dt.date = strawberry.field(description="The business day; not in the future.")
    description: str = strawberry.field(description="What it records, at most 255 characters.")
    lines: list[JournalLineInput] = strawberry.field(
        description="At least two; debits together equal credits together."
    )


@strawberry.type(description="The answer to createLedgerAccount.")
class LedgerAccountPayload:
    ledger_account: LedgerAccount | None = strawberry.field(
        default=None, description="The new account; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type(description="The answer to a mutation that posts a journal entry.")
class JournalEntryPayload:
    journal_entry: JournalEntry | None = strawberry.field(
        default=None, description="The entry posted; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


def _entry_payload(entry: m.JournalEntry) -> JournalEntryPayload:
    return JournalEntryPayload(journal_entry=JournalEntry.of(entry))


def _account_id(value: strawberry.ID, field: str) -> int:
    return decode_id(value, "LedgerAccount", field)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="A pengurus with the bookkeeping right: a new sub-account of the chart. "
        "Errors: NOT_FOUND, PERMISSION_DENIED, INVALID (parent, code), REQUIRED, DUPLICATE "
        "(name or code in the chart)."
    )
    async def create_ledger_account(
        self,
        info: Info,
        cooperative_id: Annotated[strawberry.ID, strawberry.argument(description="Whose chart.")],
        input: Annotated[LedgerAccountInput, strawberry.argument(description="The account.")],
    ) -> LedgerAccountPayload:
        async def work() -> m.LedgerAccount:
            return await chart.create_account(
                info.context.viewer,
                decode_id(cooperative_id, "Cooperative", "cooperativeId"),
                chart.NewAccount(
                    kind=m.AccountKind(input.kind),
                    name=input.name,
                    parent_id=_account_id(input.parent_id, "input.parentId")
                    if input.parent_id
                    else None,
                    code=input.code,
                ),
            )

        return await payload_of(
            LedgerAccountPayload,
            work,
            lambda a: LedgerAccountPayload(ledger_account=LedgerAccount.of(a)),
        )

    @strawberry.mutation(
        description="A pengurus with the bookkeeping right: removes a sub-account they added "
        "that never had an entry. Errors: NOT_FOUND, PERMISSION_DENIED, INVALID_STATE (seeded, "
        "or with entries or sub-accounts)."
    )
    async def delete_ledger_account(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The LedgerAccount.")],
    ) -> OkPayload:
        async def work() -> None:
            await chart.delete_account(info.context.viewer, _account_id(id, "id"))

        return await payload_of(OkPayload, work, lambda _: OkPayload(ok=True))

    @strawberry.mutation(
        description="A pengurus with the bookkeeping right: a cash or bank receipt or payment, "
        "one balanced entry (CASH_RECEIPT or CASH_PAYMENT). Errors: NOT_FOUND, "
        "PERMISSION_DENIED, INVALID (amount, date, account), REQUIRED, INVALID_STATE (a closed "
        "year), FILE_TOO_LARGE and UNSUPPORTED_FILE (the photo)."
    )
    async def record_cash_movement(
        self,
        info: Info,
        input: Annotated[CashMovementInput, strawberry.argument(description="The movement.")],
    ) -> JournalEntryPayload:
        async def work() -> m.JournalEntry:
            return await entries.record_cash_movement(
                info.context.viewer,
                info.context.services.storage,
                entries.CashMovement(
                    cooperative_id=decode_id(
                        input.cooperative_id, "Cooperative", "input.cooperativeId"
                    ),
                    receipt=input.direction == Direction.RECEIPT,
                    account_id=_account_id(input.account_id, "input.accountId"),
                    cash_account_id=_account_id(input.cash_account_id, "input.cashAccountId")
                    if input.cash_account_id
                    else None,
                    amount=input.amount,
                    day=input.date,
                    description=input.description,
                ),
                cast(PhotoUpload | None, input.receipt_photo),  # starlette's UploadFile
            )

        return await payload_of(JournalEntryPayload, work, _entry_payload)

    @strawberry.mutation(
        description="A pengurus with the bookkeeping right: a general journal entry (GENERAL). "
        "Errors: NOT_FOUND, PERMISSION_DENIED, INVALID (lines, date), REQUIRED, INVALID_STATE "
        "(a closed year)."
    )
    async def post_journal_entry(
        self,
        info: Info,
        input: Annotated[JournalEntryInput, strawberry.argument(description="The entry.")],
    ) -> JournalEntryPayload:
        async def work() -> m.JournalEntry:
            return await entries.post_general_entry(
                info.context.viewer,
                decode_id(input.cooperative_id, "Cooperative", "input.cooperativeId"),
                input.date,
                input.description,
                [
                    entries.GivenLine(
                        _account_id(line.account_id, "input.lines"),
                        line.debit,
                        line.credit,
                        line.memo,
                    )
                    for line in input.lines
                ],
            )

        return await payload_of(JournalEntryPayload, work, _entry_payload)

    @strawberry.mutation(
        description="A pengurus with the bookkeeping right: undoes an entry by a REVERSAL with "
        "every debit and credit swapped. Errors: NOT_FOUND, PERMISSION_DENIED, REQUIRED "
        "(reason), INVALID (date), INVALID_STATE (reversed already, a member movement, a "
        "CLOSING, OPENING or REVERSAL entry, a closed year)."
    )
    async def reverse_journal_entry(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The JournalEntry.")],
        reason: Annotated[str, strawberry.argument(description="Why, at most 255 characters.")],
        date: Annotated[
            dt.date | None,
            strawberry.argument(description="The reversal's day; default today."),
        ] = None,
    ) -> JournalEntryPayload:
        async def work() -> m.JournalEntry:
            return await entries.reverse_entry(
                info.context.viewer, decode_id(id, "JournalEntry", "id"), date, reason
            )

        return await payload_of(JournalEntryPayload, work, _entry_payload)
