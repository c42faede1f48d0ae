"""A one-word page sorted by price, read from the few price buckets that hold it (issue 30).

(`resolvers.search.walks` first walks a few rows of the price index from the term's first
bucket on, which fills the page of a word that many cheap products hold at less cost.)

`search_term_price` (migration 0046) counts each term's matches per price bucket. The page
takes the term's buckets in the sort's direction from the cursor's (or the first), adds up
their counts until they cover the page and one more row, and reads the matches whose price
lies within those buckets: the term's match AND the price range, sorted by (price, id)
after the cursor. That reads about the matches of the covering buckets, whatever the size
of the catalogue, where a walk down the price index reads every product of other words
between the term's matches. When the covering buckets hold fewer rows after the cursor (the
cursor's bucket counts rows before it too), the read goes on from the next buckets; the
last bucket is read without an upper bound. The sort is on `key + 0`, which no index holds,
so that the planner cannot walk the price index instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from resolvers.search.engines import Engine, Statement

if TYPE_CHECKING:
    from resolvers.search.products import Key

SORTS = ("PRICE_ASC", "PRICE_DESC")
# Where the page is read from the buckets. SQLite keeps the table exact too, but its read of
# a price range finds the word's FTS5 matches first, every one of them, and then filters by
# price: slower than its walk (word by price at 100,000 products, engine p50 3.0 -> 6.1 ms).
DIALECTS = ("postgres",)
# Two leading digits: a bucket spans 1-10% of its prices.
LEAD = 2


def bucket(price: int) -> int:
    """The price's bucket (as migration 0046 computes it): its digits, and its first two."""
    digits = str(price)
    return len(digits) * 100 + int(digits[:LEAD])


def prices(number: int) -> tuple[int, int]:
    """The cheapest and the dearest price of a bucket."""
    digits, lead = divmod(number, 100)
    if digits < LEAD:
        return lead, lead
    scale = 10 ** (digits - LEAD)
    return lead * scale, (lead + 1) * scale - 1


async def buckets(
    search: Engine, term: str, keys: Sequence[Key], cursor: list[int] | None
) -> list[tuple[int, int]] | None:
    """The term's (bucket, products) in the order `keys` from the cursor's bucket on; None
    when the cursor's price is negative (no bucket holds it)."""
    descending = keys[0].descending
    if cursor is not None and cursor[0] < 0:
        return None
    st = Statement(search)
    start = ""
    if cursor is not None:
        start = f" AND bucket {'<=' if descending else '>='} {st.bind(bucket(cursor[0]))}"
    counted = await st.rows(
        f"SELECT bucket, products FROM search_term_price WHERE term = {st.bind(term)}"
        f" AND products > 0{start} ORDER BY bucket {'DESC' if descending else 'ASC'}"
    )
    return [(int(b), int(n)) for b, n in counted]


def first_price(counted: Sequence[tuple[int, int]], keys: Sequence[Key]) -> int:
    """The price the first of `counted` (some) starts at, in the order `keys`."""
    return prices(counted[0][0])[1 if keys[0].descending else 0]


def passed(
    counted: Sequence[tuple[int, int]], walked: Sequence[list[int]], descending: bool
) -> list[tuple[int, int]]:
    """The buckets `counted` less the matches `walked` (the first of `counted`'s matches,
    in order, each as its sort keys): from the last one's bucket on, that bucket counting
    the matches after it."""
    edge = bucket(walked[-1][0])
    within = sum(1 for row in walked if bucket(row[0]) == edge)
    return [
        (b, max(n - within, 0) if b == edge else n)
        for b, n in counted
        if (b <= edge if descending else b >= edge)
    ]


