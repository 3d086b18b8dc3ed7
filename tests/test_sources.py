"""Both YAML loaders read the same: libyaml's C parser (the fast path) where PyYAML has it, and
the pure-Python loader (forced here with `yaml_text.FAST = False`). Same data, same marks on
every node, the same located errors (the pure loader reports every error, so they cannot differ)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

import perfrules
from perfrules import limits
from perfrules.errors import InputError, RulesetError
from perfrules.sources import yaml_text

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted(p for d in ("rulesets", "examples", "docs", "tests") for p in (ROOT / d).rglob("*.yaml"))
needs_libyaml = pytest.mark.skipif(not getattr(yaml, "__with_libyaml__", False), reason="PyYAML without libyaml")


def _marks(node: yaml.Node | None, out: list[tuple[str, int, int, str]]) -> list[tuple[str, int, int, str]]:
    if node is None:
        return out
    out.append((type(node).__name__, node.start_mark.line, node.start_mark.column, str(node.start_mark.name)))
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _marks(key, out)
            _marks(value, out)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _marks(item, out)
    return out


def _both(text: str, file: str, monkeypatch: pytest.MonkeyPatch) -> tuple[yaml_text.Document, yaml_text.Document]:
    fast = yaml_text.loads(text, file, InputError)
    monkeypatch.setattr(yaml_text, "FAST", False)
    slow = yaml_text.loads(text, file, InputError)
    monkeypatch.setattr(yaml_text, "FAST", True)
    return fast, slow


@needs_libyaml
def test_the_fast_path_is_taken_where_libyaml_is_present(monkeypatch):
    def refuse(*args: object) -> None:
        raise AssertionError("the pure-Python loader was used")

    monkeypatch.setattr(yaml_text._Loader, "__init__", refuse)
    doc = yaml_text.load(ROOT / "examples/zhengzhou-project-2021.yaml", InputError)
    assert doc.data["indicators"]


@needs_libyaml
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_file_reads_the_same_with_both_loaders(path, monkeypatch):
    """Data (Decimal from the text, timestamps as text, merged keys) and the mark of every node."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        fast, slow = _both(text, str(path), monkeypatch)
    except InputError:  # a deliberately broken file: its error is compared below
        pytest.skip("an invalid file")
    assert fast.data == slow.data
    assert repr(fast.data) == repr(slow.data)  # Decimal('1.50') stays 1.50, not 1.5
    assert _marks(fast.node, []) == _marks(slow.node, [])


CHINESE = "unit: 郑州市某某局\nindicators:\n  - {name: 培训人数, target: ≥90%, actual: 95%, weight: 10}\n"


@needs_libyaml
def test_columns_count_characters_not_bytes(monkeypatch):
    fast, slow = _both(CHINESE, "in.yaml", monkeypatch)
    path = ["indicators", 0, "weight"]
    column = CHINESE.splitlines()[2].index("10") + 1  # in characters: 培 is one column, not three bytes
    assert fast.where(path) == slow.where(path) == ("in.yaml", 3, column)


ERRORS = {
    "duplicate key": "a: 1\nb: 2\na: 3\n",
    "infinity": "a: 1\nb: .inf\n",
    "syntax": "a: [1, 2\nb: 3\n",
    "bad indentation": "a:\n  b: 1\n c: 2\n",
    "a tab": "a:\n\t- 1\n",
    "control character": "unit: 某某\x07局\n",
    "too deep": "a: " + "[" * 150 + "]" * 150 + "\n",
    "too deep through aliases": "a: &a " + "[" * 60 + "]" * 60 + "\nb: " + "[" * 60 + "*a" + "]" * 60 + "\n",
    "recursive alias": "a: &a [1, *a]\n",
    "undefined alias": "a: *nothing\n",
    "a key that is a list": "? [1, 2]\n: x\n",
    "a huge number": "a: 1" + "0" * 400 + ".5\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "an unknown tag": "a: !python/object:os.system ls\n",
}


