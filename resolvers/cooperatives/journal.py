"""Reading the books: the general journal and each account's ledger (buku besar) with
running balances, oldest first (by date, then as posted), paged by a (date, id) keyset."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tortoise.expressions import Q
from tortoise.functions import Sum
from tortoise.queryset import QuerySet

from models.cooperatives import (
    MEMBER_KINDS,
    EntryKind,
    JournalEntry,
    JournalLine,
    LedgerAccount,
)
from resolvers.cooperatives.chart import normal_balance
from resolvers.platform import BadInput, Page, page_size, rows_by_ids, rows_grouped_by, today

MEMBER = "MEMBER"  # the API's one kind for every member movement


def book_kind(kind: EntryKind) -> str:
    """The kind as the books show it: member movements are MEMBER."""
    return MEMBER if kind in MEMBER_KINDS else kind.value


def _cursor(day: date, row_id: int) -> str:
    return base64.urlsafe_b64encode(f"d:{day.isoformat()}:{row_id}".encode()).decode()


def _after(cursor: str) -> tuple[date, int]:
    try:
        tag, day, row_id = base64.urlsafe_b64decode(cursor.encode()).decode().split(":")
        if tag != "d":
            raise ValueError
        return date.fromisoformat(day), int(row_id)
    except (ValueError, UnicodeDecodeError):
        raise BadInput("Cursor tidak valid.") from None


def _check_range(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and start > end:
        raise BadInput("`from` tidak boleh sesudah `to`.")


async def _page(
    query: QuerySet[Any], date_field: str, first: int | None, after: str | None
) -> tuple[list[Any], bool, int]:
    """Rows after the cursor in (date, id) order, whether more follow, and the page's size."""
    size = page_size(first, None)
    window = query
    if after:
        day, row_id = _after(after)
        later: dict[str, Any] = {f"{date_field}__gt": day}
        same: dict[str, Any] = {date_field: day}
        window = window.filter(Q(**later) | (Q(**same) & Q(id__gt=row_id)))
    rows = list(await window.order_by(date_field, "id").limit(size + 1)) if size else []
    return rows[:size], len(rows) > size, size


def _within(query: QuerySet[Any], field: str, start: date | None, end: date | None) -> Any:
    if start is not None:
        query = query.filter(**{f"{field}__gte": start})
    if end is not None:
        query = query.filter(**{f"{field}__lte": end})
    return query


async def entries_page(
    cooperative_id: int,
    start: date | None,
    end: date | None,
    kind: str | None,
    *,
    first: int | None,
    after: str | None,
) -> Page[JournalEntry]:
    """Call `can_read_books` first."""
    _check_range(start, end)
    query = _within(JournalEntry.filter(cooperative_id=cooperative_id), "date", start, end)
    if kind == MEMBER:
        query = query.filter(kind__in=list(MEMBER_KINDS))
    elif kind is not None:
        query = query.filter(kind=kind)
    rows, more, size = await _page(query, "date", first, after)
    return Page(
        items=rows,
        cursors=[_cursor(r.date, r.id) for r in rows],
        has_next=more,
        has_previous=after is not None,
        count=query.count,
        size=size,
    )


async def lines_of_entries(entry_ids: list[int]) -> list[list[JournalLine]]:
    return await rows_grouped_by(
        JournalLine.all().order_by("id").prefetch_related("account"), "entry_id", entry_ids
    )


async def entries_by_ids(ids: list[int]) -> list[JournalEntry | None]:
    return await rows_by_ids(JournalEntry, ids)


async def reversals_of(entry_ids: list[int]) -> list[JournalEntry | None]:
    found = {e.reversal_of_id: e for e in await JournalEntry.filter(reversal_of_id__in=entry_ids)}
    return [found.get(i) for i in entry_ids]


@dataclass(frozen=True)
class LedgerLine:
    line: JournalLine  # with its entry
    balance_after: int


@dataclass(frozen=True)
class Ledger:
    opening: int
    closing: int
    page: Page[LedgerLine]


async def _balance(account: LedgerAccount, query: QuerySet[JournalLine]) -> int:
    rows = (
        await query.group_by("account_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .values("account_id", "d", "c")
    )
    # PostgreSQL sums BIGINT as NUMERIC.
    debit, credit = sum(int(r["d"] or 0) for r in rows), sum(int(r["c"] or 0) for r in rows)
    return normal_balance(account.kind, debit, credit)


async def ledger_of(
    account: LedgerAccount,
    start: date | None,
    end: date | None,
    *,
    first: int | None,
    after: str | None,
) -> Ledger:
    """Call `can_read_books` first. Each line's balance continues from every line before it."""
    _check_range(start, end)
    lines = JournalLine.filter(account_id=account.id)
    opening = (
        0
        if start is None
        else await _balance(account, lines.filter(entry__date__lte=start - timedelta(days=1)))
    )
    closing = await _balance(account, lines.filter(entry__date__lte=end or today()))
    query = _within(lines, "entry__date", start, end)
    rows, more, size = await _page(query.prefetch_related("entry"), "entry__date", first, after)
    running = opening
    if after:
        day, row_id = _after(after)
        running += await _balance(account, query.filter(entry__date__lt=day))
        running += await _balance(account, query.filter(entry__date=day, id__lte=row_id))
    items = []
    for row in rows:
        running += normal_balance(account.kind, row.debit, row.credit)
        items.append(LedgerLine(row, running))
    page = Page(
        items=items,
        cursors=[_cursor(r.entry.date, r.id) for r in rows],
        has_next=more,
        has_previous=after is not None,
        count=query.count,
        size=size,
    )
    return Ledger(opening, closing, page)