async def priced_rows(
    search: Engine,
    term: str,
    keys: Sequence[Key],
    counted: Sequence[tuple[int, int]],
    cursor: list[int] | None,
    need: int,
) -> list[Any]:
    """The sort keys (price, product id) of the first `need` products holding `term`
    after `cursor`, in the order `keys`, read from the buckets `counted` (`buckets`)."""
    descending = keys[0].descending
    found: list[Any] = []
    first = 0
    while first < len(counted) and len(found) < need:
        last, covered = first, 0
        while True:
            covered += counted[last][1]
            if covered >= need - len(found) or last == len(counted) - 1:
                break
            last += 1
        near, far = prices(counted[first][0]), prices(counted[last][0])
        end = None if last == len(counted) - 1 else far[0 if descending else 1]
        begin = near[1 if descending else 0]
        after = found[-1] if found else cursor
        found += await _range(search, term, keys, begin, end, after, need - len(found))
        first = last + 1
    return found


async def _range(
    search: Engine,
    term: str,
    keys: Sequence[Key],
    begin: int,
    end: int | None,
    cursor: list[int] | None,
    need: int,
) -> list[Any]:
    """The first `need` matches after `cursor` priced from `begin` to `end` (None: on)."""
    descending = keys[0].descending
    low, high = (end, begin) if descending else (begin, end)
    within = [("sp.price >=", low), ("sp.price <=", high)]
    return await sorted_matches(search, term, keys, cursor, need, within)


async def sorted_matches(
    search: Engine,
    term: str,
    keys: Sequence[Key],
    cursor: list[int] | None,
    need: int,
    within: Sequence[tuple[str, int | None]] = (),
) -> list[Any]:
    """The first `need` matches after `cursor` (in the order `keys`, one direction) that
    meet the conditions `within` (a condition and its bound; None: no condition), every
    such match sorted by `key + 0`, which no index holds, so that the planner does not walk
    an index instead."""
    st = Statement(search)
    found = search.products(st, [term])
    descending = keys[0].descending
    where = [*found.where, *(f"{c} {st.bind(v)}" for c, v in within if v is not None)]
    where.append(after(st, keys, cursor, plus=" + 0"))
    order = ", ".join(f"{k.sql} + 0 {'DESC' if descending else 'ASC'}" for k in keys)
    rows = await st.rows(
        f"SELECT {', '.join(k.sql for k in keys)} FROM {found.source}"
        f" WHERE {' AND '.join(where)} ORDER BY {order} LIMIT {need}"
    )
    return [[int(v) for v in row] for row in rows]


def after(st: Statement, keys: Sequence[Key], values: list[int] | None, plus: str = "") -> str:
    """Rows strictly after `values` in the order of `keys` (one direction), as row values
    (each key followed by `plus`)."""
    if values is None:
        return "true"
    columns = ", ".join(f"{k.sql}{plus}" for k in keys)
    return f"({columns}) {'<' if keys[0].descending else '>'} ({st.bind_all(values)})"


# Every term's matches counted again by bucket, from the index as it is (after a rebuild);
# PostgreSQL holds off writers of the index meanwhile, whose counts would otherwise be lost,
# and writes a term's rows together (its page reads them all).
RECOUNT = {
    "sqlite": [
        "DELETE FROM search_term_price",
        "INSERT INTO search_term_price (term, bucket, products)"
        " SELECT t.value, length(CAST(sp.price AS TEXT)) * 100"
        " + CAST(substr(CAST(sp.price AS TEXT), 1, 2) AS INTEGER) AS b,"
        " COUNT(DISTINCT sp.product_id) FROM search_product sp"
        " JOIN search_product_text x ON x.product_id = sp.product_id,"
        " json_each('[\"' || replace(trim(x.name_terms || ' ' || x.more_terms), ' ', '\",\"')"
        " || '\"]') t WHERE t.value <> '' GROUP BY t.value, b",
    ],
    "postgres": [
        "LOCK TABLE search_product IN SHARE MODE",
        "DELETE FROM search_term_price",
        "INSERT INTO search_term_price (term, bucket, products)"
        " SELECT t, length(price::text) * 100 + left(price::text, 2)::int AS b, COUNT(*)"
        " FROM search_product, unnest(tsvector_to_array(document)) t GROUP BY t, b ORDER BY t, b",
    ],
}


async def recount(search: Engine) -> None:
    """Count every term's matches by bucket again (after bulk loads, or a suspected drift)."""
    await search.in_transaction(RECOUNT[search.dialect])
