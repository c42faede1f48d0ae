"""What `satupintu demo` hands a frontend team: a seller whose shop has products to try the
seller path on, and ready sandbox tokens (API sessions, sent as `Authorization: Bearer
<token>`) for a buyer, that seller, a cooperative member and a pengurus."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console

from demo.cooperatives import DEMO_MEMBERS_OF_FIRST, DEMO_PENGURUS
from demo.images import category_card
from media.storage import Storage
from models.catalog import Product
from models.platform import Kelurahan, User
from models.shops import Shop
from resolvers import catalog, shops
from resolvers.platform import sessions

DEMO_BUYER = "pembeli@satupintu.id"
DEMO_SELLER = "penjual@satupintu.id"
SELLER_SHOP = "Dapur Bu Wulan"
# name, category, price (rupiah), stock
SELLER_PRODUCTS = [
    ("Laksa Tangerang Komplit", "makanan-berat", 25_000, 40),
    ("Roti Gambang Isi 10", "kue-roti", 30_000, 25),
    ("Bir Pletok Botol 1 Liter", "minuman", 35_000, 30),
    ("Keripik Singkong Balado", "keripik", 15_000, 60),
    ("Dodol Betawi Kemasan 250 gr", "manisan", 28_000, 20),
    ("Sambal Roa Botol 200 gr", "sambal-bumbu", 45_000, 0),  # out of stock, to try that too
]
# Who gets a token, in the order printed: role, e-mail (the demo accounts of demo.seed).
ROLES = [
    ("pembeli", DEMO_BUYER),
    ("penjual", DEMO_SELLER),
    ("anggota koperasi", DEMO_MEMBERS_OF_FIRST[0]),
    ("pengurus koperasi", DEMO_PENGURUS),
]


@dataclass(frozen=True)
class SandboxToken:
    role: str
    email: str
    token: str


class Picture:
    """A generated photo, handed to the upload rule as a client's file would be."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    async def read(self, size: int = -1) -> bytes:
        return self.data if size < 0 else self.data[:size]


async def seed_demo_seller(storage: Storage) -> bool:
    """The demo seller's shop and products, each with a photo, through the same rules as the
    API, unless the seller has products already; True when it made them."""
    seller = await User.get(email=DEMO_SELLER)
    if await Product.filter(shop__owner_id=seller.id).exists():
        return False
    shop = await Shop.filter(owner_id=seller.id).first()
    if shop is None:
        kelurahan = await Kelurahan.all().order_by("code").first()
        assert kelurahan is not None, "regions come with the migrations"
        fields = shops.ShopFields(
            name=SELLER_SHOP,
            description="Masakan dan jajanan Tangerang, dimasak setiap pagi.",
            size_class="MIKRO",
            kelurahan_code=kelurahan.code,
            address="Jl. Cisadane No. 12",
            whatsapp="081200000006",
        )
        shop = await shops.create_shop(seller, fields)
    for name, category, price, stock in SELLER_PRODUCTS:
        product = await catalog.create_product(
            seller,
            shop.id,
            catalog.ProductFields(
                name=name,
                description=f"{name} buatan {SELLER_SHOP}.",
                price=price,
                stock=stock,
                weight_grams=500,
                category_slug=category,
                status="ACTIVE",
            ),
        )
        photo = Picture(category_card(category, name.split()[0]))
        await catalog.images.add_product_image(seller, storage, product.id, photo, name)
    return True


async def sandbox_tokens() -> list[SandboxToken]:
    """A new session for each role's demo account."""
    tokens = []
    for role, email in ROLES:
        user = await User.get(email=email)
        tokens.append(SandboxToken(role, email, await sessions.issue(user)))
    return tokens


def print_tokens(console: Console, tokens: list[SandboxToken], api_url: str) -> None:
    console.print(
        "[green]Sandbox tokens[/green] (sessions: send as `Authorization: Bearer <token>` to"
        f" {api_url}/graphql; they end like any session, and `make demo` prints new ones):"
    )
    width = max(len(t.role) for t in tokens)
    for token in tokens:
        console.print(f"  {token.role:<{width}}  {token.email:<24} {token.token}", soft_wrap=True)
    console.print(
        "An API key (createApiKey, sent as `X-Api-Key`) is not a session: it signs nobody in;"
        " it gives a campus app its own rate limit (10x) and, with TRUSTED_DOCUMENTS=only,"
        " ad-hoc queries. See README, Sandbox tokens."
    )
