"""``import skilltwin`` stays light: subpackages and heavy libraries load on first use only.

Behaviour, not timing (the timing lives in benchmarks/bench_import.py): each check runs in a
fresh interpreter and looks at ``sys.modules``.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import skilltwin

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("torch", "sentence_transformers", "sqlalchemy", "dask", "onnxruntime", "matplotlib")
SUBPACKAGES = (
    "documents", "mapping", "oversight", "planning", "profiles", "provenance", "scoring",
    "taxonomy", "twin",
)


def _loaded_after(code: str) -> set[str]:
    """Module names in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, check=True, capture_output=True, text=True
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_import_skilltwin_loads_no_subpackage_and_no_heavy_library() -> None:
    loaded = _loaded_after("import skilltwin")
    assert "skilltwin" in loaded
    assert not loaded & set(HEAVY)
    assert not loaded & {f"skilltwin.{name}" for name in SUBPACKAGES}
    # only the version and the error classes (no pydantic model is built)
    assert {m for m in loaded if m.startswith("skilltwin.")} == {
        "skilltwin._version",
        "skilltwin.errors",
    }
    assert "pydantic" not in loaded


def test_first_use_loads_only_what_it_needs() -> None:
    loaded = _loaded_after("from skilltwin import match, load_esco, EmployeeTwin")
    assert {"skilltwin.scoring", "skilltwin.taxonomy", "skilltwin.twin"} <= loaded
    assert not loaded & set(HEAVY)


def test_every_public_name_resolves_to_the_object_of_its_subpackage() -> None:
    for module, names in skilltwin._LAZY_EXPORTS.items():
        sub = __import__(module, fromlist=["_"])
        for name in names:
            assert getattr(skilltwin, name) is getattr(sub, name), name


def test_all_dir_and_the_lazy_table_agree() -> None:
    lazy = {name for names in skilltwin._LAZY_EXPORTS.values() for name in names}
    eager = {"__version__", *(n for n in skilltwin.__all__ if n.endswith("Error"))}
    assert set(skilltwin.__all__) == lazy | eager
    assert len(skilltwin.__all__) == len(set(skilltwin.__all__))
    assert set(skilltwin.__all__) <= set(dir(skilltwin))
    assert {"scoring", "fairness", "taxonomy"} <= set(dir(skilltwin))


def test_type_checking_imports_match_the_lazy_table() -> None:
    """Type checkers read the ``if TYPE_CHECKING:`` imports; they must name the same objects."""
    tree = ast.parse((ROOT / "skilltwin" / "__init__.py").read_text(encoding="utf-8"))
    block = next(
        node for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
    )
    imported: dict[str, set[str]] = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.module
        imported.setdefault(node.module, set()).update(a.name for a in node.names)
    assert imported == {m: set(n) for m, n in skilltwin._LAZY_EXPORTS.items()}


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        skilltwin.no_such_name  # type: ignore[attr-defined]  # noqa: B018


def test_star_import_gives_every_public_name() -> None:
    namespace: dict[str, object] = {}
    exec("from skilltwin import *", namespace)
    assert set(skilltwin.__all__) <= set(namespace)


@pytest.mark.model
def test_map_skills_with_a_warm_cache_loads_neither_torch_nor_transformers(
        esco_path: Path, tmp_path: Path) -> None:
    lines = tmp_path / "lines.txt"
    lines.write_text("SQL\n", encoding="utf-8")
    # the CLI as a user runs it (default backend), on a small slice of ESCO
    code = "\n".join([
        "import json, warnings",
        "warnings.simplefilter('ignore')",
        "from skilltwin import load_esco",
        "from skilltwin.cli import _mapping_commands",
        "from skilltwin.cli.main import main",
        f"taxonomy = load_esco({str(esco_path)!r}).subset(",
        "    ['SQL', 'manage budgets', 'bake bread'], include_occupation_skills=False)",
        "_mapping_commands.load_taxonomy = lambda args: (taxonomy, 0.0)",
        f"assert main(['map-skills', '--top-k', '1', '--in', {str(lines)!r}]) == 0",
    ])
    first = _loaded_after(code)  # the first run exports the model (with torch) and the index
    assert "onnxruntime" in first
    loaded = _loaded_after(code)
    assert "onnxruntime" in loaded and "tokenizers" in loaded
    assert not loaded & {"torch", "sentence_transformers", "transformers"}
