"""Compiled plans answer every contract and storefront operation exactly as graphql-core does.

Two servers share one seeded database: the app as configured (compiled execution) and the
same app with COMPILED_EXECUTION=off, stock Strawberry on graphql-core's executor. For every
operation and every viewer (signed out, a buyer, a seller, a member, a pengurus, the Dinas)
hypothesis draws variables from real and bogus ids, slugs, cursors, filters and limits; both
servers must answer with the same status, `data` and `errors` (message, path, locations,
extensions). A tiny schema then covers what the demo data never does on its own: errors
inside lists, nulls in non-null fields, interfaces, `@skip`/`@include` and DataLoaders.
"""

from __future__ import annotations

import asyncio
import json
import os
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import strawberry
from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    parse,
    print_ast,
    type_from_ast,
    validate,
)
from graphql.execution.collect_fields import FragmentDetails
from graphql.execution.values import VariableValues
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from bench.server import executions
from demo.catalog import OWNER_DOMAIN
from demo.cooperatives import DEMO_PENGURUS
from demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD, seed
from media.local import LocalStorage
from models.bills import Bill
from models.catalog.product import Image, Product
from models.cooperatives.cooperative import Cooperative, Membership
from models.loans import Loan
from models.orders.order import CartLine, Order
from models.platform.regions import Kecamatan, Kelurahan
from models.shops import Shop
from resolvers.platform.pagination import encode_cursor
from schema import build_schema
from schema.execution import CONTRACT_DIR
from schema.execution.compiled import CompiledExecutionContext
from schema.execution.lean import lean_resolvers
from schema.execution.operations import operations
from schema.execution.plan import OperationPlan, plans_of
from schema.platform.ids import encode_id
from tests.conftest import LiveServer, make_settings
from tests.orders.helpers import add_to_cart, buy

# It seeds the demo into the shared database, so it runs last (tests/conftest.py).
pytestmark = pytest.mark.seeds_demo

STOREFRONT_DIR = Path(__file__).resolve().parents[2] / "storefront" / "operations"
EXAMPLES = int(os.environ.get("COMPILED_EXAMPLES", "4"))  # per operation and viewer
RETRIES = 8  # more answers from each executor when a read's first two differ
SCHEMA = build_schema()._schema
OPERATIONS = [
    (f"{directory.name}/{name}", document)
    for directory in (CONTRACT_DIR, STOREFRONT_DIR)
    for name, document in operations(directory)
]
BOGUS_IDS = ["", "x", encode_id("Product", 987654321), encode_id("Nope", 1), "UHJvZHVjdDph"]
BOGUS_CURSORS = ["", "bogus", encode_cursor(987654321)]


def definition(document: DocumentNode) -> OperationDefinitionNode:
    found = document.definitions[0]
    assert isinstance(found, OperationDefinitionNode)
    return found


def takes_upload(document: DocumentNode) -> bool:
    return "Upload" in print_ast(definition(document))


@dataclass
class World:
    """What the seeded database holds, for variables to draw from."""

    tokens: dict[str, str | None]
    ids: list[str]
    slugs: list[str]
    words: list[str]
    cursors: list[str]
    kecamatan: list[str]
    kelurahan: list[str]


async def login(http: httpx.AsyncClient, email: str) -> str:
    mutation = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }"
    body = {"query": mutation, "variables": {"e": email, "p": DEMO_PASSWORD}}
    return (await http.post("/graphql", json=body)).json()["data"]["login"]["token"]


async def some_ids(model: Any, type_name: str, **filters: Any) -> list[str]:
    query = model.filter(**filters)
    first = await query.order_by("id").limit(3).values_list("id", flat=True)
    last = await query.order_by("-id").limit(2).values_list("id", flat=True)
    return [encode_id(type_name, pk) for pk in {*first, *last}]


@pytest.fixture(scope="module")
async def servers(live, database_url):
    """(compiled, reference) base URLs over one database."""
    settings = make_settings(database_url, live.settings.media_root, COMPILED_EXECUTION="off")
    async with LiveServer(settings, lifespan="off") as reference:
        yield live.url, reference.url


