"""Product cards completed from plain rows, for operations answered from compiled plans.

A compiled plan (`schema.execution.plan`) asks `compile_card` for every selection of
`Product`. When the selection asks only what a card shows (below), the plan gets a
completion that builds the card's whole answer from a `CardRow` (`resolvers.catalog.cards`:
one select), instead of `Product` objects built from ORM rows and resolved field by field.
A resolver whose field finds the completion in the request's plan (`card_plan`) reads plain
rows; any other selection, and every operation the reference executor answers, takes the
general path. The values are the general path's, computed the same way (`Money`'s
formatting, the first photo's rendition, the tallies' rating); `tests/catalog/test_cards.py`
compares the two answers.

Shown: `id slug name stock inStock isHalal price priceRange thumbnail(width) rating`,
`category { slug name }`, `shop { id slug name isVerified rating kelurahan { code name
kecamatan { code name } } }`, `Money { amount currency formatted }`, `Rating { average count
distribution }`, `ImageRendition { url width height }`, and `__typename` anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from graphql import GraphQLBoolean, GraphQLID, GraphQLString
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types import Info

from media.images import pick_rendition
from models.catalog import Category
from resolvers.catalog import CardNeeds, CardRow, card_rows
from resolvers.platform import Directory, format_rupiah, regions
from schema.execution.plan import FieldPlan, ObjectPlan, ObjectShape, PlainValue, plain_completion
from schema.platform import Context, encode_id

if TYPE_CHECKING:
    from resolvers.catalog import CategoryTree

Read = Callable[[Any], Any]  # a source -> a field's completed value
Compile = Callable[[FieldPlan, "_Asked"], Read | None]
# Scalars whose completed value is the Python value itself, as a card holds it.
AS_IS = (GraphQLString, GraphQLID, GraphQLBoolean)


@dataclass(frozen=True, slots=True)
class CardWorld:
    """What every card of one answer shares: the request, categories and regions."""

    context: Context
    tree: CategoryTree
    directory: Directory


class PlainCard(PlainValue):
    """A card's row, to be completed by its plan's `CardPlan`."""

    __slots__ = ("row", "world")

    def __init__(self, row: CardRow, world: CardWorld) -> None:
        self.row = row
        self.world = world


@dataclass(frozen=True, slots=True)
class CardPlan:
    """The completion of one selection of `Product`, and what its rows must hold."""

    complete: Callable[[PlainCard], dict[str, Any]]
    needs: CardNeeds

    def __call__(self, card: PlainCard) -> dict[str, Any]:
        return self.complete(card)

    async def read(self, ids: list[int], context: Context, tree: CategoryTree) -> list[PlainCard]:
        world = CardWorld(context, tree, await regions.directory())
        return [PlainCard(row, world) for row in await card_rows(ids, self.needs)]


def card_plan(info: Info) -> CardPlan | None:
    """The card completion of the `Product`s under this field, if the plan has one."""
    found = info.context.plain.get(id(info._raw_info.field_nodes[0]))
    plan = found.get("Product") if found else None
    return plan if isinstance(plan, CardPlan) else None


class _Asked:
    """What the selection being compiled asks beyond the card's own columns."""

    def __init__(self) -> None:
        self.thumbnail = self.rating = self.shop_rating = self.price_range = False


def compile_card(plan: ObjectPlan) -> CardPlan | None:
    """The plain completion of a selection of `Product`, or None if it asks more."""
    asked = _Asked()
    complete = _object(plan, PRODUCT, asked)
    if complete is None:
        return None
    needs = CardNeeds(asked.thumbnail, asked.rating, asked.shop_rating, asked.price_range)
    return CardPlan(complete, needs)


def _object(plan: ObjectPlan, fields: dict[str, Compile], asked: _Asked) -> Read | None:
    reads: list[tuple[str, Read]] = []
    for field in plan.fields:
        if field.name == "__typename":
            reads.append((field.key, partial(_constant, plan.type.name)))
            continue
        compile_field = fields.get(field.name)
        read = compile_field(field, asked) if compile_field and _plain(field) else None
        if read is None:
            return None
        reads.append((field.key, read))
    return lambda source: {key: read(source) for key, read in reads}


def _constant(value: Any, _source: Any) -> Any:
    return value


def _plain(field: FieldPlan) -> bool:
    """Whether nothing but the value decides the field: no Strawberry field extensions
    (permissions among them), and its arguments known ahead."""
    definition = field.definition.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    return not getattr(definition, "extensions", None) and field.args is not None


