"""Layers only look up: no module imports a module of a higher layer, and no import circle
runs between layers or packages (read from the source with ``ast``; lazy imports inside
functions and ``TYPE_CHECKING`` imports count too). The layers are in docs/architecture.md."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

import skilltwin

PACKAGE = Path(skilltwin.__file__).parent

# Package (or top-level module) -> layer. Private helper modules at the top of the package
# (errors, config, provenance, _html, _i18n, _validation, ...) are layer 0.
LAYERS = {
    "taxonomy": 1, "esco": 1, "audit": 1, "documents": 1,
    "mapping": 2,
    "twin": 3, "profiles": 3,
    "scoring": 4,
    "oversight": 5, "fairness": 5,
    "planning": 6,
    "store": 7, "outofcore": 7, "cli": 7, "demo": 7,
}


def _unit(module: str) -> str:
    """The package (or top-level module) of ``skilltwin.<unit>...``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "skilltwin"


def _imports() -> list[tuple[str, str, int, str]]:
    """``(importing module, imported module, line, what)`` for every skilltwin import."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and \
                    node.module.split(".")[0] == "skilltwin":
                names = ",".join(alias.name for alias in node.names)
                found.append((module, node.module, node.lineno, names))
            elif isinstance(node, ast.Import):
                found.extend((module, alias.name, node.lineno, alias.name)
                             for alias in node.names if alias.name.split(".")[0] == "skilltwin")
    return found


def test_the_imports_are_read() -> None:
    imports = _imports()
    assert len(imports) > 200
    assert ("skilltwin.scoring.gap", "skilltwin.scoring.formula") in {
        (source, target) for source, target, _, _ in imports}


def test_no_module_imports_a_higher_layer() -> None:
    upward = []
    for source, target, line, names in _imports():
        if source == "skilltwin":
            continue  # the package's __init__ exports every layer
        if target == "skilltwin":
            if names != "__version__":
                upward.append(f"{source}:{line} imports {names} from the package root")
            continue
        low, high = LAYERS.get(_unit(source), 0), LAYERS.get(_unit(target), 0)
        if high > low:
            upward.append(f"{source}:{line} (layer {low}) imports {target} (layer {high})")
    assert upward == []


def test_no_import_circle_between_packages() -> None:
    graph = nx.DiGraph()
    for source, target, _, _ in _imports():
        if source != "skilltwin" and target != "skilltwin" and _unit(source) != _unit(target):
            graph.add_edge(_unit(source), _unit(target))
    assert list(nx.simple_cycles(graph)) == []
