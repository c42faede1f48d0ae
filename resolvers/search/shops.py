"""Shops directory search: the same words and corrections as products, over shop names."""

from __future__ import annotations

from resolvers.search.engines import Statement, engine
from resolvers.search.words import understand


async def matching_shop_ids(query: str) -> list[int] | None:
    """Ids of the shops the query's words find; None when the query has no words."""
    search = engine()
    words = await understand(search, "search_shop", query)
    if words is None:
        return None
    st = Statement(search)
    match = search.match("search_shop", st, words.terms)
    return [row[0] for row in await st.rows(f"SELECT ss.shop_id FROM search_shop ss WHERE {match}")]
