"""A one-word search's page in an order an index holds, read down that index and stopped
at the page (issue 30), rather than every match sorted; or the matches sorted, when that
reads fewer rows. On PostgreSQL a price order reads the page from the term's price buckets
(`resolvers.search.postings`, migration 0046); the walk is its fallback.

The walk reads the sort's index from the cursor (on the first page of a price order: from
the term's price bound, migration 0043, before which no product holds the term), keeping
the rows that hold the term, and stops at the page. It reads at most as many rows as the
term has matches (`WALK_PER_MATCH`); when those hold too few of the page's rows (a term
whose matches sit far down the order), the rest of the page comes from the matches after
the last row walked, sorted. A term whose page would take a walk longer than its matches
at its share of the catalogue is sorted at once. So a page costs about min(matches, page /
share of the rows walked), at most about twice the sort. Both statements are written so
that the planner cannot swap them: the walk is a `LIMIT` on the index's order (SQLite:
`INDEXED BY`) filtered outside it, the sort orders by `key + 0`, which no index holds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from resolvers.search import postings
from resolvers.search.engines import Engine, Statement

if TYPE_CHECKING:
    from resolvers.search.products import Key

# Sort orders that an index of `search_product` holds (read forwards or backwards); "" is
# the table's own order by product id.
WALKS = {"PRICE_ASC": "search_product_price", "PRICE_DESC": "search_product_price",
         "BEST_SELLING": "search_product_sold", "RATING": "search_product_rating",
         "NEWEST": ""}  # fmt: skip
# A walk is tried when the page at the term's share of the rows, times this, is within the
# walk's budget: `WALK_PER_MATCH` rows per match of the term, up to a power of two (a row
# walked costs about half a match sorted: an index entry and a word check, against a
# lookup and a sort).
SPREAD = 2
WALK_PER_MATCH = 1.5
# A price order's page walks this many rows of the index before it reads the term's price
# buckets (`postings`): enough for a word held by many cheap products, and for a thin word
# about a tenth of reading the buckets' matches (PostgreSQL, 100,000 products).
PEEK = 128

# The term's price bounds and the number of products, in one read.
BOUNDS = """SELECT (SELECT low FROM search_walk_bound WHERE term = {term}),
(SELECT high FROM search_walk_bound WHERE term = {term}),
(SELECT SUM(products) FROM search_facet WHERE term = '')"""


async def walked_rows(
    search: Engine,
    term: str,
    documents: int,
    keys: Sequence[Key],
    sort: str,
    size: int,
    cursor: list[int] | None,
) -> list[Any] | None:
    """The sort keys of the page's rows (and of one more when there is a next page) of the
    products holding `term` (in `documents` products) in the order `keys` (on `sp`, all in
    one direction, the product id last) named `sort`, after the row `cursor`; None when no
    index holds the order."""
    if sort not in WALKS or (search.dialect == "sqlite" and not WALKS[sort]):
        return None  # SQLite reads a term's matches newest first from FTS5 itself
    need = size + 1
    if sort in postings.SORTS and documents > 0 and search.dialect in postings.DIALECTS:
        priced = await _priced(search, term, keys, WALKS[sort], cursor, need)
        if priced is not None:
            return priced
    st = Statement(search)
    low, high, products = (await st.rows(BOUNDS.format(term=st.bind(term))))[0]
    start = []  # (condition, bound): bound as a parameter, for one statement text per sort
    if sort == "PRICE_ASC" and low is not None:
        start.append(("sp.price >=", int(low)))
    if sort == "PRICE_DESC" and high is not None:
        start.append(("sp.price <=", int(high)))
    # A power of two, for few statement texts (each new one is prepared again).
    budget = 2 ** math.ceil(math.log2(max(documents * WALK_PER_MATCH, 1)))
    expected = need * int(products or 0) / max(documents, 1)
    if documents <= 0 or expected * SPREAD > budget:
        return await _sorted(search, term, keys, cursor, need)
    index = WALKS[sort]
    found = await _walk(search, term, keys, index, start, cursor, budget, need)
    if len(found) >= need:
        return found
    edge = await _edge(search, keys, index, start, cursor, budget)
    if edge is None:  # the index ended within the walk: every match after the cursor is read
        return found
    return found + await _sorted(search, term, keys, edge, need - len(found))


async def _priced(
    search: Engine, term: str, keys: Sequence[Key], index: str, cursor: list[int] | None, need: int
) -> list[Any] | None:
    """A price order's page: `PEEK` rows of the index walked from the term's first price
    bucket, and when they hold too few matches, the rest from the buckets (`postings`)."""
    counted = await postings.buckets(search, term, keys, cursor)
    if counted is None:
        return None
    if not counted:
        return []
    start = [
        (
            "sp.price <=" if keys[0].descending else "sp.price >=",
            postings.first_price(counted, keys),
        )
    ]
    found = await _walk(search, term, keys, index, start, cursor, PEEK, need)
    if len(found) >= need:
        return found
    if found:  # the buckets from the last walked match on (every match before it is read)
        rest = postings.passed(counted, found, keys[0].descending)
        more = await postings.priced_rows(search, term, keys, rest, found[-1], need - len(found))
        return found + more
    return await postings.priced_rows(search, term, keys, counted, cursor, need)


def _order(keys: Sequence[Key], names: Sequence[str], reverse: bool = False) -> str:
    return ", ".join(
        f"{n} {'DESC' if k.descending != reverse else 'ASC'}"
        for k, n in zip(keys, names, strict=True)
    )


def _source(search: Engine, index: str) -> str:
    hint = f" INDEXED BY {index}" if index and search.dialect == "sqlite" else ""
    return f"search_product sp{hint}"


async def _walk(
    search: Engine,
    term: str,
    keys: Sequence[Key],
    index: str,
    start: list[tuple[str, int]],
    cursor: list[int] | None,
    rows: int,
    need: int,
) -> list[Any]:
    """Of the next `rows` rows of the index after `cursor`, the first `need` that hold the
    term: the read stops there."""
    st = Statement(search)
    hit = search.walked(st, [term]) or search.match("search_product", st, [term])
    names = [f"k{i}" for i in range(len(keys))]
    columns = ", ".join(f"{k.sql} AS {n}" for k, n in zip(keys, names, strict=True))
    where = " AND ".join(
        [*(f"{c} {st.bind(v)}" for c, v in start), postings.after(st, keys, cursor)]
    )
    # SQLite sorts a subquery's rows again for an ORDER BY outside it, reading all of them;
    # without one, it runs the subquery in the index's order and stops at the LIMIT.
    outer = f" ORDER BY {_order(keys, names)}" if search.dialect != "sqlite" else ""
    found = await st.rows(
        f"SELECT {', '.join(names)} FROM (SELECT {columns}, {hit} AS hit"
        f" FROM {_source(search, index)} WHERE {where}"
        f" ORDER BY {_order(keys, [k.sql for k in keys])} LIMIT {rows}) w"
        f" WHERE hit{outer} LIMIT {need}"
    )
    return sorted(([int(v) for v in row] for row in found), reverse=keys[0].descending)


async def _edge(
    search: Engine,
    keys: Sequence[Key],
    index: str,
    start: list[tuple[str, int]],
    cursor: list[int] | None,
    rows: int,
) -> list[int] | None:
    """The keys of the `rows`th row of the index after `cursor`; None when it has fewer."""
    st = Statement(search)
    where = " AND ".join(
        [*(f"{c} {st.bind(v)}" for c, v in start), postings.after(st, keys, cursor)]
    )
    found = await st.rows(
        f"SELECT {', '.join(k.sql for k in keys)} FROM {_source(search, index)} WHERE {where}"
        f" ORDER BY {_order(keys, [k.sql for k in keys])} LIMIT 1 OFFSET {rows - 1}"
    )
    return [int(v) for v in found[0]] if found else None


async def _sorted(
    search: Engine, term: str, keys: Sequence[Key], edge: list[int] | None, need: int
) -> list[Any]:
    """The first `need` matches after `edge`, every match after it sorted."""
    return await postings.sorted_matches(search, term, keys, edge, need)


# Every term's exact bounds, from the index as it is (after a rebuild); PostgreSQL holds
# off writers of the index meanwhile, whose widening this would otherwise overwrite.
EXACT_BOUNDS = {
    "sqlite": [
        "DELETE FROM search_walk_bound",
        "INSERT INTO search_walk_bound (term, low, high)"
        " SELECT t.value, MIN(sp.price), MAX(sp.price) FROM search_product sp"
        " JOIN search_product_text x ON x.product_id = sp.product_id,"
        " json_each('[\"' || replace(trim(x.name_terms || ' ' || x.more_terms), ' ', '\",\"')"
        " || '\"]') t WHERE t.value <> '' GROUP BY t.value",
    ],
    "postgres": [
        "LOCK TABLE search_product IN SHARE MODE",
        "DELETE FROM search_walk_bound",
        "INSERT INTO search_walk_bound (term, low, high)"
        " SELECT t, min(price), max(price) FROM search_product,"
        " unnest(tsvector_to_array(document)) t GROUP BY t",
    ],
}


async def exact_bounds(search: Engine) -> None:
    """Narrow every term's price bounds to its matches' (writes only widen them)."""
    await search.in_transaction(EXACT_BOUNDS[search.dialect])
