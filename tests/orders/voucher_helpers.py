"""Helpers for the voucher tests: a shop with a voucher, and a checkout that names vouchers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from graphql import REMOVE, FieldNode, Visitor, parse, print_ast, visit

from models.orders import Voucher, VoucherUse
from schema.platform.ids import decode_id
from tests.conftest import sign_up
from tests.cooperatives.helpers import Koperasi
from tests.orders.complaint_helpers import op
from tests.orders.helpers import add_to_cart, checkout_input, seller_with_products


class _OtherParts(Visitor):
    """Leaves out ShopMarketplace's rating and shipping methods (those come with the other
    parts of the marketplace)."""

    def enter_field(self, node: FieldNode, *_: Any) -> Any:
        return REMOVE if node.name.value in ("rating", "shippingMethods") else None


def _vouchers_part() -> str:
    return print_ast(visit(parse(op("ShopMarketplace")), _OtherParts()))


SHOP_VOUCHERS = _vouchers_part()


def moment(days: float = 0) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


def voucher_input(shop_id: str, **extra: Any) -> dict[str, Any]:
    return {"shopId": shop_id, "code": "hemat10", "kind": "FIXED", "amount": 5000,
            "startsAt": moment(-1), "endsAt": moment(30), "quota": 100, **extra}  # fmt: skip


async def create_voucher(gql, token: str, shop_id: str, **extra: Any) -> dict[str, Any]:
    result = await gql(op("CreateVoucher"), {"input": voucher_input(shop_id, **extra)}, token=token)
    assert "errors" not in result, result
    return result["data"]["createVoucher"]


async def update_voucher(gql, token: str, voucher_id: str, **changes: Any) -> dict[str, Any]:
    result = await gql(op("UpdateVoucher"), {"id": voucher_id, "input": changes}, token=token)
    assert "errors" not in result, result
    return result["data"]["updateVoucher"]


async def shop_vouchers(gql, slug: str, token: str | None = None) -> dict[str, Any]:
    result = await gql(SHOP_VOUCHERS, {"slug": slug}, token=token)
    assert "errors" not in result, result
    return result["data"]["shop"]["vouchers"]


async def voucher_shop(gql, price: int = 15000, stock: int = 50, **voucher: Any):
    """A seller, their shop, one product and a voucher of the shop (its payload's voucher)."""
    seller, shop, (product,) = await seller_with_products(gql, price=price, stock=stock)
    made = await create_voucher(gql, seller["token"], shop["id"], **voucher)
    assert made["errors"] == [], made
    return seller, shop, product, made["voucher"]


async def check_out(gql, token: str, shops: list[dict] | None, **extra: Any) -> dict[str, Any]:
    body = checkout_input(**{"method": "COD", **extra})
    if shops is not None:
        body["shops"] = shops
    result = await gql(op("CheckoutWithShipping"), {"input": body}, token=token)
    assert "errors" not in result, result
    return result["data"]["checkout"]


async def buyer_with(gql, product_id: str, quantity: int = 1) -> dict[str, Any]:
    buyer = await sign_up(gql, "Pembeli")
    assert (await add_to_cart(gql, buyer["token"], product_id, quantity))["errors"] == []
    return buyer


async def uses_of(voucher: dict) -> tuple[int, int]:
    """The voucher's `used` count and its use rows."""
    voucher_id = decode_id(voucher["id"], "Voucher")
    stored = await Voucher.get(id=voucher_id)
    return stored.used, await VoucherUse.filter(voucher_id=voucher_id).count()


def with_voucher(shop: dict, code: str = "HEMAT10") -> list[dict]:
    """CheckoutInput.shops naming one voucher of the shop."""
    return [{"shopId": shop["id"], "voucherCode": code}]


async def member_buyer(gql, product_id: str, quantity: int, savings: int) -> tuple[dict, str]:
    """A new cooperative member with `savings` in SUKARELA and the product in their cart;
    (the buyer, their membership's id)."""
    koperasi = await Koperasi.new(gql)
    buyer, membership_id = await koperasi.member()
    await koperasi.deposit(membership_id, savings)
    assert (await add_to_cart(gql, buyer["token"], product_id, quantity))["errors"] == []
    return buyer, membership_id
