"""`then` answers at once from a finished future or a plain value, and awaits anything else."""

import asyncio
import inspect

from schema.platform.eventually import then


async def test_a_finished_future_is_wrapped_at_once():
    done = asyncio.get_running_loop().create_future()
    done.set_result(20)
    assert then(done, lambda n: n + 1) == 21


def test_a_plain_value_is_wrapped_at_once():
    assert then(20, lambda n: n + 1) == 21


async def test_a_pending_future_is_wrapped_once_it_is_ready():
    pending = asyncio.get_running_loop().create_future()
    later = then(pending, lambda n: n + 1)
    assert inspect.isawaitable(later)
    pending.set_result(20)
    assert await later == 21


async def test_a_coroutine_is_awaited():
    async def twenty() -> int:
        return 20

    assert await then(twenty(), lambda n: n + 1) == 21