@pytest.mark.parametrize("text", ERRORS.values(), ids=ERRORS.keys())
def test_a_located_error_reads_the_same_with_both_loaders(text, monkeypatch):
    with pytest.raises(InputError) as fast:
        yaml_text.loads(text, "x.yaml", InputError)
    monkeypatch.setattr(yaml_text, "FAST", False)
    with pytest.raises(InputError) as slow:
        yaml_text.loads(text, "x.yaml", InputError)
    assert [str(p) for p in fast.value.problems] == [str(p) for p in slow.value.problems]
    assert fast.value.problems[0].line is not None or "control" not in text


def test_an_alias_bomb_is_refused_by_both_loaders(monkeypatch):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    text = "\n".join(lines) + "\nindicators: [{name: x, actual: *a8}]\n"
    for fast in (True, False):
        monkeypatch.setattr(yaml_text, "FAST", fast)
        with pytest.raises(InputError, match="alias bomb") as err:
            yaml_text.loads(text, "bomb.yaml", InputError)
        assert err.value.problems[0].line is not None


@pytest.mark.parametrize("fast", [True, False], ids=["libyaml", "pure"])
def test_a_lower_depth_limit_holds_on_both_paths(fast, monkeypatch):
    monkeypatch.setattr(yaml_text, "FAST", fast and yaml_text.FAST)
    with limits.override(max_depth=4):  # the mapping, two lists, the number
        assert yaml_text.loads("a: [[1]]\n", "x.yaml", InputError).data == {"a": [[1]]}
        with pytest.raises(InputError, match="nested deeper than 4 levels"):
            yaml_text.loads("a: [[[1]]]\n", "x.yaml", InputError)


def test_both_loaders_score_the_seed_inputs_alike(monkeypatch):
    scheme = perfrules.load(ROOT / "rulesets/henan/zhengzhou-project-2021.yaml")
    fast = scheme.evaluate(ROOT / "examples/zhengzhou-project-2021.yaml")
    monkeypatch.setattr(yaml_text, "FAST", False)
    slow = scheme.evaluate(ROOT / "examples/zhengzhou-project-2021.yaml")
    assert fast.to_dict() == slow.to_dict()


def test_an_extended_rulesets_errors_name_the_file_that_wrote_the_value(tmp_path, monkeypatch):
    """Marks carry their file's name on both paths: an error in a parent names the parent."""
    (tmp_path / "parent.yaml").write_text(
        "perfrules: 1\nid: x/parent\nname: p\ncategories:\n  - name: 产出指标\n    weight: -5\n", encoding="utf-8")
    (tmp_path / "child.yaml").write_text("perfrules: 1\nid: x/child\nname: c\nextends: parent.yaml\n", encoding="utf-8")
    said = []
    for fast in (True, False):
        monkeypatch.setattr(yaml_text, "FAST", fast and yaml_text.FAST)
        with pytest.raises(RulesetError) as err:
            perfrules.load(tmp_path / "child.yaml")
        said.append([str(p) for p in err.value.problems])
    assert said[0] == said[1]
    assert any("parent.yaml:" in s for s in said[0])


# ---------------------------------------------------------------- workbooks: streaming and full load

