"""Run by test_voucher_migration in a process of its own (its ORM set-up must not touch the
tests' server): a database at 0025 holding one order, migrated to the newest; prints the order
as it is then, as JSON."""

from __future__ import annotations

import asyncio
import json
import sys

from tortoise import Tortoise
from tortoise.migrations.api import migrate

from server.database import prepare, tortoise_config

NOW = "2026-11-30 10:00:00+00:00"
ROWS = [
    """INSERT INTO "user" (id, name, email, password_hash, is_city_admin, is_marketplace_admin,
       created_at) VALUES (1, 'Pembeli', 'p@contoh.id', '-', FALSE, FALSE, '{now}')""",
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
]


async def main(url: str) -> None:
    prepare(url)
    config = tortoise_config(url)
    await migrate(config=config, target="satupintu.0025_test_clock")
    await Tortoise.init(config=config)
    connection = Tortoise.get_connection("default")
    for row in ROWS:
        await connection.execute_script(row.format(now=NOW))
    await Tortoise.close_connections()
    await migrate(config=config)
    await Tortoise.init(config=config)
    connection = Tortoise.get_connection("default")
    (order,) = await connection.execute_query_dict(
        'SELECT id, total, discount, voucher_code, status FROM "order"'
    )
    uses = await connection.execute_query_dict("SELECT COUNT(*) AS n FROM voucher_use")
    await Tortoise.close_connections()
    print(json.dumps({**order, "uses": uses[0]["n"]}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
