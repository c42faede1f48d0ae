"""graphql-core's request errors reach clients in Bahasa Indonesia, like every other message,
with the English kept in `extensions.originalMessage`: over HTTP and over WebSocket."""

import asyncio
import json

import pytest

from schema.execution.extensions.translated_errors import translate
from tests.server.helpers import open_socket

CASES = [
    ("{ prodcts { totalCount } }", None, "Field 'prodcts' tidak ada pada tipe 'Query'.",
     "Cannot query field 'prodcts' on type 'Query'."),
    ("{ product { name } }", None, "Argumen 'Query.product(slug:)' (tipe 'String!') wajib diisi.",
     "Argument 'Query.product(slug:)' of type 'String!' is required, but it was not provided."),
    ('{ product(slug: "x") }', None, "Field 'product' bertipe 'Product' harus memilih subfield",
     "Field 'product' of type 'Product' must have a selection of subfields."),
    ('{ products(first: "a") { totalCount } }', None, 'Int harus bilangan bulat, bukan "a"',
     'Int cannot represent non-integer value: "a"'),
    ("query($n: Int) { products(first: $n) { totalCount } }", {"n": "x"},
     "Nilai variabel '$n' tidak valid: Int harus bilangan bulat", "Variable '$n' has invalid value"),
    ("{ products(", None, "Kesalahan sintaks: diharapkan Name, ditemukan <EOF>.",
     "Syntax Error: Expected Name, found <EOF>."),
]  # fmt: skip


@pytest.mark.parametrize(("query", "variables", "indonesian", "english"), CASES)
async def test_request_errors_are_in_indonesian_over_http(
    client, query, variables, indonesian, english
):
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    (error,) = response.json()["errors"]
    assert error["message"].startswith(indonesian), error
    assert error["extensions"]["originalMessage"].startswith(english)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_repeated_document_is_translated_alike(client):
    """Parse and validation results are cached: the second answer is the first one's."""
    query = "{ prodcts { totalCount } }"
    answers = [(await client.post("/graphql", json={"query": query})).json() for _ in range(2)]
    assert answers[0] == answers[1]


async def test_request_errors_are_in_indonesian_over_the_websocket(live):
    socket = await open_socket(live, {})
    assert json.loads(await socket.recv()) == {"type": "connection_ack"}
    try:
        for n, query in enumerate(["{ prodcts { id } }", "subscription { nothing }"]):
            payload = {"query": query}
            await socket.send(json.dumps({"id": str(n), "type": "subscribe", "payload": payload}))
            message = json.loads(await asyncio.wait_for(socket.recv(), 5))
            assert message["type"] == "error", message
            (error,) = message["payload"]
            assert "tidak ada pada tipe" in error["message"], error
            assert error["extensions"]["originalMessage"].startswith("Cannot query field")
    finally:
        await socket.close()


def test_hints_and_nested_messages_are_translated_too():
    assert translate("Unknown type 'Strin'. Did you mean 'String' or 'Sting'?") == (
        "Tipe 'Strin' tidak dikenal. Mungkin maksud Anda 'String' atau 'Sting'?"
    )
    assert translate("Variable '$f' has invalid value: Value 'X' does not exist in 'E' enum.") == (
        "Nilai variabel '$f' tidak valid: Nilai 'X' tidak ada di enum 'E'."
    )
    assert translate("Something graphql-core says one day.") is None
