"""The layout the imports must keep (docs/architecture.md).

Layers import one way: server -> schema -> resolvers -> models, media; demo data sits beside
the composition root, and the storefront apart. The fake providers (fakes/) and the topology
tool (topology/) import no test module: the tests import them. Inside schema/, resolvers/ and models/, a
package (or module) per domain: another domain uses only what a package's `__init__` names
in `__all__`, and the imports between the domains of a layer form no circle. Imports under
`if TYPE_CHECKING:` are for the type checker only and are not counted.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {
    *("server", "schema", "resolvers", "models", "media", "demo", "storefront", "bench"),
    *("fakes", "topology", "tests"),
}
ALLOWED = {
    "models": {"models"},
    "media": {"media"},
    "resolvers": {"resolvers", "models", "media"},
    "schema": {"schema", "resolvers", "models", "media"},
    "demo": {"demo", "resolvers", "models", "media"},
    # The composition root also starts the storefront and the benchmark.
    "server": {"server", "schema", "resolvers", "models", "media", "demo", "storefront", "bench"},
    "storefront": {"storefront"},
    # The fake providers speak the providers' protocols with the adapters' own signing.
    "fakes": {"fakes", "resolvers"},
    # The production topology on one machine: it runs the fakes, never the tests.
    "topology": {"topology", "fakes", "server", "schema", "resolvers", "models", "bench"},
}
DOMAINS = {
    "platform",
    "providers",
    "shops",
    "catalog",
    "search",
    "orders",
    "cooperatives",
    "loans",
    "bills",
    "shu",
    "city",
    "payouts",
}
DOMAIN_LAYERS = ("schema", "resolvers", "models")
# What else a domain layer may hold at its top: none of it is a domain.
NOT_DOMAINS = {
    "schema": {"__init__.py", "execution", "contract", "schema.graphql"},
    "resolvers": {"__init__.py"},
    "models": {"__init__.py", "migrations"},
}


@dataclass(frozen=True)
class Imported:
    module: str  # the module named by the statement
    names: tuple[str, ...]  # the names taken from it (empty for `import x.y`)
    line: int


def _runtime_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """Every node below `node` except those under `if TYPE_CHECKING:`."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
            yield from (n for c in child.orelse for n in (c, *_runtime_nodes(c)))
            continue
        yield child
        yield from _runtime_nodes(child)


