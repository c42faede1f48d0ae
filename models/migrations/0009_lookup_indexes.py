"""Indexes for the lookups the loaders and resolvers make by foreign key."""

from tortoise import migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0008_orders")]

    initial = False

    operations = [
        # Image.digest is declared db_index, but 0005's AddField made no index.
        ops.RunSQL(
            'CREATE INDEX IF NOT EXISTS "idx_image_digest" ON "image" ("digest")',
            reverse_sql='DROP INDEX IF EXISTS "idx_image_digest"',
        ),
        ops.AddIndex(
            model_name="ApiKey",
            index=Index(fields=["user_id", "id"]),
        ),
        ops.AddIndex(
            model_name="CooperativeAdmin",
            index=Index(fields=["user_id"]),
        ),
        ops.AddIndex(
            model_name="Image",
            index=Index(fields=["product_id", "position", "id"]),
        ),
        ops.AddIndex(
            model_name="Membership",
            index=Index(fields=["user_id", "id"]),
        ),
        ops.AddIndex(
            model_name="OrderLine",
            index=Index(fields=["order_id", "id"]),
        ),
        ops.AddIndex(
            model_name="OrderStatusChange",
            index=Index(fields=["order_id", "id"]),
        ),
        ops.AddIndex(
            model_name="Shop",
            index=Index(fields=["owner_id", "id"]),
        ),
    ]