def _leaf(get: Read) -> Compile:
    """A scalar read by `get`, serialised as the field's type does."""

    def compile_leaf(field: FieldPlan, _asked: _Asked) -> Read | None:
        if field.leaf is None:
            return None
        if field.leaf in AS_IS:
            return get
        coerce = field.leaf.coerce_output_value
        return lambda source: None if (value := get(source)) is None else coerce(value)

    return compile_leaf


def _sub(get: Read, fields: dict[str, Compile], mark: str | None = None) -> Compile:
    """An object read by `get` (None: null), completed by `fields`; `mark`: the need it
    sets on the card's rows."""

    def compile_sub(field: FieldPlan, asked: _Asked) -> Read | None:
        shape = field.shape.inner if field.non_null else field.shape  # type: ignore[union-attr]
        if not isinstance(shape, ObjectShape):
            return None
        complete = _object(shape.plan, fields, asked)
        if complete is None:
            return None
        if mark:
            setattr(asked, mark, True)
        return lambda source: None if (value := get(source)) is None else complete(value)

    return compile_sub


def _kelurahan(card: PlainCard) -> tuple[Any, Directory]:
    directory = card.world.directory
    return directory.kelurahan_by_code[card.row.kelurahan_id], directory


def _url(context: Context, key: str) -> str:
    return context.absolute_url(context.services.storage.url(key))


def _category(card: PlainCard) -> Category:
    return card.world.tree.by_id[card.row.category_id]


MONEY: dict[str, Compile] = {
    "amount": _leaf(lambda amount: amount),
    "currency": _leaf(lambda _amount: "IDR"),
    "formatted": _leaf(format_rupiah),
}
RATING: dict[str, Compile] = {
    "average": _leaf(lambda r: r.average),
    "count": _leaf(lambda r: r.count),
    "distribution": lambda field, _asked: lambda r: list(r.distribution),
}
KECAMATAN: dict[str, Compile] = {
    "code": _leaf(lambda k: k.code),
    "name": _leaf(lambda k: k.name),
}
# A kelurahan's source: (the kelurahan, the regions' directory).
KELURAHAN: dict[str, Compile] = {
    "code": _leaf(lambda k: k[0].code),
    "name": _leaf(lambda k: k[0].name),
    "kecamatan": _sub(lambda k: k[1].kecamatan_by_code[k[0].kecamatan_id], KECAMATAN),
}
SHOP: dict[str, Compile] = {
    "id": _leaf(lambda c: encode_id("Shop", c.row.shop_id)),
    "slug": _leaf(lambda c: c.row.shop_slug),
    "name": _leaf(lambda c: c.row.shop_name),
    "isVerified": _leaf(lambda c: c.row.shop_verified),
    "kelurahan": _sub(_kelurahan, KELURAHAN),
    "rating": _sub(lambda c: c.row.shop_rating, RATING, "shop_rating"),
}
CATEGORY: dict[str, Compile] = {
    "slug": _leaf(lambda c: c.slug),
    "name": _leaf(lambda c: c.name),
}
# A rendition's source: (the stored rendition, the card's world).
RENDITION: dict[str, Compile] = {
    "url": _leaf(lambda r: _url(r[1].context, r[0]["key"])),
    "width": _leaf(lambda r: r[0]["width"]),
    "height": _leaf(lambda r: r[0]["height"]),
}
PRICE_RANGE: dict[str, Compile] = {
    "min": _sub(lambda prices: prices[0], MONEY),
    "max": _sub(lambda prices: prices[1], MONEY),
}


def _thumbnail(field: FieldPlan, asked: _Asked) -> Read | None:
    width = (field.args or {}).get("width")
    if not isinstance(width, int):
        return None

    def rendition(card: PlainCard) -> tuple[dict[str, Any], CardWorld] | None:
        found = card.row.renditions
        return None if found is None else (pick_rendition(found, width), card.world)

    return _sub(rendition, RENDITION, "thumbnail")(field, asked)


PRODUCT: dict[str, Compile] = {
    "id": _leaf(lambda c: encode_id("Product", c.row.id)),
    "slug": _leaf(lambda c: c.row.slug),
    "name": _leaf(lambda c: c.row.name),
    "stock": _leaf(lambda c: c.row.stock),
    "inStock": _leaf(lambda c: c.row.stock > 0),
    "isHalal": _leaf(lambda c: c.row.is_halal),
    "price": _sub(lambda c: c.row.price, MONEY),
    "priceRange": _sub(
        lambda c: None if c.row.price_min is None else (c.row.price_min, c.row.price_max),
        PRICE_RANGE,
        "price_range",
    ),
    "thumbnail": _thumbnail,
    "shop": _sub(lambda c: c, SHOP),
    "category": _sub(_category, CATEGORY),
    "rating": _sub(lambda c: c.row.rating, RATING, "rating"),
}

plain_completion("Product", compile_card)
