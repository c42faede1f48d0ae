"""The demo cooperative's simpanan berjangka products: a 3-month one paying its interest
monthly and a 12-month one paying it at maturity."""

from __future__ import annotations

from models.cooperatives import TimeDepositInterestPayout, TimeDepositProduct

PRODUCTS = (
    ("Simpanan Berjangka 3 Bulan", 3, 600, 1_000_000, 50, TimeDepositInterestPayout.MONTHLY),
    ("Simpanan Berjangka 12 Bulan", 12, 750, 5_000_000, 100,
     TimeDepositInterestPayout.AT_MATURITY),
)  # fmt: skip


async def seed_time_deposit_products(cooperative_id: int) -> None:
    await TimeDepositProduct.bulk_create(
        [
            TimeDepositProduct(
                cooperative_id=cooperative_id,
                name=name,
                term_months=term,
                annual_rate_bps=rate,
                minimum=minimum,
                early_withdrawal_penalty_bps=penalty,
                interest_payout=payout,
            )
            for name, term, rate, minimum, penalty, payout in PRODUCTS
        ]
    )
