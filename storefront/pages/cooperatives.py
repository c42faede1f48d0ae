"""Koperasi: the city's cooperatives to search, one cooperative's page, and applying to join."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.formatting import phone
from storefront.web import api, field_errors, page_errors, redirect, render, signed_in_token

TYPES = {
    "SIMPAN_PINJAM": "Simpan pinjam",
    "KONSUMEN": "Konsumen",
    "PRODUSEN": "Produsen",
    "PEMASARAN": "Pemasaran",
    "JASA": "Jasa",
    "SERBA_USAHA": "Serba usaha",
}
MEMBERSHIP = {
    "PENDING": "Menunggu persetujuan pengurus",
    "ACTIVE": "Anggota aktif",
    "REJECTED": "Permohonan ditolak",
    "ENDED": "Keanggotaan berakhir",
}
# Most present first: the membership a cooperative's pages show (the API takes one
# application per person per cooperative, whatever became of it).
PRESENCE = ["ACTIVE", "PENDING", "ENDED", "REJECTED"]
APPLY_FIELDS = {"nik", "address", "phone"}


async def directory(request: Request) -> Response:
    query = request.query_params.get("q", "").strip()[:100]
    kecamatan = request.query_params.get("kecamatan", "")[:20]
    after = request.query_params.get("setelah") or None
    variables = {
        "query": query or None,
        "filter": {"kecamatan": [kecamatan]} if kecamatan else None,
        "after": after,
    }
    data = await api(request).run("CooperativeDirectory", variables)
    found = data["cooperatives"]
    kept = [(name, value) for name, value in (("q", query), ("kecamatan", kecamatan)) if value]
    context = {
        "query": query,
        "kecamatan": kecamatan,
        "regions": data["kecamatan"],
        "found": found,
        "cooperatives": [edge["node"] for edge in found["edges"]],
        "types": TYPES,
        "next_page": "/koperasi?" + urlencode([*kept, ("setelah", found["pageInfo"]["endCursor"])])
        if found["pageInfo"]["hasNextPage"]
        else None,
    }
    return render(request, "coop/directory.html", context)


async def by_slug(request: Request, slug: str) -> dict[str, Any]:
    data = await api(request).run("CooperativeBySlug", {"slug": slug})
    if data["cooperative"] is None:
        raise HTTPException(404)
    return data["cooperative"]


async def cooperative_page(request: Request) -> Response:
    cooperative = await by_slug(request, request.path_params["slug"])
    return await _page(request, cooperative, {}, {})


async def apply(request: Request) -> Response:
    form = await session.checked_form(request)
    token = signed_in_token(request)
    cooperative = await by_slug(request, request.path_params["slug"])
    values = {name: str(form.get(name, "")).strip() for name in APPLY_FIELDS}
    body = {"nik": values["nik"], "address": values["address"], "phone": values["phone"] or None}
    variables = {"cooperativeId": cooperative["id"], "input": body}
    result = (await api(request).run("ApplyToJoin", variables, token=token))["applyMembership"]
    if result["errors"]:
        return await _page(request, cooperative, values, field_errors(result["errors"]), 400)
    session.flash(
        request, f"Permohonan ke {cooperative['name']} terkirim. Pengurus akan memeriksanya."
    )
    return redirect("/anggota")


async def _page(
    request: Request,
    cooperative: dict[str, Any],
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    membership = None
    if token := session.token(request):
        me = (await api(request).run("MyMembershipStatus", token=token))["me"]
        mine = [m for m in me["memberships"] if m["cooperative"]["id"] == cooperative["id"]]
        membership = most_present(mine)
        values.setdefault("phone", phone(me["phone"]) if me["phone"] else "")
    context = {
        "cooperative": cooperative,
        "types": TYPES,
        "membership": membership,
        "membership_status": MEMBERSHIP,
        "values": values,
        "errors": errors,
        "page_errors": page_errors(errors, APPLY_FIELDS),
        "canonical": f"/koperasi/{cooperative['slug']}",
    }
    return render(request, "coop/page.html", context, status)


def most_present(memberships: list[dict[str, Any]]) -> dict[str, Any] | None:
    return min(memberships, key=lambda m: PRESENCE.index(m["status"]), default=None)


routes = [
    Route("/koperasi", directory, name="cooperatives"),
    Route("/koperasi/{slug}", cooperative_page, name="cooperative"),
    Route("/koperasi/{slug}/gabung", apply, methods=["POST"], name="cooperative_apply"),
]
