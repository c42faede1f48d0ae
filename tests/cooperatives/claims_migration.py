"""Run by test_claims_migration in a process of its own: a database at migration 0031 holding
a cooperative with a member, migrated to the newest; prints what the membership's new column
holds and how many claims there are, as JSON."""

from __future__ import annotations

import asyncio
import sys

from tests.migration_helpers import upgraded

RELEASED = "0031_opening_balances"
NOW = "2026-11-30 10:00:00+00:00"
ROWS = [
    """INSERT INTO "user" (id, name, email, password_hash, is_city_admin, is_marketplace_admin,
       created_at) VALUES (1, 'Anggota', 'a@contoh.id', '-', FALSE, FALSE, '{now}')""",
    """INSERT INTO cooperative (id, slug, name, type, legal_number, is_digital, kelurahan_id,
       address, pokok_amount, wajib_monthly_amount, loan_max_principal, denda_bps_per_day,
       denda_grace_days, installment_multiple, allowance_rates_bps, kolektibilitas_bands,
       ppob_deposit, last_member_number, search_name, created_at)
       VALUES (1, 'kop', 'Kop', 'SIMPAN_PINJAM', 'AHU-1', TRUE, '36.71.01.1001', '', 0, 0,
       1000, 10, 7, 1, '50,1000,5000,5000,10000', 'BANK', 0, 1, '', '{now}')""",
    """INSERT INTO membership (id, cooperative_id, user_id, number, status, address, phone,
       rejection_reason, created_at)
       VALUES (5, 1, 1, 1, 'ACTIVE', '', '', '', '{now}')""",
]
AFTER = """SELECT m.claimed, (SELECT COUNT(*) FROM membership_claim) AS claims
FROM membership m WHERE m.id = 5"""


async def main(url: str) -> None:
    print(await upgraded(url, RELEASED, ROWS, AFTER, NOW))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
