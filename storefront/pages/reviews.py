"""Ulasan: the buyer reviews (and once edits) a line of a completed order from the order page,
the seller replies from the shop's dashboard, a marketplace admin hides reported reviews."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.web import api, redirect, render, signed_in_token

STARS = range(1, 6)


def _review_input(form: dict) -> dict:
    rating = str(form.get("rating", ""))
    return {
        "rating": int(rating) if rating.isdecimal() and len(rating) < 3 else 0,
        "text": str(form.get("text", "")),
    }


async def _step(
    request: Request, operation: str, key: str, variables: dict, done: str, back: str = "/pesanan"
) -> Response:
    """Run one step on a review; its error goes back beside the review (or line) `key`, its
    success to the page's notice."""
    data = await api(request).run(operation, variables, token=signed_in_token(request))
    result = next(iter(data.values()))
    if result["errors"]:
        session.keep_errors(request, "review", {key: result["errors"][0]["message"]})
    else:
        session.flash(request, done)
    return redirect(back)


async def write(request: Request) -> Response:
    form = dict(await session.checked_form(request))
    line_id = str(form.get("line_id", ""))
    variables = {"orderLineId": line_id, "input": _review_input(form)}
    done = "Terima kasih atas ulasannya!"
    return await _step(request, "WriteReview", line_id, variables, done)


async def edit(request: Request) -> Response:
    form = dict(await session.checked_form(request))
    review_id = str(form.get("review_id", ""))
    variables = {"id": review_id, "input": _review_input(form)}
    return await _step(request, "EditReview", review_id, variables, "Ulasan diubah.")


async def reply(request: Request) -> Response:
    form = await session.checked_form(request)
    review_id = str(form.get("review_id", ""))
    slug = re.sub(r"[^a-z0-9-]", "", str(form.get("shop", "")))
    variables = {"id": review_id, "text": str(form.get("text", ""))}
    back = f"/penjual/toko/{slug}#ulasan"
    return await _step(request, "ReplyReview", review_id, variables, "Balasan terkirim.", back)


async def moderation(request: Request) -> Response:
    after = request.query_params.get("setelah") or None
    data = await api(request).run(
        "ReportedReviews", {"after": after}, token=signed_in_token(request)
    )
    found = data["reportedReviews"]
    context = {
        "found": found,
        "reviews": [edge["node"] for edge in found["edges"]],
        "errors": session.take_errors(request, "review"),
    }
    return render(request, "admin_reviews.html", context)


async def hide(request: Request) -> Response:
    form = await session.checked_form(request)
    review_id = str(form.get("review_id", ""))
    variables = {"id": review_id, "reason": str(form.get("reason", ""))}
    done, back = "Ulasan disembunyikan.", "/admin/ulasan"
    return await _step(request, "HideReportedReview", review_id, variables, done, back)


routes = [
    Route("/pesanan/ulasan", write, methods=["POST"], name="review_write"),
    Route("/pesanan/ulasan/ubah", edit, methods=["POST"], name="review_edit"),
    Route("/penjual/ulasan", reply, methods=["POST"], name="review_reply"),
    Route("/admin/ulasan", moderation, name="review_moderation"),
    Route("/admin/ulasan/sembunyikan", hide, methods=["POST"], name="review_hide"),
]
