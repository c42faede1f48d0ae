"""The order's receipt (nota) as a signed PDF link."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from models import orders as m
from resolvers.orders import nota


@strawberry.type(description="An order's receipt (nota) as a PDF behind a signed link.")
class OrderNota:
    url: str = strawberry.field(
        description="The PDF (application/pdf): absolute, signed and short-lived, so a plain "
        "link works without any header; changed or past `expiresAt`, it answers 404."
    )
    expires_at: datetime = strawberry.field(description="When `url` stops working.")


async def order_nota(info: Info, order: m.Order) -> OrderNota | None:
    shop = await info.context.loaders.shop.load(order.shop_id)
    link = nota.nota_link(info.context.viewer, order, shop, info.context.services.download_secret)
    if link is None:
        return None
    return OrderNota(url=info.context.absolute_url(link.url), expires_at=link.expires_at)
