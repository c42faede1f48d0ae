"""The city's programme: socialisation sessions, and the tallies the city's figures read.

`paid_order_month` holds, per Jakarta month of checkout (the payment's `created_at`), how many
orders are paid and their GMV; `city_count` holds `active_products`. Triggers on `payment` and
`product` keep them in the same transaction as any change, whoever makes it (checkout,
webhook, cash on delivery, refund, a seller, a bulk load), so the figures are exact and cost
a read of a few rows instead of a count over every order and product.
"""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

# The month a payment was made in, from `payment` aliased {row}.
SQLITE_MONTH = "strftime('%Y-%m', {row}.created_at, '+7 hours')"
POSTGRES_MONTH = "to_char({row}.created_at AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM')"
ADD = """INSERT INTO paid_order_month (month, orders, gmv)
    SELECT {month}, 1, {row}.amount WHERE {row}.status = 'PAID'
    ON CONFLICT (month) DO UPDATE SET orders = paid_order_month.orders + 1,
        gmv = paid_order_month.gmv + excluded.gmv;"""
TAKE = """UPDATE paid_order_month SET orders = orders - 1, gmv = gmv - {row}.amount
    WHERE {row}.status = 'PAID' AND month = {month};"""


def _sqlite_step(step: str, row: str) -> str:
    return step.format(row=row, month=SQLITE_MONTH.format(row=row))


SQLITE = f"""
CREATE TRIGGER payment_tally_insert AFTER INSERT ON payment WHEN new.status = 'PAID' BEGIN
    {_sqlite_step(ADD, "new")}
END;
CREATE TRIGGER payment_tally_delete AFTER DELETE ON payment WHEN old.status = 'PAID' BEGIN
    {_sqlite_step(TAKE, "old")}
END;
CREATE TRIGGER payment_tally_update AFTER UPDATE OF status, amount, created_at ON payment
WHEN old.status = 'PAID' OR new.status = 'PAID' BEGIN
    {_sqlite_step(TAKE, "old")}
    {_sqlite_step(ADD, "new")}
END;
"""
POSTGRES = f"""
CREATE FUNCTION payment_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        {TAKE.format(row="OLD", month=POSTGRES_MONTH.format(row="OLD"))}
    END IF;
    IF TG_OP <> 'DELETE' THEN
        {ADD.format(row="NEW", month=POSTGRES_MONTH.format(row="NEW"))}
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER payment_tally_insert AFTER INSERT ON payment
    FOR EACH ROW WHEN (NEW.status = 'PAID') EXECUTE FUNCTION payment_tally();
CREATE TRIGGER payment_tally_delete AFTER DELETE ON payment
    FOR EACH ROW WHEN (OLD.status = 'PAID') EXECUTE FUNCTION payment_tally();
CREATE TRIGGER payment_tally_update AFTER UPDATE OF status, amount, created_at ON payment
    FOR EACH ROW WHEN (OLD.status = 'PAID' OR NEW.status = 'PAID')
    EXECUTE FUNCTION payment_tally();
"""
# Active products: row triggers on SQLite; on PostgreSQL a status change is a row trigger
# (most updates, such as stock at checkout, do not touch the count) and inserts and deletes
# are counted per statement, so a bulk load updates the count once.
PRODUCTS = "UPDATE city_count SET value = value + ({delta}) WHERE name = 'active_products';"
ACTIVE_CHANGED = "(old.status = 'ACTIVE') <> (new.status = 'ACTIVE')"
SQLITE_PRODUCTS = f"""
CREATE TRIGGER product_count_insert AFTER INSERT ON product WHEN new.status = 'ACTIVE' BEGIN
    {PRODUCTS.format(delta="1")}
END;
CREATE TRIGGER product_count_delete AFTER DELETE ON product WHEN old.status = 'ACTIVE' BEGIN
    {PRODUCTS.format(delta="-1")}
END;
CREATE TRIGGER product_count_update AFTER UPDATE OF status ON product
WHEN {ACTIVE_CHANGED} BEGIN
    {PRODUCTS.format(delta="CASE WHEN new.status = 'ACTIVE' THEN 1 ELSE -1 END")}
END;
"""
POSTGRES_PRODUCTS = f"""
CREATE FUNCTION product_count_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {PRODUCTS.format(delta="SELECT count(*) FROM new_rows WHERE status = 'ACTIVE'")}
    ELSE
        {PRODUCTS.format(delta="SELECT -count(*) FROM old_rows WHERE status = 'ACTIVE'")}
    END IF;
    RETURN NULL;
END $$;
CREATE FUNCTION product_count_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {PRODUCTS.format(delta="CASE WHEN NEW.status = 'ACTIVE' THEN 1 ELSE -1 END")}
    RETURN NULL;
END $$;
CREATE TRIGGER product_count_insert AFTER INSERT ON product
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION product_count_rows();
CREATE TRIGGER product_count_delete AFTER DELETE ON product
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION product_count_rows();
CREATE TRIGGER product_count_update AFTER UPDATE OF status ON product
    FOR EACH ROW WHEN ({ACTIVE_CHANGED}) EXECUTE FUNCTION product_count_status();
"""
BACKFILL = """INSERT INTO paid_order_month (month, orders, gmv)
SELECT {month}, COUNT(*), SUM(p.amount) FROM payment p WHERE p.status = 'PAID' GROUP BY 1;
INSERT INTO city_count (name, value)
SELECT 'active_products', COUNT(*) FROM product WHERE status = 'ACTIVE';"""
DROP = """
DROP TRIGGER IF EXISTS payment_tally_insert{on};
DROP TRIGGER IF EXISTS payment_tally_delete{on};
DROP TRIGGER IF EXISTS payment_tally_update{on};
DROP TRIGGER IF EXISTS product_count_insert{products};
DROP TRIGGER IF EXISTS product_count_delete{products};
DROP TRIGGER IF EXISTS product_count_update{products};
"""


