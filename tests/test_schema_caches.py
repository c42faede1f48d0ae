"""A repeated operation is neither parsed nor validated again."""

from strawberry.extensions import ParserCache, ValidationCache

from media.local import LocalStorage
from resolvers.events import LocalBroker
from resolvers.services import Services
from schema.context import Context
from server.graphql_schema import CACHE_SIZE, make_schema
from tests.conftest import make_settings

QUERY = "query Cached { kecamatan { code } }"


async def test_second_run_of_an_operation_hits_both_caches(database_url, tmp_path, live):
    schema = make_schema(make_settings(database_url, tmp_path / "media"))
    parsed = ParserCache(maxsize=CACHE_SIZE).cached_parse_document
    validated = ValidationCache(maxsize=CACHE_SIZE).cached_validate_document
    context = Context(
        services=Services(storage=LocalStorage(tmp_path), events=LocalBroker()), request_id="t"
    )

    await schema.execute(QUERY, context_value=context)
    before = parsed.cache_info().hits, validated.cache_info().hits
    result = await schema.execute(QUERY, context_value=context)

    assert result.errors is None
    assert (parsed.cache_info().hits, validated.cache_info().hits) == (before[0] + 1, before[1] + 1)
