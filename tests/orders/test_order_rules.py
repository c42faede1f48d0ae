"""The pure rules of orders and payments, tested directly."""

import itertools
from datetime import UTC, datetime

import pytest

from models.orders.order import OrderStatus as S
from resolvers.orders.rules import Actor, can_move, order_number
from resolvers.providers.qris import crc16_ccitt, qris_payload
from resolvers.providers.signature import TOLERANCE_SECONDS, is_authentic, sign
from tests.orders.helpers import parse_tlv

# Every move anyone may make; everything else is refused.
ALLOWED = {
    (S.PENDING_PAYMENT, S.PROCESSING, Actor.SYSTEM),  # the payment is confirmed
    (S.PENDING_PAYMENT, S.CANCELLED, Actor.BUYER),
    (S.PENDING_PAYMENT, S.CANCELLED, Actor.SYSTEM),  # the payment time ran out
    (S.PROCESSING, S.CANCELLED, Actor.BUYER),  # not yet shipped
    (S.PROCESSING, S.SHIPPED, Actor.SELLER),
    (S.SHIPPED, S.DELIVERED, Actor.SELLER),
    (S.DELIVERED, S.COMPLETED, Actor.SELLER),  # once autoCompleteAt has passed
    (S.DELIVERED, S.COMPLETED, Actor.BUYER),  # confirmReceipt
    (S.DELIVERED, S.COMPLETED, Actor.SYSTEM),  # the sweep, or the end of a complaint
    (S.SHIPPED, S.COMPLETED, Actor.SYSTEM),  # the end of a complaint
}


@pytest.mark.parametrize(("current", "target", "actor"), list(itertools.product(S, S, Actor)))
def test_every_move_of_every_actor(current, target, actor):
    assert can_move(current, target, actor) == ((current, target, actor) in ALLOWED)


def test_order_numbers_carry_the_jakarta_month_and_the_id():
    # 17:30 UTC on 30 November is already 1 December in Jakarta.
    assert order_number(datetime(2026, 11, 30, 17, 30, tzinfo=UTC), 123) == "SP-2612-000123"
    assert order_number(datetime(2026, 11, 2, tzinfo=UTC), 1234567) == "SP-2611-1234567"


def test_crc16_ccitt_false_check_value():
    assert crc16_ccitt(b"123456789") == 0x29B1


def test_qris_payload_parses_back_with_amount_merchant_and_checksum():
    payload = qris_payload(
        merchant_name="Keripik Bu Ani – Cikokol",
        merchant_city="Tangerang",
        merchant_id="ID1026000000001",
        amount=45000,
        reference="SPP0123456789ABCDEF",
    )
    fields = parse_tlv(payload)
    assert list(fields)[-1] == "63"
    assert fields["00"] == "01"
    assert fields["01"] == "12"  # dynamic: for one payment
    assert fields["53"] == "360"
    assert fields["54"] == "45000"
    assert fields["58"] == "ID"
    assert fields["59"] == "Keripik Bu Ani Cikokol"  # ASCII only, at most 25 characters
    assert fields["60"] == "Tangerang"
    assert parse_tlv(fields["51"])["00"] == "ID.CO.QRIS.WWW"
    assert parse_tlv(fields["62"])["01"] == "SPP0123456789ABCDEF"
    assert fields["63"] == f"{crc16_ccitt(payload[:-4].encode()):04X}"
    tampered = payload.replace("5405450005802", "5405990005802")
    assert tampered != payload
    assert parse_tlv(tampered)["63"] != f"{crc16_ccitt(tampered[:-4].encode()):04X}"


def test_qris_refuses_nothing_to_pay():
    with pytest.raises(ValueError, match="positive"):
        qris_payload(merchant_name="A", merchant_city="B", merchant_id="C", amount=0,
                     reference="R")  # fmt: skip


def test_signatures_need_the_secret_the_body_and_a_recent_time():
    body = b'{"id": "n1"}'
    signature = sign("rahasia", 1_800_000_000, body)
    assert is_authentic("rahasia", "1800000000", body, signature, 1_800_000_010)
    assert not is_authentic("lain", "1800000000", body, signature, 1_800_000_010)
    assert not is_authentic("rahasia", "1800000000", body + b" ", signature, 1_800_000_010)
    assert not is_authentic("rahasia", "1800000001", body, signature, 1_800_000_010)
    late = 1_800_000_000 + TOLERANCE_SECONDS + 1
    assert not is_authentic("rahasia", "1800000000", body, signature, late)  # a replay
    assert not is_authentic("rahasia", "abc", body, signature, 1_800_000_010)
