"""Private stays private: no module imports an underscore module or an underscore name of
another package, and the notebooks and the docs import no underscore module or name at all
(read with ``ast``; imports inside functions, ``TYPE_CHECKING`` imports and dotted module
paths written as strings, as in lazy-import tables, count too), and no package reaches into the
private members of another package's objects (``log._keyed()`` in ``oversight`` where only
``audit`` defines ``_keyed``). The rule is in
docs/architecture.md, "Public and private modules":

* ``skilltwin/<pkg>/_x.py`` (and every ``_name`` defined in a module) is private to ``<pkg>``;
* ``skilltwin/<pkg>/x.py`` may be imported by any package of the library (within the layers
  of tests/test_layers.py);
* ``skilltwin/_x.py`` at the root holds the library's shared internals: every package may
  import it (but not the ``_names`` inside it), users may not;
* users rely on what ``skilltwin`` and each package's ``__init__`` export.

Tests (and benchmarks) are exempt: they may import any module to pin the behaviour of an
internal directly, and they change together with it. Notebooks and docs are what users copy,
so they must not."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path

import skilltwin

PACKAGE = Path(skilltwin.__file__).parent
ROOT = PACKAGE.parent
DOTTED = re.compile(r"skilltwin(\.[A-Za-z_]\w*)+")



def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _unit(module: str) -> str:
    """The package (or root module) that owns ``skilltwin.<unit>...``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "skilltwin"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _targets(tree: ast.AST, module: str, package: bool) -> Iterator[tuple[str, str, int]]:
    """``(imported module, imported name or "", line)`` for every skilltwin import in
    ``tree``; relative imports are resolved against ``module``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                base = module.split(".")[: None if package else -1]
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            if target.split(".")[0] == "skilltwin":
                for alias in node.names:
                    yield target, alias.name, node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "skilltwin":
                    yield alias.name, "", node.lineno
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                DOTTED.fullmatch(node.value):
            yield node.value, "", node.lineno
        elif isinstance(node, ast.Tuple) and len(node.elts) == 2 and \
                all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
            target, name = (e.value for e in node.elts)  # type: ignore[attr-defined]
            if DOTTED.fullmatch(target) and name.isidentifier():  # a lazy (module, name) pair
                yield target, name, node.lineno
        elif isinstance(node, ast.Call) and (relative := _relative_import(node)):
            yield relative, "", node.lineno


def _relative_import(call: ast.Call) -> str | None:
    """The module ``importlib.import_module("._x", "skilltwin.pkg")`` imports (a relative
    name resolved against a package written as a string), or None."""
    func = call.func
    called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    arguments = [*call.args, *(k.value for k in call.keywords if k.arg in ("name", "package"))]
    texts = [a.value for a in arguments if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    if called != "import_module" or len(texts) != 2 or not texts[0].startswith("."):
        return None
    name, package = texts
    level = len(name) - len(name.lstrip("."))
    base = package.split(".")
    base = base[: len(base) - level + 1]
    resolved = ".".join([*base, *([name.lstrip(".")] if name.lstrip(".") else [])])
    return resolved if resolved.split(".")[0] == "skilltwin" else None


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _crossing(source: str, target: str, name: str) -> str | None:
    """Why importing ``name`` from ``target`` in ``source`` crosses a package's boundary,
    or None."""
    if name and _is_module(f"{target}.{name}"):
        target, name = f"{target}.{name}", ""  # `from skilltwin.pkg import _module`
    if _unit(source) == _unit(target):
        return None
    inner = target.split(".")[2:]  # below the package (root modules have nothing below)
    hidden = [part for part in inner if _private(part)]
    if hidden:
        return f"the private module {target}"
    if _private(name):
        return f"the private name {name} of {target}"
    return None


def _library_crossings() -> list[tuple[str, str, str]]:
    found: dict[str, tuple[str, str, str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        source = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for target, name, line in _targets(tree, source, path.name == "__init__.py"):
            why = _crossing(source, target, name)
            if why is not None:
                message = f"{source}:{line} imports {why}"
                found[message] = (source, target, message)
    return list(found.values())


def test_the_imports_are_read() -> None:
    tree = ast.parse("from skilltwin.twin import _rows\nimport skilltwin.audit._chain\n"
                     "def f():\n    from skilltwin.twin.rows import _check\n"
                     "TABLE = {'skilltwin.mapping._fusion': ('x',)}\n"
                     "LAZY = {'check': ('skilltwin.twin.rows', '_lazy')}\n"
                     "other = importlib.import_module('._other', 'skilltwin.mapping')\n")
    reasons = [_crossing("skilltwin.store.store", target, name)
               for target, name, _ in _targets(tree, "skilltwin.store.store", False)]
    assert set(reasons) == {  # the lazy pair also yields its (public) module: None
        "the private name _rows of skilltwin.twin", "the private module skilltwin.audit._chain",
        "the private name _check of skilltwin.twin.rows",
        "the private name _lazy of skilltwin.twin.rows",
        "the private module skilltwin.mapping._fusion",
        "the private module skilltwin.mapping._other", None}
    assert _crossing("skilltwin.store.store", "skilltwin._identity", "identity_key") is None
    assert _crossing("skilltwin.store.store", "skilltwin._identity", "_rule") is not None
    assert _crossing("skilltwin.store.store", "skilltwin.store._engine", "_read") is None
    assert _crossing("skilltwin.scoring.gap", "skilltwin.scoring", "_formula") is None
    shell = "$ skilltwin demo\n>>> x = (\nfrom skilltwin._excel import to_excel\n"
    assert list(_user_code_imports("page", shell)) == [("page", "skilltwin._excel", "to_excel")]


def test_no_module_imports_the_private_parts_of_another_package() -> None:
    assert [why for _, _, why in _library_crossings()] == []


def _members(tree: ast.AST) -> set[str]:
    """The names a module defines: its functions and classes, what their bodies assign
    (class attributes, ``self._x = ...``) and the methods of its classes."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute):
                names.add(target.attr)
            elif isinstance(target, ast.Name):
                names.add(target.id)
    return names


