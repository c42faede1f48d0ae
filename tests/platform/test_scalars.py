"""Rupiah, Money and the pure query limits."""

import pytest
from graphql import parse

from resolvers.platform.money import format_rupiah
from schema.execution.extensions.query_cost import operation_cost
from schema.platform.scalars import MAX_SAFE, _parse_rupiah


@pytest.mark.parametrize(
    ("amount", "text"),
    [(15000, "Rp15.000"), (0, "Rp0"), (2_500_000_000, "Rp2.500.000.000"), (-500, "-Rp500")],
)
def test_rupiah_is_formatted_indonesian_style(amount, text):
    assert format_rupiah(amount) == text


def test_rupiah_goes_beyond_32_bits_but_not_beyond_2_53():
    assert _parse_rupiah(2**31) == 2**31
    assert _parse_rupiah(MAX_SAFE) == MAX_SAFE
    for bad in (MAX_SAFE + 1, 1.5, "1000", True, None):
        with pytest.raises(ValueError, match="Rupiah"):
            _parse_rupiah(bad)


def test_cost_multiplies_by_page_size_and_caps_it():
    document = parse("query($n: Int) { products(first: $n) { edges { node { id name } } } }")
    assert operation_cost(document, None, {"n": 10}, 10_000) == 1 + 10 * (1 + (1 + 2))
    assert operation_cost(document, None, {"n": 10_000}, 100_000) == 1 + 100 * 4


def test_unexpected_errors_are_masked_with_the_request_id():
    from graphql import GraphQLError

    from schema.execution.extensions.error_codes import with_code

    leaked = GraphQLError("password=hunter2", path=["me"], original_error=RuntimeError("x"))
    masked = with_code(leaked, "req-1")
    assert masked.extensions == {"code": "INTERNAL", "requestId": "req-1"}
    assert "hunter2" not in masked.message
    assert "req-1" in masked.message
