"""`python -m topology.midtrans PORT`: the fake Midtrans the tests use (`fakes/midtrans.py`,
its Core API on loopback) as one of the topology's processes, with the
payer's side that Midtrans's sandbox offers as a simulator page: `POST /simulator/{order_id}`
settles the transaction (the payer scanned and paid) and answers the signed notification
Midtrans would post, for the caller to deliver (Midtrans delivers and retries it)."""

from __future__ import annotations

import json
import sys

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakes.midtrans import FakeMidtrans


def app(fake: FakeMidtrans) -> Starlette:
    async def simulate(request: Request) -> Response:
        order_id = request.path_params["order_id"]
        if order_id not in fake.transactions:
            return JSONResponse({"status_message": "Transaction doesn't exist."}, 404)
        fake.settle(order_id)
        return JSONResponse(json.loads(fake.notification(order_id)))

    served = fake.app()
    served.router.routes.append(Route("/simulator/{order_id}", simulate, methods=["POST"]))
    return served


if __name__ == "__main__":
    port = int(sys.argv[1])
    fake = FakeMidtrans(url=f"http://127.0.0.1:{port}")
    uvicorn.run(app(fake), host="127.0.0.1", port=port, log_level="warning", lifespan="off")