ATTRIBUTE_FUNCTIONS = ("getattr", "hasattr", "setattr", "delattr")


def _own(value: ast.expr) -> bool:
    return isinstance(value, ast.Name) and value.id in ("self", "cls")


def _private_member_uses(tree: ast.AST) -> Iterator[tuple[str, int]]:
    """``(name, line)`` of every ``x._name`` and ``getattr(x, "_name")`` (or ``hasattr``,
    ``setattr``, ``delattr``) in ``tree`` but on ``self`` and ``cls``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr) and not _own(node.value):
            yield node.attr, node.lineno
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id in ATTRIBUTE_FUNCTIONS and len(node.args) >= 2 and \
                isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str) \
                and _private(node.args[1].value) and not _own(node.args[0]):
            yield node.args[1].value, node.lineno


def _member_crossings(trees: dict[str, ast.AST]) -> list[str]:
    """``x._name`` used in one package where only other packages define ``_name``."""
    owners: dict[str, set[str]] = {}
    for module, tree in trees.items():
        for name in _members(tree):
            owners.setdefault(name, set()).add(_unit(module))
    return [f"{module}:{line} uses .{name} of {', '.join(sorted(owners[name]))}"
            for module, tree in trees.items() for name, line in _private_member_uses(tree)
            if name in owners and _unit(module) not in owners[name]]


def test_the_member_uses_are_read() -> None:
    audit = ast.parse("class AuditLog:\n    def _keyed(self):\n        self._key = 1\n")
    oversight = ast.parse("def f(log):\n    return log._keyed(), log._key, log.keyed()\n"
                          "class Step:\n    def g(self):\n        return self._keyed()\n"
                          "def h(log):\n    return getattr(log, '_keyed')()\n")
    found = _member_crossings({"skilltwin.audit.log": audit,
                               "skilltwin.oversight.steps": oversight})
    assert sorted(found) == ["skilltwin.oversight.steps:2 uses ._key of audit",
                             "skilltwin.oversight.steps:2 uses ._keyed of audit",
                             "skilltwin.oversight.steps:7 uses ._keyed of audit"]


def test_no_package_uses_the_private_members_of_another_packages_objects() -> None:
    # Zero exceptions: a package that needs something of another's objects gets a public
    # (within the library) method for it, as AuditLog.stored_form and text_digest.
    trees = {_module_name(path): ast.parse(path.read_text(encoding="utf-8"))
             for path in sorted(PACKAGE.rglob("*.py"))}
    assert _member_crossings(trees) == []


def _notebook_cells() -> Iterator[tuple[str, str]]:
    for notebook in sorted((ROOT / "examples").glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for number, cell in enumerate(cells, 1):
            if cell["cell_type"] == "code":
                lines = "".join(cell["source"]).splitlines()
                code = [line for line in lines if not line.lstrip().startswith(("%", "!"))]
                yield f"{notebook.name} cell {number}", "\n".join(code)


FENCE = re.compile(r"^(```+|~~~+)([^\n]*)\n(.*?)^\1", re.DOTALL | re.MULTILINE)
PROMPT = re.compile(r"^(>>>|\.\.\.) ?", re.MULTILINE)
IMPORT_LINE = re.compile(
    r"^\s*(from\s+skilltwin[\w.]*\s+import\s+[^\n#]+|import\s+skilltwin[^\n#]*)", re.MULTILINE)


def _doc_blocks() -> Iterator[tuple[str, str]]:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for block in FENCE.finditer(text):
            line = text.count("\n", 0, block.start()) + 1
            yield f"{page.relative_to(ROOT)}:{line}", PROMPT.sub("", block.group(3))


def _user_code_imports(where: str, code: str) -> Iterator[tuple[str, str, str]]:
    try:
        tree = ast.parse(code)
    except SyntaxError:  # shell, output, or Python with placeholders: read the import lines
        lines = (match.group(1).strip().rstrip("\\(") for match in IMPORT_LINE.finditer(code))
        tree = ast.parse("\n".join(line for line in lines if _parses(line)))
    for target, name, _ in _targets(tree, "user", False):
        yield where, target, name


def _parses(line: str) -> bool:
    try:
        ast.parse(line)
    except SyntaxError:
        return False
    return True


def test_notebooks_and_docs_import_no_private_module_or_name() -> None:
    blocks = [*_notebook_cells(), *_doc_blocks()]
    imports = [found for where, code in blocks for found in _user_code_imports(where, code)]
    assert len(imports) > 20  # the reader finds the imports of the notebooks and the docs
    private = [f"{where}: {target} {name}".rstrip() for where, target, name in imports
               if any(_private(part) for part in [*target.split("."), name])]
    assert private == []
