"""Every storefront operation validates against the exported schema, so a breaking change to
schema/schema.graphql fails here before any page breaks."""

from pathlib import Path

import pytest
from graphql import build_schema, parse, validate

from storefront.operations import OPERATIONS_DIR, documents

SDL = Path(__file__).resolve().parents[2] / "schema" / "schema.graphql"
SCHEMA = build_schema(SDL.read_text())
DOCUMENTS = sorted(documents().items())


@pytest.mark.parametrize(("name", "text"), DOCUMENTS, ids=[name for name, _ in DOCUMENTS])
def test_operation_validates_against_the_exported_schema(name: str, text: str) -> None:
    errors = validate(SCHEMA, parse(text))
    assert errors == [], f"{name}: {[e.message for e in errors]}"


def test_every_file_holds_operations_and_all_were_found() -> None:
    files = sorted(OPERATIONS_DIR.glob("*.graphql"))
    assert files
    written = sum(
        line.startswith(("query ", "mutation ", "subscription "))
        for path in files
        for line in path.read_text().splitlines()
    )
    assert written == len(DOCUMENTS)


def test_a_renamed_field_fails_validation() -> None:
    broken = build_schema(SDL.read_text().replace("  suggestion: String", "  spelling: String"))
    assert validate(broken, parse(documents()["SearchPage"]))
