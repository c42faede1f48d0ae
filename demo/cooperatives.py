"""Demo cooperatives: the city's 94 incorporated ones and 104 Koperasi Kelurahan Merah Putih,
their pengurus, members among the demo users, a year of savings through the books, loans
(demo.loans), bills unpaid and paid (demo.bills), the first cooperative's last year closed
with its SHU shared (demo.shu), its time deposit products (demo.deposits) and some members'
standing instructions (demo.auto_debit)."""

from __future__ import annotations

import random
from datetime import timedelta

from argon2 import PasswordHasher
from tortoise.transactions import in_transaction

from demo.auto_debit import seed_standing_instructions
from demo.bills import demo_bills
from demo.cooperative_list import DemoCooperative, incorporated, merah_putih
from demo.deposits import seed_time_deposit_products
from demo.loans import seed_loan_group, seed_loans
from demo.shu import close_last_year
from models.bills import Bill, BillKind, BillStatus
from models.cooperatives import (
    Cooperative,
    CooperativeAdmin,
    CooperativeType,
    Membership,
    MembershipStatus,
    SavingsAccount,
    SavingsKind,
)
from models.platform import Kelurahan, User
from resolvers.cooperatives import Journal, open_books, post_deposit, post_withdrawal, search_name
from resolvers.platform import now, refresh_statistics, slugify, today

PENGURUS_DOMAIN = "koperasi.demo.satupintu.id"
MEMBER_DOMAIN = "anggota.demo.satupintu.id"
DEMO_MEMBERS = 60
# The demo logins: a pengurus of the first cooperative, and members of it.
DEMO_PENGURUS = "pengurus@satupintu.id"
DEMO_MEMBERS_OF_FIRST = ("siti@satupintu.id", "budi@satupintu.id")
# Cooperatives that have members in the demo (the rest are registered, not yet digital).
WITH_MEMBERS = 30


async def seed_cooperatives(password: str) -> bool:
    """Create the demo cooperatives unless they exist; True when it created them."""
    if await User.filter(email__endswith=PENGURUS_DOMAIN).exists():
        return False
    rng = random.Random(1992)  # UU 25/1992
    kelurahan = [(k.code, k.name) for k in await Kelurahan.all().order_by("code")]
    plans = incorporated(rng, kelurahan)
    plans[0] = DemoCooperative(
        "Koperasi Simpan Pinjam Sejahtera Bersama", CooperativeType.SIMPAN_PINJAM,
        plans[0].legal_date, plans[0].kelurahan_code, 100_000, 25_000,
    )  # fmt: skip
    plans += merah_putih(rng, kelurahan)
    password_hash = PasswordHasher().hash(password)
    async with in_transaction():
        cooperative_ids = await _cooperatives(plans)
        pengurus = await _pengurus(cooperative_ids, password_hash)
        members = await _member_users(password_hash)
        memberships = await _memberships(rng, cooperative_ids, members)
        await _a_year_of_savings(rng, memberships, pengurus)
        first = [m for m in memberships if m.cooperative_id == cooperative_ids[0]]
        await seed_loans(rng, first, pengurus[cooperative_ids[0]])
        await seed_loan_group(first, pengurus[cooperative_ids[0]])
        await _demo_pengurus_joins(cooperative_ids[0], pengurus[cooperative_ids[0]])
        await demo_bills(cooperative_ids[0], pengurus[cooperative_ids[0]])
        await close_last_year(cooperative_ids[0], pengurus[cooperative_ids[0]])
        await seed_time_deposit_products(cooperative_ids[0])
        await seed_standing_instructions(cooperative_ids[0])
    await refresh_statistics()
    return True


