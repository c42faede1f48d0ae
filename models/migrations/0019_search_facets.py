"""Facet counts per term: how many active products hold each term, per (category, kecamatan,
halal), and under the term '' how many there are in all.

A search for one word (or none), filtered at most by category, kecamatan and halal, reads
its total and facets from these few rows instead of counting every match. Triggers keep
them in the transaction of any change to a product's facts or words, whoever makes it, so
the counts stay exact and a new product counts at once. Stock, price and sales are not
dimensions: checkouts change them all day and must not queue on shared counters.
Backfilled from the index as it is.
"""

from collections.abc import Callable
from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

# A product's row of counts in the tally: (sign, facts) -> its SQL columns after the term.
Counts = Callable[[int, str], str]

TABLE = """
CREATE TABLE search_facet (
    term TEXT NOT NULL,
    category_id INT NOT NULL,
    kecamatan VARCHAR(8) NOT NULL,
    is_halal {flag} NOT NULL,
    products INT NOT NULL,{more}
    PRIMARY KEY (term, category_id, kecamatan, is_halal)
){options};
"""
KEY = "term, category_id, kecamatan, is_halal"
# Adds `{sign}` for each (term, facts) row of `{rows}`.
TALLY = f"""INSERT INTO search_facet ({KEY}, products)
    SELECT {{rows}}
    ON CONFLICT ({KEY}) DO UPDATE SET products = search_facet.products + excluded.products;"""

# SQLite: a text row's distinct terms as a table (terms are [a-z0-9]+, one space apart).
TERMS_OF = """json_each('["' || replace(trim({row}.name_terms || ' ' || {row}.more_terms), ' ',
    '","') || '"]') t"""


def _counts(sign: int, facts: str) -> str:
    """A product's facts (`old`, `new` or an alias) in the tally, counting `sign`."""
    return f"{facts}.category_id, {facts}.kecamatan, {facts}.is_halal, {sign}"


def _sqlite_terms(sign: int, facts: str, text: str, join: str, tally: str, counts: Counts) -> str:
    """The tally of each term of the text row `text`, with the facts of `facts`."""
    return tally.format(
        rows=f"DISTINCT t.value, {counts(sign, facts)} FROM {join},"
        f" {TERMS_OF.format(row=text)} WHERE t.value <> ''"
    )


DIMENSIONS_CHANGED = (
    "old.category_id IS NOT new.category_id OR old.kecamatan IS NOT new.kecamatan"
    " OR old.is_halal IS NOT new.is_halal"
)
TERMS_CHANGED = "old.name_terms IS NOT new.name_terms OR old.more_terms IS NOT new.more_terms"


def sqlite_triggers(tally: str, counts: Counts, moved: str, moved_when: str) -> str:
    """SQLite's triggers that add each change to the tally: `tally` adds the rows made of
    `counts(sign, facts)`; a product's counts move on an update of the columns `moved` that
    `moved_when` holds."""

    def product(sign: int, facts: str) -> str:
        """One product's facts (`old` or `new`): under '' and each term of its text."""
        every = f"'', {counts(sign, facts)} WHERE true"
        text = f"(SELECT * FROM search_product_text x WHERE x.product_id = {facts}.product_id) x"
        return f"{tally.format(rows=every)}\n    {_sqlite_terms(sign, facts, 'x', text, tally, counts)}"

    def words(sign: int, text: str) -> str:
        """Each term of a text row (`old` or `new`), when its product has facts."""
        facts = f"(SELECT * FROM search_product f WHERE f.product_id = {text}.product_id) f"
        return _sqlite_terms(sign, "f", text, facts, tally, counts)

    return f"""
CREATE TRIGGER search_facet_added AFTER INSERT ON search_product BEGIN
    {product(1, "new")}
END;
CREATE TRIGGER search_facet_moved AFTER UPDATE OF {moved}
ON search_product WHEN {moved_when} BEGIN
    {product(-1, "old")}
    {product(1, "new")}
END;
-- Replaces 0007's trigger: the product's terms are counted out before its text goes (the
-- text's own trigger then finds no facts and counts nothing).
DROP TRIGGER search_product_gone;
CREATE TRIGGER search_product_gone AFTER DELETE ON search_product BEGIN
    {product(-1, "old")}
    DELETE FROM search_product_text WHERE product_id = old.product_id;
END;
CREATE TRIGGER search_facet_words_added AFTER INSERT ON search_product_text BEGIN
    {words(1, "new")}
END;
CREATE TRIGGER search_facet_words_changed AFTER UPDATE OF name_terms, more_terms
ON search_product_text WHEN {TERMS_CHANGED} BEGIN
    {words(-1, "old")}
    {words(1, "new")}
END;
CREATE TRIGGER search_facet_words_removed AFTER DELETE ON search_product_text BEGIN
    {words(-1, "old")}
END;
"""


