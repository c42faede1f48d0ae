"""A repeated operation is neither parsed nor validated again."""

from strawberry.extensions import ParserCache

from schema.execution.extensions import validated_documents
from schema.platform.context import Context
from server.app import make_services
from server.graphql_schema import CACHE_SIZE, make_schema
from tests.conftest import make_settings

QUERY = "query Cached { kecamatan { code } }"


async def test_second_run_of_an_operation_hits_both_caches(database_url, tmp_path, live):
    settings = make_settings(database_url, tmp_path / "media")
    schema = make_schema(settings)
    parsed = ParserCache(maxsize=CACHE_SIZE).cached_parse_document
    validated = validated_documents(CACHE_SIZE)
    context = Context(services=make_services(settings, None), request_id="t")

    await schema.execute(QUERY, context_value=context)
    before = parsed.cache_info().hits, validated.hits
    result = await schema.execute(QUERY, context_value=context)

    assert result.errors is None
    assert (parsed.cache_info().hits, validated.hits) == (before[0] + 1, before[1] + 1)
