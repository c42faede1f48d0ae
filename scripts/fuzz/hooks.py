"""Schemathesis hooks for SatuPintu: strategies for the custom scalars, and the one check that
matters for a GraphQL API whose expected failures are errors in the body: nothing a client sends
may cause an HTTP 5xx or an INTERNAL error."""

import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

RUPIAH_LIMIT = 2**53 - 1

schemathesis.graphql.scalar(
    "Rupiah",
    st.integers(min_value=-RUPIAH_LIMIT - 10, max_value=RUPIAH_LIMIT + 10).map(nodes.Int),
)
schemathesis.graphql.scalar(
    "DateTime",
    st.one_of(st.datetimes().map(lambda d: d.isoformat()), st.text(max_size=30)).map(nodes.String),
)
schemathesis.graphql.scalar("Upload", st.just(nodes.Null))
# Any text, lone surrogates and NUL included (hypothesis leaves surrogates out by default):
# the server refuses such text at the edge with BAD_USER_INPUT, never with a 5xx or INTERNAL.
HOSTILE_TEXT = st.sampled_from(["\ud800", "a\udfffb", "a\x00b"])
ANY_TEXT = st.one_of(st.text(st.characters(exclude_categories=()), max_size=40), HOSTILE_TEXT)
schemathesis.graphql.scalar("String", ANY_TEXT.map(nodes.String))
schemathesis.graphql.scalar("ID", ANY_TEXT.map(nodes.String))


@schemathesis.check
def no_internal_error(ctx, response, case) -> None:
    """A 5xx status or an error coded INTERNAL is a bug; any other GraphQL error is an answer."""
    if response.status_code >= 500:
        raise AssertionError(f"HTTP {response.status_code}")
    body = response.json()
    for error in body.get("errors") or []:
        if (error.get("extensions") or {}).get("code") in (None, "INTERNAL"):
            raise AssertionError(f"Unclassified or internal error: {error}")