SQLITE = (
    "\n"
    + TABLE.format(flag="INT", options=" WITHOUT ROWID", more="")
    + sqlite_triggers(TALLY, _counts, "category_id, kecamatan, is_halal", DIMENSIONS_CHANGED)
)
SQLITE_BACKFILL = TALLY.format(
    rows="'', category_id, kecamatan, is_halal, COUNT(*) FROM search_product WHERE true"
    " GROUP BY category_id, kecamatan, is_halal"
) + TALLY.format(
    rows="t.value, sp.category_id, sp.kecamatan, sp.is_halal, COUNT(*)"
    " FROM search_product sp JOIN search_product_text x ON x.product_id = sp.product_id,"
    f" {TERMS_OF.format(row='x')}"
    f" WHERE t.value <> '' GROUP BY t.value, sp.category_id, sp.kecamatan, sp.is_halal"
)
SQLITE_DROP = """
DROP TRIGGER search_facet_added;
DROP TRIGGER search_facet_moved;
DROP TRIGGER search_facet_words_added;
DROP TRIGGER search_facet_words_changed;
DROP TRIGGER search_facet_words_removed;
DROP TRIGGER search_product_gone;
CREATE TRIGGER search_product_gone AFTER DELETE ON search_product BEGIN
    DELETE FROM search_product_text WHERE product_id = old.product_id;
END;
DROP TABLE search_facet;
"""

# PostgreSQL keeps the words beside the facts: one statement trigger per change, summing the
# rows' old and new (term, facts) pairs, in key order so that writers lock in one order.
PG_PAIRS = (
    "SELECT t AS term, category_id, kecamatan, is_halal, {sign} AS n FROM {rows},"
    " unnest(array_append(tsvector_to_array(document), '')) t"
)


def _pg_tally(*pairs: str) -> str:
    changes = " UNION ALL ".join(pairs)
    return TALLY.format(
        rows=f"{KEY}, sum(n) FROM ({changes}) c GROUP BY {KEY} HAVING sum(n) <> 0 ORDER BY {KEY}"
    )


def pg_count(tally: Callable[..., str], create: str = "CREATE") -> str:
    """The function of PostgreSQL's statement triggers (below), which adds each change to the
    tally: `tally` writes the changes of the (sign, transition table) pairs given it."""
    added, removed = (1, "new_rows"), (-1, "old_rows")
    return f"""
{create} FUNCTION search_facet_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {tally(added)}
    ELSIF TG_OP = 'DELETE' THEN
        {tally(removed)}
    ELSE
        {tally(added, removed)}
    END IF;
    RETURN NULL;
END $$;"""


def pg_triggers(tally: Callable[..., str], pairs: str) -> str:
    """PostgreSQL's statement triggers that add each change to the tally: `tally` writes the
    summed (term, facts) pairs of the queries given it, made from `pairs`."""

    def changed(*changes: tuple[int, str]) -> str:
        return tally(*(pairs.format(sign=sign, rows=rows) for sign, rows in changes))

    return f"""{pg_count(changed)}
CREATE TRIGGER search_facet_added AFTER INSERT ON search_product
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_facet_count();
CREATE TRIGGER search_facet_changed AFTER UPDATE ON search_product
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_facet_count();
CREATE TRIGGER search_facet_removed AFTER DELETE ON search_product
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_facet_count();
"""


POSTGRES = (
    "\n" + TABLE.format(flag="BOOLEAN", options="", more="") + pg_triggers(_pg_tally, PG_PAIRS)
)
POSTGRES_BACKFILL = TALLY.format(
    rows="t AS term, category_id, kecamatan, is_halal, COUNT(*) FROM search_product,"
    f" unnest(array_append(tsvector_to_array(document), '')) t GROUP BY {KEY}"
)
POSTGRES_DROP = """
DROP TRIGGER search_facet_added ON search_product;
DROP TRIGGER search_facet_changed ON search_product;
DROP TRIGGER search_facet_removed ON search_product;
DROP FUNCTION search_facet_count();
DROP TABLE search_facet;
"""


async def run(client: Any, postgres: str, sqlite: str) -> None:
    """Run the script of `client`'s database."""
    postgres_client = client.capabilities.dialect == "postgres"
    await client.execute_script(postgres if postgres_client else sqlite)


async def create_facets(apps, schema_editor) -> None:
    await run(schema_editor.client, POSTGRES + POSTGRES_BACKFILL, SQLITE + SQLITE_BACKFILL)


async def drop_facets(apps, schema_editor) -> None:
    await run(schema_editor.client, POSTGRES_DROP, SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0018_category_counts")]

    initial = False

    operations = [ops.RunPython(create_facets, drop_facets)]
