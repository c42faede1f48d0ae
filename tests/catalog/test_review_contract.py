"""The review operations of the marketplace contract validate against the schema exactly as
written; ProductDetails and RatedProducts also read product variants (another branch of issue
26), so their rating and review parts are validated with the variant fields left out."""

import pytest
from graphql import REMOVE, DocumentNode, FieldNode, Visitor, parse, validate, visit

from schema import build_schema
from tests.orders.complaint_helpers import op

NAMES = [
    "ReviewOrderLine", "UpdateReview", "UploadReviewPhoto", "ReplyToReview", "ShopReviews",
    "ReportReview", "HideReview", "OrderDetails", "OrderLineDetails", "MarketplaceModeration",
]  # fmt: skip
# What the variants branch adds to Product.
VARIANT_FIELDS = {"priceRange", "options", "variants"}


class _WithoutVariants(Visitor):
    def enter_field(self, node: FieldNode, *_):
        return REMOVE if node.name.value in VARIANT_FIELDS else None


def _errors(document: DocumentNode) -> list[str]:
    return [e.message for e in validate(build_schema()._schema, document)]


@pytest.mark.parametrize("name", NAMES)
def test_operation_validates(name):
    assert _errors(parse(op(name))) == []


@pytest.mark.parametrize("name", ["ProductDetails", "RatedProducts"])
def test_the_rating_and_review_parts_validate(name):
    document = parse(op(name))
    assert _errors(visit(document, _WithoutVariants())) == []
