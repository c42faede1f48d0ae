"""Imports go one way: server -> schema -> resolvers -> models, media; the storefront is apart."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {"server", "schema", "resolvers", "models", "media", "storefront", "bench"}
ALLOWED = {
    "models": {"models"},
    "media": {"media"},
    "resolvers": {"resolvers", "models", "media"},
    "schema": {"schema", "resolvers", "models", "media"},
    # The composition root also starts the storefront and the benchmark.
    "server": {"server", "schema", "resolvers", "models", "media", "storefront", "bench"},
    "storefront": {"storefront"},
}


def project_imports(path: Path) -> set[str]:
    """The project packages a module imports, at any depth of the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & PACKAGES
    return found


MODULES = sorted((layer, path) for layer in ALLOWED for path in (ROOT / layer).rglob("*.py"))


@pytest.mark.parametrize(
    ("layer", "path"), MODULES, ids=[str(p.relative_to(ROOT)) for _, p in MODULES]
)
def test_module_imports_only_its_own_layer_or_below(layer: str, path: Path) -> None:
    assert project_imports(path) <= ALLOWED[layer]


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from schema.errors import UserError\n")
    assert project_imports(module) == {"schema"}


def test_the_storefront_is_checked_down_to_its_subpackages() -> None:
    checked = {path.parent for layer, path in MODULES if layer == "storefront"}
    packages = {init.parent for init in (ROOT / "storefront").rglob("__init__.py")}
    assert packages <= checked
    assert ROOT / "storefront" / "pages" in checked
