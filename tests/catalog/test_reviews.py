"""Reviews over HTTP: only the buyer of a COMPLETED order reviews a line, once; its author
edits it once within 30 days; the shop's owner replies once; anyone reports it, a marketplace
admin hides it; ratings are exact after every write, also when many are written at once."""

from __future__ import annotations

import asyncio

import httpx

from models.catalog import ProductRating, Review, ShopRating
from schema.platform.ids import decode_id
from tests.catalog.helpers import add_product, picture, upload
from tests.catalog.review_helpers import (
    another_sale,
    completed_sale,
    ratings,
    review,
)
from tests.conftest import GraphQL, city_admin, contract, sign_up
from tests.orders.complaint_helpers import codes, onlookers, op, order_details

LINE = op("OrderLineDetails")
ADVANCE = contract("AdvanceTestClock")


async def test_only_the_buyer_of_a_completed_order_reviews_each_line_once(gql):
    early = await completed_sale(gql, complete_it=False)  # DELIVERED, not yet COMPLETED
    who = await onlookers(gql)
    assert codes(await review(gql, early.buyer, early.line_id, 5)) == [
        ("orderLineId", "INVALID_STATE")
    ]
    done = await completed_sale(gql)
    for token, code in ((done.seller, "PERMISSION_DENIED"),
                        (who.other_buyer["token"], "NOT_FOUND"),
                        (who.other_seller["token"], "NOT_FOUND"),
                        (who.admin["token"], "NOT_FOUND")):  # fmt: skip
        assert codes(await review(gql, token, done.line_id, 1)) == [("orderLineId", code)]
    assert codes(await review(gql, None, done.line_id, 1)) == [(None, "UNAUTHENTICATED")]
    guessed = await review(gql, done.buyer, early.line_id.replace("A", "B"), 5)
    assert codes(guessed) == [("orderLineId", "NOT_FOUND")]
    for rating, text, field in ((0, "", "input.rating"), (6, "", "input.rating"),
                                (5, "x" * 1001, "input.text")):  # fmt: skip
        bad = await review(gql, done.buyer, done.line_id, rating, text)
        assert codes(bad) == [(field, "INVALID")]
    assert not await Review.exists(order_line_id=decode_id(done.line_id, "OrderLine"))
    assert (await ratings(gql, done.sale.product["slug"]))["rating"]["count"] == 0

    written = await review(gql, done.buyer, done.line_id, 4, "  " + "y" * 1000 + " ")
    assert written["errors"] == [], written
    node = written["review"]
    assert (node["rating"], node["text"], node["authorName"]) == (4, "y" * 1000, "Pembeli")
    assert node["variantName"] is None
    assert node["product"]["rating"] == {"average": 4.0, "count": 1}
    again = await review(gql, done.buyer, done.line_id, 5)
    assert codes(again) == [("orderLineId", "DUPLICATE")]

    for token in (done.buyer, done.seller):
        details = await order_details(gql, done.sale.order_id, token)
        assert details is not None
        assert details["lines"][0]["review"] == {
            "id": node["id"], "rating": 4, "text": "y" * 1000, "editedAt": None,
            "isHidden": False,
        }  # fmt: skip
        line = (await gql(LINE, {"id": done.line_id}, token=token))["data"]["node"]
        assert line["review"]["id"] == node["id"]
    unseen = await gql(LINE, {"id": done.line_id}, token=who.other_buyer["token"])
    assert unseen["data"]["node"] is None


async def test_ratings_are_exact_per_product_and_shop_with_the_shown_average(gql):
    first = await completed_sale(gql)
    sale = first.sale
    second_product = await add_product(gql, sale.seller["token"], sale.shop["id"], name="Kopi")
    buyers = [first] + [await another_sale(gql, sale) for _ in range(3)]
    other = await another_sale(gql, sale, second_product)
    for done, stars in zip(buyers, (5, 4, 4, 4), strict=True):
        assert (await review(gql, done.buyer, done.line_id, stars))["errors"] == []
    assert (await review(gql, other.buyer, other.line_id, 1))["errors"] == []
    product = await ratings(gql, sale.product["slug"])
    # 17 / 4 = 4.25, shown rounded half up
    assert product["rating"] == {"average": 4.3, "count": 4, "distribution": [0, 0, 0, 3, 1]}
    assert product["shop"]["rating"] == {
        "average": 3.6, "count": 5, "distribution": [1, 0, 0, 3, 1]
    }  # fmt: skip
    assert product["reviews"]["totalCount"] == 4
    assert [e["node"]["rating"] for e in product["reviews"]["edges"]] == [4, 4, 4, 5]
    plain = await ratings(gql, second_product["slug"])
    assert plain["rating"] == {"average": 1.0, "count": 1, "distribution": [1, 0, 0, 0, 0]}
    unrated = await add_product(gql, sale.seller["token"], sale.shop["id"], name="Teh")
    assert (await ratings(gql, unrated["slug"]))["rating"] == {
        "average": None, "count": 0, "distribution": [0, 0, 0, 0, 0]
    }  # fmt: skip


