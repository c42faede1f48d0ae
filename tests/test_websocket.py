"""The graphql-transport-ws endpoint authenticates from the connection_init payload."""

import json

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.conftest import sign_up


async def open_socket(live, payload):
    url = live.url.replace("http://", "ws://") + "/graphql"
    socket = await connect(url, subprotocols=["graphql-transport-ws"])
    await socket.send(json.dumps({"type": "connection_init", "payload": payload}))
    return socket


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
