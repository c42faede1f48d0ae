"""Categories, products and their images."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from models.platform import Moment

if TYPE_CHECKING:
    from models.catalog.reviews import Review
    from models.orders import Complaint
    from models.platform import User
    from models.shops import Shop


class ProductStatus(StrEnum):
    DRAFT = "DRAFT"
    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"


class Category(Model):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=80, unique=True)
    name = fields.CharField(max_length=80)
    parent: fields.ForeignKeyNullableRelation[Category] = fields.ForeignKeyField(
        "satupintu.Category", related_name="children", null=True, on_delete=fields.RESTRICT
    )
    parent_id: int | None
    position = fields.IntField(default=0)

    class Meta:
        table = "category"


class Product(Model):
    id = fields.BigIntField(primary_key=True)
    shop: fields.ForeignKeyRelation[Shop] = fields.ForeignKeyField(
        "satupintu.Shop", related_name="products", on_delete=fields.RESTRICT
    )
    shop_id: int
    slug = fields.CharField(max_length=120, unique=True)
    name = fields.CharField(max_length=120)
    description = fields.TextField(default="")
    price = fields.BigIntField()
    stock = fields.IntField(default=0)
    weight_grams = fields.IntField(default=0)
    category: fields.ForeignKeyRelation[Category] = fields.ForeignKeyField(
        "satupintu.Category", related_name="products", on_delete=fields.RESTRICT
    )
    category_id: int
    is_halal = fields.BooleanField(default=False)
    status = fields.CharEnumField(ProductStatus, max_length=10, default=ProductStatus.DRAFT)
    units_sold = fields.IntField(default=0)
    created_at = Moment(auto_now_add=True, db_index=True)
    updated_at = Moment(auto_now=True)

    class Meta:
        table = "product"
        indexes = (("shop_id", "status", "id"),)


class CategoryCount(Model):
    # ACTIVE products in a category (not counting its subcategories'), kept by triggers on
    # `product` in the transaction of every change (migration 0018), so it is always exact.
    category: fields.OneToOneRelation[Category] = fields.OneToOneField(
        "satupintu.Category", related_name=False, primary_key=True, on_delete=fields.CASCADE
    )
    category_id: int
    active = fields.BigIntField(default=0)

    class Meta:
        table = "category_count"


class Image(Model):
    # A stored picture: its renditions are content-addressed keys in the media store.
    id = fields.BigIntField(primary_key=True)
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name=False, on_delete=fields.CASCADE
    )
    owner_id: int
    product: fields.ForeignKeyNullableRelation[Product] = fields.ForeignKeyField(
        "satupintu.Product", related_name="images", null=True, on_delete=fields.CASCADE
    )
    product_id: int | None
    # A photo of a complaint (komplain), seen by whoever may see the complaint.
    complaint: fields.ForeignKeyNullableRelation[Complaint] = fields.ForeignKeyField(
        "satupintu.Complaint", related_name="photos", null=True, on_delete=fields.CASCADE
    )
    complaint_id: int | None
    # A photo of a review, seen by whoever may see the review.
    review: fields.ForeignKeyNullableRelation[Review] = fields.ForeignKeyField(
        "satupintu.Review", related_name="photos", null=True, on_delete=fields.CASCADE
    )
    review_id: int | None
    # SHA-256 of the cleaned picture: rows with the same digest share stored objects.
    digest = fields.CharField(max_length=64, db_index=True, default="")
    alt = fields.CharField(max_length=200, default="")
    width = fields.IntField()
    height = fields.IntField()
    # [{"width": 320, "height": 240, "key": "img/ab/abcd.../320.webp"}, ...], widest last.
    renditions: fields.JSONField[list[dict[str, Any]]] = fields.JSONField()
    position = fields.IntField(default=0)
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "image"
        indexes = (("product_id", "position", "id"),)
