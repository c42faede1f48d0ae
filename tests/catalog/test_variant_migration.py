"""Migration 0028 on a database holding products, carts and orders from before variants:
every product gets its default variant with its price, stock and weight, and every cart
line and order line that variant; nothing is lost."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from pathlib import Path

MIGRATE = """
import asyncio, faulthandler, sys
faulthandler.dump_traceback_later(280, exit=True)  # never hang the tests
from tortoise import Tortoise, connections
from tortoise.migrations.executor import MigrationExecutor, MigrationTarget
from server.database import tortoise_config

async def main(url, target):
    config = tortoise_config(url)
    await Tortoise.init(config=config)
    executor = MigrationExecutor(connections.get("default"), config["apps"])
    try:
        await executor.migrate([MigrationTarget("satupintu", target)] if target else None)
    finally:
        await Tortoise.close_connections()

asyncio.run(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None))
"""
NOW = "2026-12-01 10:00:00+00:00"
BEFORE = f"""
INSERT INTO user (id, name, email, password_hash, is_city_admin, is_marketplace_admin,
    created_at) VALUES (1, 'Sari', 'sari@contoh.id', '-', 0, 0, '{NOW}'),
    (2, 'Budi', 'budi@contoh.id', '-', 0, 0, '{NOW}');
INSERT INTO shop (id, slug, name, description, size_class, address, whatsapp, is_verified,
    created_at, updated_at, kelurahan_id, owner_id)
    VALUES (1, 'toko-sari', 'Toko Sari', '', 'MIKRO', '', '081311112222', 0, '{NOW}', '{NOW}',
    '36.71.01.1001', 1);
INSERT INTO product (id, slug, name, description, price, stock, weight_grams, is_halal, status,
    units_sold, created_at, updated_at, category_id, shop_id) VALUES
    (1, 'keripik', 'Keripik', '', 15000, 7, 250, 1, 'ACTIVE', 2, '{NOW}', '{NOW}', 18, 1),
    (2, 'batik', 'Batik', '', 250000, 0, 400, 0, 'DRAFT', 0, '{NOW}', '{NOW}', 18, 1);
INSERT INTO cart_line (id, quantity, created_at, buyer_id, product_id, unit_price)
    VALUES (1, 3, '{NOW}', 2, 1, 15000), (2, 1, '{NOW}', 2, 2, 250000);
INSERT INTO checkout (id, idempotency_key, input_digest, cart_digest, created_at, buyer_id)
    VALUES (1, 'k1', 'x', 'y', '{NOW}', 2);
INSERT INTO "order" (id, status, total, recipient, phone, street, cancel_reason, created_at,
    updated_at, buyer_id, checkout_id, kelurahan_id, shop_id) VALUES
    (1, 'COMPLETED', 30000, 'Budi', '081322223333', 'Jl. Satu', '', '{NOW}', '{NOW}', 2, 1,
    '36.71.01.1001', 1);
INSERT INTO order_line (id, product_name, unit_price, quantity, order_id, product_id)
    VALUES (1, 'Keripik', 15000, 2, 1, 1);
"""


async def _migrate(url: str, *target: str) -> None:
    command = await asyncio.create_subprocess_exec(
        sys.executable, "-c", MIGRATE, url, *target, stderr=asyncio.subprocess.PIPE
    )
    _, stderr = await asyncio.wait_for(command.communicate(), 300)
    assert command.returncode == 0, stderr.decode()


async def test_existing_products_carts_and_orders_move_to_default_variants(tmp_path: Path):
    path = tmp_path / "before.db"
    url = f"sqlite://{path}"
    await _migrate(url, "0025_test_clock")
    with sqlite3.connect(path) as db:
        db.executescript(BEFORE)
    await _migrate(url)
    with sqlite3.connect(path) as db:
        variants = db.execute(
            "SELECT id, product_id, shop_id, sku, name, price, stock, weight_grams, is_active,"
            " is_default FROM product_variant ORDER BY product_id"
        ).fetchall()
        assert [v[1:] for v in variants] == [
            (1, 1, None, "", 15000, 7, 250, 1, 1),
            (2, 1, None, "", 250000, 0, 400, 1, 1),
        ]
        by_product = {v[1]: v[0] for v in variants}
        assert db.execute(
            "SELECT id, product_id, variant_id, quantity, unit_price FROM cart_line ORDER BY id"
        ).fetchall() == [(1, 1, by_product[1], 3, 15000), (2, 2, by_product[2], 1, 250000)]
        assert db.execute(
            "SELECT product_id, variant_id, sku, variant_name, product_name, unit_price, quantity"
            " FROM order_line"
        ).fetchall() == [(1, by_product[1], None, None, "Keripik", 15000, 2)]
        assert db.execute("SELECT price, stock, units_sold FROM product ORDER BY id").fetchall() == [
            (15000, 7, 2), (250000, 0, 0),
        ]  # fmt: skip
        # A cart line is unique per variant now, no longer per product.
        try:
            db.execute(
                "INSERT INTO cart_line (quantity, created_at, buyer_id, product_id, variant_id,"
                f" unit_price) VALUES (1, '{NOW}', 2, 1, {by_product[1]}, 1)"
            )
        except sqlite3.IntegrityError:
            pass
        else:
            raise AssertionError("a second line of one variant was accepted")
