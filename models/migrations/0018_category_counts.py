"""Active products per category, kept by triggers on `product` in the same transaction as any
change (a seller, checkout, a bulk load), so `Category.productCount` reads a few rows instead
of counting every product. Backfilled from the products as they are."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

ADD = """INSERT INTO category_count (category_id, active) {rows}
    ON CONFLICT (category_id) DO UPDATE SET active = category_count.active + excluded.active;"""
TAKE = "UPDATE category_count SET active = active - {n} WHERE category_id = {category};"
SQLITE = f"""
CREATE TRIGGER category_count_insert AFTER INSERT ON product WHEN new.status = 'ACTIVE' BEGIN
    {ADD.format(rows="VALUES (new.category_id, 1)")}
END;
CREATE TRIGGER category_count_delete AFTER DELETE ON product WHEN old.status = 'ACTIVE' BEGIN
    {TAKE.format(n=1, category="old.category_id")}
END;
CREATE TRIGGER category_count_update AFTER UPDATE OF status, category_id ON product
WHEN old.status = 'ACTIVE' OR new.status = 'ACTIVE' BEGIN
    UPDATE category_count SET active = active - 1
        WHERE old.status = 'ACTIVE' AND category_id = old.category_id;
    {ADD.format(rows="SELECT new.category_id, 1 WHERE new.status = 'ACTIVE'")}
END;
"""
# Inserts and deletes per statement (a bulk load updates each category once), changes of
# status or category per row.
POSTGRES = f"""
CREATE FUNCTION category_count_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {
    ADD.format(
        rows="SELECT category_id, count(*) FROM new_rows WHERE status = 'ACTIVE'"
        " GROUP BY category_id"
    )
}
    ELSE
        UPDATE category_count c SET active = c.active - o.n
        FROM (SELECT category_id, count(*) AS n FROM old_rows WHERE status = 'ACTIVE'
              GROUP BY category_id) o
        WHERE c.category_id = o.category_id;
    END IF;
    RETURN NULL;
END $$;
CREATE FUNCTION category_count_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'ACTIVE' THEN
        {TAKE.format(n=1, category="OLD.category_id")}
    END IF;
    IF NEW.status = 'ACTIVE' THEN
        {ADD.format(rows="VALUES (NEW.category_id, 1)")}
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER category_count_insert AFTER INSERT ON product
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION category_count_rows();
CREATE TRIGGER category_count_delete AFTER DELETE ON product
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION category_count_rows();
CREATE TRIGGER category_count_update AFTER UPDATE OF status, category_id ON product
    FOR EACH ROW WHEN ((OLD.status = 'ACTIVE' OR NEW.status = 'ACTIVE')
        AND (OLD.status <> NEW.status OR OLD.category_id <> NEW.category_id))
    EXECUTE FUNCTION category_count_row();
"""
BACKFILL = """INSERT INTO category_count (category_id, active)
SELECT category_id, COUNT(*) FROM product WHERE status = 'ACTIVE' GROUP BY category_id;"""
DROP = """
DROP TRIGGER IF EXISTS category_count_insert{on};
DROP TRIGGER IF EXISTS category_count_delete{on};
DROP TRIGGER IF EXISTS category_count_update{on};
"""


async def create_counts(apps, schema_editor) -> None:
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    await client.execute_script((POSTGRES if postgres else SQLITE) + BACKFILL)


async def drop_counts(apps, schema_editor) -> None:
    client = schema_editor.client
    if client.capabilities.dialect == "postgres":
        await client.execute_script(
            DROP.format(on=" ON product")
            + "DROP FUNCTION category_count_rows(); DROP FUNCTION category_count_row();"
        )
    else:
        await client.execute_script(DROP.format(on=""))


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0017_shu")]

    initial = False

    operations = [
        ops.CreateModel(
            name="CategoryCount",
            fields=[
                (
                    "category",
                    fields.OneToOneField(
                        "satupintu.Category",
                        source_field="category_id",
                        primary_key=True,
                        db_index=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("active", fields.BigIntField(default=0)),
            ],
            options={"table": "category_count", "app": "satupintu", "pk_attr": "category_id"},
            bases=["Model"],
        ),
        ops.RunPython(create_counts, drop_counts),
    ]
