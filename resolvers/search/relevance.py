"""RELEVANCE of a one-word search, read tier by tier rather than every match sorted.

RELEVANCE orders matches by whether the name holds the word, then verified, then in stock
(each true first), then newest. Each combination of those three is a tier; its rows run
newest first, so a page is the newest rows of the first tier, then, while the page is not
full, of the next, and so on: each read stops at what is still missing (the cursor's tier
goes on from its id, earlier tiers are skipped). A match holds the word either in its
name's terms or in its other terms, which the indexer keeps apart, and each has an index
(migration 0042): a tier is read from its own, as a walk of the newest rows while the tier
is common among them, or as its few rows when it is rare (PostgreSQL chooses per word; the
term is written into the statement for that). No read sorts every match, and the rows and
their keys are those of the sort (`products._rows`): pages and cursors are the same.
"""

from __future__ import annotations

import itertools
import re

from resolvers.search.engines import Statement

# From how many matches (of the word, before filters) a search reads tier by tier: with
# fewer, sorting every match is one cheap statement, where the tiers take up to eight.
TIERS_FROM = 1000
# The tiers in order: (name holds the word, verified, in stock), best first.
TIERS = list(itertools.product((1, 0), repeat=3))
# A term as the index holds it (`text.fold`): safe to write into SQL as it is.
TERM = re.compile(r"[a-z0-9]+")
# The facet tally counts the products whose name holds a term under this mark and the term
# (migration 0048, PostgreSQL only).
NAMED = "^"
# A tally row's products in stock, and out of it.
STOCK_COUNTS = {1: "{t}.stocked", 0: "{t}.products - {t}.stocked"}
# Whether the tally holds products of a tier's (in stock) whose name holds the word: the
# named rows of `{named}` passing `{counted}` (on `sp`, here the tally) with some.
NAMED_HELD = """EXISTS (SELECT 1 FROM search_facet sp WHERE sp.term = {named}
    AND {stock} > 0{counted})"""
# ... and products of it whose other words hold it: a row of the word's with more of them
# than the same row of the word in names.
OTHERS_HELD = """EXISTS (SELECT 1 FROM search_facet sp WHERE sp.term = {word}{counted}
    AND {stock} > COALESCE((SELECT {named_stock} FROM search_facet n WHERE n.term = {named}
    AND n.category_id = sp.category_id AND n.kecamatan = sp.kecamatan
    AND n.is_halal = sp.is_halal), 0))"""


async def tier_rows(
    st: Statement,
    term: str,
    conditions: list[str],
    in_stock: bool | None,
    cursor: list[int] | None,
    size: int,
    counted: list[str] | None = None,
) -> list[list[int]]:
    """The sort keys (name holds, verified, in stock, id) of the page's rows and of one more
    when there is a next page: the matches of `term` passing `conditions` (on `sp`, bound in
    `st`) after `cursor`. `in_stock` is the stock filter among `conditions`: tiers it rules
    out are not read. With `counted`, the rest of `conditions` on the tally's dimensions
    (PostgreSQL), each tier's read first asks the tally whether it holds a match, and is
    not done when it holds none (a one-time test)."""
    found: list[list[int]] = []
    for tier in TIERS:
        if in_stock is not None and tier[2] != int(in_stock):
            continue
        newer = None
        if cursor is not None:
            if list(tier) > cursor[:3]:
                continue  # before the cursor's tier
            if list(tier) == cursor[:3]:
                newer = cursor[3]
        missing = size + 1 - len(found)
        ids = await _tier(st, term, tier, conditions, counted, newer, missing)
        found += [[*tier, int(i)] for i in ids]
        if len(found) > size:
            break
    return found


async def _tier(
    st: Statement,
    term: str,
    tier: tuple[int, ...],
    conditions: list[str],
    counted: list[str] | None,
    newer: int | None,
    limit: int,
) -> list[int]:
    named, verified, stocked = tier
    tiered = Statement(st.engine)
    tiered.params = list(st.params)
    where = [
        f"{'' if verified else 'NOT '}sp.verified",
        f"{'' if stocked else 'NOT '}sp.in_stock",
        *conditions,
    ]
    if counted is not None:
        where.append(_held(tiered, term, tier, counted))
    if newer is not None:
        where.append(f"sp.product_id < {int(newer)}")
    # The product's terms are its name's and the others, apart (`index._product_words`): a
    # match holds the word in one of them, the name's tiers in the first.
    column, table = ("name_terms", "names") if named else ("more_terms", "more")
    if st.engine.dialect == "postgres":
        # The expression of an index of migration 0042, and the same test as a string
        # search, which a walk of the newest rows checks first (far cheaper per row than
        # the vector). The term is written out, not bound, so that the plan is chosen for
        # it: a walk when its tier is common among the newest rows, its rows from the
        # index when rare.
        literal = f"'{term}'" if TERM.fullmatch(term) else tiered.bind(term)
        where += [
            f"to_tsvector('simple', sp.{column}) @@ plainto_tsquery('simple', {literal})",
            st.engine.contains(f"' ' || sp.{column} || ' '", tiered.bind(f" {term} ")),
        ]
        source, key = "search_product sp", "sp.product_id"
    else:
        where.append(f"search_product_{table} MATCH {tiered.bind(_phrase(term))}")
        source = f"search_product_{table} w JOIN search_product sp ON sp.product_id = w.rowid"
        key = "w.rowid"
    rows = await tiered.rows(
        f"SELECT {key} FROM {source} WHERE {' AND '.join(where)} ORDER BY {key} DESC LIMIT {limit}"
    )
    return [row[0] for row in rows]


def _held(st: Statement, term: str, tier: tuple[int, ...], counted: list[str]) -> str:
    """Whether the tally has products of the tier passing `counted`."""
    named, _, stocked = tier
    extra = "".join(f" AND {c}" for c in counted)
    stock = STOCK_COUNTS[stocked].format(t="sp")
    if named:
        return NAMED_HELD.format(named=st.bind(NAMED + term), stock=stock, counted=extra)
    return OTHERS_HELD.format(
        word=st.bind(term), named=st.bind(NAMED + term), stock=stock, counted=extra,
        named_stock=STOCK_COUNTS[stocked].format(t="n"),
    )  # fmt: skip


def _phrase(term: str) -> str:
    return f'"{term}"'