async def _cooperatives(plans: list[DemoCooperative]) -> list[int]:
    slugs = [f"{slugify(p.name, 70)}-{i + 1}" for i, p in enumerate(plans)]
    await Cooperative.bulk_create(
        [
            Cooperative(
                slug=slug,
                name=p.name,
                type=p.type,
                legal_number=f"AHU-{i + 1:07d}.AH.01.{p.legal_date.year % 100:02d}-DEMO",
                legal_date=p.legal_date,
                kelurahan_id=p.kelurahan_code,
                address=f"Jl. Kantor Koperasi No. {i + 1}",
                pokok_amount=p.pokok_amount,
                wajib_monthly_amount=p.wajib_monthly_amount,
                search_name=search_name(p.name),
            )
            for i, (p, slug) in enumerate(zip(plans, slugs, strict=True))
        ]
    )
    by_slug = dict(await Cooperative.filter(slug__in=slugs).values_list("slug", "id"))
    found = [by_slug[slug] for slug in slugs]
    await open_books(*found)
    return found


async def _users(count: int, name: str, domain: str, phone: str, password_hash: str) -> list[User]:
    """`count` demo users named `name` 1, 2, ... with e-mails at `domain`; oldest first."""
    local = name.split()[0].lower()
    await User.bulk_create(
        [
            User(
                name=f"{name} {i + 1}",
                email=f"{local}{i + 1}@{domain}",
                phone=f"+62{phone}{i + 1:08d}",
                password_hash=password_hash,
            )
            for i in range(count)
        ]
    )
    return await User.filter(email__endswith=domain).order_by("id")


async def _pengurus(cooperative_ids: list[int], password_hash: str) -> dict[int, int]:
    """One demo pengurus per cooperative, and the demo login's on the first; user per id."""
    users = await _users(
        len(cooperative_ids), "Pengurus Koperasi", PENGURUS_DOMAIN, "814", password_hash
    )
    chosen = {c: u.id for c, u in zip(cooperative_ids, users, strict=True)}
    admins = [CooperativeAdmin(cooperative_id=c, user_id=u) for c, u in chosen.items()]
    demo = await User.get_or_none(email=DEMO_PENGURUS)
    if demo is not None:
        admins.append(CooperativeAdmin(cooperative_id=cooperative_ids[0], user_id=demo.id))
    await CooperativeAdmin.bulk_create(admins)
    return chosen


async def _demo_pengurus_joins(cooperative_id: int, teller_id: int) -> None:
    """The demo pengurus is a member too, as the law has it (pengurus are chosen from and by
    the members, UU 25/1992 art. 29): joined today with pokok paid, so this month's wajib
    bill waits for them with its notification (`demo_bills`)."""
    user = await User.get_or_none(email=DEMO_PENGURUS)
    if user is None:
        return
    cooperative = await Cooperative.get(id=cooperative_id)
    number = cooperative.last_member_number + 1
    await Cooperative.filter(id=cooperative_id).update(last_member_number=number)
    membership = await Membership.create(
        cooperative_id=cooperative_id, user_id=user.id, number=number,
        status=MembershipStatus.ACTIVE, joined_at=now(), nik=_nik(random.Random(number), 999),
        address="Jl. Kantor Koperasi No. 1, Kota Tangerang", phone=user.phone or "",
    )  # fmt: skip
    await SavingsAccount.bulk_create(
        [SavingsAccount(membership_id=membership.id, kind=kind) for kind in SavingsKind]
    )
    journal = Journal()
    pokok = cooperative.pokok_amount
    await post_deposit(journal, membership, SavingsKind.POKOK, pokok, actor_id=teller_id)
    await Bill.create(
        user_id=user.id, membership_id=membership.id, kind=BillKind.SIMPANAN_POKOK,
        description="Simpanan pokok", amount=pokok, due_date=today(),
        status=BillStatus.PAID, paid_at=now(),
    )  # fmt: skip


async def _member_users(password_hash: str) -> list[User]:
    """The demo members: siti and budi first, then the demo sellers and some more warga."""
    await _users(DEMO_MEMBERS, "Anggota Demo", MEMBER_DOMAIN, "815", password_hash)
    first = await User.filter(email__in=DEMO_MEMBERS_OF_FIRST).order_by("email")
    others = await User.filter(email__contains=".demo.satupintu.id").exclude(
        email__endswith=PENGURUS_DOMAIN
    )
    return [*reversed(first), *sorted(others, key=lambda u: u.id)]


