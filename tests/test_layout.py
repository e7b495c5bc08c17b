"""The code's shape, checked: imports follow the data flow, no import cycles, no oversized modules.

documents -> chunks -> index (indexer/) -> hits and answers (search/) -> evaluation (eval/) -> the
edges people use (ui/). A module may import from its own folder and from folders before it, never
from one after it. ui/ is the edge: its commands may run the evaluation (eval/), never the reverse.
Inside indexer/ and search/ the parts are ordered the same way (PARTS): reading, records, the model,
chunks and analysis, the index format, the build; retrieval, records, answers.
"""
from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LAYERS = {"indexer": 0, "search": 1, "eval": 2, "ui": 3}
MAX_LINES = 450  # a module past this is doing more than one job; split it by job
# the parts of a folder, in data-flow order: a part imports only from its own and earlier ones. A name is a
# sub-package or a top-level module; "*" is every top-level module not named (shared records, errors, I/O).
PARTS = {
    "indexer": ["*", "readers", "extract", "embedding", "text", "index", "build", "uploads", "documents"],
    "search": ["*", "retrieval", "records", "answers"],
}


def _modules() -> dict[str, Path]:
    out = {}
    for top in LAYERS:
        for p in sorted((REPO / top).rglob("*.py")):
            rel = p.relative_to(REPO).with_suffix("")
            parts = list(rel.parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = p
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Project modules `name` imports, at module level or inside functions."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        else:
            continue
        for t in targets:
            while t and t not in modules:
                t = t.rpartition(".")[0]
            if t and t != name:
                found.add(t)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {m: _imports(m, p, modules) for m, p in modules.items()}


def test_imports_follow_the_data_flow():
    wrong = []
    for mod, deps in _graph().items():
        top = mod.split(".")[0]
        for d in deps:
            dtop = d.split(".")[0]
            if dtop != top and LAYERS[dtop] >= LAYERS[top]:
                wrong.append(f"{mod} imports {d}")
    assert not wrong, "imports against the flow indexer -> search -> eval/ui:\n" + "\n".join(sorted(wrong))


def _part(mod: str) -> tuple[str, int]:
    top, _, rest = mod.partition(".")
    order = PARTS[top]
    name = rest.split(".")[0]
    return top, order.index(name) if name in order else order.index("*")


def _against_parts(graph: dict[str, set[str]]) -> list[str]:
    wrong = []
    for mod, deps in graph.items():
        top = mod.split(".")[0]
        if top not in PARTS or mod == top:
            continue
        for d in deps:
            if d.split(".")[0] == top and d != top and _part(d)[1] > _part(mod)[1]:
                wrong.append(f"{mod} imports {d}")
    return sorted(wrong)


def test_the_parts_of_a_folder_follow_the_data_flow():
    wrong = _against_parts(_graph())
    assert not wrong, "imports against the parts' order " + str(PARTS) + ":\n" + "\n".join(wrong)


def test_the_parts_check_sees_a_wrong_import():
    graph = {"indexer.readers.pdf": {"indexer.build.assemble", "indexer.records"},
             "search.retrieval.searcher": {"search.records.view"}, "search.answers.answer": {"search.records.view"}}
    assert _against_parts(graph) == ["indexer.readers.pdf imports indexer.build.assemble",
                                     "search.retrieval.searcher imports search.records.view"]


def test_every_part_exists_and_every_sub_package_is_a_part():
    for top, order in PARTS.items():
        subs = {p.parent.name for p in (REPO / top).glob("*/__init__.py")}
        named = set(order) - {"*"}
        assert subs <= named, f"{top}/ sub-packages not placed in PARTS: {subs - named}"
        assert all((REPO / top / n).is_dir() or (REPO / top / f"{n}.py").exists() for n in named)


def test_no_import_cycles():
    graph = _graph()
    cycles, state, stack = [], {}, []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for d in sorted(graph[m]):
            if state.get(d) == "open":
                cycles.append(" -> ".join(stack[stack.index(d):] + [d]))
            elif d not in state:
                visit(d)
        stack.pop()
        state[m] = "done"

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_no_module_is_oversized():
    big = {m: n for m, p in _modules().items()
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not big, f"modules over {MAX_LINES} lines (split them by job): {big}"


def test_the_check_sees_a_wrong_import(tmp_path, monkeypatch):
    """The walk finds imports inside functions and relative ones (a check that saw nothing would pass)."""
    modules = {"indexer.a": tmp_path / "a.py", "search.b": tmp_path / "b.py", "search": tmp_path / "s.py"}
    (tmp_path / "a.py").write_text("def f():\n    from search.b import thing\n", encoding="utf-8")
    assert _imports("indexer.a", tmp_path / "a.py", modules) == {"search.b"}
    (tmp_path / "b.py").write_text("from . import a\nfrom .b import x\n", encoding="utf-8")
    assert _imports("search.b", tmp_path / "b.py", modules) == {"search"}


def _readme_rows() -> dict[str, set[str]]:
    """The README's Layout table: folder -> the module files its row names."""
    import re

    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = text[text.index("## Layout"):]
    rows = {}
    for line in table.splitlines():
        m = re.match(r"\| `([a-z_/]+/)` \| (.*) \|$", line)
        if m:
            rows[m.group(1)] = set(re.findall(r"`([a-z_0-9]+\.py)`", m.group(2))) - {"__init__.py"}
    return rows


def test_the_readme_layout_lists_every_module_of_every_folder():
    rows = _readme_rows()
    folders = {f"{p.parent.relative_to(REPO)}/" for top in LAYERS for p in (REPO / top).rglob("*.py")
               if "extraction" not in p.parts}
    assert set(rows) == folders, f"folders missing from the README: {folders - set(rows)}; not in the tree: " \
                                 f"{set(rows) - folders}"
    for folder, named in rows.items():
        on_disk = {p.name for p in (REPO / folder).glob("*.py") if p.name != "__init__.py"}
        assert named == on_disk, f"README row {folder}: missing {on_disk - named}, not on disk {named - on_disk}"
