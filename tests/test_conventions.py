"""The conventions a Python user expects (issue 12): `python -m perfrules`, `-` for standard input
and output, one version, the package metadata, a pytest plugin that imports nothing until asked."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, RULESETS
from perfrules import limits
from perfrules.cli import main
from perfrules.errors import InputError
from perfrules.sources.stream import read_stream

ZZ = str(RULESETS / "henan" / "zhengzhou-project-2021.yaml")
ZZ_IN = EXAMPLES / "zhengzhou-project-2021.yaml"


def run(capsys, monkeypatch, *args: str, stdin: bytes = b"") -> tuple[int, str, str]:
    """The command in this process, with `stdin` as its standard input."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def as_json(path) -> bytes:
    """The YAML example as JSON text, the other format standard input takes."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")


# ---------------------------------------------------------------- python -m perfrules


def test_python_m_perfrules_is_the_command(capsys):
    """Same arguments, same output, same exit code as `perfrules` (here: a real process, real stdin)."""
    out = subprocess.run([sys.executable, "-m", "perfrules", "score", ZZ, "-", "--format", "json"],
                         input=ZZ_IN.read_bytes(), capture_output=True, cwd=ROOT, check=False)
    assert out.returncode == 0, out.stderr.decode()
    assert main(["score", ZZ, str(ZZ_IN), "--format", "json"]) == 0
    assert json.loads(out.stdout) == json.loads(capsys.readouterr().out)


def test_python_m_perfrules_exits_2_on_a_located_error():
    out = subprocess.run([sys.executable, "-m", "perfrules", "audit", ZZ, "-"], input=b"unit: x\nindicators: [\n",
                         capture_output=True, cwd=ROOT, check=False)
    assert out.returncode == 2
    assert out.stderr.decode().startswith("<stdin>:3:1: not valid YAML")
    assert b"Traceback" not in out.stderr


def test_python_m_perfrules_version():
    import perfrules

    out = subprocess.run([sys.executable, "-m", "perfrules", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"perfrules {perfrules.__version__}"


# ---------------------------------------------------------------- - as INPUT


@pytest.mark.parametrize("command", ["score", "audit"])
@pytest.mark.parametrize("form", ["yaml", "json"])
def test_dash_reads_the_input_from_standard_input(capsys, monkeypatch, command, form):
    data = ZZ_IN.read_bytes() if form == "yaml" else as_json(ZZ_IN)
    code, out, _ = run(capsys, monkeypatch, command, ZZ, "-", "--format", "json", stdin=data)
    assert code == 0
    got = json.loads(out)
    main([command, ZZ, str(ZZ_IN), "--format", "json"])
    assert got == json.loads(capsys.readouterr().out)
    assert (got["total"], got["grade"]) == ("100.00", "优秀")


def test_dash_is_standard_input_even_beside_a_folder_named_dash(capsys, monkeypatch, tmp_path):
    (tmp_path / "-").mkdir()
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, monkeypatch, "score", ZZ, "-", "--format", "json", stdin=ZZ_IN.read_bytes())
    assert code == 0 and json.loads(out)["unit"] == "郑州市职业病防治院"


def test_a_located_error_on_standard_input_names_stdin(capsys, monkeypatch):
    text = ZZ_IN.read_text(encoding="utf-8").replace("indicators:", "indicators:\n  - name: [unclosed", 1)
    code, out, err = run(capsys, monkeypatch, "score", ZZ, "-", stdin=text.encode("utf-8"))
    assert code == 2 and out == ""
    assert err.startswith("<stdin>:")
    file, line, column = err.split(":")[:3]
    assert line.isdigit() and column.isdigit()


def test_a_wrong_value_on_standard_input_is_located_too(capsys, monkeypatch):
    code, _, err = run(capsys, monkeypatch, "score", ZZ, "-", stdin=b"unit: x\nindicators:\n  - name: a\n    weight: [2]\n")
    assert code == 2
    assert err == "<stdin>:4:13: indicators[0].weight: must be a number or text or empty, not [2]\n"


def test_a_workbook_on_standard_input_is_refused_with_the_reason(capsys, monkeypatch):
    workbook = (EXAMPLES / "zhengzhou-project-2021.xlsx").read_bytes()
    code, out, err = run(capsys, monkeypatch, "score", ZZ, "-", stdin=workbook)
    assert code == 2 and out == ""
    assert err == "<stdin>: a workbook (.xlsx) cannot be read from standard input: give its file name\n"


def test_a_csv_table_on_standard_input_is_refused_never_scored(capsys, monkeypatch):
    code, out, err = run(capsys, monkeypatch, "score", ZZ, "-",
                         stdin="一级指标,二级指标,三级指标,分值,年度指标值,实际完成值\n".encode("utf-8"))
    assert code == 2 and out == ""
    assert err == "<stdin>:1:1: an input must be a mapping with an `indicators:` list\n"


def test_standard_input_that_is_not_utf8_is_refused(capsys, monkeypatch):
    code, _, err = run(capsys, monkeypatch, "score", ZZ, "-", stdin="unit: 单位\n".encode("gbk"))
    assert code == 2
    assert err.startswith("<stdin>: not UTF-8 text")


def test_standard_input_is_bounded_as_a_file_is(capsys, monkeypatch):
    most = Path(ZZ).stat().st_size + 10  # the ruleset is read within the bound, the input is beyond it
    with limits.override(max_file_bytes=most):
        code, _, err = run(capsys, monkeypatch, "score", ZZ, "-", stdin=ZZ_IN.read_bytes() + b"#" * most)
    assert code == 2
    assert err.startswith("<stdin>: larger than the limit")


def test_an_empty_standard_input_is_an_input_error(capsys, monkeypatch):
    code, _, err = run(capsys, monkeypatch, "score", ZZ, "-", stdin=b"")
    assert code == 2 and err.startswith("<stdin>")


def test_the_ruleset_cannot_come_from_standard_input(capsys, monkeypatch):
    code, _, err = run(capsys, monkeypatch, "score", "-", str(ZZ_IN), stdin=ZZ_IN.read_bytes())
    assert code == 2
    assert "read as the INPUT only" in err


def test_read_stream_takes_text_as_well_as_bytes():
    text = ZZ_IN.read_text(encoding="utf-8")
    assert read_stream(io.StringIO("\ufeff" + text)) == read_stream(io.BytesIO(text.encode("utf-8")))
    with pytest.raises(InputError) as caught:
        read_stream(io.StringIO("indicators: 3\n"), name="pipe")
    assert caught.value.problems[0].file == "pipe"


# ---------------------------------------------------------------- -o -


@pytest.mark.parametrize("command", ["score", "audit"])
def test_dash_o_writes_to_standard_output_and_no_file(capsys, monkeypatch, tmp_path, command):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, monkeypatch, command, ZZ, str(ZZ_IN), "-o", "-", "--format", "json")
    assert code == 0 and err == ""
    assert json.loads(out)["total"] == "100.00"
    assert list(tmp_path.iterdir()) == []


def test_dash_o_with_the_table_format_prints_the_table(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, monkeypatch, "score", ZZ, "-", "-o", "-", "--brief", stdin=ZZ_IN.read_bytes())
    assert code == 0 and out.rstrip().endswith("总分 100.00    等级 优秀")
    assert list(tmp_path.iterdir()) == []


def test_dash_o_for_a_batch_prints_the_summary(capsys, monkeypatch, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.yaml").write_bytes(ZZ_IN.read_bytes())
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, monkeypatch, "score", ZZ, str(folder), "-o", "-", "--format", "json")
    assert code == 0 and "100.00" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_dash_o_for_explain(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, monkeypatch, "explain", ZZ, "-o", "-")
    assert code == 0 and out.startswith("# 郑州市项目支出绩效自评价评分")
    assert list(tmp_path.iterdir()) == []


def test_a_workbook_is_not_written_to_standard_output(capsys, monkeypatch):
    code, out, err = run(capsys, monkeypatch, "audit", ZZ, str(ZZ_IN), "--format", "xlsx", "-o", "-")
    assert code == 2 and out == ""
    assert "needs -o FILE.xlsx" in err


# ---------------------------------------------------------------- the pytest plugin


def _perfrules_modules_after(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code + "; import json, sys; "
                          "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'perfrules')))"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_the_pytest_plugin_imports_no_perfrules():
    """pytest imports every plugin at start: ours loads none of perfrules (it did load 45 modules)."""
    assert _perfrules_modules_after("import perfrules_pytest") == []
    assert "perfrules.engine" in _perfrules_modules_after("import perfrules.pytest_plugin")  # the old name still works


REINSTALL = "this install registers the old plugin module: pip install -e '.[test]' again"


def test_the_plugin_is_what_the_entry_point_names():
    from importlib.metadata import entry_points

    (plugin,) = [e for e in entry_points(group="pytest11") if e.name == "perfrules"]
    assert plugin.value == "perfrules_pytest", REINSTALL


def test_an_install_that_names_the_old_module_still_gets_the_fixture():
    """An install made before the move (an editable one maps only `perfrules`) cannot import
    perfrules_pytest by name: the old module loads it from the file beside the package."""
    code = ("import sys; sys.modules['perfrules_pytest'] = None; import perfrules.pytest_plugin as old; "
            "print(callable(old.perfrules_check), sys.modules['perfrules_pytest'].__file__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    fixture, source = out.stdout.split()
    assert fixture == "True" and source.endswith("perfrules_pytest.py")


def test_a_pytest_run_imports_perfrules_only_when_a_test_asks_for_the_fixture(tmp_path):
    """A project's pytest run with perfrules installed: the plugin is loaded (the fixture is there),
    perfrules is not imported until the one test that asks for it."""
    (tmp_path / "test_user.py").write_text(
        "import sys\n\n"
        "def test_before(request):\n"
        "    assert request.config.pluginmanager.has_plugin('perfrules')\n"
        "    assert not [m for m in sys.modules if m.split('.')[0] == 'perfrules']\n\n"
        "def test_asks(perfrules_check):\n"
        "    assert callable(perfrules_check)\n"
        "    assert 'perfrules.engine' in sys.modules\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_user.py"],
                         cwd=tmp_path, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr + REINSTALL
    assert "2 passed" in out.stdout


# ---------------------------------------------------------------- metadata: one version, license, extras, URLs


def _pyproject() -> dict:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_one_version_read_from_the_package():
    from importlib.metadata import version

    import perfrules

    project = _pyproject()
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "perfrules.__version__"}
    assert version("perfrules") == perfrules.__version__


def test_the_license_file_is_the_declared_license():
    project = _pyproject()["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) ") and "the perfrules authors" in text
    assert "Permission is hereby granted, free of charge" in text
    # PEP 639: the expression says the license; a License classifier beside it is refused by setuptools
    assert not [c for c in project["classifiers"] if c.startswith("License ::")]


def test_the_project_urls_name_files_of_this_repository():
    urls = _pyproject()["project"]["urls"]
    home = urls["Homepage"]
    assert {"Homepage", "Documentation", "Changelog"} <= set(urls)
    for name, url in urls.items():
        assert url.startswith(home), name
        path = url[len(home):].removeprefix("blob/main/")
        assert path == "" or (ROOT / path).exists(), f"{name}: {path} is not in the repository"


def test_one_extra_per_purpose():
    extras = _pyproject()["project"]["optional-dependencies"]
    assert set(extras["testing"]) == {"hypothesis>=6", "pytest>=7"}  # perfrules.testing and the fixture
    assert "perfrules[testing]" in extras["test"]  # our suite: the kit, plus lint and types
    assert not set(extras["test"]) & set(extras["testing"])  # said once
    assert "dev" not in extras
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    import re

    for text in (readme, ci):  # the install lines name the test extra (CI may add others beside it)
        installs = re.findall(r"install [^\n]*'\.\[([a-z,]+)\]'", text)
        assert installs and all("test" in extras.split(",") for extras in installs)
        assert "[dev]" not in text


# ---------------------------------------------------------------- docs/api.md and CHANGELOG.md

API = ROOT / "docs" / "api.md"


def _api_blocks() -> list[tuple[int, str]]:
    import re

    text = API.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 2, m.group(1))
            for m in re.finditer(r"^```python\n(.*?)^```", text, re.M | re.S)]


def test_every_example_of_the_api_page_runs_as_shown(monkeypatch):
    """Each ```python block of docs/api.md is a doctest; the blocks share one namespace, in order."""
    import doctest

    monkeypatch.chdir(ROOT)
    blocks = _api_blocks()
    assert len(blocks) >= 7
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    namespace: dict = {}
    failures: list[str] = []
    for line, block in blocks:
        test = parser.get_doctest(block, namespace, f"docs/api.md:{line}", str(API), line - 1)
        assert test.examples, f"docs/api.md:{line}: a python block without >>> examples"
        runner.run(test, out=failures.append, clear_globs=False)
        namespace = test.globs  # DocTest copies the namespace it is given: the next block goes on from here
    assert runner.failures == 0, "".join(failures)


def test_the_api_page_covers_the_public_names():
    import perfrules

    text = API.read_text(encoding="utf-8")
    for name in set(perfrules.__all__) - {"Result", "IndicatorScore", "Finding", "Scheme"}:
        assert name in text, name
    for name in ("evaluate", "audit", "score_many", "perfrules.testing", "perfrules_check", "scale.md"):
        assert name in text, name


def test_the_changelog_has_the_keep_a_changelog_form():
    import re

    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n") and "keepachangelog.com" in text
    versions = re.findall(r"^## \[([^\]]+)\]", text, re.M)
    assert versions[0] == "Unreleased"
    import perfrules

    assert perfrules.__version__ in versions
    issues = {int(n) for n in re.findall(r"^### Issues? (\d+)", text, re.M)}
    assert {2, 3, 4, 5, 6, 9, 10, 12, 13} <= issues
