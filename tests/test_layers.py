"""The layers of perfrules can be seen in its imports: sources at the edge, a core that reads no
file, renderers at the other edge, and no import cycle (counting imports inside functions).

The graph is read from the source (an AST walk over perfrules/, as ../shared/tools/cycles.py
does), so that a lazy import inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "perfrules"


def modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = modules()


def _targets(module: str, node: ast.ImportFrom | ast.Import) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    package = module.split(".") if MODULES[module].name == "__init__.py" else module.split(".")[:-1]
    if node.level:
        base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]


def graph() -> dict[str, set[str]]:
    """module -> the perfrules modules it imports (a package importing its own parent does not count)."""
    edges: dict[str, set[str]] = {m: set() for m in MODULES}
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            for target in _targets(module, node):
                while target and target not in MODULES:
                    target = target.rpartition(".")[0]
                if target and target != module and not module.startswith(target + "."):
                    edges[module].add(target)
    return edges


GRAPH = graph()


def reached(start: str) -> set[str]:
    """Every module `start` imports, directly or through others."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for target in GRAPH[todo.pop()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def cycles() -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(GRAPH[v]):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            strong(v)
    return found


def test_the_graph_sees_the_package():
    assert {"perfrules.engine", "perfrules.sources", "perfrules.sources.yaml_text", "perfrules.record"} <= set(MODULES)
    assert "perfrules.sources.yaml_text" in GRAPH["perfrules.sources.mapping"]  # a relative import, resolved
    assert "perfrules.api" in GRAPH["perfrules"]


def test_no_import_cycle():
    assert cycles() == []


def test_the_check_finds_a_cycle_when_there_is_one():
    GRAPH["perfrules.record"].add("perfrules.engine")
    try:
        assert any("perfrules.engine" in c and "perfrules.record" in c for c in cycles())
    finally:
        GRAPH["perfrules.record"].discard("perfrules.engine")


def _readers(module: str) -> set[str]:
    """The file-reading modules (perfrules/sources/, and tables/ where it used to read) `module` reaches."""
    return {m for m in reached(module) if m.split(".")[:2] in (["perfrules", "sources"], ["perfrules", "tables"])}


@pytest.mark.parametrize("module", ["perfrules.engine", "perfrules.audit", "perfrules.checks", "perfrules.record",
                                    "perfrules.model", "perfrules.result"]
                         + sorted(m for m in MODULES if m.startswith(("perfrules.methods", "perfrules.kinds"))))
def test_the_core_reads_no_file(module):
    """The engine, the audit, the kinds and the typed record import nothing that reads files,
    directly or through another module."""
    assert _readers(module) == set()


def test_the_model_imports_neither_the_engine_nor_the_audit():
    assert not reached("perfrules.model") & {"perfrules.engine", "perfrules.audit", "perfrules.api"}


def test_the_loader_does_not_depend_on_the_audit():
    assert "perfrules.audit" not in reached("perfrules.load")


def test_renderers_are_above_the_core():
    """Nothing in the core imports a renderer (render/ draws a Result; the Result knows no layout)."""
    core = ["perfrules.engine", "perfrules.audit", "perfrules.model", "perfrules.result", "perfrules.record",
            "perfrules.load"]
    for module in core:
        assert not {m for m in reached(module) if m.startswith("perfrules.render")}, module


@pytest.mark.parametrize("text", ["不完整：最多", "发现 findings", "无法确定", "不计入总分"])
def test_one_layout_says_each_text_of_a_result_once(text):
    """The terminal, Markdown, CSV and xlsx renderers draw the lines layout.py decides: a text of
    the result (the incomplete total, the findings heading, no grade) is written in one module."""
    writers = [m for m, path in MODULES.items() if m.startswith("perfrules.render") and text in path.read_text(encoding="utf-8")]
    assert writers == ["perfrules.render.layout"]


def test_no_private_name_is_imported_from_another_module():
    """A helper used by two modules is public in one of them (STYLE.md). diff.py's `explain._when`
    belongs to another branch's rewrite of explain/diff and is the one exception left."""
    allowed = {("perfrules.diff", "_when")}
    found = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__") and (module, alias.name) not in allowed:
                        found.append(f"{module}: {alias.name}")
    assert found == []


def test_the_record_is_importable_without_any_reader():
    import subprocess
    import sys

    # the package's __init__ registers Scheme.evaluate through perfrules.api, which reads: load the module alone
    code = ("import importlib.util, sys, types; "
            f"sys.path.insert(0, {str(PACKAGE.parent)!r}); "
            "pkg = types.ModuleType('perfrules'); "
            f"pkg.__path__ = [{str(PACKAGE)!r}]; sys.modules['perfrules'] = pkg; "
            "import perfrules.record; "
            "print(sorted(m for m in sys.modules if m.startswith(('perfrules.sources', 'perfrules.tables', 'yaml', "
            "'openpyxl'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_package_of_perfrules_is_installed():
    """pyproject lists packages by hand: a new folder under perfrules/ that it omits would be missing
    after `pip install .` (CI's install) while an editable install still finds it."""
    import re

    ROOT = PACKAGE.parent
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    listed = set(re.findall(r'"(perfrules(?:\.[a-z_]+)*)"', text.split("packages =", 1)[1].split("\n", 1)[0]))
    present = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "perfrules").rglob("__init__.py")}
    assert present <= listed, f"add to pyproject's packages: {sorted(present - listed)}"
