"""Search-box completions: names of categories, shops and products with a word the
typed prefix starts, whole names that start with it first."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from resolvers.search import text
from resolvers.search.engines import Source, Statement, engine

if TYPE_CHECKING:
    from resolvers.catalog import CategoryTree

MIN_PREFIX = 2
MAX_SUGGESTIONS = 20
MAX_PREFIX_WORDS = 4
# So that a prefix matching many categories still leaves room for products and shops.
MOST_PER_KIND = 3
ROWS_PER_NAME = 8


class SuggestionKind(StrEnum):
    CATEGORY = "CATEGORY"
    SHOP = "SHOP"
    PRODUCT = "PRODUCT"


@dataclass(frozen=True)
class Suggestion:
    text: str
    kind: SuggestionKind
    slug: str


def _matches(prefixes: list[str], name: str) -> bool:
    found = text.words(name)
    return all(any(w.startswith(p) for w in found) for p in prefixes)


def _categories(prefixes: list[str], tree: CategoryTree) -> list[Suggestion]:
    return [
        Suggestion(c.name, SuggestionKind.CATEGORY, c.slug)
        for c in sorted(tree.by_id.values(), key=lambda c: (c.parent_id is not None, c.position))
        if _matches(prefixes, c.name)
    ]


# Per kind: the search table, and the names it leads to (whose rows match {match}), those
# that come first first. Products are ordered on their search rows alone, so that only the
# {limit} rows shown are joined to their names, however many match.
NAMED: dict[SuggestionKind, tuple[Source, str]] = {
    SuggestionKind.SHOP: (
        "search_shop",
        "SELECT s.name, s.slug FROM search_shop ss JOIN shop s ON s.id = ss.shop_id"
        " WHERE {match} ORDER BY s.is_verified DESC, s.id DESC LIMIT {limit}",
    ),
    SuggestionKind.PRODUCT: (
        "search_product",
        "SELECT p.name, p.slug FROM (SELECT sp.product_id, sp.units_sold FROM search_product sp"
        " WHERE {match} ORDER BY sp.units_sold DESC, sp.product_id DESC LIMIT {limit}) top"
        " JOIN product p ON p.id = top.product_id"
        " ORDER BY top.units_sold DESC, top.product_id DESC",
    ),
}


async def _named(kind: SuggestionKind, prefixes: list[str], limit: int) -> list[Suggestion]:
    source, sql = NAMED[kind]
    st = Statement(engine())
    match = st.engine.match_prefixes(source, st, prefixes)
    # Many products share a name, so read more rows than are shown.
    rows = await st.rows(sql.format(match=match, limit=limit * ROWS_PER_NAME))
    distinct: dict[str, Suggestion] = {}
    for name, slug in rows:
        distinct.setdefault(" ".join(text.words(name)), Suggestion(name, kind, slug))
    return list(distinct.values())[:limit]


async def suggestions(prefix: str, first: int, tree: CategoryTree) -> list[Suggestion]:
    """`tree` is the catalog's categories, whose names are completions too."""
    prefixes = text.words(prefix[: text.MAX_QUERY_CHARS])[:MAX_PREFIX_WORDS]
    limit = max(0, min(first, MAX_SUGGESTIONS))
    if not limit or len("".join(prefixes)) < MIN_PREFIX:
        return []
    categories = _categories(prefixes, tree)[:MOST_PER_KIND]
    shops = await _named(SuggestionKind.SHOP, prefixes, MOST_PER_KIND)
    products = await _named(SuggestionKind.PRODUCT, prefixes, limit)
    typed = " ".join(prefixes)
    found = [*categories, *shops, *products]
    # Whole names that start with what was typed first; otherwise categories, shops, products.
    found.sort(key=lambda s: not " ".join(text.words(s.text)).startswith(typed))
    return found[:limit]