def imports_of(source: str) -> list[Imported]:
    """The project imports a module makes at run time, at any depth of the file."""
    found = []
    for node in _runtime_nodes(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [Imported(a.name, (), node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(Imported(node.module, tuple(a.name for a in node.names), node.lineno))
    return [i for i in found if i.module.split(".")[0] in PACKAGES]


def project_imports(path: Path) -> set[str]:
    """The project packages a module imports, at any depth of the file."""
    return {i.module.split(".")[0] for i in imports_of(path.read_text())}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def domain_of(module: str) -> str | None:
    """`layer.domain` of a module inside a domain package or module, else None."""
    parts = module.split(".")
    if parts[0] in DOMAIN_LAYERS and len(parts) > 1 and parts[1] in DOMAINS:
        return f"{parts[0]}.{parts[1]}"
    return None


def public_names(package: str) -> set[str] | None:
    """What a package's `__init__` names in `__all__`; None for a plain module."""
    init = ROOT / package.replace(".", "/") / "__init__.py"
    if not init.exists():
        return None
    for node in ast.parse(init.read_text()).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            return set(ast.literal_eval(node.value))
    return set()


def private_uses(importer: str, imported: Imported) -> list[str]:
    """The ways `imported` reaches into another domain past its `__init__`."""
    target = domain_of(imported.module)
    if target is None or domain_of(importer) == target or importer.startswith("models.migrations"):
        return []
    public = public_names(target)
    if public is None:  # a domain small enough to be one module: all of it is its face
        return []
    rest = imported.module.removeprefix(target).lstrip(".").split(".")
    if rest == [""]:  # from resolvers.loans import x
        return [f"{target}.{n}" for n in imported.names if n not in public]
    return [] if rest[0] in public and len(rest) == 1 else [imported.module]


def domain_edges(layer: str) -> dict[str, set[str]]:
    """Per domain of `layer`, the other domains of the same layer it imports at run time."""
    edges: dict[str, set[str]] = {}
    for path in (ROOT / layer).rglob("*.py"):
        mine = domain_of(module_name(path))
        if mine is None:
            continue
        for imported in imports_of(path.read_text()):
            modules = [imported.module]
            if imported.module == layer:  # from schema import loans
                modules = [f"{layer}.{n}" for n in imported.names]
            for module in modules:
                other = domain_of(module)
                if other and other != mine and other.startswith(f"{layer}."):
                    edges.setdefault(mine, set()).add(other)
    return edges


def a_circle(edges: dict[str, set[str]]) -> list[str] | None:
    """One circle of the graph, as the domains along it, or None."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = "done"
        path.pop()
        return None

    for start in sorted(edges):
        if start not in state and (found := visit(start)):
            return found
    return None


MODULES = sorted((layer, path) for layer in ALLOWED for path in (ROOT / layer).rglob("*.py"))
IDS = [str(p.relative_to(ROOT)) for _, p in MODULES]
# Tools beside the tests (the fakes, the topology) may reach any module, as the tests may.
TOOLS = {"fakes", "topology"}
LAYERED = [(layer, path) for layer, path in MODULES if layer not in TOOLS]


@pytest.mark.parametrize(("layer", "path"), MODULES, ids=IDS)
def test_module_imports_only_its_own_layer_or_below(layer: str, path: Path) -> None:
    assert project_imports(path) <= ALLOWED[layer]


@pytest.mark.parametrize(
    ("layer", "path"), LAYERED, ids=[str(p.relative_to(ROOT)) for _, p in LAYERED]
)
def test_module_uses_other_domains_through_their_packages(layer: str, path: Path) -> None:
    importer = module_name(path)
    assert [u for i in imports_of(path.read_text()) for u in private_uses(importer, i)] == []


@pytest.mark.parametrize("layer", DOMAIN_LAYERS)
def test_the_layer_holds_domains_only(layer: str) -> None:
    top = {p.name for p in (ROOT / layer).iterdir() if p.name != "__pycache__"}
    assert {n for n in top if n.removesuffix(".py") not in DOMAINS} <= NOT_DOMAINS[layer]


@pytest.mark.parametrize("layer", DOMAIN_LAYERS)
def test_the_domains_of_a_layer_import_in_one_direction(layer: str) -> None:
    assert a_circle(domain_edges(layer)) is None


@pytest.mark.parametrize("layer", DOMAIN_LAYERS)
def test_every_domain_package_names_its_public_face(layer: str) -> None:
    for path in (ROOT / layer).iterdir():
        if path.is_dir() and path.name in DOMAINS:
            assert (path / "__init__.py").exists(), path


# The checks themselves, on made-up modules: each sees what it is for.


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from schema.platform.errors import UserError\n")
    assert project_imports(module) == {"schema"}


def test_the_check_sees_tooling_that_imports_the_tests(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "from tests.conftest import free_port\nfrom fakes.midtrans import SERVER_KEY\n"
    )
    assert project_imports(module) == {"tests", "fakes"}
    assert not project_imports(module) <= ALLOWED["topology"]


def test_an_import_for_the_type_checker_alone_is_not_counted() -> None:
    source = (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from schema.loans import Loan\n"
    )
    assert imports_of(source) == []


def test_the_check_sees_a_private_module_of_another_domain() -> None:
    (loans,) = imports_of("from resolvers.loans.internals import days_past_due\n")
    assert private_uses("resolvers.bills.payment", loans) == ["resolvers.loans.internals"]
    assert private_uses("resolvers.loans.views", loans) == []  # its own domain
    (named,) = imports_of("from resolvers.loans import apply_loan, no_such_name\n")
    assert private_uses("schema.loans", named) == ["resolvers.loans.no_such_name"]


def test_the_check_sees_a_circle() -> None:
    edges = {"schema.a": {"schema.b"}, "schema.b": {"schema.c"}, "schema.c": {"schema.a"}}
    assert a_circle(edges) == ["schema.a", "schema.b", "schema.c", "schema.a"]
    assert a_circle({"schema.a": {"schema.b"}, "schema.c": {"schema.b"}}) is None


def test_the_storefront_is_checked_down_to_its_subpackages() -> None:
    checked = {path.parent for layer, path in MODULES if layer == "storefront"}
    packages = {init.parent for init in (ROOT / "storefront").rglob("__init__.py")}
    assert packages <= checked
    assert ROOT / "storefront" / "pages" in checked
