"""The graphql-transport-ws endpoint authenticates from the connection_init payload."""

import json

import pytest
from websockets.exceptions import ConnectionClosed

from tests.conftest import sign_up
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
    assert closed.value.rcvd.code == 4403
