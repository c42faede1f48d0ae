"""Reviews of order lines (one per line), their photos, replies and reports, and the rating
tallies of products and shops. The search row of a product carries its rating (the average
in tenths, rounded half up as shown, and the count), kept by triggers on `product_rating`
in the transaction of every review write, and taken from the tally when the row is made.
No review existed before, so there is nothing to backfill: every rating starts empty."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from models.catalog.reviews import ReviewReportReason


def _count(r: str) -> str:
    return f"({r}.stars_1 + {r}.stars_2 + {r}.stars_3 + {r}.stars_4 + {r}.stars_5)"


def _tenths(r: str) -> str:
    """The average in tenths of a star, rounded half up; 0 without ratings."""
    total = f"({r}.stars_1 + 2 * {r}.stars_2 + 3 * {r}.stars_3 + 4 * {r}.stars_4 + 5 * {r}.stars_5)"
    return f"CASE WHEN {_count(r)} = 0 THEN 0 ELSE ({total} * 20 + {_count(r)}) / (2 * {_count(r)}) END"


COLUMNS = """
CREATE INDEX search_product_rating ON search_product (rating, rating_count, product_id);
"""
FOLLOW = (
    "UPDATE search_product SET rating = {tenths}, rating_count = {count}"
    " WHERE product_id = {row}.product_id"
)
SQLITE = (
    """
ALTER TABLE search_product ADD COLUMN rating INT NOT NULL DEFAULT 0;
ALTER TABLE search_product ADD COLUMN rating_count INT NOT NULL DEFAULT 0;
"""
    + COLUMNS
    + f"""
CREATE TRIGGER product_rating_added AFTER INSERT ON product_rating BEGIN
    {FOLLOW.format(tenths=_tenths("new"), count=_count("new"), row="new")};
END;
CREATE TRIGGER product_rating_changed AFTER UPDATE ON product_rating BEGIN
    {FOLLOW.format(tenths=_tenths("new"), count=_count("new"), row="new")};
END;
CREATE TRIGGER search_product_rated AFTER INSERT ON search_product
WHEN EXISTS (SELECT 1 FROM product_rating WHERE product_id = new.product_id) BEGIN
    UPDATE search_product SET (rating, rating_count) = (
        SELECT {_tenths("r")}, {_count("r")} FROM product_rating r
        WHERE r.product_id = new.product_id
    ) WHERE product_id = new.product_id;
END;
"""
)
SQLITE_DROP = """
DROP TRIGGER search_product_rated;
DROP TRIGGER product_rating_changed;
DROP TRIGGER product_rating_added;
DROP INDEX search_product_rating;
ALTER TABLE search_product DROP COLUMN rating_count;
ALTER TABLE search_product DROP COLUMN rating;
"""
POSTGRES = (
    """
ALTER TABLE search_product ADD COLUMN rating INT NOT NULL DEFAULT 0,
    ADD COLUMN rating_count INT NOT NULL DEFAULT 0;
"""
    + COLUMNS
    + f"""
CREATE FUNCTION product_rating_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {FOLLOW.format(tenths=_tenths("NEW"), count=_count("NEW"), row="NEW")};
    RETURN NULL;
END $$;
CREATE TRIGGER product_rating_search AFTER INSERT OR UPDATE ON product_rating
    FOR EACH ROW EXECUTE FUNCTION product_rating_search();
CREATE FUNCTION search_product_rating() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT {_tenths("r")}, {_count("r")} INTO NEW.rating, NEW.rating_count
    FROM product_rating r WHERE r.product_id = NEW.product_id;
    IF NOT FOUND THEN
        NEW.rating := 0;
        NEW.rating_count := 0;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER search_product_rating BEFORE INSERT ON search_product
    FOR EACH ROW EXECUTE FUNCTION search_product_rating();