async def test_many_reviews_at_once_leave_the_ratings_exact(gql):
    first = await completed_sale(gql)
    sales = [first] + [await another_sale(gql, first.sale) for _ in range(7)]
    stars = [1, 2, 3, 4, 5, 5, 4, 3]
    results = await asyncio.gather(
        *(review(gql, s.buyer, s.line_id, n) for s, n in zip(sales, stars, strict=True)),
        *(review(gql, s.buyer, s.line_id, 5) for s in sales[:3]),  # each racing its own twin
    )
    assert sum(1 for r in results if r["errors"] == []) == 8
    assert all(codes(r) == [("orderLineId", "DUPLICATE")] for r in results if r["errors"])
    found = await ratings(gql, first.sale.product["slug"])
    written = {r["review"]["id"]: r["review"]["rating"] for r in results if r["errors"] == []}
    distribution = [list(written.values()).count(n) for n in range(1, 6)]
    assert found["rating"]["distribution"] == distribution
    assert found["rating"]["count"] == 8
    assert found["shop"]["rating"]["distribution"] == distribution
    # the tallies are what a recount of the visible reviews gives
    product_id = decode_id(found["id"], "Product")
    recount = [await Review.filter(product_id=product_id, is_hidden=False, rating=n).count()
               for n in range(1, 6)]  # fmt: skip
    assert recount == distribution
    tally = await ProductRating.get(product_id=product_id)
    assert [tally.stars_1, tally.stars_2, tally.stars_3, tally.stars_4, tally.stars_5] == recount
    shop = await ShopRating.get(shop_id=decode_id(found["shop"]["id"], "Shop"))
    assert [shop.stars_1, shop.stars_2, shop.stars_3, shop.stars_4, shop.stars_5] == recount


async def test_the_shop_owner_replies_once_and_the_inbox_lists_the_unanswered(gql):
    done = await completed_sale(gql)
    second = await another_sale(gql, done.sale)
    who = await onlookers(gql)
    one = (await review(gql, done.buyer, done.line_id, 5))["review"]["id"]
    two = (await review(gql, second.buyer, second.line_id, 3))["review"]["id"]
    reply = op("ReplyToReview")
    for token, code in ((done.buyer, "PERMISSION_DENIED"),
                        (who.other_seller["token"], "PERMISSION_DENIED")):  # fmt: skip
        refused = (await gql(reply, {"id": one, "text": "Terima kasih"}, token=token))["data"]
        assert codes(refused["replyToReview"]) == [("id", code)]
    for text in ("   ", "x" * 1001):
        bad = await gql(reply, {"id": one, "text": text}, token=done.seller)
        assert codes(bad["data"]["replyToReview"]) == [("text", "INVALID")]
    answered = await gql(reply, {"id": one, "text": " Terima kasih! "}, token=done.seller)
    assert answered["data"]["replyToReview"]["review"]["reply"]["text"] == "Terima kasih!"
    twice = await gql(reply, {"id": one, "text": "Lagi"}, token=done.seller)
    assert codes(twice["data"]["replyToReview"]) == [("id", "DUPLICATE")]

    async def listed(replied):
        found = await gql(op("ShopReviews"), {"shopId": done.sale.shop["id"], "replied": replied})
        assert "errors" not in found, found
        return [e["node"]["id"] for e in found["data"]["node"]["reviews"]["edges"]]

    assert await listed(False) == [two]
    assert await listed(True) == [one]
    assert await listed(None) == [two, one]


