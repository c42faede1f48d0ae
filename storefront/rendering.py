"""The Jinja2 environment: autoescaped templates, Indonesian formats, hashed static URLs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.templating import Jinja2Templates

from storefront import formatting, session
from storefront.api import Api
from storefront.static import HashedStatic
from storefront.web import fresh_key

TEMPLATES_DIR = Path(__file__).parent / "templates"


def make_templates(api: Api, static: HashedStatic) -> Jinja2Templates:
    def visitor(request: Request) -> dict[str, Any]:
        if "session" not in request.scope:  # the 500 page, rendered outside the middleware
            return {}
        return {
            "visitor_name": request.session.get("name"),
            "unread": getattr(request.state, "unread", None),  # storefront.header
            "csrf_token": lambda: session.csrf_token(request),
            "flash": session.take_flash(request),
        }

    templates = Jinja2Templates(directory=TEMPLATES_DIR, context_processors=[visitor])
    env = templates.env
    env.autoescape = True
    env.trim_blocks = env.lstrip_blocks = True
    env.globals["static"] = static.url
    env.filters.update(
        rupiah=formatting.rupiah,
        date_time=formatting.date_time,
        date=formatting.date,
        day=formatting.day,
        month=formatting.month,
        phone=formatting.phone,
        percent_bps=formatting.percent_bps,
        media=api.absolute,
        srcset=lambda renditions: srcset(api, renditions),
    )
    env.globals["whatsapp_link"] = formatting.whatsapp_link
    env.globals["this_month"] = formatting.this_month
    env.globals["today"] = formatting.today
    env.globals["fresh_key"] = fresh_key
    return templates


def srcset(api: Api, renditions: list[dict[str, Any] | None]) -> str:
    """`url 320w, url 640w` from the renditions at hand, each width once."""
    by_width = {r["width"]: api.absolute(r["url"]) for r in renditions if r}
    return ", ".join(f"{url} {width}w" for width, url in sorted(by_width.items()))
