"""The contract's operations, one document each, as clients send them."""

from functools import cache
from pathlib import Path

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    OperationDefinitionNode,
    Visitor,
    parse,
    print_ast,
    visit,
)

# The operations clients send, checked in beside the schema.
CONTRACT_DIR = Path(__file__).parents[1] / "contract"


def operations(directory: Path) -> list[tuple[str, DocumentNode]]:
    """Each operation as its own document, with the fragments of its file."""
    found = []
    for path in sorted(directory.glob("*.graphql")):
        document = parse(path.read_text())
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode) and definition.name:
                used = [fragments[n] for n in sorted(spreads(definition, fragments))]
                found.append((definition.name.value, DocumentNode(definitions=(definition, *used))))
    return found


def spreads(node, fragments: dict[str, FragmentDefinitionNode], seen=None) -> set[str]:
    """Names of the fragments a definition uses, directly or through other fragments."""
    seen = set() if seen is None else seen

    class Collect(Visitor):
        def enter_fragment_spread(self, spread: FragmentSpreadNode, *_args) -> None:
            name = spread.name.value
            if name not in seen and name in fragments:
                seen.add(name)
                spreads(fragments[name], fragments, seen)

    visit(node, Collect())
    return seen


@cache
def contract_documents() -> dict[str, str]:
    """Each contract operation by name: its text with the fragments it uses, printed."""
    return {name: print_ast(document) for name, document in operations(CONTRACT_DIR)}


def contract_operation(name: str) -> str:
    """The text of one contract operation with the fragments it uses."""
    return contract_documents()[name]