@pytest.fixture(scope="module")
async def world(live, servers) -> World:
    storage = LocalStorage(live.settings.media_root)
    await seed(Console(quiet=True), storage, demo=True, shops=104, products=800)
    async with httpx.AsyncClient(base_url=live.url, timeout=60) as http:

        async def gql(query: str, variables: dict | None = None, *, token: str | None = None):
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            body = {"query": query, "variables": variables or {}}
            return (await http.post("/graphql", json=body, headers=headers)).json()

        product = await Product.filter(shop__owner__email__endswith=OWNER_DOMAIN).first()
        assert product is not None
        shop = await Shop.get(id=product.shop_id).prefetch_related("owner")
        buyer, _order = await buy(gql, encode_id("Product", product.pk))
        await add_to_cart(gql, buyer["token"], encode_id("Product", product.pk), 1)
        tokens: dict[str, str | None] = {
            "stranger": None,
            "buyer": buyer["token"],
            "seller": await login(http, shop.owner.email),
            "member": await login(http, "siti@satupintu.id"),
            "pengurus": await login(http, DEMO_PENGURUS),
            "dinas": await login(http, DEMO_ACCOUNTS[0][1]),
        }
    ids = [
        *await some_ids(Product, "Product"),
        *await some_ids(Product, "Product", shop_id=shop.pk),
        *await some_ids(Shop, "Shop"),
        *await some_ids(Image, "Image"),
        *await some_ids(Cooperative, "Cooperative"),
        *await some_ids(Membership, "Membership"),
        *await some_ids(Membership, "Membership", user__email="siti@satupintu.id"),
        *await some_ids(Loan, "Loan"),
        *await some_ids(Bill, "Bill"),
        *await some_ids(Order, "Order"),
        *await some_ids(CartLine, "CartLine"),
    ]
    products = await Product.all().order_by("id").limit(4).values_list("id", "slug", "name")
    shops = await Shop.all().order_by("-id").limit(3).values_list("slug", flat=True)
    return World(
        tokens=tokens,
        ids=ids,
        slugs=[slug for _pk, slug, _name in products] + list(shops) + ["tidak-ada"],
        words=[name.split()[0] for _pk, _slug, name in products] + ["", "zz", "kopi", "ba"],
        cursors=[encode_cursor(pk) for pk, _slug, _name in products],
        kecamatan=[str(n) for n in await Kecamatan.all().limit(3).values_list("name", flat=True)],
        kelurahan=[str(c) for c in await Kelurahan.all().limit(3).values_list("code", flat=True)],
    )


def value_of(type_: GraphQLInputType, name: str, world: World, *, bogus_ids: bool) -> Any:
    """A strategy for a variable (or input field) called `name` of `type_`."""
    if isinstance(type_, GraphQLNonNull):
        return value_of(type_.of_type, name, world, bogus_ids=bogus_ids)
    inner = _nullable_value_of(type_, name, world, bogus_ids=bogus_ids)
    return st.one_of(st.none(), inner) if name not in ("first", "query") else inner


