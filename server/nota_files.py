"""Orders' receipts (nota) as PDFs: `GET /orders/{id}/nota.pdf` behind a signed, short-lived
link (`resolvers.orders.nota`), so a plain link works without a header; a changed or expired
link answers 404."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from resolvers.orders import nota
from resolvers.platform import row_id

PATH = "/orders/{order_id}/nota.pdf"


class NotaFiles:
    def __init__(self, secret: str) -> None:
        self.secret = secret

    async def handle(self, request: Request) -> Response:
        order_id = row_id(request.path_params["order_id"])
        signed = nota.is_signed(self.secret, order_id, dict(request.query_params))
        found = await nota.nota(order_id) if signed else None
        if found is None:
            return PlainTextResponse("Tautan tidak ditemukan atau sudah kedaluwarsa.", 404)
        headers = {
            "Content-Disposition": f'attachment; filename="{found.filename}"',
            "Cache-Control": "private, no-store",
        }
        return Response(found.content, media_type="application/pdf", headers=headers)
