"""The facet tally (0019) also counts the products in stock, per term and (category,
kecamatan, halal), so that a search filtered on stock reads its total and facets there
instead of counting every match (issue 30).

`stocked` changes only when a product's stock crosses zero, but checkouts do that all day,
and on PostgreSQL a checkout emptying several products would lock the shared tally rows in
the order of its products, which two such checkouts can cross (a deadlock). So PostgreSQL's
statement trigger no longer writes the tally: it queues its changes in the unlogged
`search_facet_change`, and one deferred trigger per transaction applies them at commit in
one statement, in key order: a writer holds tally rows only from there to its commit, and
all writers take them in one order. On SQLite (one writer at a time) the triggers write the
tally at once, as before. Rebuilt from the index as it is.
"""

import importlib

from tortoise import migrations
from tortoise.migrations import operations as ops

previous = importlib.import_module("models.migrations.0019_search_facets")

TABLE = previous.TABLE.format(
    more="\n    stocked INT NOT NULL,", flag="{flag}", options="{options}"
)
KEY = previous.KEY
# Adds the (term, facts, products, stocked) rows of `{rows}`.
TALLY = f"""INSERT INTO search_facet ({KEY}, products, stocked)
    SELECT {{rows}}
    ON CONFLICT ({KEY}) DO UPDATE SET products = search_facet.products + excluded.products,
        stocked = search_facet.stocked + excluded.stocked;"""


def _counts(sign: int, facts: str) -> str:
    """A product's counts in the tally: `sign`, and `sign` again when it is in stock."""
    return f"{facts}.category_id, {facts}.kecamatan, {facts}.is_halal, {sign}, {sign} * {facts}.in_stock"


SQLITE = TABLE.format(flag="INT", options=" WITHOUT ROWID") + previous.sqlite_triggers(
    TALLY,
    _counts,
    "category_id, kecamatan, is_halal, in_stock",
    f"{previous.DIMENSIONS_CHANGED} OR old.in_stock IS NOT new.in_stock",
)
SQLITE_BACKFILL = TALLY.format(
    rows="'', category_id, kecamatan, is_halal, COUNT(*), SUM(in_stock) FROM search_product"
    " WHERE true GROUP BY category_id, kecamatan, is_halal"
) + TALLY.format(
    rows="t.value, sp.category_id, sp.kecamatan, sp.is_halal, COUNT(*), SUM(sp.in_stock)"
    " FROM search_product sp JOIN search_product_text x ON x.product_id = sp.product_id,"
    f" {previous.TERMS_OF.format(row='x')}"
    " WHERE t.value <> '' GROUP BY t.value, sp.category_id, sp.kecamatan, sp.is_halal"
)


def pg_pairs(terms: str) -> str:
    """The (term, facts) pairs of the rows `{rows}` for each of their `terms` (an array),
    each counting `{sign}` product and, in stock, `{sign}` stocked."""
    return (
        "SELECT t AS term, category_id, kecamatan, is_halal, {sign} AS n,"
        f" CASE WHEN in_stock THEN {{sign}} ELSE 0 END AS s FROM {{rows}}, unnest({terms}) t"
    )


# A row's terms, and '' (every product counts under it).
TERMS = "array_append(tsvector_to_array(document), '')"
PG_PAIRS = pg_pairs(TERMS)
# Whether this transaction has queued a change yet (reset when the queue is applied).
QUEUED = "current_setting('satupintu.facet_queued', true)"


# Marks the transaction's first queued row (after a statement that queued any), which the
# deferred trigger waits on.
MARK = f"""IF FOUND AND {QUEUED} IS DISTINCT FROM 'yes' THEN
            PERFORM set_config('satupintu.facet_queued', 'yes', true);
            INSERT INTO search_facet_change ({KEY}, products, stocked, first)
                VALUES ('', 0, '', false, 0, 0, true);
        END IF;"""


def pg_queue(queue: str, key: str, *pairs: str, first: bool = True) -> str:
    """Queue in `queue` the summed changes of `pairs` (keyed by `key`, counting `n` products
    and `s` in stock), marking the transaction's first. `first`: whether `queue` has the
    column."""
    changes = " UNION ALL ".join(pairs)
    column, value = (", first", ", false") if first else ("", "")
    return f"""INSERT INTO {queue} ({key}, products, stocked{column})
        SELECT {key}, sum(n), sum(s){value} FROM ({changes}) c GROUP BY {key}
        HAVING sum(n) <> 0 OR sum(s) <> 0;
        {MARK}"""


def _pg_queue(*pairs: str) -> str:
    return pg_queue("search_facet_change", KEY, *pairs)


def pg_apply(queue: str, tally: str, key: str, where: str = "") -> str:
    """Apply the transaction's queue `queue` (no other transaction sees its rows) to the
    tally that `tally` adds to, in key order."""
    return f"""WITH queued AS (DELETE FROM {queue} RETURNING *)
    {
        tally.format(
            rows=f"{key}, sum(products), sum(stocked) FROM queued {where}"
            f" GROUP BY {key} HAVING sum(products) <> 0 OR sum(stocked) <> 0 ORDER BY {key}"
        )
    }"""


def pg_applier(*applied: str, create: str = "CREATE") -> str:
    """The function of the deferred trigger, applying each of `applied` in turn."""
    steps = "\n    ".join(applied)
    return f"""{create} FUNCTION search_facet_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('satupintu.facet_queued', '', true);
    {steps}
    RETURN NULL;
END $$;"""


FACETS_APPLIED = pg_apply("search_facet_change", TALLY, KEY, "WHERE NOT first")

POSTGRES = f"""
{TABLE.format(flag="BOOLEAN", options="")}
CREATE UNLOGGED TABLE search_facet_change (LIKE search_facet, first BOOLEAN NOT NULL);
{previous.pg_triggers(_pg_queue, PG_PAIRS)}
-- Applies the transaction's queue in key order.
{pg_applier(FACETS_APPLIED)}
CREATE CONSTRAINT TRIGGER search_facet_applied AFTER INSERT ON search_facet_change
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.first)
    EXECUTE FUNCTION search_facet_apply();
"""
POSTGRES_BACKFILL = TALLY.format(
    rows="t AS term, category_id, kecamatan, is_halal, COUNT(*), COUNT(*) FILTER (WHERE in_stock)"
    " FROM search_product, unnest(array_append(tsvector_to_array(document), '')) t"
    f" GROUP BY {KEY}"
)
POSTGRES_DROP = """
DROP TRIGGER search_facet_added ON search_product;
DROP TRIGGER search_facet_changed ON search_product;
DROP TRIGGER search_facet_removed ON search_product;
DROP TABLE search_facet_change;
DROP FUNCTION search_facet_count();
DROP FUNCTION search_facet_apply();
DROP TABLE search_facet;
"""


async def create_stock_tally(apps, schema_editor) -> None:
    await previous.drop_facets(apps, schema_editor)
    await previous.run(schema_editor.client, POSTGRES + POSTGRES_BACKFILL, SQLITE + SQLITE_BACKFILL)


async def drop_stock_tally(apps, schema_editor) -> None:
    await previous.run(schema_editor.client, POSTGRES_DROP, previous.SQLITE_DROP)
    await previous.create_facets(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0039_payout_provider")]

    initial = False

    operations = [ops.RunPython(create_stock_tally, drop_stock_tally)]
