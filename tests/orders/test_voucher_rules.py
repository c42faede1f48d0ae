"""The voucher's pure rules: its code and the discount it gives on the eligible goods."""

from __future__ import annotations

from models.orders import VoucherKind
from resolvers.orders.voucher_rules import (
    Line,
    Terms,
    discount,
    eligible_goods,
    is_code,
    normal_code,
)

FIXED = Terms(VoucherKind.FIXED, 10000, None, None)
PERCENT = Terms(VoucherKind.PERCENT, 0, 15, 5000)


def test_a_code_is_four_to_twenty_letters_and_digits_matched_in_upper_case():
    assert normal_code(" hemat10 ") == "HEMAT10"
    assert normal_code(None) == ""
    assert [is_code(c) for c in ("ABCD", "A" * 20, "HEMAT10", "2026")] == [True] * 4
    assert [is_code(c) for c in ("ABC", "A" * 21, "HEMAT-10", "HEMAT 10", "ÉTÉ1", "")] == [
        False
    ] * 6


def test_the_eligible_goods_are_the_listed_products_or_all():
    lines = [Line(1, 10000, 2), Line(2, 3000, 3)]
    assert eligible_goods(lines, frozenset()) == 29000
    assert eligible_goods(lines, frozenset({2})) == 9000
    assert eligible_goods(lines, frozenset({3})) == 0


def test_a_fixed_discount_is_its_amount_at_most_the_goods():
    assert discount(FIXED, 25000) == 10000
    assert discount(FIXED, 10000) == 10000
    assert discount(FIXED, 7500) == 7500
    assert discount(FIXED, 0) == 0


def test_a_percent_discount_rounds_down_and_stops_at_its_cap():
    assert discount(PERCENT, 9999) == 1499  # 1.499,85
    assert discount(PERCENT, 33333) == 4999  # 4.999,95
    assert discount(PERCENT, 33334) == 5000  # 5.000,1: the cap
    assert discount(PERCENT, 1000000) == 5000
    assert discount(PERCENT, 6) == 0  # 0,9
    whole = Terms(VoucherKind.PERCENT, 0, 100, 1000000)
    assert discount(whole, 12345) == 12345
