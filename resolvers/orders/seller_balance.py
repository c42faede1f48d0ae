"""A shop's available balance (Saldo Penjual), moved by conditional atomic updates only, each
movement a row of its statement with the balance right after it."""

from __future__ import annotations

from tortoise import connections

from models.orders import PaymentStatus
from models.payouts import SellerMovement, SellerMovementKind

PAID = (PaymentStatus.PAID, PaymentStatus.REFUNDED)


def _mark(n: int) -> str:
    return f"${n}" if connections.get("default").capabilities.dialect == "postgres" else f"?{n}"


async def move(
    shop_id: int,
    delta: int,
    kind: SellerMovementKind,
    description: str,
    *,
    order_id: int | None = None,
    payout_id: int | None = None,
) -> SellerMovement | None:
    """Inside the caller's transaction: move the shop's available balance by `delta` and
    record the movement; None (nothing moved) when it would go below zero.

    One conditional UPDATE ... RETURNING takes the row's lock (PostgreSQL) or the write lock
    (SQLite), so racing movements queue and none sees a stale balance."""
    client = connections.get("default")
    sql = (
        f"UPDATE seller_balance SET available = available + {_mark(1)} "
        f"WHERE shop_id = {_mark(2)} AND available + {_mark(1)} >= 0 RETURNING available"
    )
    rows = await client.execute_query_dict(sql, [delta, shop_id])
    if not rows and delta > 0:
        await client.execute_query(
            f"INSERT INTO seller_balance (shop_id, available) VALUES ({_mark(1)}, 0) "
            "ON CONFLICT (shop_id) DO NOTHING",
            [shop_id],
        )
        rows = await client.execute_query_dict(sql, [delta, shop_id])
    if not rows:
        return None
    return await SellerMovement.create(
        shop_id=shop_id,
        kind=kind,
        amount=delta,
        balance_after=rows[0]["available"],
        description=description,
        order_id=order_id,
        payout_id=payout_id,
    )


def fee_of(net: int, fee_bps: int) -> int:
    """The platform fee of what an order brings (T - R), rounded down to whole rupiah."""
    return net * fee_bps // 10_000
