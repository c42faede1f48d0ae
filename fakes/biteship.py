"""A local server that speaks Biteship's rates protocol (`GET /v1/maps/areas`,
`POST /v1/rates/couriers`, the API key in `authorization`), and fails on demand."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakes.loopback import LoopbackServer, Recording, held

API_KEY = "biteship_test.fake-key-for-tests"
SERVICES = (  # courier, service, names, base fee, per kg
    ("jne", "reg", "JNE", "Reguler", 9_000, 3_000),
    ("jne", "yes", "JNE", "Yakin Esok Sampai", 18_000, 5_000),
    ("sicepat", "reg", "SiCepat", "Reguler", 8_000, 3_000),
    ("anteraja", "reg", "AnterAja", "Reguler", 8_500, 2_500),
)


def fee_of(base: int, per_kg: int, weight_grams: int) -> int:
    return base + per_kg * max(1, -(-weight_grams // 1000))


@dataclass
class FakeBiteship(Recording):
    """`mode` chooses the answer: ok, down (500), slow (longer than any client waits),
    malformed (not JSON), wrong_shape, fractional_price, refused (success false)."""

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/maps/areas", self.areas, methods=["GET"]),
                Route("/v1/rates/couriers", self.rates, methods=["POST"]),
            ]
        )

    def _refused(self, request: Request) -> Response | None:
        if request.headers.get("authorization") != API_KEY:
            return JSONResponse(
                {"success": False, "error": "Authentication failed", "code": 40101001},
                status_code=401,
            )
        return None

    async def _trouble(self) -> Response | None:
        if self.mode == "down":
            return JSONResponse({"success": False, "error": "Internal error"}, status_code=500)
        if self.mode == "slow":
            await held(self.released)
        if self.mode == "malformed":
            return Response("<html>502 Bad Gateway</html>", media_type="text/html")
        if self.mode == "refused":
            return JSONResponse({"success": False, "error": "Couriers not found", "code": 40001001})
        return None

    async def areas(self, request: Request) -> Response:
        self.requests.append({"path": request.url.path, "params": dict(request.query_params)})
        refused = self._refused(request) or await self._trouble()
        if refused is not None:
            return refused
        text = request.query_params.get("input", "")
        area_id = "IDNP3IDNC" + "".join(c for c in text.upper() if c.isalpha())[:20]
        return JSONResponse(
            {
                "success": True,
                "areas": [
                    {
                        "id": area_id,
                        "name": text,
                        "country_name": "Indonesia",
                        "country_code": "ID",
                        "administrative_division_level_1_name": "Banten",
                        "administrative_division_level_2_name": "Tangerang",
                        "postal_code": 15111,
                    }
                ],
            }
        )

    async def rates(self, request: Request) -> Response:
        body = json.loads(await request.body())
        self.requests.append({"path": request.url.path, "body": body})
        refused = self._refused(request) or await self._trouble()
        if refused is not None:
            return refused
        couriers = body["couriers"].split(",")
        weight = sum(item["weight"] * item["quantity"] for item in body["items"])
        pricing: list[dict[str, Any]] = [
            {
                "courier_name": courier_name,
                "courier_code": courier,
                "courier_service_name": service_name,
                "courier_service_code": service,
                "description": f"{courier_name} {service_name}",
                "duration": "1 - 2 days",
                "shipment_duration_range": "1 - 2",
                "shipment_duration_unit": "days",
                "service_type": "standard",
                "price": fee_of(base, per_kg, weight),
                "type": service,
            }
            for courier, service, courier_name, service_name, base, per_kg in SERVICES
            if courier in couriers
        ]
        if self.mode == "wrong_shape":
            return JSONResponse({"success": True, "object": "courier_pricing", "prices": pricing})
        if self.mode == "fractional_price":
            for entry in pricing:
                entry["price"] = entry["price"] + 0.5
        return JSONResponse(
            {
                "success": True,
                "object": "courier_pricing",
                "message": "Success to retrieve courier pricing",
                "code": 20001003,
                "origin": {"area_id": body.get("origin_area_id")},
                "destination": {"area_id": body.get("destination_area_id")},
                "pricing": pricing,
            }
        )


class FakeBiteshipServer(LoopbackServer[FakeBiteship]):
    def __init__(self) -> None:
        super().__init__(FakeBiteship())