"""
)
POSTGRES_DROP = """
DROP TRIGGER search_product_rating ON search_product;
DROP FUNCTION search_product_rating();
DROP TRIGGER product_rating_search ON product_rating;
DROP FUNCTION product_rating_search();
DROP INDEX search_product_rating;
ALTER TABLE search_product DROP COLUMN rating_count, DROP COLUMN rating;
"""


async def rate_search(apps, schema_editor) -> None:
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    await client.execute_script(POSTGRES if postgres else SQLITE)


async def unrate_search(apps, schema_editor) -> None:
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    await client.execute_script(POSTGRES_DROP if postgres else SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0028_variants")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ProductRating",
            fields=[
                (
                    "product",
                    fields.OneToOneField(
                        "satupintu.Product",
                        source_field="product_id",
                        primary_key=True,
                        db_index=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("stars_1", fields.IntField(default=0)),
                ("stars_2", fields.IntField(default=0)),
                ("stars_3", fields.IntField(default=0)),
                ("stars_4", fields.IntField(default=0)),
                ("stars_5", fields.IntField(default=0)),
            ],
            options={"table": "product_rating", "app": "satupintu", "pk_attr": "product_id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Review",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "order_line",
                    fields.OneToOneField(
                        "satupintu.OrderLine",
                        source_field="order_line_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="review",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "product",
                    fields.ForeignKeyField(
                        "satupintu.Product",
                        source_field="product_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="reviews",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "shop",
                    fields.ForeignKeyField(
                        "satupintu.Shop",
                        source_field="shop_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="reviews",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "author",
                    fields.ForeignKeyField(
                        "satupintu.User",
                        source_field="author_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("rating", fields.SmallIntField()),
                ("text", fields.TextField(default="", unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("edited_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("is_hidden", fields.BooleanField(default=False)),
                ("hidden_reason", fields.CharField(default="", max_length=1000)),
                ("reply_text", fields.TextField(null=True, unique=False)),
                ("replied_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("reports", fields.IntField(default=0)),
            ],
            options={
                "table": "review",
                "app": "satupintu",
                "indexes": [
                    Index(fields=["product_id", "is_hidden", "id"]),
                    Index(fields=["shop_id", "is_hidden", "id"]),
                    Index(fields=["is_hidden", "reports", "id"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ReviewReport",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "review",
                    fields.ForeignKeyField(
                        "satupintu.Review",
                        source_field="review_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="reported_by",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "reporter",
                    fields.ForeignKeyField(
                        "satupintu.User",
                        source_field="reporter_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "reason",
                    fields.CharEnumField(
                        description="SPAM: SPAM\nOFFENSIVE: OFFENSIVE\nMISLEADING: MISLEADING\nPERSONAL_DATA: PERSONAL_DATA\nOTHER: OTHER",
                        enum_type=ReviewReportReason,
                        max_length=16,
                    ),
                ),
                ("note", fields.CharField(default="", max_length=1000)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "review_report",
                "app": "satupintu",
                "unique_together": (("review_id", "reporter_id"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ShopRating",
            fields=[
                (
                    "shop",
                    fields.OneToOneField(
                        "satupintu.Shop",
                        source_field="shop_id",
                        primary_key=True,
                        db_index=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("stars_1", fields.IntField(default=0)),
                ("stars_2", fields.IntField(default=0)),
                ("stars_3", fields.IntField(default=0)),
                ("stars_4", fields.IntField(default=0)),
                ("stars_5", fields.IntField(default=0)),
            ],
            options={"table": "shop_rating", "app": "satupintu", "pk_attr": "shop_id"},
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Image",
            name="review",
            field=fields.ForeignKeyField(
                "satupintu.Review",
                source_field="review_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="photos",
                on_delete=OnDelete.CASCADE,
            ),
        ),
        # State only, as 0020 for CategoryCount: the options of a one-to-one keyed model.
        ops.AlterModelOptions(
            name="ProductRating",
            options={"table": "product_rating", "app": "satupintu", "pk_attr": "product_id"},
        ),
        ops.AlterModelOptions(
            name="ShopRating",
            options={"table": "shop_rating", "app": "satupintu", "pk_attr": "shop_id"},
        ),
        ops.RunPython(rate_search, unrate_search),
    ]