async def test_reports_go_to_the_admins_who_hide_a_review_from_lists_and_ratings(gql):
    done = await completed_sale(gql)
    second = await another_sale(gql, done.sale)
    who = await onlookers(gql)
    kept = (await review(gql, second.buyer, second.line_id, 5))["review"]["id"]
    bad = (await review(gql, done.buyer, done.line_id, 1, "Jelek, hubungi 0812"))["review"]["id"]
    report = op("ReportReview")
    anonymous = await gql(report, {"id": bad, "reason": "PERSONAL_DATA"})
    assert codes(anonymous["data"]["reportReview"]) == [(None, "UNAUTHENTICATED")]
    reported = await gql(report, {"id": bad, "reason": "PERSONAL_DATA", "note": "Nomor HP"},
                         token=who.other_buyer["token"])  # fmt: skip
    assert reported["data"]["reportReview"] == {"ok": True, "errors": []}
    twice = await gql(report, {"id": bad, "reason": "SPAM"}, token=who.other_buyer["token"])
    assert codes(twice["data"]["reportReview"]) == [("id", "DUPLICATE")]
    moderation = op("MarketplaceModeration")
    refused = await gql(moderation, {}, token=who.other_buyer["token"])
    assert refused["data"] is None or refused["data"]["reportedReviews"] is None
    assert {e["extensions"]["code"] for e in refused["errors"]} == {"FORBIDDEN"}
    waiting = (await gql(moderation, {}, token=who.admin["token"]))["data"]["reportedReviews"]
    assert bad in [e["node"]["id"] for e in waiting["edges"]]
    assert kept not in [e["node"]["id"] for e in waiting["edges"]]

    hide = op("HideReview")
    for token in (done.seller, done.buyer, who.other_buyer["token"]):
        denied = await gql(hide, {"id": bad, "reason": "Data pribadi"}, token=token)
        assert codes(denied["data"]["hideReview"]) == [("id", "PERMISSION_DENIED")]
    blank = await gql(hide, {"id": bad, "reason": " "}, token=who.admin["token"])
    assert codes(blank["data"]["hideReview"]) == [("reason", "REQUIRED")]
    hidden = await gql(hide, {"id": bad, "reason": "Data pribadi"}, token=who.admin["token"])
    payload = hidden["data"]["hideReview"]
    assert payload["errors"] == []
    assert payload["review"]["isHidden"] is True
    assert payload["review"]["product"]["rating"] == {
        "average": 5.0, "count": 1, "distribution": [0, 0, 0, 0, 1]
    }  # fmt: skip
    again = await gql(hide, {"id": bad, "reason": "Lagi"}, token=who.admin["token"])
    assert codes(again["data"]["hideReview"]) == [("id", "INVALID_STATE")]
    page = await ratings(gql, done.sale.product["slug"])
    assert [e["node"]["id"] for e in page["reviews"]["edges"]] == [kept]
    assert page["shop"]["rating"]["count"] == 1
    shop = await gql(op("ShopReviews"), {"shopId": done.sale.shop["id"]})
    assert [e["node"]["id"] for e in shop["data"]["node"]["reviews"]["edges"]] == [kept]
    waiting = (await gql(moderation, {}, token=who.admin["token"]))["data"]["reportedReviews"]
    assert bad not in [e["node"]["id"] for e in waiting["edges"]]
    for mutation, variables, token, name in (
        (report, {"id": bad, "reason": "SPAM"}, who.other_seller["token"], "reportReview"),
        (op("ReplyToReview"), {"id": bad, "text": "Maaf"}, done.seller, "replyToReview"),
        (op("UpdateReview"), {"id": bad, "input": {"rating": 5}}, done.seller, "updateReview"),
    ):
        gone = await gql(mutation, variables, token=token)
        assert codes(gone["data"][name]) == [("id", "NOT_FOUND")], name
    # its author and the seller still see it on the order, marked hidden
    for token in (done.buyer, done.seller):
        details = await order_details(gql, done.sale.order_id, token)
        assert details is not None
        assert details["lines"][0]["review"]["isHidden"] is True
    by_author = await gql(op("UpdateReview"), {"id": bad, "input": {"rating": 5}},
                          token=done.buyer)  # fmt: skip
    assert codes(by_author["data"]["updateReview"]) == [("id", "INVALID_STATE")]
    assert (await ratings(gql, done.sale.product["slug"]))["rating"]["count"] == 1