def _nik(rng: random.Random, serial: int) -> str:
    day = rng.randint(1, 28) + rng.choice([0, 40])
    born = f"{day:02d}{rng.randint(1, 12):02d}{rng.randint(60, 99):02d}"
    return f"3671{rng.randint(1, 13):02d}{born}{serial:04d}"


async def _memberships(
    rng: random.Random, cooperative_ids: list[int], users: list[User]
) -> list[Membership]:
    joined = now() - timedelta(days=380)
    numbers: dict[int, int] = {}
    rows = []
    for i, user in enumerate(users):
        # The first cooperative gets the named demo users; the rest spread round the others.
        cooperative_id = cooperative_ids[0 if i < 8 else i % WITH_MEMBERS]
        numbers[cooperative_id] = numbers.get(cooperative_id, 0) + 1
        rows.append(
            Membership(
                cooperative_id=cooperative_id,
                user_id=user.id,
                number=numbers[cooperative_id],
                status=MembershipStatus.ACTIVE,
                joined_at=joined + timedelta(days=i % 20),
                nik=_nik(rng, i + 1),
                address=f"Jl. Anggota No. {i + 1}, Kota Tangerang",
                phone=user.phone or "",
            )
        )
    await Membership.bulk_create(rows)
    for cooperative_id, last in numbers.items():
        await Cooperative.filter(id=cooperative_id).update(last_member_number=last, is_digital=True)
    found = await Membership.filter(cooperative_id__in=list(numbers)).order_by("id")
    await SavingsAccount.bulk_create(
        [SavingsAccount(membership_id=m.id, kind=kind) for m in found for kind in SavingsKind]
    )
    return found


async def _a_year_of_savings(
    rng: random.Random, memberships: list[Membership], pengurus: dict[int, int]
) -> None:
    """Pokok on joining, wajib every month, sukarela now and then, some withdrawals: posted
    through the books as the teller would, dated over the past year."""
    pokok = dict(await Cooperative.all().values_list("id", "pokok_amount"))
    wajib = dict(await Cooperative.all().values_list("id", "wajib_monthly_amount"))
    journal = Journal()
    bills = []
    for membership in memberships:
        coop, teller = membership.cooperative_id, pengurus[membership.cooperative_id]
        start = membership.joined_at
        assert start is not None  # approved members have joined
        await post_deposit(
            journal, membership, SavingsKind.POKOK, pokok[coop], actor_id=teller, at=start
        )
        bills.append(
            Bill(
                user_id=membership.user_id, membership_id=membership.id,
                kind=BillKind.SIMPANAN_POKOK, description="Simpanan pokok",
                amount=pokok[coop], due_date=(start + timedelta(days=30)).date(),
                status=BillStatus.PAID, paid_at=start,
            )
        )  # fmt: skip
        sukarela = 0
        for month in range(12):
            at = start + timedelta(days=30 * month)
            await post_deposit(
                journal, membership, SavingsKind.WAJIB, wajib[coop], actor_id=teller, at=at
            )
            if rng.random() < 0.4:
                amount = rng.choice([50_000, 100_000, 200_000, 500_000])
                at += timedelta(days=8)
                await post_deposit(
                    journal, membership, SavingsKind.SUKARELA, amount, actor_id=teller, at=at
                )
                sukarela += amount
            if sukarela and rng.random() < 0.2:
                amount = min(sukarela, rng.choice([25_000, 50_000, 100_000]))
                await post_withdrawal(
                    journal, membership, amount, actor_id=membership.user_id,
                    at=at + timedelta(days=10),
                )  # fmt: skip
                sukarela -= amount
    await Bill.bulk_create(bills)
