"""Migration 0030 on a cooperative with the chart it had before: Kas dan Bank becomes Kas
(keeping its entries), Utang kepada Toko becomes Utang kepada Platform, the rest of the KSP
chart is added, and an entry's date is its Jakarta day."""

import importlib

from tortoise import connections

from models.cooperatives.books import LedgerAccount
from resolvers.cooperatives.books import CHART
from schema.platform.ids import decode_id
from tests.cooperatives.books import chart
from tests.cooperatives.helpers import Koperasi

MIGRATION = importlib.import_module("models.migrations.0030_book_year")
OLD_CHART = {
    "1-1100": "Kas dan Bank", "1-1300": "Piutang Pinjaman Anggota", "1-1400": "Deposit PPOB",
    "2-1100": "Simpanan Sukarela", "2-1200": "Utang kepada Toko", "2-1300": "Utang SHU Anggota",
    "2-1900": "Dana Alokasi SHU", "3-1100": "Simpanan Pokok", "3-1200": "Simpanan Wajib",
    "3-2100": "Cadangan", "3-3100": "SHU Belum Dibagi", "4-1100": "Pendapatan Jasa Pinjaman",
    "4-1200": "Pendapatan Denda", "4-1300": "Pendapatan Admin PPOB",
}  # fmt: skip


async def test_an_existing_chart_becomes_the_ksp_chart_keeping_its_balances(gql):
    koperasi = await Koperasi.new(gql)
    _, membership_id = await koperasi.member()
    await koperasi.deposit(membership_id, 125000)
    cooperative_id = decode_id(koperasi.id, "Cooperative")
    # The chart as it was before the migration.
    await (
        LedgerAccount.filter(cooperative_id=cooperative_id)
        .exclude(code__in=list(OLD_CHART))
        .delete()
    )
    for code, name in OLD_CHART.items():
        await LedgerAccount.filter(cooperative_id=cooperative_id, code=code).update(
            name=name, is_cash=False, is_control=False
        )
    kas_before = await LedgerAccount.get(cooperative_id=cooperative_id, code="1-1100")
    await MIGRATION.seed_chart(connections.get("default"))
    after = {a.code: a for a in await LedgerAccount.filter(cooperative_id=cooperative_id)}
    assert sorted(after) == sorted(a.code for a in CHART)
    assert after["1-1100"].id == kas_before.id
    assert (after["1-1100"].name, after["1-1200"].name) == ("Kas", "Bank")
    assert after["2-1200"].name == "Utang kepada Platform"
    assert {c for c, a in after.items() if a.is_cash} == {"1-1100", "1-1200"}
    assert {c for c, a in after.items() if a.is_control} == {a.code for a in CHART if a.is_control}
    assert all(a.is_system for a in after.values())
    books = {a["code"]: a["balance"]["amount"] for a in await chart(koperasi)}
    assert (books["1-1100"], books["1-1200"], books["2-1100"]) == (125000, 0, 125000)
    await MIGRATION.seed_chart(connections.get("default"))  # twice changes nothing
    assert await LedgerAccount.filter(cooperative_id=cooperative_id).count() == len(CHART)


async def test_an_entry_takes_its_jakarta_day():
    client = connections.get("default")
    postgres = client.capabilities.dialect == "postgres"
    fill = MIGRATION.POSTGRES_DATES if postgres else MIGRATION.SQLITE_DATES
    expression = fill.split("SET date = ")[1].split(";")[0].replace("created_at", "%s")
    for stamp, day in (("2025-12-31 16:59:59+00:00", "2025-12-31"),
                       ("2025-12-31 17:00:00+00:00", "2026-01-01")):  # fmt: skip
        value = f"CAST('{stamp}' AS TIMESTAMPTZ)" if postgres else f"'{stamp}'"
        rows = await client.execute_query_dict(f"SELECT {expression % value} AS d")
        assert str(rows[0]["d"]) == day