async def create_tally(apps, schema_editor) -> None:
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    month = (POSTGRES_MONTH if postgres else SQLITE_MONTH).format(row="p")
    triggers = POSTGRES + POSTGRES_PRODUCTS if postgres else SQLITE + SQLITE_PRODUCTS
    await client.execute_script(triggers + BACKFILL.format(month=month))


async def drop_tally(apps, schema_editor) -> None:
    client = schema_editor.client
    if client.capabilities.dialect == "postgres":
        await client.execute_script(
            DROP.format(on=" ON payment", products=" ON product")
            + "DROP FUNCTION payment_tally(); DROP FUNCTION product_count_rows();"
            " DROP FUNCTION product_count_status();"
        )
    else:
        await client.execute_script(DROP.format(on="", products=""))


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0012_cooperatives_books")]

    initial = False

    operations = [
        ops.CreateModel(
            name="PaidOrderMonth",
            fields=[
                (
                    "month",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=7),
                ),
                ("orders", fields.BigIntField(default=0)),
                ("gmv", fields.BigIntField(default=0)),
            ],
            options={"table": "paid_order_month", "app": "satupintu", "pk_attr": "month"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CityCount",
            fields=[
                (
                    "name",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=32),
                ),
                ("value", fields.BigIntField(default=0)),
            ],
            options={"table": "city_count", "app": "satupintu", "pk_attr": "name"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Socialization",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "kelurahan",
                    fields.ForeignKeyField(
                        "satupintu.Kelurahan",
                        source_field="kelurahan_id",
                        db_constraint=True,
                        to_field="code",
                        related_name="socializations",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("held_on", fields.DateField()),
                ("note", fields.CharField(default="", max_length=500)),
                (
                    "recorded_by",
                    fields.ForeignKeyField(
                        "satupintu.User",
                        source_field="recorded_by_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "socialization",
                "app": "satupintu",
                "indexes": [Index(fields=["kelurahan_id", "held_on"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.AddIndex(
            model_name="Membership",
            index=Index(fields=["status", "cooperative_id"]),
        ),
        ops.AddIndex(
            model_name="Membership",
            index=Index(fields=["joined_at"]),
        ),
        ops.RunPython(create_tally, drop_tally),
    ]
