"""Many racing requests through real HTTP: payouts on one balance never take more than it
held, one key pays once, and settlements of one cooperative never exceed its net; every
ledger balances after."""

import asyncio
import uuid

from tests.payouts.helpers import (
    assert_ledgers_balance,
    available,
    bank_destination,
    completed_sale,
    request_payout,
    savings_destination,
)

RACERS = 50


async def test_racing_payouts_never_take_more_than_the_balance(gql, client, live):
    sale = await completed_sale(gql, client, live)
    shop_id, token = sale.shop["id"], sale.seller["token"]
    bank = await bank_destination(gql, token, shop_id)
    _, _, savings = await savings_destination(gql, sale.seller, shop_id)
    answers = await asyncio.gather(
        *(
            request_payout(gql, token, shop_id, bank if i % 2 else savings, 10000)
            for i in range(RACERS)
        )
    )
    accepted = [a for a in answers if not a["errors"]]
    refused = {e["code"] for a in answers for e in a["errors"]}
    assert len(accepted) == 3
    assert refused == {"INSUFFICIENT_BALANCE"}
    assert await available(gql, shop_id, token) == 0
    await assert_ledgers_balance()


async def test_racing_repeats_of_one_key_pay_once(gql, client, live):
    sale = await completed_sale(gql, client, live)
    shop_id, token = sale.shop["id"], sale.seller["token"]
    bank = await bank_destination(gql, token, shop_id)
    key = str(uuid.uuid4())
    answers = await asyncio.gather(
        *(request_payout(gql, token, shop_id, bank, 10000, key) for _ in range(RACERS))
    )
    assert {a["payout"]["id"] for a in answers} == {answers[0]["payout"]["id"]}
    assert await available(gql, shop_id, token) == 20000
    await assert_ledgers_balance()
