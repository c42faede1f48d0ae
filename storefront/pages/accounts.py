"""Masuk, daftar and keluar: the API token in the session cookie, and out again; and the
account page, where the visitor chooses their notification channels."""

from __future__ import annotations

import contextlib

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.api import QueryFailed
from storefront.web import (
    api,
    field_errors,
    local_path,
    page_errors,
    redirect,
    render,
    signed_in_token,
)

LOGIN_FIELDS = {"email", "password"}
REGISTER_FIELDS = {"name", "email", "phone", "password"}


async def login_form(request: Request) -> Response:
    return _login(request, {"next": local_path(request.query_params.get("next"))}, {})


async def login(request: Request) -> Response:
    form = await session.checked_form(request)
    values = {name: str(form.get(name, "")) for name in ("email", "password", "next")}
    data = await api(request).run(
        "Login", {"email": values["email"].strip(), "password": values["password"]}
    )
    result = data["login"]
    if result["errors"] or not result["token"]:
        values["password"] = ""
        return _login(request, values, field_errors(result["errors"]), status=400)
    session.sign_in(request, result["token"], result["user"]["name"])
    return redirect(local_path(values["next"]))


def _login(request: Request, values: dict, errors: dict, status: int = 200) -> Response:
    context = {"values": values, "errors": errors, "page_errors": page_errors(errors, LOGIN_FIELDS)}
    return render(request, "login.html", context, status)


async def register_form(request: Request) -> Response:
    return _register(request, {"next": local_path(request.query_params.get("next"))}, {})


async def register(request: Request) -> Response:
    form = await session.checked_form(request)
    values = {name: str(form.get(name, "")) for name in (*REGISTER_FIELDS, "next")}
    body = {
        "name": values["name"].strip(),
        "email": values["email"].strip(),
        "password": values["password"],
        "phone": values["phone"].strip() or None,
    }
    result = (await api(request).run("Register", {"input": body}))["register"]
    if result["errors"] or not result["token"]:
        values["password"] = ""
        return _register(request, values, field_errors(result["errors"]), status=400)
    session.sign_in(request, result["token"], result["user"]["name"])
    session.flash(request, f"Selamat datang, {result['user']['name']}!")
    return redirect(local_path(values["next"]))


def _register(request: Request, values: dict, errors: dict, status: int = 200) -> Response:
    context = {
        "values": values,
        "errors": errors,
        "page_errors": page_errors(errors, REGISTER_FIELDS),
    }
    return render(request, "register.html", context, status)


async def logout_form(request: Request) -> Response:
    return render(request, "logout.html")


async def logout(request: Request) -> Response:
    await session.checked_form(request)
    token = session.token(request)
    if token:
        with contextlib.suppress(QueryFailed):  # an expired token is signed out all the same
            await api(request).run("Logout", token=token)
    session.sign_out(request)
    session.flash(request, "Anda sudah keluar.")
    return redirect("/")


async def account_page(request: Request) -> Response:
    return await _account(request)


async def set_channels(request: Request) -> Response:
    token = signed_in_token(request)
    form = await session.checked_form(request)
    channels = ["IN_APP", *(str(c) for c in form.getlist("saluran"))]
    result = (await api(request).run("SetChannels", {"channels": channels}, token=token))[
        "setNotificationChannels"
    ]
    if result["errors"]:
        return await _account(request, result["errors"][0]["message"], status=400)
    session.flash(request, "Saluran notifikasi disimpan.")
    return redirect("/akun")


async def _account(request: Request, error: str = "", status: int = 200) -> Response:
    token = signed_in_token(request)
    me = (await api(request).run("ChannelPreferences", token=token))["me"]
    context = {"me": me, "channels": me["notificationChannels"] or [], "error": error}
    return render(request, "account.html", context, status)


routes = [
    Route("/akun", account_page, name="account"),
    Route("/akun", set_channels, methods=["POST"], name="account_post"),
    Route("/masuk", login_form, name="login"),
    Route("/masuk", login, methods=["POST"], name="login_post"),
    Route("/daftar", register_form, name="register"),
    Route("/daftar", register, methods=["POST"], name="register_post"),
    Route("/keluar", logout_form, name="logout"),
    Route("/keluar", logout, methods=["POST"], name="logout_post"),
]
