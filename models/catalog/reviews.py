"""Buyers' reviews of the lines they bought, the shop's replies, reports of reviews, and the
rating tallies of products and shops."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.platform import Moment

if TYPE_CHECKING:
    from models.catalog.product import Product
    from models.orders import OrderLine
    from models.platform import User
    from models.shops import Shop


class ReviewReportReason(StrEnum):
    SPAM = "SPAM"
    OFFENSIVE = "OFFENSIVE"
    MISLEADING = "MISLEADING"
    PERSONAL_DATA = "PERSONAL_DATA"
    OTHER = "OTHER"


class Review(Model):
    # One per order line: the unique key makes a second one (or two racing ones) DUPLICATE.
    id = fields.BigIntField(primary_key=True)
    order_line: fields.OneToOneRelation[OrderLine] = fields.OneToOneField(
        "satupintu.OrderLine", related_name="review", on_delete=fields.RESTRICT
    )
    order_line_id: int
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "satupintu.Product", related_name="reviews", on_delete=fields.RESTRICT
    )
    product_id: int
    shop: fields.ForeignKeyRelation[Shop] = fields.ForeignKeyField(
        "satupintu.Shop", related_name="reviews", on_delete=fields.RESTRICT
    )
    shop_id: int
    author: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name=False, on_delete=fields.RESTRICT
    )
    author_id: int
    rating = fields.SmallIntField()
    text = fields.TextField(default="")
    created_at = Moment()
    edited_at = Moment(null=True)
    is_hidden = fields.BooleanField(default=False)
    hidden_reason = fields.CharField(max_length=1000, default="")
    reply_text = fields.TextField(null=True)
    replied_at = Moment(null=True)
    # How many users reported it: reported reviews not yet hidden wait for an admin.
    reports = fields.IntField(default=0)

    class Meta:
        table = "review"
        indexes = (
            ("product_id", "is_hidden", "id"),
            ("shop_id", "is_hidden", "id"),
            ("is_hidden", "reports", "id"),
        )


class ReviewReport(Model):
    # One per user and review.
    id = fields.BigIntField(primary_key=True)
    review: fields.ForeignKeyRelation[Review] = fields.ForeignKeyField(
        "satupintu.Review", related_name="reported_by", on_delete=fields.CASCADE
    )
    review_id: int
    reporter: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name=False, on_delete=fields.CASCADE
    )
    reporter_id: int
    reason = fields.CharEnumField(ReviewReportReason, max_length=16)
    note = fields.CharField(max_length=1000, default="")
    created_at = Moment()

    class Meta:
        table = "review_report"
        unique_together = (("review_id", "reporter_id"),)


class Tally(Model):
    # How many visible reviews gave each number of stars; changed by atomic increments in the
    # transaction of every review write, so it is exact at once.
    stars_1 = fields.IntField(default=0)
    stars_2 = fields.IntField(default=0)
    stars_3 = fields.IntField(default=0)
    stars_4 = fields.IntField(default=0)
    stars_5 = fields.IntField(default=0)

    class Meta:
        abstract = True


class ProductRating(Tally):
    # A product's tally; triggers copy its average and count into the product's search row
    # (migration 0029).
    product: fields.OneToOneRelation[Product] = fields.OneToOneField(
        "satupintu.Product", related_name=False, primary_key=True, on_delete=fields.CASCADE
    )
    product_id: int

    class Meta:
        table = "product_rating"


class ShopRating(Tally):
    # The tally over every visible review of the shop's products.
    shop: fields.OneToOneRelation[Shop] = fields.OneToOneField(
        "satupintu.Shop", related_name=False, primary_key=True, on_delete=fields.CASCADE
    )
    shop_id: int

    class Meta:
        table = "shop_rating"
