"""The rules of a shop voucher, without I/O: its code, and the discount it gives on the goods."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from models.orders import VoucherKind

CODE = re.compile(r"[A-Z0-9]{4,20}")


def normal_code(text: str | None) -> str:
    """A code as it is stored and matched: trimmed and upper-case."""
    return (text or "").strip().upper()


def is_code(code: str) -> bool:
    """4-20 letters and digits (ASCII), already upper-case."""
    return CODE.fullmatch(code) is not None


@dataclass(frozen=True)
class Terms:
    kind: VoucherKind
    amount: int
    percent: int | None
    max_discount: int | None


@dataclass(frozen=True)
class Line:
    product_id: int
    unit_price: int
    quantity: int


def eligible_goods(lines: Iterable[Line], products: frozenset[int]) -> int:
    """The goods a voucher applies to: the lines of its products, or all when it lists none."""
    return sum(
        line.unit_price * line.quantity
        for line in lines
        if not products or line.product_id in products
    )


def discount(terms: Terms, goods: int) -> int:
    """FIXED: its amount, at most the eligible goods. PERCENT: the share rounded down to whole
    rupiah, at most maxDiscount (and so at most the goods)."""
    if goods <= 0:
        return 0
    if terms.kind == VoucherKind.FIXED:
        return min(terms.amount, goods)
    share = goods * (terms.percent or 0) // 100
    return min(share, terms.max_discount or 0, goods)
