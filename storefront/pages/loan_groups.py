"""Tanggung renteng: the pengurus forms loan groups and sees each one's standing; a member
sees their group's arrears, agrees to a fellow member's loan and pays toward the arrears from
SUKARELA. The API's refusal comes back as the page's notice."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.formatting import parse_rupiah, rupiah
from storefront.pages.members import membership_in_path
from storefront.pages.pengurus import administered
from storefront.web import api, fresh_key, posted_key, redirect, render, signed_in_token


async def pengurus_groups(request: Request) -> Response:
    token = signed_in_token(request)
    cooperative = await administered(request, token)
    found = await api(request).run("PengurusLoanGroups", {"id": cooperative["id"]}, token=token)
    node = found["node"]
    context = {
        "cooperative": node,
        "groups": [edge["node"] for edge in node["loanGroups"]["edges"]],
        "members": [edge["node"] for edge in node["members"]["edges"]],
    }
    return render(request, "pengurus/groups.html", context)


async def form_group(request: Request) -> Response:
    """The pengurus forms a group of the ticked members."""
    form = await session.checked_form(request)
    token = signed_in_token(request)
    cooperative = await administered(request, token)
    grace = str(form.get("graceDays", "")).strip()[:3]
    variables = {
        "input": {
            "cooperativeId": cooperative["id"],
            "name": str(form.get("name", ""))[:200],
            "graceDays": int(grace) if grace.isdigit() else -1,
            "membershipIds": [str(i)[:100] for i in form.getlist("membershipIds")[:20]],
        }
    }
    result = (await api(request).run("FormLoanGroup", variables, token=token))["createLoanGroup"]
    done = f"Kelompok {result['loanGroup']['name']} dibentuk." if result["loanGroup"] else ""
    return _back(request, result, done, f"/pengurus/{request.path_params['slug']}/kelompok")


async def my_group(request: Request) -> Response:
    token = signed_in_token(request)
    membership = await membership_in_path(request, token, "MyMemberships")
    found = (await api(request).run("MyLoanGroup", {"id": membership["id"]}, token=token))["node"]
    context = {
        "cooperative": membership["cooperative"],
        "group": found["loanGroup"],
        "debts": found["groupDebts"],
        "key": fresh_key(),
    }
    return render(request, "member/group.html", context)


async def agree(request: Request) -> Response:
    """The member agrees to a fellow member's loan request."""
    form = await session.checked_form(request)
    token = signed_in_token(request)
    variables = {"loanId": str(form.get("loanId", ""))[:100]}
    result = (await api(request).run("AgreeToGroupLoan", variables, token=token))[
        "approveGroupLoan"
    ]
    return _back(request, result, "Persetujuan Anda tercatat.", _group_page(request))


async def contribute(request: Request) -> Response:
    """The member pays toward the group's arrears from their SUKARELA."""
    form = await session.checked_form(request)
    token = signed_in_token(request)
    amount = parse_rupiah(str(form.get("amount", "")).strip()[:30])
    if amount is None:
        session.flash(request, "Jumlah harus rupiah bulat, misalnya 50.000.")
        return redirect(_group_page(request))
    membership = await membership_in_path(request, token, "MyMemberships")
    variables = {
        "input": {
            "groupId": str(form.get("groupId", ""))[:100],
            "membershipId": membership["id"],
            "amount": amount,
            "idempotencyKey": posted_key(form),
        }
    }
    result = (await api(request).run("PayGroupArrears", variables, token=token))[
        "contributeToGroupArrears"
    ]
    done = f"Pembayaran tunggakan kelompok {rupiah(amount)} dari simpanan sukarela tercatat."
    return _back(request, result, done, _group_page(request))


def _group_page(request: Request) -> str:
    return f"/anggota/{request.path_params['slug']}/kelompok"


def _back(request: Request, result: dict[str, Any], done: str, page: str) -> Response:
    errors = result["errors"]
    session.flash(request, errors[0]["message"] if errors else done)
    return redirect(page)


routes = [
    Route("/pengurus/{slug}/kelompok", pengurus_groups, name="pengurus_groups"),
    Route("/pengurus/{slug}/kelompok/bentuk", form_group, methods=["POST"]),
    Route("/anggota/{slug}/kelompok", my_group, name="membership_group"),
    Route("/anggota/{slug}/kelompok/setujui", agree, methods=["POST"]),
    Route("/anggota/{slug}/kelompok/bayar", contribute, methods=["POST"]),
]
