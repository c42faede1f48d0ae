"""Tagihan: a member pays their unpaid bills at one door (from savings, QRIS or a transfer),
reads the receipt, inquires an outside bill (PLN, PDAM, BPJS) and pays it; a pengurus issues
a month's bills."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.formatting import month, parse_rupiah, rupiah, this_month
from storefront.pages.checkout import sukarela
from storefront.pages.members import membership_in_path
from storefront.pages.orders import qr_svg
from storefront.pages.pengurus import administered
from storefront.web import (
    api,
    field_errors,
    fresh_key,
    page_errors,
    posted_key,
    redirect,
    render,
    signed_in_token,
)

SOURCES = {
    "SUKARELA": "Simpanan sukarela",
    "QRIS": "QRIS (pindai dengan aplikasi bank atau dompet digital)",
    "BANK_TRANSFER": "Transfer ke virtual account",
}
OUTSIDE_KINDS = {
    "PLN_POSTPAID": "PLN pascabayar",
    "PLN_TOKEN": "Token listrik PLN",
    "PDAM": "PDAM (air)",
    "BPJS": "BPJS Kesehatan",
}
KINDS = {
    "SIMPANAN_POKOK": "Simpanan pokok",
    "SIMPANAN_WAJIB": "Simpanan wajib",
    "LOAN_INSTALLMENT": "Angsuran pinjaman",
    **OUTSIDE_KINDS,
}
STATES = {
    "UNPAID": "Belum dibayar",
    "EXPIRED": "Kedaluwarsa: cek ulang tagihannya",
    "PENDING": "Diproses biller: kami tanyakan lagi sampai lunas",
    "PAID": "Lunas",
    "REFUNDED": "Dibatalkan biller: uang sudah dikembalikan",
}
RECEIPT_STATUS = {
    "AWAITING_PAYMENT": "Menunggu pembayaran",
    "PAID": "Dibayar",
    "REFUNDED": "Dikembalikan: ada tagihan yang tidak bisa lagi dibayar",
}
DENOMINATIONS = [20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000]
PAY_FIELDS = {"billIds", "source", "membershipId"}
INQUIRY_FIELDS = {"kind", "customerNumber", "denomination"}
# A page shown again after PayBills refused: (token, values, errors) -> the page.
Refused = Callable[[str, dict[str, Any], dict[str, str]], Awaitable[Response]]


async def bills_page(request: Request) -> Response:
    return await _bills_page(request, signed_in_token(request), {}, {})


async def _bills_page(
    request: Request, token: str, values: dict[str, Any], errors: dict[str, str], status: int = 200
) -> Response:
    context = await _member_context(request, token, values, errors, PAY_FIELDS)
    context.update(bills=context["membership"]["bills"], all_key=fresh_key(), pick_key=fresh_key())
    return render(request, "bills/member.html", context, status)


async def _member_context(
    request: Request, token: str, values: dict[str, Any], errors: dict[str, str], fields: set[str]
) -> dict[str, Any]:
    """What both forms of a member's bills show: the membership, its savings, the errors."""
    membership = await _active_membership(request, token, "MemberBills")
    return {
        "membership": membership,
        "sukarela": sukarela(membership),
        "sources": SOURCES,
        "values": values,
        "errors": errors,
        "page_errors": page_errors(errors, fields),
    }


async def _active_membership(request: Request, token: str, operation: str) -> dict[str, Any]:
    """The user's own ACTIVE membership of the path's cooperative; 404 for anyone else."""
    membership = await membership_in_path(request, token, operation)
    if membership["status"] != "ACTIVE":
        raise HTTPException(404)
    return membership


async def pay(request: Request) -> Response:
    """Bills of the member's page; refused, that page again with the errors."""

    async def refused(token: str, values: dict[str, Any], errors: dict[str, str]) -> Response:
        return await _bills_page(request, token, values, errors, 400)

    return await _pay(request, refused)


async def pay_outside(request: Request) -> Response:
    """The outside bill just inquired; refused, that bill again with the errors."""

    async def refused(token: str, values: dict[str, Any], errors: dict[str, str]) -> Response:
        variables = {"id": (values["bill_ids"] or [""])[0]}
        bill = (await api(request).run("OutsideBillPage", variables, token=token))["node"]
        kind = {"kind": bill["kind"]} if bill else {}
        return await _outside_page(request, token, kind, {}, 400, bill or None, errors)

    return await _pay(request, refused)


async def _pay(request: Request, refused: Refused) -> Response:
    """One PayBills: the form's key makes a second submit of the same form pay nothing more."""
    form = await session.checked_form(request)
    token = signed_in_token(request)
    membership = await _active_membership(request, token, "MyMemberships")
    bill_ids = [str(value)[:200] for value in form.getlist("bill_id")][:100]
    source = str(form.get("source", ""))
    values = {"bill_ids": bill_ids, "source": source}
    if not bill_ids:
        return await refused(token, values, {"billIds": "Pilih tagihan."})
    if source not in SOURCES:
        return await refused(token, values, {"source": "Pilih cara bayar."})
    variables = {
        "input": {
            "billIds": bill_ids,
            "source": source,
            "membershipId": membership["id"],
            "idempotencyKey": posted_key(form),
        }
    }
    result = (await api(request).run("PayMemberBills", variables, token=token))["payBills"]
    if result["errors"]:
        return await refused(token, values, field_errors(result["errors"]))
    slug = request.path_params["slug"]
    return redirect(f"/anggota/{slug}/tagihan/kuitansi/{result['receipt']['id']}")


