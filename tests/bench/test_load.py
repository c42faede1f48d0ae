"""The load generator labels each request's timing with its kind, and an unexpected answer
stops the run or, when asked, is kept as that request's error."""

import pytest

from bench.load import prepared_post, run_prepared


async def test_each_timing_keeps_its_kind_and_any_error(live):
    url = f"{live.url}/graphql"
    fine = prepared_post(url, {"query": "{ __typename }"})
    wrong = prepared_post(url, {"query": "{ noSuchField }"})
    sent = [("fine", fine), ("wrong", wrong), ("fine", fine)]

    result = await run_prepared(url, sent, concurrency=1, record_errors=True)

    groups = result.by_kind()
    assert {kind: len(timings) for kind, timings in groups.items()} == {"fine": 2, "wrong": 1}
    assert [t.error for t in groups["fine"]] == [None, None]
    assert "noSuchField" in (groups["wrong"][0].error or "")
    assert all(t.seconds > 0 for t in result.timings)


async def test_an_unexpected_answer_stops_an_unrecorded_run(live):
    url = f"{live.url}/graphql"
    with pytest.raises(RuntimeError, match="unexpected answer"):
        await run_prepared(url, [prepared_post(url, {"query": "{ noSuchField }"})], concurrency=1)
