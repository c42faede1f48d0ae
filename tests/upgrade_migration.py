"""Run by test_migrations_upgrade in a process of its own: a database at the last migration of
an earlier release, holding a user, a shop and an order, migrated to the newest; prints what
the new columns hold for those rows, as JSON."""

from __future__ import annotations

import asyncio
import sys

from tests.migration_helpers import upgraded

# The newest migration of the release before the marketplace operations (2026-12-06).
RELEASED = "0023_closed_rp0_installments"
NOW = "2026-11-30 10:00:00+00:00"
ROWS = [
    """INSERT INTO "user" (id, name, email, password_hash, is_city_admin, created_at)
       VALUES (1, 'Pembeli', 'p@contoh.id', '-', FALSE, '{now}')""",
    """INSERT INTO shop (id, slug, name, description, size_class, address, whatsapp,
       is_verified, created_at, updated_at, kelurahan_id, owner_id)
       VALUES (1, 'toko', 'Toko', '', 'MIKRO', '', '+6281211112222', FALSE, '{now}', '{now}',
       '36.71.01.1001', 1)""",
    """INSERT INTO checkout (id, idempotency_key, input_digest, cart_digest, created_at, buyer_id)
       VALUES (1, 'k', 'i', 'c', '{now}', 1)""",
    """INSERT INTO "order" (id, status, total, recipient, phone, street, cancel_reason,
       created_at, updated_at, buyer_id, checkout_id, kelurahan_id, shop_id)
       VALUES (7, 'PROCESSING', 45000, 'Siti', '+6281211112222', 'Jl. Daan Mogot', '',
       '{now}', '{now}', 1, 1, '36.71.01.1001', 1)""",
    """INSERT INTO payment (id, method, status, amount, reference, created_at, order_id)
       VALUES (3, 'COD', 'PENDING', 45000, 'SPPTEST', '{now}', 7)""",
]
AFTER = """SELECT u.is_marketplace_admin, p.refunded_amount, o.shipping_fee, o.discount
FROM "user" u, payment p, "order" o WHERE u.id = 1 AND p.id = 3 AND o.id = 7"""


async def main(url: str) -> None:
    print(await upgraded(url, RELEASED, ROWS, AFTER, NOW))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
