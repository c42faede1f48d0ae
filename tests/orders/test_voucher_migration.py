"""Migration 0027 keeps the orders placed before it: Rp0 discount, no voucher code, the same
total; on SQLite, and on PostgreSQL when the tests run there."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid

import asyncpg


async def test_orders_placed_before_vouchers_keep_their_totals(tmp_path):
    server = os.environ.get("TEST_POSTGRES_URL")
    url = f"sqlite://{tmp_path / 'before.sqlite3'}"
    if server:
        name = f"satupintu_mig_{uuid.uuid4().hex[:10]}"
        admin = await asyncpg.connect(server.rstrip("/") + "/postgres")
        await admin.execute(f'CREATE DATABASE "{name}"')
        url = f"{server.rstrip('/')}/{name}"
    try:
        command = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.orders.voucher_migration", url,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        out, err = await asyncio.wait_for(command.communicate(), 120)
        assert command.returncode == 0, err.decode()
    finally:
        if server:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.close()
    order = json.loads(out.decode().strip().splitlines()[-1])
    assert order == {"id": 7, "total": 45000, "discount": 0, "voucher_code": None,
                     "status": "PROCESSING", "uses": 0}  # fmt: skip
