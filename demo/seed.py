"""Reference and demo data. Demo accounts are made through the resolvers, so every rule holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import cast

from rich.console import Console
from rich.progress import Progress

from demo.catalog import seed_catalog
from demo.cooperatives import seed_cooperatives
from demo.sandbox import DEMO_BUYER, DEMO_SELLER, seed_demo_seller
from media.storage import Storage
from models.city import Socialization
from models.platform import Kelurahan, User
from resolvers import city
from resolvers.payouts import backfill_platform_books
from resolvers.platform import UserError, accounts, today

DEMO_PASSWORD = "satupintu123"
DEMO_ACCOUNTS = [
    ("Petugas Dinas", "dinas@satupintu.id", "081200000001", True),
    ("Siti Rahmawati", "siti@satupintu.id", "081200000002", False),
    ("Budi Santoso", "budi@satupintu.id", "081200000003", False),
    ("Rina Wulandari", "pengurus@satupintu.id", "081200000004", False),
    ("Andi Pembeli", DEMO_BUYER, "081200000005", False),
    ("Wulan Penjual", DEMO_SELLER, "081200000006", False),
]


@dataclass
class AdminResult:
    email: str
    errors: list[str] = field(default_factory=list)


async def seed(
    console: Console, storage: Storage, *, demo: bool, shops: int = 120, products: int = 1500
) -> None:
    """Regions and categories come with the migrations; this adds what `--demo` asks for."""
    if not demo:
        console.print("Reference data is loaded by `satupintu migrate`.")
        return
    with Progress(console=console) as progress:
        created = await seed_catalog(
            progress, storage, shops=shops, products=products, password=DEMO_PASSWORD
        )
    if not created:
        console.print("Demo catalogue already present; left as it is.")
    await create_demo_accounts()
    await seed_demo_seller(storage)
    if not await seed_cooperatives(DEMO_PASSWORD):
        console.print("Demo cooperatives already present; left as they are.")
    # The demo's year of shop sales is made by hand: the platform's books get them here.
    await backfill_platform_books()
    await seed_socialization(await User.get(email=DEMO_ACCOUNTS[0][1]))
    console.print(
        f"[green]Demo accounts:[/green] {', '.join(a[1] for a in DEMO_ACCOUNTS)} "
        f"(password {DEMO_PASSWORD!r}; dinas@ is CITY_ADMIN, pengurus@ a pengurus and member of "
        "Koperasi Simpan Pinjam Sejahtera Bersama, where siti@ and budi@ are members; "
        "penjual@ owns a shop with products, pembeli@ just buys)"
    )


async def create_demo_accounts() -> None:
    """The named demo accounts (`DEMO_ACCOUNTS`), those missing."""
    for name, email, phone, is_admin in DEMO_ACCOUNTS:
        if await User.filter(email=email).exists():
            continue
        await accounts.register(
            name=name, email=email, password=DEMO_PASSWORD, phone=phone, is_city_admin=is_admin
        )


async def seed_socialization(officer: User) -> None:
    """Sessions in every third kelurahan (some twice), over the last year: the rollout then
    shows both kelurahan reached and kelurahan still to reach."""
    if await Socialization.filter(recorded_by_id=officer.id).exists():
        return
    found = await Kelurahan.all().order_by("code").values_list("code", flat=True)
    codes = cast(list[str], found)
    for i, code in enumerate(codes[::3]):
        held_on = today() - timedelta(days=(i * 37) % 360)
        await city.record_socialization(officer, code, held_on, "Sosialisasi di kantor kelurahan")
        if i % 4 == 0:
            again = held_on + timedelta(days=14)
            note = "Sosialisasi lanjutan bersama koperasi setempat"
            await city.record_socialization(officer, code, min(again, today()), note)


async def create_admin(
    email: str, password: str, name: str, role: str = "CITY_ADMIN"
) -> AdminResult:
    """An account with `role` (CITY_ADMIN or MARKETPLACE_ADMIN), new or existing."""
    flag = "is_marketplace_admin" if role == "MARKETPLACE_ADMIN" else "is_city_admin"
    existing = await User.get_or_none(email=email.strip().lower())
    if existing is not None:
        setattr(existing, flag, True)
        await existing.save(update_fields=[flag])
        return AdminResult(existing.email)
    try:
        session = await accounts.register(
            name=name, email=email, password=password, phone=None,
            is_city_admin=flag == "is_city_admin",
        )  # fmt: skip
    except UserError as error:
        return AdminResult(email, [f"{p.field}: {p.message}" for p in error.problems])
    if flag == "is_marketplace_admin":
        await User.filter(id=session.user.id).update(is_marketplace_admin=True)
    return AdminResult(session.user.email)
