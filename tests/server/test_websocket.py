"""The graphql-transport-ws endpoint authenticates from the connection_init payload."""

import json

import pytest
from websockets.exceptions import ConnectionClosed

from tests.conftest import contract, sign_up
from tests.server.helpers import open_socket


async def test_valid_token_is_acknowledged(live, gql):
    user = await sign_up(gql)
    socket = await open_socket(live, {"authorization": f"Bearer {user['token']}"})
    try:
        assert json.loads(await socket.recv()) == {"type": "connection_ack"}
    finally:
        await socket.close()


async def test_invalid_token_closes_the_connection(live):
    socket = await open_socket(live, {"authorization": "Bearer palsu"})
    with pytest.raises(ConnectionClosed) as closed:
        await socket.recv()
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (4403, "TOKEN_INVALID")


async def test_a_revoked_token_closes_the_connection_saying_so(live, gql):
    user = await sign_up(gql)
    assert "errors" not in await gql(contract("Logout"), token=user["token"])
    socket = await open_socket(live, {"authorization": f"Bearer {user['token']}"})
    with pytest.raises(ConnectionClosed) as closed:
        await socket.recv()
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (4403, "TOKEN_REVOKED")


async def test_no_credentials_are_acknowledged_as_anonymous(live):
    socket = await open_socket(live, {})
    try:
        assert json.loads(await socket.recv()) == {"type": "connection_ack"}
    finally:
        await socket.close()
