"""Notifikasi: the signed-in visitor's notifications, newest first, marked read one by one or
all at once."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.web import api, redirect, render, signed_in_token


async def notifications_page(request: Request) -> Response:
    token = signed_in_token(request)
    unread_only = request.query_params.get("belum") == "1"
    variables = {"unreadOnly": unread_only, "after": request.query_params.get("setelah")}
    found = (await api(request).run("NotificationsPage", variables, token=token))["notifications"]
    context = {"page": found, "unread_only": unread_only}
    return render(request, "notifications.html", context)


async def mark_read(request: Request) -> Response:
    token = signed_in_token(request)
    form = await session.checked_form(request)
    everything = form.get("semua") == "1"
    ids = [str(form["id"])] if form.get("id") and not everything else None
    result = (await api(request).run("MarkRead", {"ids": ids, "all": everything}, token=token))[
        "markNotificationsRead"
    ]
    if result["errors"]:
        session.flash(request, result["errors"][0]["message"])
    elif everything:
        session.flash(request, "Semua notifikasi sudah ditandai dibaca.")
    return redirect("/notifikasi")


routes = [
    Route("/notifikasi", notifications_page, name="notifications"),
    Route("/notifikasi/baca", mark_read, methods=["POST"], name="notifications_read"),
]
