"""Autodebet: the member's standing instruction (create, pause, resume, cancel, and the list)
and the pengurus's run for a day; the API's refusal comes back as the page's notice."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.formatting import day, is_iso_date, rupiah, today
from storefront.pages.members import membership_in_path
from storefront.pages.pengurus import administered
from storefront.web import api, redirect, render, signed_in_token

KINDS = {"LOAN_INSTALLMENT": "Angsuran pinjaman", "SIMPANAN_WAJIB": "Simpanan wajib"}
STATUSES = {"ACTIVE": "Aktif", "PAUSED": "Dijeda", "CANCELLED": "Dibatalkan"}
# The form's action -> (the operation, its payload's field, what the notice says when done).
ACTIONS = {
    "jeda": ("PauseAutoDebit", "pauseStandingInstruction", "Autodebet dijeda."),
    "lanjut": (
        "ResumeAutoDebit",
        "resumeStandingInstruction",
        "Autodebet aktif lagi; tagihan yang jatuh tempo selama dijeda ikut dibayar.",
    ),
    "batal": ("CancelAutoDebit", "cancelStandingInstruction", "Autodebet dibatalkan."),
}


def _page_of(request: Request) -> str:
    return f"/anggota/{request.path_params['slug']}/autodebet"


async def page(request: Request) -> Response:
    """The member's instructions, newest first, and what they may do with each."""
    token = signed_in_token(request)
    membership = await membership_in_path(request, token, "MyMemberships")
    found = await api(request).run("AutoDebitPage", {"membershipId": membership["id"]}, token=token)
    instructions = (found["node"] or {}).get("standingInstructions") or []
    context = {
        "membership": membership,
        "instructions": instructions,
        "live": [i for i in instructions if i["status"] != "CANCELLED"],
        "kinds": KINDS,
        "statuses": STATUSES,
    }
    return render(request, "member/auto_debit.html", context)


async def create(request: Request) -> Response:
    """The member authorises the bills of the ticked kinds to be paid from SUKARELA."""
    form = await session.checked_form(request)
    token = signed_in_token(request)
    membership = await membership_in_path(request, token, "MyMemberships")
    kinds = [str(kind)[:20] for kind in form.getlist("kinds")][: len(KINDS)]
    variables = {"membershipId": membership["id"], "kinds": [k for k in kinds if k in KINDS]}
    result = (await api(request).run("CreateAutoDebit", variables, token=token))[
        "createStandingInstruction"
    ]
    errors = result["errors"]
    session.flash(request, errors[0]["message"] if errors else "Autodebet aktif.")
    return redirect(_page_of(request))


async def change(request: Request) -> Response:
    """Pause, resume or cancel the member's instruction."""
    form = await session.checked_form(request)
    token = signed_in_token(request)
    await membership_in_path(request, token, "MyMemberships")
    action = ACTIONS.get(str(form.get("action", "")))
    if action is None:
        session.flash(request, "Pilih jeda, lanjutkan atau batalkan.")
        return redirect(_page_of(request))
    operation, payload, done = action
    variables = {"id": str(form.get("instructionId", ""))[:100]}
    result = (await api(request).run(operation, variables, token=token))[payload]
    errors = result["errors"]
    session.flash(request, errors[0]["message"] if errors else done)
    return redirect(_page_of(request))


async def run(request: Request) -> Response:
    """A pengurus runs the auto-debit for a day (today unless another past day is given)."""
    form = await session.checked_form(request)
    token = signed_in_token(request)
    cooperative = await administered(request, token)
    on = str(form.get("date", "")).strip()[:10] or today()
    if not is_iso_date(on):
        session.flash(request, "Tanggal ditulis TTTT-BB-HH, misalnya 2026-12-31.")
        return redirect(f"/pengurus/{cooperative['slug']}")
    variables = {"cooperativeId": cooperative["id"], "date": on}
    result = (await api(request).run("RunAutoDebitFor", variables, token=token))["runAutoDebit"]
    if result["errors"]:
        session.flash(request, result["errors"][0]["message"])
    else:
        session.flash(
            request,
            f"Autodebet {day(on)}: {len(result['paid'])} tagihan dibayar"
            f" ({rupiah(result['collected']['amount'])}), {len(result['unpaid'])} tagihan"
            " tidak tertutup saldo sukarela.",
        )
    return redirect(f"/pengurus/{cooperative['slug']}")


routes = [
    Route("/anggota/{slug}/autodebet", page, name="member_auto_debit"),
    Route("/anggota/{slug}/autodebet", create, methods=["POST"], name="auto_debit_create"),
    Route("/anggota/{slug}/autodebet/ubah", change, methods=["POST"], name="auto_debit_change"),
    Route("/pengurus/{slug}/autodebet", run, methods=["POST"], name="pengurus_auto_debit"),
]
