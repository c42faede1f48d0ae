"""Shipping rates from Biteship, written from its published API documentation:

- Rates: https://biteship.com/docs/api/rates/retrieve (`POST /v1/rates/couriers`)
- Areas: https://biteship.com/docs/api/maps/retrieve_area_single (`GET /v1/maps/areas`)
- Couriers: https://biteship.com/docs/api/couriers/retrieve (the codes)

Every request carries the API key in the `authorization` header. Biteship prices by area
id (or postal code, or coordinates); our regions hold neither, so each kelurahan's area id
is looked up once by name (`type=single`) and kept for the life of the process. A rate
request names the couriers (comma-separated codes) and the items, each with its weight in
grams; the answer's `pricing` lists one entry per courier service, its `price` in whole
rupiah. Anything else (an error status, `success: false`, a time-out, a body that is not
that shape, a key Biteship refuses) is RatesUnavailable: the caller leaves the couriers out.

Settings: BITESHIP_API_KEY (required), BITESHIP_BASE_URL (default https://api.biteship.com),
BITESHIP_TIMEOUT_SECONDS (default 5), BITESHIP_COURIERS (the codes shops may choose,
comma-separated; default Biteship's common couriers).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import httpx

from resolvers.providers.shipping.rates import Place, Rate, RateRequest, RatesUnavailable

logger = logging.getLogger("satupintu.shipping")

DEFAULT_BASE_URL = "https://api.biteship.com"
DEFAULT_COURIERS = "jne,jnt,sicepat,anteraja,pos,tiki,ninja,lion,idexpress,sap"
CITY = "Kota Tangerang"


class BiteshipRates:
    def __init__(
        self, api_key: str, base_url: str, couriers: frozenset[str], timeout: float = 5.0
    ) -> None:
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.couriers = couriers
        self.timeout = timeout
        self._areas: dict[str, str] = {}  # kelurahan code -> Biteship area id

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> BiteshipRates:
        api_key = (env.get("BITESHIP_API_KEY") or "").strip()
        if not api_key:
            raise ValueError("SHIPPING_RATES=biteship needs BITESHIP_API_KEY")
        couriers = env.get("BITESHIP_COURIERS") or DEFAULT_COURIERS
        return cls(
            api_key,
            env.get("BITESHIP_BASE_URL") or DEFAULT_BASE_URL,
            frozenset(code.strip().lower() for code in couriers.split(",") if code.strip()),
            float(env.get("BITESHIP_TIMEOUT_SECONDS") or 5),
        )

    async def rates(self, request: RateRequest) -> list[Rate]:
        async with httpx.AsyncClient(
            base_url=self.base_url,
            timeout=self.timeout,
            headers={"authorization": self.api_key},
        ) as http:
            origin = await self._area(http, request.origin)
            destination = await self._area(http, request.destination)
            body = {
                "origin_area_id": origin,
                "destination_area_id": destination,
                "couriers": ",".join(request.couriers),
                "items": [
                    {
                        "name": "Paket",
                        "value": request.value,
                        "weight": max(1, request.weight_grams),
                        "quantity": 1,
                    }
                ],
            }
            answer = await _call(http, "POST", "/v1/rates/couriers", json=body)
        try:
            return [
                _rate(entry)
                for entry in answer["pricing"]
                if entry["courier_code"] in self.couriers
            ]
        except (KeyError, TypeError, ValueError) as error:
            raise _unavailable(f"unreadable pricing: {error!r}") from None

    async def _area(self, http: httpx.AsyncClient, place: Place) -> str:
        known = self._areas.get(place.kelurahan_code)
        if known is not None:
            return known
        params = {
            "countries": "ID",
            "input": f"{place.kelurahan}, {place.kecamatan}, {CITY}",
            "type": "single",
        }
        answer = await _call(http, "GET", "/v1/maps/areas", params=params)
        try:
            area = str(answer["areas"][0]["id"])
        except (KeyError, IndexError, TypeError):
            raise _unavailable(f"no area for {place.kelurahan_code}") from None
        self._areas[place.kelurahan_code] = area
        return area


def _unavailable(reason: str) -> RatesUnavailable:
    logger.warning("biteship: %s", reason)
    return RatesUnavailable(reason)


async def _call(http: httpx.AsyncClient, method: str, path: str, **sent: Any) -> dict[str, Any]:
    try:
        response = await http.request(method, path, **sent)
    except httpx.HTTPError as error:
        raise _unavailable(f"{path}: {type(error).__name__}") from None
    if response.status_code in (401, 403):
        raise _unavailable(f"{path}: the API key was refused ({response.status_code})")
    if response.status_code != 200:
        raise _unavailable(f"{path}: status {response.status_code}")
    try:
        answer = response.json()
    except ValueError:
        raise _unavailable(f"{path}: not JSON") from None
    if not isinstance(answer, dict) or answer.get("success") is not True:
        raise _unavailable(f"{path}: not a success")
    return answer


def _rate(entry: dict[str, Any]) -> Rate:
    price = entry["price"]
    if type(price) is not int or price < 0:  # 9000.5 or "9000" is no fee in whole rupiah
        raise ValueError(f"price {price!r}")
    courier, service = str(entry["courier_code"]), str(entry["courier_service_code"])
    courier_name = entry.get("courier_name") or courier.upper()
    name = f"{courier_name} {entry.get('courier_service_name') or service}"
    days = entry.get("shipment_duration_range")
    return Rate(courier, service, name, price, str(days) if days else None)
