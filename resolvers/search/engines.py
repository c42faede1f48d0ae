"""The two search engines: SQLite FTS5 (embedded default) and PostgreSQL full text.

Both index the same stems (see `text`) in the same tables (`search_product`,
`search_shop`, made by migration 0007); an engine only says how to match words, how to
find the terms the index knows, and how to write many rows at once. Everything else
(filters, sorts, facets, cursors) is one SQL dialect both databases speak.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from tortoise.backends.base.client import BaseDBAsyncClient

from resolvers.platform import read_connection
from resolvers.search.spelling import Candidate, one_edit_away

Source = Literal["search_product", "search_shop"]
# Rows written by the indexer: (id, name_terms, more_terms, name_words).
Words = tuple[int, str, str, str]
# Where SQLite keeps each source's words, and the key column there.
TEXT_TABLES: dict[Source, tuple[str, str]] = {
    "search_product": ("search_product_text", "product_id"),
    "search_shop": ("search_shop", "shop_id"),
}
UPSERT = (
    "name_terms = excluded.name_terms, more_terms = excluded.more_terms,"
    " name_words = excluded.name_words"
)


class Statement:
    """SQL text and its parameters, numbered so that a parameter can be used twice."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.params: list[Any] = []

    def bind(self, value: Any) -> str:
        self.params.append(value)
        return self.engine.mark(len(self.params))

    def bind_all(self, values: Sequence[Any]) -> str:
        return ", ".join(self.bind(v) for v in values) if values else "NULL"

    async def rows(self, sql: str) -> list[Any]:
        _, rows = await self.engine.client.execute_query(sql, self.params)
        return list(rows)


@dataclass(frozen=True)
class Matches:
    """The rows of `search_product` (as `sp`) that a search reads."""

    source: str  # the FROM clause
    where: list[str]  # conditions on it
    # The product id, as the SQL that the source reads fastest in id order.
    id: str


class Engine(ABC):
    dialect: ClassVar[str]
    ANALYZE: ClassVar[str]
    # Whether statements can run side by side (a pool), rather than one at a time.
    concurrent: ClassVar[bool] = False

    def __init__(self, client: BaseDBAsyncClient) -> None:
        self.client = client

    @abstractmethod
    def mark(self, number: int) -> str:
        """The placeholder of the `number`th parameter."""

    # Where products holding given words are read from (as `sp`), and their id there.
    MATCHED_PRODUCTS: ClassVar[str] = "search_product sp"
    MATCHED_ID: ClassVar[str] = "sp.product_id"

    @abstractmethod
    def match(self, source: Source, st: Statement, terms: list[str]) -> str:
        """A condition that every term is in the row: on alias `ss` for shops, and on
        `MATCHED_PRODUCTS` for products."""

    def products(self, st: Statement, terms: list[str] | None) -> Matches:
        """Where product rows come from: every row, or those holding every term."""
        if terms is None:
            return Matches("search_product sp", [], "sp.product_id")
        where = [self.match("search_product", st, terms)]
        return Matches(self.MATCHED_PRODUCTS, where, self.MATCHED_ID)

    def walked(self, st: Statement, terms: list[str]) -> str | None:
        """A condition that row `sp` of `search_product` holds every term, for reading down one
        of its indexes: the matches listed once, each row of the index looked up in the list.
        None where the planner chooses such reads itself (PostgreSQL)."""
        return None

    @abstractmethod
    def match_prefixes(self, source: Source, st: Statement, prefixes: list[str]) -> str:
        """A condition: each prefix starts a word of the row's name."""

    @abstractmethod
    def contains(self, haystack: str, needle: str) -> str:
        """A condition: SQL string `needle` occurs in SQL string `haystack`."""

    @abstractmethod
    async def known(self, source: Source, terms: Sequence[str]) -> dict[str, int]:
        """Of `terms`, those the index holds, with how many rows hold each."""

    @abstractmethod
    async def candidates(self, source: Source, word: str) -> list[Candidate]:
        """Known terms that may be what a misspelt `word` meant."""

    @abstractmethod
    async def write_words(self, source: Source, rows: Sequence[Words]) -> None:
        """Store the words of many rows; products must already have their facts row."""

    async def in_transaction(self, statements: Sequence[str]) -> None:
        """Run `statements` in order, in one transaction (the recounts of `index.rebuild`)."""
        async with self.client._in_transaction() as connection:
            for sql in statements:
                await connection.execute_query(sql)

    async def analyze(self) -> None:
        """After rewriting every row of the search tables: refresh the planner's statistics
        (plans turn on how many rows a word or a filter matches) and, on PostgreSQL, clear
        the old row versions so that counts can read indexes alone. Not in a transaction."""
        await self.client.execute_script(self.ANALYZE)


