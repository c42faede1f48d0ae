"""A shop's shipping methods over HTTP: SetShippingMethod as the contract writes it, each
kind's rules from the right and the wrong side, who may set them and who sees which."""

import asyncio

from models.orders import ShippingFee, ShippingMethod
from schema.platform.ids import decode_id
from tests.conftest import sign_up
from tests.orders.shipping_helpers import (
    couriers,
    pickup,
    set_method,
    shop_courier,
    shop_methods,
    shop_with_product,
)


async def methods_in_db(shop: dict) -> list[ShippingMethod]:
    return await ShippingMethod.filter(shop_id=decode_id(shop["id"], "Shop")).order_by("id")


def errors(payload: dict) -> list[tuple[str | None, str]]:
    return [(e["field"], e["code"]) for e in payload["errors"]]


async def test_a_new_shop_has_no_methods(gql):
    owner, shop, _ = await shop_with_product(gql)
    assert await shop_methods(gql, shop["slug"], owner["token"]) == []
    assert await shop_methods(gql, shop["slug"]) == []


async def test_pickup_needs_opening_hours_and_setting_it_again_replaces_it(gql):
    owner, shop, _ = await shop_with_product(gql)
    refused = await set_method(gql, owner["token"], shop["id"], kind="PICKUP")
    assert errors(refused) == [("openingHours", "REQUIRED")]
    assert refused["shippingMethod"] is None
    assert await methods_in_db(shop) == []

    first = await pickup(gql, owner["token"], shop["id"])
    assert first["kind"] == "PICKUP"
    assert first["name"] == "Ambil di toko"
    assert first["openingHours"] == "Senin-Sabtu 08.00-17.00"
    assert first["isActive"] is True
    assert first["couriers"] == []
    assert first["fees"] == []
    assert first["freeShippingMinimum"] is None

    again = await pickup(
        gql, owner["token"], shop["id"], name="Ambil di warung", openingHours="Setiap hari 07.00"
    )
    assert again["id"] == first["id"]
    assert (again["name"], again["openingHours"]) == ("Ambil di warung", "Setiap hari 07.00")
    assert len(await methods_in_db(shop)) == 1


async def test_shop_courier_fees_per_kecamatan(gql):
    owner, shop, _ = await shop_with_product(gql)
    token, shop_id = owner["token"], shop["id"]
    assert errors(await set_method(gql, token, shop_id, kind="SHOP_COURIER")) == [
        ("fees", "REQUIRED")
    ]
    assert errors(await set_method(gql, token, shop_id, kind="SHOP_COURIER", fees=[])) == [
        ("fees", "REQUIRED")
    ]
    bad = await set_method(
        gql,
        token,
        shop_id,
        kind="SHOP_COURIER",
        fees=[
            {"kecamatanCode": "36.71.01", "fee": 5000},
            {"kecamatanCode": "32.73.01", "fee": 5000},  # Bandung, not Kota Tangerang
            {"kecamatanCode": "36.71.01", "fee": 6000},
            {"kecamatanCode": "36.71.05", "fee": -1},
        ],
        freeShippingMinimum=-5,
    )
    assert errors(bad) == [
        ("fees.1.kecamatanCode", "INVALID"),
        ("fees.2.kecamatanCode", "DUPLICATE"),
        ("fees.3.fee", "INVALID"),
        ("freeShippingMinimum", "INVALID"),
    ]
    assert all(e["message"] for e in bad["errors"])
    assert await methods_in_db(shop) == []

    done = await shop_courier(
        gql, token, shop_id, {"36.71.05": 12000, "36.71.01": 5000}, freeShippingMinimum=100000
    )
    assert done["kind"] == "SHOP_COURIER"
    assert done["openingHours"] is None
    assert done["fees"] == [
        {"kecamatan": {"code": "36.71.01", "name": "Tangerang"},
         "fee": {"amount": 5000, "formatted": "Rp5.000"}},
        {"kecamatan": {"code": "36.71.05", "name": "Cipondoh"},
         "fee": {"amount": 12000, "formatted": "Rp12.000"}},
    ]  # fmt: skip
    assert done["freeShippingMinimum"] == {"amount": 100000, "formatted": "Rp100.000"}

    fewer = await shop_courier(gql, token, shop_id, {"36.71.07": 8000})
    assert [f["kecamatan"]["code"] for f in fewer["fees"]] == ["36.71.07"]
    assert fewer["freeShippingMinimum"] is None
    assert await ShippingFee.filter(method_id=decode_id(done["id"], "ShippingMethod")).count() == 1


async def test_couriers_are_codes_the_rate_provider_knows(gql):
    owner, shop, _ = await shop_with_product(gql)
    token, shop_id = owner["token"], shop["id"]
    assert errors(await set_method(gql, token, shop_id, kind="COURIER")) == [
        ("couriers", "REQUIRED")
    ]
    unknown = await set_method(gql, token, shop_id, kind="COURIER", couriers=["jne", "kurirku"])
    assert errors(unknown) == [("couriers.1", "INVALID")]
    done = await couriers(gql, token, shop_id, ["JNE", " sicepat", "jne"])
    assert done["couriers"] == ["jne", "sicepat"]
    assert done["kind"] == "COURIER"
    assert done["name"] == "Kurir ekspedisi"


async def test_only_the_owner_sets_methods(gql):
    owner, shop, _ = await shop_with_product(gql)
    other = await sign_up(gql, "Tetangga")
    refused = await set_method(
        gql, other["token"], shop["id"], kind="PICKUP", openingHours="Kapan saja"
    )
    assert errors(refused) == [("shopId", "PERMISSION_DENIED")]
    nowhere = await set_method(
        gql, owner["token"], "U2hvcDo5OTk5OTk5", kind="PICKUP", openingHours="Kapan saja"
    )
    assert errors(nowhere) == [("shopId", "NOT_FOUND")]
    anonymous = await gql(
        """mutation($id: ID!) { setShippingMethod(shopId: $id, input: {kind: PICKUP,
        openingHours: "x"}) { errors { code } } }""",
        {"id": shop["id"]},
    )
    assert "UNAUTHENTICATED" in str(anonymous)
    assert await methods_in_db(shop) == []


async def test_others_see_active_methods_and_the_owner_sees_all(gql):
    owner, shop, _ = await shop_with_product(gql)
    token = owner["token"]
    await pickup(gql, token, shop["id"])
    await shop_courier(gql, token, shop["id"], {"36.71.01": 5000}, isActive=False)
    await couriers(gql, token, shop["id"], ["jne"])
    buyer = await sign_up(gql, "Pembeli")
    public = [m["kind"] for m in await shop_methods(gql, shop["slug"])]
    assert public == ["PICKUP", "COURIER"]
    assert [m["kind"] for m in await shop_methods(gql, shop["slug"], buyer["token"])] == public
    everything = await shop_methods(gql, shop["slug"], token)
    assert [(m["kind"], m["isActive"]) for m in everything] == [
        ("PICKUP", True),
        ("SHOP_COURIER", False),
        ("COURIER", True),
    ]


async def test_concurrent_settings_of_one_kind_leave_one_method(gql):
    owner, shop, _ = await shop_with_product(gql)
    answers = await asyncio.gather(
        *(
            set_method(gql, owner["token"], shop["id"], kind="PICKUP", openingHours=f"Jam {i}")
            for i in range(8)
        )
    )
    assert all(answer["errors"] == [] for answer in answers)
    (method,) = await methods_in_db(shop)
    assert method.opening_hours in {f"Jam {i}" for i in range(8)}
    assert len({answer["shippingMethod"]["id"] for answer in answers}) == 1
