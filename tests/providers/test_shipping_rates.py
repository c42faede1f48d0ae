"""The rate providers: the sandbox's deterministic fees, Biteship's protocol against a local
server that speaks it (failures, time-outs, malformed answers, a wrong key), and the choice
of provider by name."""

import pytest

from fakes.biteship import API_KEY, FakeBiteshipServer, fee_of
from resolvers.providers.shipping import (
    BiteshipRates,
    Place,
    RateRequest,
    RatesUnavailable,
    SandboxRates,
    rate_provider_named,
)

SUKARASA = Place("36.71.01.1001", "Sukarasa", "36.71.01", "Tangerang")
SUKAASIH = Place("36.71.01.1002", "Sukaasih", "36.71.01", "Tangerang")
PORIS = Place("36.71.05.1001", "Poris Plawad", "36.71.05", "Cipondoh")


def request(weight: int = 1500, couriers=("jne", "sicepat"), destination=PORIS) -> RateRequest:
    return RateRequest(SUKARASA, destination, weight, couriers, 120_000)


@pytest.fixture
async def fake():
    async with FakeBiteshipServer() as server:
        yield server


def biteship(fake, key: str = API_KEY, timeout: float = 5.0) -> BiteshipRates:
    return BiteshipRates(key, fake.url, frozenset({"jne", "sicepat", "anteraja"}), timeout)


async def test_the_sandbox_prices_by_started_kilogram_and_distance():
    sandbox = SandboxRates()
    near = {
        (r.courier, r.service): r.fee
        for r in await sandbox.rates(request(1000, destination=SUKAASIH))
    }
    assert near == {("jne", "reg"): 9_000, ("jne", "yes"): 18_000, ("sicepat", "reg"): 8_500}
    far = {(r.courier, r.service): r.fee for r in await sandbox.rates(request(1001))}
    # 1,001 g is two started kilograms, and Cipondoh is another kecamatan.
    assert far == {("jne", "reg"): 13_000, ("jne", "yes"): 24_000, ("sicepat", "reg"): 12_500}
    assert await sandbox.rates(request(couriers=("pos",))) != []
    assert await sandbox.rates(request(couriers=())) == []
    assert "jne" in sandbox.couriers
    assert "kurirku" not in sandbox.couriers


async def test_biteship_rates_come_from_its_pricing(fake):
    rates = await biteship(fake).rates(request(1500))
    assert {(r.courier, r.service, r.fee) for r in rates} == {
        ("jne", "reg", fee_of(9_000, 3_000, 1500)),
        ("jne", "yes", fee_of(18_000, 5_000, 1500)),
        ("sicepat", "reg", fee_of(8_000, 3_000, 1500)),
    }
    assert {r.name for r in rates} >= {"JNE Reguler", "SiCepat Reguler"}
    assert all(r.estimated_days == "1 - 2" for r in rates)
    sent = fake.requests[-1]["body"]
    assert sent["couriers"] == "jne,sicepat"
    assert sent["items"] == [{"name": "Paket", "value": 120_000, "weight": 1500, "quantity": 1}]
    assert sent["origin_area_id"] != sent["destination_area_id"]
    searched = [r["params"]["input"] for r in fake.requests if r["path"] == "/v1/maps/areas"]
    assert searched == [
        "Sukarasa, Tangerang, Kota Tangerang",
        "Poris Plawad, Cipondoh, Kota Tangerang",
    ]


async def test_biteship_area_ids_are_looked_up_once(fake):
    provider = biteship(fake)
    await provider.rates(request())
    await provider.rates(request(weight=3000))
    assert [r["path"] for r in fake.requests].count("/v1/maps/areas") == 2


@pytest.mark.parametrize(
    "mode", ["down", "malformed", "wrong_shape", "fractional_price", "refused"]
)
async def test_a_biteship_failure_is_rates_unavailable(fake, mode):
    fake.mode = mode
    with pytest.raises(RatesUnavailable):
        await biteship(fake).rates(request())


async def test_a_wrong_key_is_rates_unavailable(fake):
    with pytest.raises(RatesUnavailable, match="refused"):
        await biteship(fake, key="biteship_test.wrong").rates(request())


async def test_a_slow_biteship_times_out(fake):
    fake.mode = "slow"
    with pytest.raises(RatesUnavailable, match="Timeout"):
        await biteship(fake, timeout=0.3).rates(request())


async def test_nobody_listening_is_rates_unavailable():
    from tests.conftest import free_port

    provider = BiteshipRates(API_KEY, f"http://127.0.0.1:{free_port()}", frozenset({"jne"}))
    with pytest.raises(RatesUnavailable):
        await provider.rates(request())


def test_the_provider_is_chosen_by_name():
    assert isinstance(rate_provider_named("sandbox", {}), SandboxRates)
    chosen = rate_provider_named(
        "biteship",
        {
            "BITESHIP_API_KEY": "k",
            "BITESHIP_BASE_URL": "http://127.0.0.1:9",
            "BITESHIP_COURIERS": "JNE, sicepat",
        },
    )
    assert isinstance(chosen, BiteshipRates)
    assert chosen.couriers == frozenset({"jne", "sicepat"})
    assert chosen.base_url == "http://127.0.0.1:9"
    with pytest.raises(ValueError, match="BITESHIP_API_KEY"):
        rate_provider_named("biteship", {})
    with pytest.raises(ValueError, match="unknown"):
        rate_provider_named("rajaongkir", {})