class SqliteEngine(Engine):
    dialect = "sqlite"
    ANALYZE = (
        "ANALYZE search_product; ANALYZE search_shop; ANALYZE search_facet;"
        " ANALYZE search_price_tally; ANALYZE search_term_price;"
    )

    def mark(self, number: int) -> str:
        return f"?{number}"

    # Joined rather than `IN (SELECT rowid ...)`: SQLite then reads the matches in rowid
    # order straight from the index, and looks each up without building a list first.
    MATCHED_PRODUCTS = "search_product_fts f JOIN search_product sp ON sp.product_id = f.rowid"
    MATCHED_ID = "f.rowid"

    def match(self, source: Source, st: Statement, terms: list[str]) -> str:
        phrase = " ".join(f'"{t}"' for t in terms)
        if source == "search_product":
            return f"search_product_fts MATCH {st.bind(phrase)}"
        return self._in_fts(
            st, source, "search_shop_fts", f"{{name_terms more_terms}} : ({phrase})"
        )

    def walked(self, st: Statement, terms: list[str]) -> str | None:
        phrase = " ".join(f'"{t}"' for t in terms)
        return self._in_fts(st, "search_product", "search_product_fts", phrase)

    def match_prefixes(self, source: Source, st: Statement, prefixes: list[str]) -> str:
        phrase = " ".join(f'"{p}"*' for p in prefixes)
        if source == "search_product":
            return self._in_fts(st, source, "search_product_words", phrase)
        return self._in_fts(st, source, "search_shop_fts", f"name_words : ({phrase})")

    @staticmethod
    def _in_fts(st: Statement, source: Source, table: str, query: str) -> str:
        column = "sp.product_id" if source == "search_product" else "ss.shop_id"
        return f"{column} IN (SELECT rowid FROM {table} WHERE {table} MATCH {st.bind(query)})"

    def contains(self, haystack: str, needle: str) -> str:
        return f"instr({haystack}, {needle}) > 0"

    async def known(self, source: Source, terms: Sequence[str]) -> dict[str, int]:
        if not terms:
            return {}
        st = Statement(self)
        marks = st.bind_all(list(terms))
        if source == "search_product":
            # The facet tally (migration 0019) by its key: FTS5's vocabulary table reads a
            # term far slower, which the few hundred a typo's candidates look up add up.
            sql = (
                f"SELECT term, SUM(products) FROM search_facet WHERE term IN ({marks})"
                " AND products > 0 GROUP BY term"
            )
        else:
            sql = (
                f"SELECT term, SUM(doc) FROM search_shop_vocab WHERE term IN ({marks})"
                " AND col IN ('name_terms', 'more_terms') GROUP BY term"
            )
        return {row[0]: row[1] for row in await st.rows(sql)}

    async def candidates(self, source: Source, word: str) -> list[Candidate]:
        found = await self.known(source, sorted(one_edit_away(word)))
        return [Candidate(term, documents) for term, documents in found.items()]

    async def write_words(self, source: Source, rows: Sequence[Words]) -> None:
        values = [list(r) for r in rows]
        if source == "search_product":
            await self.client.execute_many(
                "UPDATE search_product SET name_terms = ?2 WHERE product_id = ?1",
                [v[:2] for v in values],
            )
        table, key = TEXT_TABLES[source]
        await self.client.execute_many(
            f"INSERT INTO {table} ({key}, name_terms, more_terms, name_words)"
            f" VALUES (?1, ?2, ?3, ?4) ON CONFLICT ({key}) DO UPDATE SET {UPSERT}",
            values,
        )


class PostgresEngine(Engine):
    dialect = "postgres"
    concurrent = True
    ANALYZE = (
        "VACUUM (ANALYZE) search_product, search_shop, search_term, search_facet,"
        " search_price_tally, search_term_price;"
    )

    def mark(self, number: int) -> str:
        return f"${number}"

    def match(self, source: Source, st: Statement, terms: list[str]) -> str:
        query = st.bind(" ".join(terms))
        return self._in_text(source, f"document @@ plainto_tsquery('simple', {query})")

    def match_prefixes(self, source: Source, st: Statement, prefixes: list[str]) -> str:
        query = st.bind(" & ".join(f"{p}:*" for p in prefixes))
        return self._in_text(source, f"words @@ to_tsquery('simple', {query})")

    @staticmethod
    def _in_text(source: Source, condition: str) -> str:
        # Words sit beside the facts here: a join to a wide table costs more than it saves.
        return f"{'sp' if source == 'search_product' else 'ss'}.{condition}"

    def contains(self, haystack: str, needle: str) -> str:
        return f"strpos({haystack}, {needle}) > 0"

    async def known(self, source: Source, terms: Sequence[str]) -> dict[str, int]:
        if not terms:
            return {}
        st = Statement(self)
        sql = (
            "SELECT term, documents FROM search_term WHERE source = $1"
            " AND term = ANY($2::text[]) AND documents > 0"
        )
        st.params = [source, list(terms)]
        return {row[0]: row[1] for row in await st.rows(sql)}

    async def candidates(self, source: Source, word: str) -> list[Candidate]:
        # One edit away by lookup (exact, however short the word), more by trigram similarity.
        st = Statement(self)
        st.params = [source, sorted(one_edit_away(word)), word]
        rows = await st.rows(
            "SELECT term, documents FROM search_term WHERE source = $1 AND documents > 0"
            " AND (term = ANY($2::text[]) OR term % $3)"
            " ORDER BY similarity(term, $3) DESC LIMIT 50"
        )
        return [Candidate(row[0], row[1]) for row in rows]

    async def write_words(self, source: Source, rows: Sequence[Words]) -> None:
        columns = [list(c) for c in zip(*rows, strict=True)] if rows else [[], [], [], []]
        if source == "search_product":
            sql = (
                "UPDATE search_product sp SET name_terms = v.a, more_terms = v.b, name_words = v.c"
                " FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS v(id, a, b, c)"
                " WHERE sp.product_id = v.id"
            )
        else:
            sql = (
                "INSERT INTO search_shop (shop_id, name_terms, more_terms, name_words)"
                " SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[])"
                f" ON CONFLICT (shop_id) DO UPDATE SET {UPSERT}"
            )
        await self.client.execute_query(sql, columns)


def engine(client: BaseDBAsyncClient | None = None) -> Engine:
    """The engine for `client`, by default the current connection (or transaction), or the
    replica for a read that may lag."""
    client = client or read_connection()
    if client.capabilities.dialect == "postgres":
        return PostgresEngine(client)
    return SqliteEngine(client)
