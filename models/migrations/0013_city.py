"""The city's programme: socialisation sessions, and a monthly tally of paid orders.

`paid_order_month` holds, per Jakarta month of checkout (the payment's `created_at`), how many
orders are paid and their GMV. Triggers on `payment` keep it in the same transaction as any
change of a payment's status, whoever makes it (checkout, webhook, cash on delivery, refund,
a bulk load), so the city's figures are exact and cost a read of a few rows.
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
BACKFILL = """INSERT INTO paid_order_month (month, orders, gmv)
SELECT {month}, COUNT(*), SUM(p.amount) FROM payment p WHERE p.status = 'PAID' GROUP BY 1;"""
DROP = """
DROP TRIGGER IF EXISTS payment_tally_insert{on};
DROP TRIGGER IF EXISTS payment_tally_delete{on};
DROP TRIGGER IF EXISTS payment_tally_update{on};
"""


async def create_tally(apps, schema_editor) -> None:
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    month = (POSTGRES_MONTH if postgres else SQLITE_MONTH).format(row="p")
    await client.execute_script((POSTGRES if postgres else SQLITE) + BACKFILL.format(month=month))


async def drop_tally(apps, schema_editor) -> None:
    client = schema_editor.client
    if client.capabilities.dialect == "postgres":
        await client.execute_script(
            DROP.format(on=" ON payment") + "DROP FUNCTION payment_tally();"
        )
    else:
        await client.execute_script(DROP.format(on=""))


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0010_search_speed")]

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
        ops.AddIndex(
            model_name="Product",
            index=Index(fields=["status"]),
        ),
        ops.RunPython(create_tally, drop_tally),
    ]