async def test_its_author_edits_once_and_ratings_follow(gql):
    done = await completed_sale(gql)
    who = await onlookers(gql)
    written = (await review(gql, done.buyer, done.line_id, 2, "Kurang"))["review"]["id"]
    update = op("UpdateReview")
    for token in (done.seller, who.other_buyer["token"], who.admin["token"]):
        denied = await gql(update, {"id": written, "input": {"rating": 5}}, token=token)
        assert codes(denied["data"]["updateReview"]) == [("id", "PERMISSION_DENIED")]
    bad = await gql(update, {"id": written, "input": {"rating": 9}}, token=done.buyer)
    assert codes(bad["data"]["updateReview"]) == [("input.rating", "INVALID")]
    edited = await gql(update, {"id": written, "input": {"rating": 5, "text": "Ternyata bagus"}},
                       token=done.buyer)  # fmt: skip
    payload = edited["data"]["updateReview"]
    assert payload["errors"] == []
    assert payload["review"]["editedAt"] is not None
    assert payload["review"]["product"]["rating"] == {"average": 5.0, "count": 1}
    assert (await ratings(gql, done.sale.product["slug"]))["shop"]["rating"]["distribution"] == [
        0, 0, 0, 0, 1
    ]  # fmt: skip
    twice = await gql(update, {"id": written, "input": {"rating": 1}}, token=done.buyer)
    assert codes(twice["data"]["updateReview"]) == [("id", "DUPLICATE")]


async def test_photos_are_its_authors_at_most_three(gql, client):
    done = await completed_sale(gql)
    written = (await review(gql, done.buyer, done.line_id, 5))["review"]["id"]
    document = op("UploadReviewPhoto")
    variables = {"reviewId": written}
    stranger = await sign_up(gql, "Orang Lain")
    for token in (done.seller, stranger["token"]):
        refused = await upload(client, token, document, variables, "a.png", picture("PNG"))
        assert codes(refused["data"]["uploadReviewPhoto"]) == [("reviewId", "PERMISSION_DENIED")]
    photos = []
    for i in range(3):
        stored = await upload(client, done.buyer, document, variables, "a.png",
                              picture("PNG", size=(300 + i, 200)))  # fmt: skip
        assert stored["data"]["uploadReviewPhoto"]["errors"] == [], stored
        photos.append(stored["data"]["uploadReviewPhoto"]["image"]["id"])
    fourth = await upload(client, done.buyer, document, variables, "a.png", picture("PNG"))
    assert codes(fourth["data"]["uploadReviewPhoto"]) == [("file", "LIMIT_EXCEEDED")]
    page = await ratings(gql, done.sale.product["slug"])
    shown = page["reviews"]["edges"][0]["node"]["photos"]
    assert [p["id"] for p in shown] == photos
    assert all(p["thumbnail"]["url"] for p in shown)
    found = await gql("query($id: ID!) { node(id: $id) { id } }", {"id": photos[0]})
    assert found["data"]["node"] == {"id": photos[0]}


async def test_an_edit_is_allowed_for_30_days_on_the_sandbox_clock(gql, sandbox):
    done = await completed_sale(gql)
    second = await another_sale(gql, done.sale)
    early = (await review(gql, done.buyer, done.line_id, 3))["review"]["id"]
    late = (await review(gql, second.buyer, second.line_id, 3))["review"]["id"]
    admin = (await city_admin(gql))["token"]
    update = op("UpdateReview")
    async with httpx.AsyncClient(base_url=sandbox.url, timeout=300) as http:
        sgql = GraphQL(http)

        async def advance(days: int) -> None:
            moved = await sgql(ADVANCE, {"input": {"days": days}}, token=admin)
            assert moved["data"]["advanceTestClock"]["errors"] == [], moved

        await advance(29)
        within = await sgql(update, {"id": early, "input": {"rating": 4}}, token=done.buyer)
        assert within["data"]["updateReview"]["errors"] == []
        await advance(2)
        past = await sgql(update, {"id": late, "input": {"rating": 4}}, token=second.buyer)
        assert codes(past["data"]["updateReview"]) == [("id", "INVALID_STATE")]
    page = await ratings(gql, done.sale.product["slug"])
    assert page["rating"]["distribution"] == [0, 0, 1, 1, 0]
