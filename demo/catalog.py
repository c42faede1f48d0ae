"""Demo marketplace at any size: owners, shops over every kelurahan, products in bulk."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Sequence

from argon2 import PasswordHasher
from rich.progress import Progress
from tortoise.models import Model
from tortoise.transactions import in_transaction

from demo.catalog_names import product, shop_name
from demo.images import category_picture
from media.storage import Storage
from models.catalog import Category, Image, Product, ProductStatus
from models.platform import Kelurahan, User
from models.shops import Shop, SizeClass
from resolvers.catalog import create_missing_default_variants
from resolvers.platform import refresh_statistics, slugify
from resolvers.search.index import rebuild

OWNER_DOMAIN = "penjual.demo.satupintu.id"
SHOPS_PER_OWNER = 5
BATCH = 2000
STREETS = ["Merdeka", "Daan Mogot", "Cisadane", "Veteran", "Imam Bonjol", "Perintis Kemerdekaan"]

# Inserts a batch of new rows of one model (ids are read back by the seeder, not from it).
Save = Callable[[Sequence[Model]], Awaitable[None]]


async def bulk_save(rows: Sequence[Model]) -> None:
    """The ORM's batched insert, in one transaction."""
    async with in_transaction():
        await type(rows[0]).bulk_create(rows, batch_size=BATCH)


async def seed_catalog(
    progress: Progress,
    storage: Storage,
    *,
    shops: int,
    products: int,
    password: str,
    save: Save = bulk_save,
) -> bool:
    """Create the catalogue unless demo shops already exist; True when it created them.
    `save` inserts the shops, products and images (a benchmark passes a faster one)."""
    if await User.filter(email__endswith=OWNER_DOMAIN).exists():
        return False
    rng = random.Random(2611)
    kelurahan = await Kelurahan.all().order_by("code")
    categories = {c.slug: c.id for c in await Category.all()}
    password_hash = PasswordHasher().hash(password)

    owners_needed = max(1, -(-shops // SHOPS_PER_OWNER))
    await User.bulk_create(
        [
            User(
                name=f"Penjual Demo {i + 1}",
                email=f"penjual{i + 1}@{OWNER_DOMAIN}",
                phone=f"+62813{i + 1:08d}",
                password_hash=password_hash,
            )
            for i in range(owners_needed)
        ]
    )
    owner_ids = [u.id for u in await User.filter(email__endswith=OWNER_DOMAIN).order_by("id")]

    task = progress.add_task("Toko", total=shops)
    rows = []
    for i in range(shops):
        name = shop_name(rng)
        rows.append(
            Shop(
                owner_id=owner_ids[i // SHOPS_PER_OWNER],
                slug=f"{slugify(name)}-{i + 1}",
                name=name,
                description=f"{name}: UMKM Kota Tangerang.",
                size_class=rng.choice(
                    [SizeClass.MIKRO] * 6 + [SizeClass.KECIL] * 3 + [SizeClass.MENENGAH]
                ),
                kelurahan_id=kelurahan[i % len(kelurahan)].code,
                address=f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 200)}",
                whatsapp=f"+62812{i + 1:08d}",
                nib=f"{rng.randint(10**12, 10**13 - 1)}" if rng.random() < 0.6 else None,
                is_verified=rng.random() < 0.4,
            )
        )
    for start in range(0, len(rows), BATCH):
        await save(rows[start : start + BATCH])
    progress.update(task, completed=shops)
    shop_rows = (
        await Shop.filter(owner_id__in=owner_ids).order_by("id").values("id", "kelurahan_id")
    )
    names = {k.code: k.name for k in kelurahan}

    task = progress.add_task("Produk", total=products)
    for start in range(0, products, BATCH):
        batch = []
        for n in range(start, min(start + BATCH, products)):
            shop = shop_rows[n % len(shop_rows)]
            item = product(rng, names[shop["kelurahan_id"]])
            batch.append(
                Product(
                    shop_id=shop["id"],
                    slug=f"{slugify(item.name)}-{n + 1}",
                    name=item.name,
                    description=item.description,
                    price=item.price,
                    stock=item.stock,
                    weight_grams=item.weight_grams,
                    category_id=categories[item.category_slug],
                    is_halal=item.is_halal,
                    status=ProductStatus.ACTIVE if rng.random() < 0.92 else ProductStatus.DRAFT,
                    units_sold=rng.randint(0, 500),
                )
            )
        await save(batch)
        progress.update(task, advance=len(batch))
    await create_missing_default_variants()
    task = progress.add_task("Indeks pencarian", total=1)
    await rebuild()
    progress.update(task, advance=1)
    await _pictures(progress, storage, owner_ids, save)
    await refresh_statistics()
    return True


async def _pictures(progress: Progress, storage: Storage, owner_ids: list[int], save: Save) -> None:
    """One generated picture per category, stored once and shown on each of its products."""
    leaves = await Category.filter(parent_id__not_isnull=True)
    task = progress.add_task("Foto", total=len(leaves))
    for category in leaves:
        picture = await asyncio.to_thread(category_picture, category.slug, category.name)
        for rendition in picture.renditions:
            await storage.save(rendition.key, rendition.data, rendition.content_type)
        renditions = [
            {"width": r.width, "height": r.height, "key": r.key} for r in picture.renditions
        ]
        rows = await Product.filter(category_id=category.id, shop__owner_id__in=owner_ids).values(
            "id", "name", "shop__owner_id"
        )
        for start in range(0, len(rows), BATCH):
            await save(
                [
                    Image(
                        owner_id=row["shop__owner_id"],
                        product_id=row["id"],
                        digest=picture.digest,
                        alt=row["name"],
                        width=picture.width,
                        height=picture.height,
                        renditions=renditions,
                    )
                    for row in rows[start : start + BATCH]
                ]
            )
        progress.update(task, advance=1)
