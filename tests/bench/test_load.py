"""The load generator labels each request's timing with its kind, and an unexpected answer
stops the run or, when asked, is kept as that request's error; every benchmark's
percentiles are one interpolation."""

import pytest

from bench.load import percentile, prepared_post, run_prepared


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


def test_percentiles_interpolate_between_the_samples():
    hundred_and_one = [float(n) for n in range(101, 0, -1)]  # in any order
    assert [percentile(hundred_and_one, p) for p in (0.5, 0.95, 0.99)] == [51.0, 96.0, 100.0]
    assert percentile([1.0, 2.0], 0.5) == 1.5
    assert percentile([7.0], 0.99) == 7.0
