"""The package's shape, checked from its source (plain Python, no tools):
which layer may import which, no import cycles, and sizes a person can read.

Layers, lowest first (each may import only itself and the layers it lists):

    core                      (nothing of ours)
    drafting, publishing      core
    review                    core, publishing (the redline is a mode of the Word writer)
    cli, ui                   everything above, never each other

The rules are read from every ``import`` in the package, also those inside
functions: an import moved into a function to dodge a cycle is still a cycle.
Imports under ``if TYPE_CHECKING:`` name types for annotations only and are
not run, so they are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = "guidelines_app"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE

ALLOWED = {
    "core": {"core"},
    "drafting": {"core", "drafting"},
    "publishing": {"core", "publishing"},
    "review": {"core", "publishing", "review"},
    "cli": {"core", "drafting", "publishing", "review", "cli", "top"},
    "ui": {"core", "drafting", "publishing", "review", "ui", "top"},
    "top": {"top", "cli", "ui"},  # guidelines_app/__init__.py and __main__.py
}

MAX_MODULE_LINES = 550
MAX_FUNCTION_LINES = 80
# A longer function says why at its top (docstring or comment), starting so:
LONG_REASON = "Long on purpose:"


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in ALLOWED) else "top"


def imports_of(module: str, path: Path, known: set[str]) -> set[str]:
    """The package modules that ``module`` imports, resolved to real modules
    (``from guidelines_app.review import history`` is the module
    ``guidelines_app.review.history``)."""
    is_pkg = path.name == "__init__.py"
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {id(n) for node in ast.walk(tree) if _is_type_checking_block(node) for n in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".") if is_pkg else module.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name.startswith(PACKAGE):
                found.add(name)
    found.discard(module)
    return found


def _is_type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and (
        (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
        or (isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING"))


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(name, path, known) for name, path in mods.items()}


def test_the_package_is_laid_out_by_concept():
    layers = {layer(m) for m in modules()}
    assert layers == set(ALLOWED), "a sub-package is missing from, or unknown to, the layer rules"


def test_the_resolver_sees_lazy_and_package_imports(graph):
    # The checks below are only as good as this reading of the imports.
    assert "guidelines_app.cli.documents" in graph["guidelines_app.cli.main"]
    assert "guidelines_app.core.document" in graph["guidelines_app.core.workspace"]
    assert any(m.startswith("guidelines_app.review.") for m in graph["guidelines_app.cli.documents"])


def test_each_layer_imports_only_the_layers_below_it(graph):
    wrong = []
    for module, deps in graph.items():
        for dep in deps:
            if dep == PACKAGE:
                continue  # the package's own __init__ (name and version) is for everyone
            if layer(dep) not in ALLOWED[layer(module)]:
                wrong.append(f"{module} imports {dep}")
    assert not wrong, "imports against the layering:\n" + "\n".join(sorted(wrong))


def test_core_is_qt_free_and_ui_is_the_only_qt_user():
    offenders = []
    for name, path in modules().items():
        if layer(name) in ("ui", "top"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            roots = []
            if isinstance(node, ast.Import):
                roots = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                roots = [node.module.split(".")[0]]
            if {"PySide6", "shiboken6"} & set(roots):
                offenders.append(name)
    assert not offenders


def test_no_import_cycles(graph):
    # Tarjan's strongly connected components over the module graph.
    index, low, on_stack, stack, cycles = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in graph or w == PACKAGE:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    assert not cycles, f"import cycles: {cycles}"


def test_modules_and_functions_are_a_readable_size():
    too_long = []
    for name, path in modules().items():
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > MAX_MODULE_LINES:
            too_long.append(f"{name}: {len(lines)} lines")
        for node in ast.walk(ast.parse("\n".join(lines))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                head = "\n".join(lines[node.lineno - 1 : node.lineno + 12])
                if length > MAX_FUNCTION_LINES and LONG_REASON not in head:
                    too_long.append(f"{name}.{node.name}: {length} lines without '{LONG_REASON}'")
    assert not too_long, "\n".join(too_long)


def test_every_sub_package_is_installed():
    # pyproject.toml lists the packages by name; a new folder missing there
    # works from a checkout and is silently absent from an installed app.
    import tomllib

    config = tomllib.loads((ROOT.parent / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    folders = {module_name(p) for p in ROOT.rglob("__init__.py")}
    assert folders <= listed, f"not in pyproject.toml's packages: {sorted(folders - listed)}"