def _nullable_value_of(type_: Any, name: str, world: World, *, bogus_ids: bool) -> Any:
    if isinstance(type_, GraphQLList):
        item = value_of(type_.of_type, name, world, bogus_ids=bogus_ids)
        return st.lists(item, max_size=3)
    if isinstance(type_, GraphQLEnumType):
        return st.sampled_from(sorted(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        required: dict[str, Any] = {}
        optional: dict[str, Any] = {}
        for field_name, field in type_.fields.items():
            strategy = value_of(field.type, field_name, world, bogus_ids=bogus_ids)
            target = required if isinstance(field.type, GraphQLNonNull) else optional
            target[field_name] = strategy
        return st.fixed_dictionaries(required, optional=optional)
    assert isinstance(type_, GraphQLScalarType), type_
    return _scalar(type_.name, name, world, bogus_ids=bogus_ids)


def _scalar(scalar: str, name: str, world: World, *, bogus_ids: bool) -> Any:
    text = st.text(string.ascii_letters + " -.@0123456789", max_size=12)
    if scalar == "ID":
        return st.sampled_from(BOGUS_IDS if bogus_ids else [*world.ids, *BOGUS_IDS])
    if scalar == "Int":
        return st.integers(-2, 120) if name in ("first", "last") else st.integers(-5, 3000)
    if scalar == "Rupiah":
        return st.integers(-1000, 5_000_000)
    if scalar == "Boolean":
        return st.booleans()
    if scalar == "Float":
        return st.floats(-10, 10, allow_nan=False)
    if scalar == "Date":
        return st.sampled_from(["2025-01-31", "2031-12-01", "bukan-tanggal"])
    if scalar == "DateTime":
        return st.sampled_from(["2025-01-31T10:00:00+07:00", "kemarin"])
    by_name = {
        "slug": world.slugs,
        "after": [*world.cursors, *BOGUS_CURSORS],
        "before": [*world.cursors, *BOGUS_CURSORS],
        "query": world.words,
        "prefix": world.words,
        "kecamatan": [*world.kecamatan, "Tidak Ada"],
        "kelurahanCode": [*world.kelurahan, "0000"],
        "period": ["2025-11", "2025-13", "bulan"],
    }
    return st.sampled_from(by_name[name]) if name in by_name else text


def variables_of(document: DocumentNode, world: World, *, bogus_ids: bool) -> Any:
    strategies = {}
    for variable in definition(document).variable_definitions or ():
        type_ = type_from_ast(SCHEMA, variable.type)
        name = variable.variable.name.value
        strategies[name] = (  # a type the schema lacks: both refuse the document
            st.none() if type_ is None else value_of(type_, name, world, bogus_ids=bogus_ids)  # type: ignore[arg-type]
        )
    return st.fixed_dictionaries(strategies)


def requires_an_id(type_: Any, seen: frozenset[str] = frozenset()) -> bool:
    """Whether a value of `type_` always carries an ID (so a bogus one stops the mutation)."""
    if not isinstance(type_, GraphQLNonNull):
        return False
    inner = type_.of_type
    if isinstance(inner, GraphQLScalarType):
        return inner.name == "ID"
    if isinstance(inner, GraphQLInputObjectType) and inner.name not in seen:
        fields = inner.fields.values()
        return any(requires_an_id(f.type, seen | {inner.name}) for f in fields)
    return False


def viewers_of(document: DocumentNode, world: World) -> list[tuple[str, bool]]:
    """(viewer, bogus ids only) to send the operation as.

    Mutations are compared where neither server's run can write what changes the other's
    answer: signed out (refused), or signed in with every required id bogus (NOT_FOUND).
    """
    operation = definition(document)
    if operation.operation == OperationType.QUERY:
        return [(viewer, False) for viewer in world.tokens]
    viewers = [("stranger", False)]
    variables = operation.variable_definitions or ()
    if any(requires_an_id(type_from_ast(SCHEMA, v.type)) for v in variables):
        viewers += [(viewer, True) for viewer in world.tokens if viewer != "stranger"]
    return viewers


def normalised(response: httpx.Response) -> tuple[int, Any, list[str]]:
    body = response.json()
    errors = []
    for error in body.get("errors") or []:
        extensions = dict(error.get("extensions") or {})
        if extensions.pop("requestId", None):  # INTERNAL: the message quotes the request id
            error["message"] = "INTERNAL"
        errors.append(json.dumps({**error, "extensions": extensions}, sort_keys=True))
    data = body.get("data")
    if isinstance(data, dict) and isinstance(data.get("clock"), dict) and "now" in data["clock"]:
        data["clock"]["now"] = "(the moment it was asked)"
    # Sorted: fields resolved side by side fail in the order their database round trips end,
    # in either executor (and GraphQL gives the errors' order no meaning).
    return response.status_code, data, sorted(errors)


def compare(urls: tuple[str, str], name: str, document: DocumentNode, world: World) -> int:
    """Send drawn requests to both servers (in a thread: the servers run on the test's loop)."""
    sent = 0
    same_host = {"host": httpx.URL(urls[0]).netloc.decode()}  # media URLs are on the host asked
    with (
        httpx.Client(base_url=urls[0], timeout=60) as compiled,
        httpx.Client(base_url=urls[1], timeout=60, headers=same_host) as reference,
    ):
        for viewer, bogus_ids in viewers_of(document, world):
            variables = variables_of(document, world, bogus_ids=bogus_ids)
            sent += as_viewer(compiled, reference, name, document, world, viewer, variables)
    return sent


def as_viewer(
    compiled: httpx.Client,
    reference: httpx.Client,
    name: str,
    document: DocumentNode,
    world: World,
    viewer: str,
    variables: Any,
) -> int:
    token = world.tokens[viewer]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    query = print_ast(document)
    reads = definition(document).operation == OperationType.QUERY  # safe to send again
    sent = 0

    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(variables=variables)
    def same_answer(variables: dict[str, Any]) -> None:
        nonlocal sent
        body = {"query": query, "variables": variables}

        def answer(client: httpx.Client) -> str:
            return json.dumps(normalised(client.post("/graphql", json=body, headers=headers)))

        ours, theirs = answer(compiled), answer(reference)
        sent += 1
        if ours != theirs and reads:
            # Sibling fields that fail side by side under a non-null field: graphql-core keeps
            # the error of whichever fails first and cancels the others, in either executor.
            # The compiled answer must be one the reference gives too.
            ours_seen = {ours, *(answer(compiled) for _ in range(RETRIES))}
            theirs_seen = {theirs, *(answer(reference) for _ in range(RETRIES))}
            assert ours_seen & theirs_seen, (name, viewer, variables, ours_seen, theirs_seen)
            return
        assert ours == theirs, (name, viewer, variables)

    same_answer()
    return sent


@pytest.mark.parametrize(
    ("name", "document"),
    [
        pytest.param(name, document, id=name)
        for name, document in OPERATIONS
        if definition(document).operation != OperationType.SUBSCRIPTION
        and not takes_upload(document)
        and not name.endswith("/Register")  # a second run of a registration would differ
    ],
)
async def test_both_executors_answer_alike(servers, world, name, document):
    sent = await asyncio.to_thread(compare, servers, name, document, world)
    assert sent >= len(viewers_of(document, world))


async def test_each_server_counts_what_answered(servers, world):
    """/metrics: the compiled server answered the differential run from plans, the
    reference server (COMPILED_EXECUTION=off) with graphql-core."""
    compiled, reference = [await asyncio.to_thread(executions, url) for url in servers]
    assert compiled.get("compiled", 0) >= 300
    assert compiled.get("compiled", 0) > 20 * compiled.get("reference", 0)
    assert set(reference) == {"reference"}
    assert reference["reference"] >= 300


def plan_of(schema: GraphQLSchema, document: DocumentNode) -> OperationPlan | None:
    """The plan of the document's operation, without variables."""
    fragments = {
        d.name.value: FragmentDetails(d)
        for d in document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    return plans_of(schema).plan(
        schema, fragments, VariableValues({}, {}), definition(document), lambda *_: None
    )


def test_every_valid_query_and_mutation_has_a_plan():
    """The share of operations answered from plans: all that the schema serves but
    subscriptions (the contract's loan, bill and SHU operations are not in the schema yet)."""
    schema = build_schema(lean=True)._schema
    planned, invalid, subscriptions = [], [], []
    for name, document in OPERATIONS:
        operation = definition(document)
        if validate(schema, document):
            invalid.append(name)
            continue
        if operation.operation == OperationType.SUBSCRIPTION:
            subscriptions.append(name)
        if plan_of(schema, document):
            planned.append(name)
    valid = len(OPERATIONS) - len(invalid)
    print(  # the figure for the benchmark notes
        f"compiled plans: {len(planned)} of {valid} valid operations"
        f" ({len(subscriptions)} subscriptions; {len(invalid)} not in the schema)"
    )
    assert sorted(planned + subscriptions) == sorted(n for n, _ in OPERATIONS if n not in invalid)
    assert len(planned) >= 60


# A tiny schema for what seeded data never shows: nulls in non-null fields, errors in lists.


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Item(Named):
    price: int

    @strawberry.field
    def label(self) -> str:
        if self.price < 0:
            raise ValueError("harga salah")
        return f"{self.name}:{self.price}"

    @strawberry.field
    def missing(self) -> str:
        return None  # type: ignore[return-value]  # breaks the non-null promise

    @strawberry.field
    async def later(self, info: Info) -> int:
        return await info.context["loader"].load(self.price)


@strawberry.type
class Other(Named):
    note: str | None


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return [Item(name="a", price=1), Item(name="b", price=-1), Item(name="c", price=3)]

    @strawberry.field
    def maybe_items(self) -> list[Item | None] | None:
        return [Item(name="a", price=1), Item(name="b", price=-1)]

    @strawberry.field
    def strict(self) -> list[Item]:
        return [Item(name="a", price=1)]

    @strawberry.field
    def named(self) -> list[Named]:
        return [Item(name="a", price=2), Other(name="o", note=None)]

    @strawberry.field
    def broken(self) -> list[int | None]:
        return [1, "dua", 3]  # type: ignore[list-item]

    @strawberry.field
    def not_a_list(self) -> list[int] | None:
        return 5  # type: ignore[return-value]


TINY_QUERIES = [
    ("{ items { name label } }", {}),  # an error in a non-null item nulls the whole list
    ("{ maybeItems { name label } }", {}),  # ... and only the item when items are nullable
    ("{ strict { name missing } }", {}),  # null in a non-null field up to the root
    ("{ maybeItems { name missing } }", {}),
    ("{ named { __typename name ... on Item { price later } ... on Other { note } } }", {}),
    ("{ broken }", {}),
    ("{ notAList }", {}),
    ("{ items { later } maybeItems { later } }", {}),
    (
        "query($on: Boolean!) { items { name label @skip(if: $on) price @include(if: $on) } }",
        {"on": True},
    ),
    (
        "query($on: Boolean!) { items { name label @skip(if: $on) price @include(if: $on) } }",
        {"on": False},
    ),
]


def tiny(compiled: bool) -> strawberry.Schema:
    if not compiled:
        return strawberry.Schema(query=Query, types=[Item, Other])
    schema = strawberry.Schema(
        query=Query, types=[Item, Other], execution_context_class=CompiledExecutionContext
    )
    lean_resolvers(schema)
    return schema


async def tiny_answer(schema: strawberry.Schema, query: str, variables: dict) -> tuple:
    batches: list[list[int]] = []

    async def load(keys: list[int]) -> list[int]:
        batches.append(list(keys))
        return [key * 10 for key in keys]

    context = {"loader": DataLoader(load_fn=load)}
    result = await schema.execute(query, variable_values=variables, context_value=context)
    errors = [(e.message, e.path, [(loc.line, loc.column) for loc in e.locations or []])
              for e in result.errors or []]  # fmt: skip
    return result.data, errors, batches  # in the order graphql-core reports them


@pytest.mark.parametrize(("query", "variables"), TINY_QUERIES)
async def test_tiny_schema_answers_alike(query, variables):
    compiled = tiny(compiled=True)
    ours = await tiny_answer(compiled, query, variables)
    assert ours == await tiny_answer(tiny(compiled=False), query, variables)
    assert ours == await tiny_answer(compiled, query, variables)  # from the cached plan


async def test_loads_of_one_level_are_batched():
    data, errors, batches = await tiny_answer(
        tiny(compiled=True), "{ items { later } maybeItems { later } }", {}
    )
    assert errors == []
    assert batches == [[1, -1, 3]]  # one batch for both lists: loads started together
    assert data["items"] == [{"later": 10}, {"later": -10}, {"later": 30}]


async def test_skip_and_include_are_evaluated_per_request():
    query = "query($on: Boolean!) { strict { label @skip(if: $on) price @include(if: $on) } }"
    compiled, reference = tiny(compiled=True), tiny(compiled=False)
    for on in (True, False, True):  # one schema: a plan per value of $on
        ours = await tiny_answer(compiled, query, {"on": on})
        assert ours == await tiny_answer(reference, query, {"on": on})
        assert ours[0]["strict"] == ([{"price": 1}] if on else [{"label": "a:1"}])


@pytest.mark.parametrize(
    "query",
    [
        "{ __schema { queryType { name } } }",
        '{ strict { name __type(name: "Item") { name } } }',
        "{ strict { ... @defer { price } } }",
        "{ strict { name } } fragment F on Item { price @stream }",
    ],
)
def test_what_a_plan_does_not_express_gets_none(query):
    schema = tiny(compiled=True)._schema
    assert plan_of(schema, parse("{ strict { name } }")) is not None
    assert plan_of(schema, parse(query)) is None