async def _receipt(request: Request, token: str) -> dict[str, Any]:
    await _active_membership(request, token, "MyMemberships")
    variables = {"id": request.path_params["id"][:200]}
    found = (await api(request).run("BillReceiptPage", variables, token=token))["node"]
    if not found or "lines" not in found:
        raise HTTPException(404)
    return found


async def receipt(request: Request) -> Response:
    found = await _receipt(request, signed_in_token(request))
    context = {
        "receipt": found,
        "slug": request.path_params["slug"],
        "sources": SOURCES,
        "kinds": KINDS,
        "states": STATES,
        "receipt_status": RECEIPT_STATUS,
    }
    return render(request, "bills/receipt.html", context)


async def receipt_qris(request: Request) -> Response:
    """The QR code of a receipt awaiting its QRIS payment, as SVG."""
    found = await _receipt(request, signed_in_token(request))
    if found["status"] != "AWAITING_PAYMENT" or not found["qrisPayload"]:
        raise HTTPException(404)
    return Response(
        qr_svg(found["qrisPayload"]),
        media_type="image/svg+xml",
        headers={"Cache-Control": "private, max-age=3600"},
    )


async def outside_form(request: Request) -> Response:
    token = signed_in_token(request)
    return await _outside_page(request, token, {"kind": "PLN_POSTPAID"}, {})


async def inquire(request: Request) -> Response:
    """InquireBill at the biller; the bill found, with a form to pay it."""
    form = await session.checked_form(request)
    token = signed_in_token(request)
    values = {name: str(form.get(name, "")).strip()[:100] for name in INQUIRY_FIELDS}
    if values["kind"] not in OUTSIDE_KINDS:
        return await _outside_page(request, token, values, {"kind": "Pilih jenis tagihan."}, 400)
    token_kind = values["kind"] == "PLN_TOKEN"
    denomination = parse_rupiah(values["denomination"]) if token_kind else None
    if token_kind and denomination is None:
        errors = {"denomination": "Pilih nominal token."}
        return await _outside_page(request, token, values, errors, 400)
    variables = {
        "kind": values["kind"],
        "customerNumber": values["customerNumber"],
        "denomination": denomination,
    }
    result = (await api(request).run("InquireOutsideBill", variables, token=token))["inquireBill"]
    if result["errors"]:
        return await _outside_page(request, token, values, field_errors(result["errors"]), 400)
    return await _outside_page(request, token, values, {}, bill=result["bill"])


async def _outside_page(
    request: Request,
    token: str,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
    bill: dict[str, Any] | None = None,
    pay_errors: dict[str, str] | None = None,
) -> Response:
    context = await _member_context(request, token, values, errors, INQUIRY_FIELDS)
    pay_errors = pay_errors or {}
    context.update(
        bill=bill,
        pay_errors=pay_errors,
        pay_page_errors=page_errors(pay_errors, {"source", "membershipId"}),
        pay_key=fresh_key(),
        outside_kinds=OUTSIDE_KINDS,
        denominations=[(str(amount), rupiah(amount)) for amount in DENOMINATIONS],
    )
    return render(request, "bills/outside.html", context, status)


async def issue(request: Request) -> Response:
    """A pengurus issues a month's bills; the notice says how many are new."""
    form = await session.checked_form(request)
    token = signed_in_token(request)
    cooperative = await administered(request, token)
    period = str(form.get("period", "")).strip()[:20] or this_month()
    variables = {"cooperativeId": cooperative["id"], "period": period}
    result = (await api(request).run("IssueMonthBills", variables, token=token))[
        "issueMonthlyBills"
    ]
    if result["errors"]:
        session.flash(request, result["errors"][0]["message"])
    else:
        session.flash(
            request, f"{result['issued']} tagihan baru diterbitkan untuk {month(period)}."
        )
    return redirect(f"/pengurus/{cooperative['slug']}")


routes = [
    Route("/anggota/{slug}/tagihan", bills_page, name="member_bills"),
    Route("/anggota/{slug}/tagihan/bayar", pay, methods=["POST"], name="member_bills_pay"),
    Route("/anggota/{slug}/tagihan/kuitansi/{id}", receipt, name="member_bill_receipt"),
    Route("/anggota/{slug}/tagihan/kuitansi/{id}/qris.svg", receipt_qris, name="bill_qris"),
    Route("/anggota/{slug}/tagihan/luar", outside_form, name="outside_bill"),
    Route("/anggota/{slug}/tagihan/luar", inquire, methods=["POST"], name="outside_inquire"),
    Route("/anggota/{slug}/tagihan/luar/bayar", pay_outside, methods=["POST"], name="outside_pay"),
    Route("/pengurus/{slug}/tagihan", issue, methods=["POST"], name="pengurus_issue_bills"),
]