def _grids(path: Path, read_only: bool, monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    from perfrules.sources import grid

    monkeypatch.setattr(grid, "READ_ONLY", read_only)
    return [(g.sheet, g.rows, g.anchor, g.spans) for g in grid.load_xlsx(path)]


def _book(path: Path, build) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    build(book)
    book.save(path)
    return path


def _awkward(book) -> None:
    """Merges below and right of the last written cell, a styled empty cell, a gap of rows, a
    percentage and a fixed-decimal format, a date, a formula without a cached value, an empty sheet."""
    import datetime

    from openpyxl.styles import Font

    ws = book.active
    ws.title = "自评表"
    ws.append(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"])
    ws.append(["产出指标", "数量指标", "培训人数", "≥90%", 0.95, 10, 9.5])
    ws["E2"].number_format = "0.00%"
    ws["G2"].number_format = "0.00"
    ws["D6"] = datetime.date(2021, 12, 31)
    ws["F6"] = "=F2*2"
    ws["K9"].font = Font(bold=True)  # styled, no value
    ws.merge_cells("A2:A8")
    ws.merge_cells("B12:D14")  # below every written cell
    ws.merge_cells("M20:M20")  # a range of one cell, further still: the full load makes its cell too
    book.create_sheet("空白")


WORKBOOKS = sorted((ROOT / "examples").glob("*.xlsx"))


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_a_workbook_streams_to_the_grids_the_full_load_gives(path, monkeypatch):
    assert _grids(path, True, monkeypatch) == _grids(path, False, monkeypatch)


def test_merges_beyond_the_cells_styles_gaps_and_an_empty_sheet_stream_alike(tmp_path, monkeypatch):
    path = _book(tmp_path / "awkward.xlsx", _awkward)
    streamed = _grids(path, True, monkeypatch)
    assert streamed == _grids(path, False, monkeypatch)
    assert len(streamed[0][1]) == 20 and len(streamed[0][1][0]) == 13  # down and across to M20


def _edit_sheet(source, path, edit):
    """A copy of workbook `source` at `path` whose first sheet's XML is `edit(xml)`."""
    import zipfile

    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            zout.writestr(item, edit(data) if item.filename == "xl/worksheets/sheet1.xml" else data)
    return path

def test_a_sheet_whose_cells_do_not_say_where_they_are_is_read_by_the_full_load(tmp_path, monkeypatch):
    """`r` is optional on a cell: without it the XML does not give the used range, so the
    streaming reader steps aside (openpyxl's full load places such cells in order)."""

    from perfrules.sources import grid

    source = _book(tmp_path / "plain.xlsx", _awkward)
    path = _edit_sheet(source, tmp_path / "no-refs.xlsx", lambda xml: xml.replace(b' r="A1"', b"", 1))
    monkeypatch.setattr(grid, "_load_fully", lambda data, name: ["full"])
    assert grid.load_xlsx(path) == ["full"]
    assert grid.load_xlsx(source) != ["full"]


def test_a_damaged_sheet_is_reported_as_the_full_load_reports_it(tmp_path, monkeypatch):

    source = _book(tmp_path / "plain.xlsx", _awkward)
    path = _edit_sheet(source, tmp_path / "damaged.xlsx", lambda xml: xml[: len(xml) // 2])
    said = []
    for read_only in (True, False):
        from perfrules.sources import grid

        monkeypatch.setattr(grid, "READ_ONLY", read_only)
        with pytest.raises(InputError) as err:
            grid.load_xlsx(path)
        said.append(str(err.value))
    assert said[0] == said[1] and "cannot read as an Excel .xlsx workbook" in said[0]


# ---------------------------------------------------------------- the same file reads the same with and without libyaml

LIBYAML_ONLY = {
    "a tab as a separator": "indicators:\n  - {name: 培训人数,\ttarget: 90%}\n",
    "a tab after a key": "unit:\t某某局\n",
    "a ? inside a plain value in a flow mapping": "method: {kind: lower_is_bet?ter}\n",
}


@pytest.mark.parametrize("text", LIBYAML_ONLY.values(), ids=LIBYAML_ONLY.keys())
def test_what_only_libyaml_would_take_is_refused_on_both_paths(text, monkeypatch):
    """libyaml takes these; PyYAML's own reader refuses them. A file must not read one way
    where libyaml is installed and fail where it is not."""
    said = []
    for fast in (True, False):
        monkeypatch.setattr(yaml_text, "FAST", fast and yaml_text.FAST)
        with pytest.raises(InputError) as err:
            yaml_text.loads(text, "x.yaml", InputError)
        said.append(str(err.value))
    assert said[0] == said[1]


MUTATIONS = list(":-[]{},&*!|>'\"#%@`\t\n ?<=~0123456789.eE+_\r\\") + [
    "中", "\u3000", "\ufeff", "\x85", "\u2028", "--- ", "...", "%YAML 1.1\n", "!!str ", "!!float ", "<<: ", "&a ", "*a",
    "\n  ", "\n- ", ": |\n  x", "0x1F", "0o17", "1_000", ".inf", "~", "null", "yes", "2021-01-01", "1:20"]


@needs_libyaml
def test_mutated_shipped_files_read_the_same_on_both_paths(monkeypatch):
    """A differential fuzz (fixed seed): 250 shipped files with a few characters inserted, deleted
    or copied give the same data, or the same located error, with and without libyaml.
    (20,000 such texts found the tab and the ? above, and nothing else.)"""
    import random

    rng = random.Random(13)
    texts = [p.read_text(encoding="utf-8") for p in SHIPPED if "broken" not in p.parts]

    def read(text: str, fast: bool) -> str:
        monkeypatch.setattr(yaml_text, "FAST", fast)
        try:
            return repr(yaml_text.loads(text, "x.yaml", InputError).data)
        except InputError as exc:
            return str(exc)

    for _ in range(250):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 4)):
            at, op = rng.randrange(len(text) + 1), rng.random()
            if op < 0.4:
                text = text[:at] + rng.choice(MUTATIONS) + text[at:]
            elif op < 0.7:
                text = text[:at] + text[at + rng.randint(1, 5):]
            else:
                start = rng.randrange(len(text) + 1)
                text = text[:at] + text[start:start + rng.randint(1, 30)] + text[at:]
        assert read(text, True) == read(text, False), text


def test_mutated_workbooks_stream_to_the_grids_the_full_load_gives(tmp_path, monkeypatch):
    """A differential fuzz (fixed seed) of the example workbooks: cells set to hostile values,
    ranges merged and unmerged, rows deleted and inserted; streamed and fully loaded, the
    grids (or the errors) are the same. PERFRULES_FUZZ_WORKBOOKS=N runs N of them (default 30)."""
    import datetime
    import os
    import random

    import openpyxl

    rng = random.Random(29)
    values = ["", " ", "=1+1", "=A1", "85%", 0.85, 1e30, -5, True, datetime.date(2021, 12, 31), "总分", "小计",
              "三级指标", "分值", "合计", "\n", "≥90%", Decimal("2.225"), "中文" * 50]
    for i in range(int(os.environ.get("PERFRULES_FUZZ_WORKBOOKS", "30"))):
        book = openpyxl.load_workbook(rng.choice(WORKBOOKS))
        ws = book.worksheets[0]
        for _ in range(rng.randint(1, 5)):
            rows, cols = ws.max_row, ws.max_column
            r, c, action = rng.randint(1, rows + 2), rng.randint(1, cols + 1), rng.random()
            if action < 0.5:
                try:
                    ws.cell(row=r, column=c).value = rng.choice(values)
                except AttributeError:  # a cell a merged range covers
                    pass
            elif action < 0.65:
                ws.merge_cells(start_row=r, start_column=c, end_row=rng.randint(r, rows + 3),
                               end_column=rng.randint(c, cols + 2))
            elif action < 0.75 and ws.merged_cells.ranges:
                try:
                    ws.unmerge_cells(str(rng.choice(sorted(ws.merged_cells.ranges, key=str))))
                except KeyError:  # openpyxl loses track of a range's cells once rows moved under it
                    pass
            elif action < 0.9:
                ws.delete_rows(r)
            else:
                ws.insert_rows(r)
        path = tmp_path / f"{i}.xlsx"
        book.save(path)
        said = []
        for read_only in (True, False):
            try:
                said.append(_grids(path, read_only, monkeypatch))
            except InputError as exc:
                said.append(str(exc))
        assert said[0] == said[1], i
