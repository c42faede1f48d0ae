"""A corpus of malformed and hostile requests: each is answered with a 4xx or a coded error
that is not INTERNAL, quickly, with no traceback in the log, and the server keeps serving."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from strawberry.relay import GlobalID

from models.orders import CartLine
from schema.platform.ids import encode_id
from tests.conftest import contract, sign_up
from tests.cooperatives.helpers import Koperasi
from tests.loans.helpers import PAY_OFF, REJECT, REPAY, active_loan, apply
from tests.orders.complaint_helpers import op, open_complaint, shipped_sale
from tests.orders.helpers import add_to_cart, buy, checkout_input, seller_with_products
from tests.server.helpers import open_socket

GQL_RESPONSE = "application/graphql-response+json"
PREFLIGHT = {"Apollo-Require-Preflight": "true"}
UPLOAD = 'mutation($file: Upload!) { uploadProductImage(productId: "x", file: $file) { errors { code } } }'
PRICE = 'mutation($price: Rupiah!) { updateProduct(id: "x", input: {price: $price}) { product { id } } }'


@dataclass
class Case:
    name: str
    status: int
    code: str | None  # None: a plain 4xx from the router, no GraphQL body
    method: str = "POST"
    json_body: Any = None
    content: bytes | None = None
    headers: dict[str, str | bytes] = field(default_factory=dict)
    params: dict[str, str] | None = None
    files: Any = None
    data: dict[str, str] | None = None


def body(text: str, **headers: str) -> dict[str, Any]:
    return {"content": text.encode(), "headers": {"content-type": "application/json", **headers}}


def raw_x(query: str, raw_json: str, key: str = "variables") -> dict[str, Any]:
    """A body whose `key` is `{"x": <raw_json>}`, written as is (JSON or not)."""
    return body(f'{{"query": {json.dumps(query)}, "{key}": {{"x": {raw_json}}}}}')


def nested(levels: int, inner: str = "1") -> str:
    return "[" * levels + inner + "]" * levels


def deep_selection(levels: int) -> str:
    opening = "{ kecamatan { kelurahan " + "{ kecamatan { kelurahan " * (levels // 2)
    return opening + "{ code }" + " } }" * (levels // 2) + " } }"


def price_literal(value: str) -> str:
    return (
        f'mutation {{ updateProduct(id: "x", input: {{price: {value}}}) {{ product {{ id }} }} }}'
    )


def multipart(operations: str, mapping: str, files: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "data": {"operations": operations, "map": mapping},
        "files": files or {"0": ("a.png", b"\x89PNG", "image/png")},
        "headers": PREFLIGHT,
    }


LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }"
SLUG = "query($s: String!) { cooperative(slug: $s) { id } }"
DEPOSIT = """mutation($note: String) { recordDeposit(membershipId: "TWVtYmVyc2hpcDox",
  account: SUKARELA, amount: 1000, note: $note) { errors { code } } }"""
PAY_BILLS = """mutation($key: String!) { payBills(input: {billIds: [], source: QRIS,
  idempotencyKey: $key}) { errors { code } } }"""
ORDER_EVENTS = "subscription($shop: ID!) { orderEvents(shopId: $shop) { type } }"
# Request bodies written by hand, so that the escapes reach the server as they are; BAD
# stands for the escape of a lone surrogate or a NUL.
BAD_TEXT_BODIES = {
    "in login's variables": json.dumps(
        {"query": LOGIN, "variables": {"e": "aBAD@x.id", "p": "rahasia"}}
    ),
    "in a slug variable": json.dumps({"query": SLUG, "variables": {"s": "BAD"}}),
    "in a deposit note": json.dumps({"query": DEPOSIT, "variables": {"note": "setorBAD"}}),
    "in an idempotency key": json.dumps({"query": PAY_BILLS, "variables": {"key": "kBAD"}}),
    "in a variable's name": json.dumps({"query": SLUG, "variables": {"s": "a", "xBAD": 1}}),
    "in a document literal": json.dumps({"query": '{ cooperative(slug: "BAD") { id } }'}),
    "in operationName": json.dumps({"query": "{ __typename }", "operationName": "ABAD"}),
    "in extensions": json.dumps({"query": "{ __typename }", "extensions": {"x": "BAD"}}),
}
TYPENAME = '{"query": "{ __typename }"}'
TYPENAME_BODY = {"query": "{ __typename }"}
WITH_FILE = json.dumps({"query": UPLOAD, "variables": {"file": None}})
BAD = "BAD_USER_INPUT"
CASES = [
    # Picking the operation (a GraphQL request error: 200 to application/json, 400 otherwise).
    Case(
        "unknown operationName",
        200,
        BAD,
        json_body={"query": "{ __typename }", "operationName": "Nope"},
    ),
    Case(
        "unknown operationName, graphql-response+json",
        400,
        BAD,
        json_body={"query": "{ __typename }", "operationName": "Nope"},
        headers={"Accept": GQL_RESPONSE},
    ),
    Case(
        "two operations, no operationName",
        200,
        BAD,
        json_body={"query": "query A { __typename } query B { __typename }"},
    ),
    Case(
        "empty operationName",
        200,
        BAD,
        json_body={"query": "query A { __typename }", "operationName": ""},
    ),
    Case("only a fragment", 200, BAD, json_body={"query": "fragment F on Query { __typename }"}),
    Case(
        "subscription over POST",
        200,
        BAD,
        json_body={"query": 'subscription { orderEvents(shopId: "x") { type } }'},
    ),
    Case(
        "mutation over GET", 405, BAD, method="GET", params={"query": "mutation { logout { ok } }"}
    ),
    # Request parameters of the wrong type: 400 whatever the client accepts.
    *(
        Case(f"query {label}", 400, BAD, json_body={"query": value})
        for label, value in [
            ("an object", {"a": 1}),
            ("a number", 0),
            ("false", False),
            ("an array", ["{ a }"]),
            ("null", None),
            ("empty", ""),
        ]
    ),
    Case("no query at all", 400, BAD, json_body={"qeury": "{ __typename }"}),
    *(
        Case(f"{name} {label}", 400, BAD, json_body={"query": "{ __typename }", name: value})
        for name in ("operationName", "variables", "extensions")
        for label, value in [
            (
                "an object" if name == "operationName" else "a string",
                {"a": 1} if name == "operationName" else "{}",
            ),
            ("a number", 0),
            ("false", False),
            ("an array", []),
        ]
    ),
    # Bodies that are not a JSON object.
    Case("batch array", 400, BAD, json_body=[{"query": "{ __typename }"}] * 3),
    *(
        Case(f"body {text}", 400, BAD, **body(text))
        for text in ("null", "42", '"{ __typename }"', "true", "[]")
    ),
    Case("empty body", 400, BAD, **body("")),
    Case("whitespace body", 400, BAD, **body(" \n\t ")),
    Case("malformed JSON", 400, BAD, **body('{"query": "{')),
    Case("trailing garbage", 400, BAD, **body(TYPENAME + " x")),
    Case("two JSON documents", 400, BAD, **body(TYPENAME + TYPENAME)),
    # Numbers JSON does not have, or a float cannot hold.
    *(
        Case(
            f"variable {text}",
            400,
            BAD,
            **raw_x("query($x: Float) { __typename }", text),
        )
        for text in ("NaN", "Infinity", "-Infinity", "1e400", "-1e400")
    ),
    Case(
        "integer of 5,000 digits",
        400,
        BAD,
        **raw_x("{ __typename }", "9" * 5000),
    ),
    Case(
        "Int variable of 100 digits",
        200,
        BAD,
        **raw_x("query($x: Int) { __typename }", "9" * 100),
    ),
    Case("rupiah beyond 2^53", 200, BAD, json_body={"query": price_literal("9007199254741001")}),
    Case("rupiah of 300 digits", 200, BAD, json_body={"query": price_literal("9" * 300)}),
    Case("rupiah as a float", 200, BAD, json_body={"query": PRICE, "variables": {"price": 1500.5}}),
    Case("rupiah 1e300", 200, BAD, json_body={"query": PRICE, "variables": {"price": 1e300}}),
    Case("rupiah as a string", 200, BAD, json_body={"query": price_literal('"15000"')}),
    Case(
        "id as a float",
        200,
        BAD,
        json_body={"query": "query($id: ID!) { node(id: $id) { id } }", "variables": {"id": 1.5}},
    ),
    Case(
        "id as an object",
        200,
        BAD,
        json_body={
            "query": "query($id: ID!) { node(id: $id) { id } }",
            "variables": {"id": {"a": 1}},
        },
    ),
    # Deep nesting, in variables and in literals.
    Case(
        "variables nested 5,000 deep",
        400,
        BAD,
        **body(raw_x("query($x: [Int]) { __typename }", nested(5000))["content"].decode()),
    ),
    Case(
        "variables nested 40 deep",
        400,
        BAD,
        **raw_x("{ __typename }", nested(40)),
    ),
    Case(
        "extensions nested 5,000 deep",
        400,
        BAD,
        **raw_x("{ __typename }", nested(5000), "extensions"),
    ),
    Case(
        "list literal nested 2,000 deep",
        200,
        BAD,
        json_body={"query": "{ __type(name: " + nested(2000, '"x"') + ") { name } }"},
    ),
    Case(
        "object literal nested 1,500 deep",
        200,
        BAD,
        json_body={
            "query": "mutation { createShop(input: %s) { errors { code } } }"
            % ("{a: " * 1500 + "1" + "}" * 1500)
        },
    ),
    Case("selection 100 deep", 200, "QUERY_TOO_COMPLEX", json_body={"query": deep_selection(100)}),
    Case(
        "10,000 aliases",
        200,
        "QUERY_TOO_COMPLEX",
        json_body={"query": "{ " + " ".join(f"a{i}: __typename" for i in range(10_000)) + " }"},
    ),
    Case(
        "40 aliases",
        200,
        "QUERY_TOO_COMPLEX",
        json_body={"query": "{ " + " ".join(f"a{i}: __typename" for i in range(40)) + " }"},
    ),
    Case(
        "1 MB document",
        413,
        "QUERY_TOO_COMPLEX",
        json_body={"query": "{ __typename " + " " * 1_048_576 + "}"},
    ),
    # Odd encodings.
    Case(
        "UTF-16 body",
        400,
        BAD,
        content=TYPENAME.encode("utf-16"),
        headers={"content-type": "application/json"},
    ),
    Case(
        "Latin-1 bytes",
        400,
        BAD,
        content='{"query": "{ __type(name: \\"é\\") { name } }", "x": "é"}'.encode("latin-1"),
        headers={"content-type": "application/json"},
    ),
    Case(
        "UTF-8 BOM",
        400,
        BAD,
        content=b"\xef\xbb\xbf" + TYPENAME.encode(),
        headers={"content-type": "application/json"},
    ),
    Case(
        "charset latin1",
        415,
        BAD,
        content=TYPENAME.encode(),
        headers={"content-type": "application/json; charset=latin1"},
    ),
    # Raw in the query text: refused with the request (400), before the document is parsed.
    Case(
        "lone surrogate in a string",
        400,
        BAD,
        **body('{"query": "{ __type(name: \\"\\ud800\\") { nama } }"}'),
    ),
    Case("lone surrogate in a syntax error", 400, BAD, **body('{"query": "{ \\ud800 }"}')),
    Case("NUL in the document", 400, BAD, json_body={"query": "{ __typename \x00 }"}),
    # Persisted queries: a malformed one is a 400, an unknown hash Apollo's 404.
    Case(
        "persisted query, no query",
        400,
        BAD,
        json_body={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "zz"}}},
    ),
    Case(
        "persisted query garbage, no query",
        400,
        BAD,
        json_body={"extensions": {"persistedQuery": "garbage"}},
    ),
    Case(
        "persisted query, unknown hash",
        404,
        "PERSISTED_QUERY_NOT_FOUND",
        json_body={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "ab" * 32}}},
    ),
    Case(
        "persisted query by GET, hash of another query",
        400,
        "PERSISTED_QUERY_HASH_MISMATCH",
        method="GET",
        params={
            "query": "{ __typename }",
            "extensions": json.dumps({"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}),
        },
    ),
    # Odd headers.
    *(
        Case(f"accept {accept}", 406, BAD, json_body=TYPENAME_BODY, headers={"Accept": accept})
        for accept in ("text/plain", ";;, ,;q=x", "image/*")
    ),
    *(
        Case(f"content type {media}", 415, BAD, content=raw, headers={"content-type": media})
        for media, raw in [
            ("text/plain", TYPENAME.encode()),
            ("application/graphql", b"{ __typename }"),
            ("x/y;;;=;", TYPENAME.encode()),
        ]
    ),
    *(
        Case(
            f"{header} {label}",
            401,
            "UNAUTHENTICATED",
            json_body=TYPENAME_BODY,
            headers={header: value},
        )
        for header, label, value in [
            ("Authorization", "without a token", "Bearer"),
            ("Authorization", "Basic", "Basic dXNlcjpwYXNz"),
            ("Authorization", "8 KB token", "Bearer " + "x" * 8000),
            ("X-Api-Key", "garbage", ("sp_" + "é!" * 300).encode("latin-1")),
        ]
    ),
    # GET.
    *(
        Case(f"GET {label}", 400, BAD, method="GET", params={"query": "{ __typename }", **given})
        for label, given in [
            ("variables not JSON", {"variables": "{"}),
            ("variables NaN", {"variables": '{"x": NaN}'}),
            ("extensions an array", {"extensions": "[]"}),
        ]
    ),
    Case("GET without query", 400, BAD, method="GET", params={"operationName": "A"}),
    Case("PUT", 405, None, method="PUT", json_body={"query": "{ __typename }"}),
    # Multipart uploads.
    Case(
        "multipart without CSRF header",
        400,
        BAD,
        data={"operations": json.dumps({"query": "{ __typename }"}), "map": "{}"},
        files={"x": ("a.txt", b"x")},
    ),
    *(
        Case(f"multipart map {label}", 400, BAD, **multipart(WITH_FILE, mapping))
        for label, mapping in [
            ("to a missing file", '{"9": ["variables.file"]}'),
            ("to nowhere", '{"0": ["variables.a.b.c"]}'),
            ("outside variables", '{"0": ["query"]}'),
            ("with 5,000 paths", json.dumps({"0": [f"variables.f{i}" for i in range(5000)]})),
            ("with 5,000 files", json.dumps({str(i): ["variables.file"] for i in range(5000)})),
            ("values not lists", '{"0": "variables.file"}'),
        ]
    ),
    Case("multipart map not JSON", 400, BAD, **multipart(json.dumps({"query": UPLOAD}), "{")),
    Case("multipart map an array", 400, BAD, **multipart(json.dumps({"query": UPLOAD}), "[]")),
    Case("multipart operations not JSON", 400, BAD, **multipart("{", '{"0": ["variables.file"]}')),
    Case(
        "multipart operations NaN",
        400,
        BAD,
        **multipart('{"query": "{ __typename }", "variables": {"x": NaN}}', "{}"),
    ),
    Case(
        "multipart operations a batch", 400, BAD, **multipart(json.dumps([{"query": UPLOAD}]), "{}")
    ),
    Case(
        "multipart operations missing",
        400,
        BAD,
        data={"map": "{}"},
        files={"0": ("a.png", b"x")},
        headers=PREFLIGHT,
    ),
    Case(
        "multipart with 11 files",
        400,
        BAD,
        data={"operations": json.dumps({"query": UPLOAD}), "map": "{}"},
        files={str(i): (f"{i}.png", b"x") for i in range(11)},
        headers=PREFLIGHT,
    ),
    Case(
        "multipart without boundary",
        400,
        BAD,
        content=b"--x\r\n",
        headers={"content-type": "multipart/form-data", **PREFLIGHT},
    ),
    # A lone surrogate or a NUL in any text: refused at the edge, signed out too (issue 24).
    *(
        Case(f"{label} {what}", 400, BAD, **body(text.replace("BAD", bad)))
        for label, bad in (("lone surrogate", r"\ud800"), ("NUL", r"\u0000"))
        for what, text in BAD_TEXT_BODIES.items()
    ),
    *(
        Case(
            f"NUL escape {literal} in a literal",
            400,
            BAD,
            json_body={"query": f'{{ cooperative(slug: "a{literal}") {{ id }} }}'},
        )
        for literal in (r"\u0000", r"\u{0}", r"\U{000}")
    ),
    Case(
        "lone surrogate in a GET variable",
        400,
        BAD,
        method="GET",
        params={"query": SLUG, "variables": '{"s": "\\udfff"}'},
    ),
    Case(
        "NUL in a GET query",
        400,
        BAD,
        method="GET",
        params={"query": '{ cooperative(slug: "a\x00") { id } }'},
    ),
    Case(
        "NUL escape in a GET literal",
        400,
        BAD,
        method="GET",
        params={"query": '{ cooperative(slug: "a\\u0000") { id } }'},
    ),
    Case(
        "multipart garbage",
        400,
        BAD,
        content=b"\x00\xff" * 100,
        headers={"content-type": "multipart/form-data; boundary=zz", **PREFLIGHT},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_hostile_request_is_answered_quickly_and_coded(client, caplog, case: Case):
    caplog.set_level(logging.INFO)
    kwargs: dict[str, Any] = {"headers": case.headers, "params": case.params}
    if case.json_body is not None:
        kwargs["json"] = case.json_body
    for name in ("content", "files", "data"):
        if getattr(case, name) is not None:
            kwargs[name] = getattr(case, name)
    started = time.perf_counter()
    await client.post("/graphql", json={"query": "{ __typename }"})
    baseline = time.perf_counter() - started  # a loaded machine slows every answer alike
    started = time.perf_counter()
    response = await client.request(case.method, "/graphql", **kwargs)
    elapsed = time.perf_counter() - started

    assert response.status_code == case.status, response.text[:500]
    assert elapsed < max(1.5, 20 * baseline), f"{case.name} took {elapsed:.2f}s"
    if case.code is not None:
        answer = response.json()
        assert answer.get("data") is None
        assert [e["extensions"]["code"] for e in answer["errors"]] == [case.code], answer
        assert "Traceback" not in response.text
    logged = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert logged == [], [r.getMessage() for r in logged]
    still_serving = await client.post("/graphql", json={"query": "{ __typename }"})
    assert still_serving.json()["data"] == {"__typename": "Query"}


MISSING = 987654321
CREATE_KEY = 'mutation { createApiKey(name: "Kampus") { apiKey { id } } }'
DRAFT = """mutation($id: ID!) { updateProduct(id: $id, input: {status: DRAFT}) {
  errors { code } } }"""


async def _probes(gql) -> tuple[str, list[tuple[str, str, dict[str, Any], str]]]:
    """Rows of other people and what a stranger sends with their ids: (the stranger's token,
    [(the operation, the id, its variables with the id as "ID", the mutation's field)])."""
    owner, _, (product, draft) = await seller_with_products(gql, 2)
    assert (await gql(DRAFT, {"id": draft["id"]}, token=owner["token"]))["data"]
    _, order = await buy(gql, product["id"], method="COD")
    shopper = await sign_up(gql)
    assert (await add_to_cart(gql, shopper["token"], product["id"]))["errors"] == []
    line = encode_id("CartLine", (await CartLine.get(buyer__email=shopper["user"]["email"])).id)
    key = (await gql(CREATE_KEY, token=owner["token"]))["data"]["createApiKey"]["apiKey"]["id"]
    koperasi = await Koperasi.new(gql)
    warga, membership = await koperasi.member()
    pending = (await koperasi.apply(await sign_up(gql)))["membership"]["id"]
    loan = (await apply(koperasi, membership, warga["token"]))["loan"]["id"]
    bill = (await koperasi.dashboard(membership, warga["token"]))["data"]["node"]["bills"][0]["id"]
    _, _, active = await active_loan(koperasi)
    stranger = await Koperasi.new(gql)  # the pengurus of another cooperative
    checkout = checkout_input("COOPERATIVE_BALANCE", membershipId="ID")
    sale = await shipped_sale(gql, delivered=True)
    complaint = (await open_complaint(gql, sale))["complaint"]["id"]
    text = {"reason": "DAMAGED", "text": "Barangnya rusak parah."}
    return stranger.pengurus["token"], [
        (contract("CancelOrder"), order["id"], {"id": "ID"}, "cancelOrder"),
        (op("ConfirmReceipt"), sale.order_id, {"id": "ID"}, "confirmReceipt"),
        (op("OpenComplaint"), sale.order_id, {"input": {"orderId": "ID", **text}}, "openComplaint"),
        (
            op("RespondToComplaint"),
            complaint,
            {"id": "ID", "input": {"response": "REFUND", "refundAmount": 1000}},
            "respondToComplaint",
        ),
        (
            op("ShipComplaintReturn"),
            complaint,
            {"id": "ID", "trackingNumber": "J1"},
            "shipComplaintReturn",
        ),
        (op("ReceiveComplaintReturn"), complaint, {"id": "ID"}, "receiveComplaintReturn"),
        (op("EscalateComplaint"), complaint, {"id": "ID", "note": "Tolong"}, "escalateComplaint"),
        (
            op("DecideComplaint"),
            complaint,
            {"id": "ID", "refundAmount": 0, "note": "Putus"},
            "decideComplaint",
        ),
        (
            contract("UpdateOrderStatus"),
            order["id"],
            {"id": "ID", "status": "SHIPPED", "trackingNumber": "JNE1"},
            "updateOrderStatus",
        ),
        (
            contract("UpdateProduct"),
            draft["id"],
            {"id": "ID", "input": {"price": 1}},
            "updateProduct",
        ),
        (contract("UpdateCartLine"), line, {"lineId": "ID", "quantity": 2}, "updateCartLine"),
        (contract("RevokeApiKey"), key, {"id": "ID"}, "revokeApiKey"),
        (contract("DecideMembership"), pending, {"id": "ID", "approve": True}, "decideMembership"),
        (contract("EndMembership"), membership, {"id": "ID"}, "endMembership"),
        (
            contract("RecordDeposit"),
            membership,
            {"membershipId": "ID", "account": "SUKARELA", "amount": 1000},
            "recordDeposit",
        ),
        (contract("Withdraw"), membership, {"membershipId": "ID", "amount": 1000}, "withdraw"),
        (
            contract("ApplyLoan"),
            membership,
            {
                "input": {
                    "membershipId": "ID",
                    "principal": 100000,
                    "tenorMonths": 6,
                    "purpose": "Usaha",
                }
            },
            "applyLoan",
        ),
        (
            contract("ApproveLoan"),
            loan,
            {"id": "ID", "annualRateBps": 1200, "method": "FLAT"},
            "approveLoan",
        ),
        (REJECT, loan, {"id": "ID", "reason": "Tidak"}, "rejectLoan"),
        (contract("DisburseLoan"), loan, {"id": "ID"}, "disburseLoan"),
        (REPAY, active, {"id": "ID", "amount": 1000}, "repayLoan"),
        (PAY_OFF, active, {"id": "ID", "fromSavings": True}, "payOffLoan"),
        (
            contract("PayBills"),
            bill,
            {"input": {"billIds": ["ID"], "source": "QRIS", "idempotencyKey": "probe-1"}},
            "payBills",
        ),
        (contract("Checkout"), membership, {"input": checkout}, "checkout"),
    ]


def _with_id(variables: Any, value: str) -> Any:
    if variables == "ID":
        return value
    if isinstance(variables, dict):
        return {k: _with_id(v, value) for k, v in variables.items()}
    if isinstance(variables, list):
        return [_with_id(v, value) for v in variables]
    return variables


async def test_a_row_the_caller_may_not_see_is_answered_as_a_missing_one(gql):
    """Ids cannot be probed: every mutation that takes the id of a row the caller may not see
    answers exactly as for an id that names no row."""
    token, probes = await _probes(gql)
    for document, theirs, variables, name in probes:
        kind = GlobalID.from_id(theirs).type_name
        answers = []
        for value in (theirs, encode_id(kind, MISSING)):
            result = await gql(document, _with_id(variables, value), token=token)
            assert "errors" not in result, (name, result)
            answers.append(result["data"][name]["errors"])
        assert answers[0] == answers[1], (name, answers)
        assert answers[0][0]["code"] == "NOT_FOUND", (name, answers)


WS_CASES = {
    "lone surrogate variable": ('{"shop": "\\ud800"}', ORDER_EVENTS),
    "NUL variable": ('{"shop": "a\\u0000"}', ORDER_EVENTS),
    "NUL escape literal": ("{}", 'subscription { orderEvents(shopId: "a\\u0000") { type } }'),
}


@pytest.mark.parametrize("name", list(WS_CASES))
async def test_bad_text_is_refused_over_the_websocket_too(live, caplog, name):
    """A lone surrogate or NUL in a subscription's text is a coded error, and the socket
    keeps serving."""
    caplog.set_level(logging.INFO)
    variables, query = WS_CASES[name]
    socket = await open_socket(live, {})
    assert json.loads(await socket.recv()) == {"type": "connection_ack"}
    try:
        # Written by hand: the escapes must reach the server as they are.
        await socket.send(
            f'{{"id": "1", "type": "subscribe", "payload": {{"query": {json.dumps(query)}, '
            f'"variables": {variables}}}}}'
        )
        message = json.loads(await asyncio.wait_for(socket.recv(), 5))
        assert message["type"] == "error", message
        assert [e["extensions"]["code"] for e in message["payload"]] == [BAD]
        await socket.send(json.dumps({"id": "2", "type": "subscribe",
                                      "payload": {"query": "{ __typename }"}}))  # fmt: skip
        served = json.loads(await asyncio.wait_for(socket.recv(), 5))
        assert served["payload"]["data"] == {"__typename": "Query"}
    finally:
        await socket.close()
    logged = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert logged == [], [r.getMessage() for r in logged]


@pytest.mark.parametrize(
    "literal",
    [r"a\\u0000", r"a\\\\\\u{0}x", r"a\u0041\n", r"a\\"],
    ids=[
        "escaped-backslash-then-u0000",
        "escaped-backslashes-then-u-brace",
        "escapes",
        "backslash",
    ],
)
async def test_escapes_that_are_not_a_nul_are_read(client, literal):
    """Only a NUL escape is refused (`server.graphql_params`): a document with backslashes
    that do not escape a NUL runs, with or without a JSON number hook on the way."""
    query = f'{{ cooperative(slug: "{literal}") {{ id }} }}'
    response = await client.post("/graphql", json={"query": query, "variables": {"n": 1.5}})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["data"] == {"cooperative": None}
    assert "errors" not in answer
