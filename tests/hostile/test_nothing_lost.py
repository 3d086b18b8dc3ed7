"""Issue 10, Nothing lost: `-o` writes whole files or none, never over an input, over another
file only with --force; in a batch one file that perfrules fails on is that file's error row."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import perfrules
from perfrules.cli import main
from perfrules.errors import PerfrulesError
from perfrules.model import Scheme
from perfrules.render.files import write_atomically

ROOT = Path(__file__).resolve().parents[2]
HUNAN = str(ROOT / "rulesets" / "hunan" / "department-2021.yaml")
EXAMPLES = ROOT / "examples"
YAML_IN = EXAMPLES / "zhuzhou-department-2021.yaml"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def copy(src: Path, dst: Path) -> Path:
    dst.write_bytes(src.read_bytes())
    return dst


# ---------------------------------------------------------------- atomic writes

def test_a_write_killed_midway_leaves_the_old_file_whole(tmp_path):
    """The process is killed after the data is written and before the rename: the old file stays."""
    target = tmp_path / "out.csv"
    target.write_text("the old, valid file", encoding="utf-8")
    script = f"""
import os, signal
from perfrules.render.files import write_atomically
os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)
write_atomically({str(target)!r}, b"x" * 5_000_000)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert done.returncode == -9
    assert target.read_text(encoding="utf-8") == "the old, valid file"
    leftover = [p.name for p in tmp_path.iterdir() if p != target]  # the unfinished temporary file, beside it
    assert len(leftover) == 1 and leftover[0].startswith(".out.csv.") and leftover[0].endswith(".tmp")


def test_a_failed_write_raises_a_perfrules_error_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(PerfrulesError, match="cannot write: No space left on device"):
        write_atomically(target, b"new")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_the_temporary_file_is_beside_the_target_and_renamed_over_it(tmp_path, monkeypatch):
    seen = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (seen.append((Path(a), Path(b))), real(a, b)))
    write_atomically(tmp_path / "out.md", b"# ok\n")
    (src, dst), = seen
    assert src.parent == dst.parent == tmp_path and src.name.startswith(".out.md.") and src.name.endswith(".tmp")
    assert (tmp_path / "out.md").read_bytes() == b"# ok\n"


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_the_written_file_has_the_usual_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomically(tmp_path / "out.csv", b"a")
    finally:
        os.umask(old)
    assert (tmp_path / "out.csv").stat().st_mode & 0o777 == 0o644


# ---------------------------------------------------------------- what -o may replace

def test_an_existing_file_is_not_replaced_without_force(capsys, tmp_path):
    out = tmp_path / "out.json"
    out.write_text("someone's notes", encoding="utf-8")
    code, _, err = run(capsys, "score", HUNAN, str(YAML_IN), "-o", str(out))
    assert code == 2
    assert err == f"{out}: already exists: give -o another file name, or --force to replace it\n"
    assert out.read_text(encoding="utf-8") == "someone's notes"
    code, _, err = run(capsys, "score", HUNAN, str(YAML_IN), "-o", str(out), "--force")
    assert code == 0 and json.loads(out.read_text(encoding="utf-8"))["total"] == "100.00"


@pytest.mark.parametrize("name", ["zhuzhou-department-2021.xlsx", "in.csv"])
def test_the_input_itself_is_never_replaced_even_with_force(capsys, tmp_path, name):
    given = tmp_path / name
    if name.endswith(".csv"):
        run(capsys, "score", HUNAN, str(EXAMPLES / "zhuzhou-department-2021.xlsx"), "-o", str(given))
    else:
        copy(EXAMPLES / name, given)
    before = given.read_bytes()
    for extra in ([], ["--force"]):
        code, _, err = run(capsys, "score", HUNAN, str(given), "-o", str(given), *extra)
        assert code == 2 and err == f"{given}: will not write over {given}, which this command reads: give -o another file name\n"
        assert given.read_bytes() == before


def test_a_link_to_the_input_is_the_input(capsys, tmp_path):
    given = copy(EXAMPLES / "zhuzhou-department-2021.xlsx", tmp_path / "in.xlsx")
    link = tmp_path / "out.xlsx"
    link.symlink_to(given)
    code, _, err = run(capsys, "score", HUNAN, str(given), "-o", str(link), "--force")
    assert code == 2 and "which this command reads" in err
    assert given.read_bytes() == (EXAMPLES / "zhuzhou-department-2021.xlsx").read_bytes()


def test_a_batch_summary_never_replaces_one_of_its_inputs(capsys, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    first = copy(EXAMPLES / "zhuzhou-department-2021.xlsx", folder / "a.xlsx")
    copy(YAML_IN, folder / "b.yaml")
    code, _, err = run(capsys, "score", HUNAN, str(folder), "-o", str(first), "--force")
    assert code == 2 and "which this command reads" in err
    assert first.read_bytes() == (EXAMPLES / "zhuzhou-department-2021.xlsx").read_bytes()


def test_audit_follows_the_same_rule(capsys, tmp_path):
    out = tmp_path / "audit.json"
    out.write_text("{}", encoding="utf-8")
    code, _, err = run(capsys, "audit", HUNAN, str(YAML_IN), "-o", str(out))
    assert code == 2 and "already exists" in err and out.read_text(encoding="utf-8") == "{}"
    given = copy(YAML_IN, tmp_path / "in.json")  # YAML is JSON's superset for the reader; the name is what counts
    code, _, err = run(capsys, "audit", HUNAN, str(given), "-o", str(given), "--force")
    assert code == 2 and "which this command reads" in err


def test_explain_replaces_its_pages_but_never_the_ruleset(capsys, tmp_path):
    ruleset = copy(ROOT / "rulesets" / "national" / "project-2020.yaml", tmp_path / "project-2020.md")
    before = ruleset.read_bytes()
    code, _, err = run(capsys, "explain", str(ruleset), "-o", str(ruleset))
    assert code == 2 and "will not write over the ruleset" in err and ruleset.read_bytes() == before
    page = tmp_path / "page.md"
    page.write_text("old page", encoding="utf-8")
    assert run(capsys, "explain", str(ruleset), "-o", str(page))[0] == 0
    assert page.read_text(encoding="utf-8").startswith("# ")


def test_a_folder_is_not_an_output_file(capsys, tmp_path):
    (tmp_path / "out.csv").mkdir()
    code, _, err = run(capsys, "score", HUNAN, str(YAML_IN), "-o", str(tmp_path / "out.csv"))
    assert code == 2 and "is a directory" in err


# ---------------------------------------------------------------- batch: one file cannot take the others down

def test_a_file_perfrules_fails_on_is_its_own_error_row(capsys, tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    copy(EXAMPLES / "zhuzhou-department-2021.xlsx", folder / "a.xlsx")
    copy(YAML_IN, folder / "crash.yaml")
    copy(YAML_IN, folder / "z.yaml")
    real = Scheme.evaluate

    def evaluate(self, record, *args, **kwargs):  # a fault of perfrules on one file, whatever it is
        if str(record).endswith("crash.yaml"):
            raise ZeroDivisionError("division by zero")
        return real(self, record, *args, **kwargs)

    monkeypatch.setattr(Scheme, "evaluate", evaluate)
    summary = tmp_path / "summary.csv"
    code, out, err = run(capsys, "score", HUNAN, str(folder), "-o", str(summary))
    assert code == 2
    lines = out.splitlines()
    assert lines[2].startswith(str(folder / "crash.yaml")) and lines[2].endswith(
        f"could not read: {folder / 'crash.yaml'}: perfrules failed on this file (ZeroDivisionError: division by zero); "
        "the other files are scored: please report it")
    assert [line.split()[1:] for line in (lines[1], lines[3])] == [["100.00", "优", "yes", "0"]] * 2
    assert err.endswith("2 without error findings, 0 with error findings, 1 could not be read\n")
    written = summary.read_text(encoding="utf-8-sig").splitlines()
    assert len(written) == 4 and "ZeroDivisionError" in written[2]


def test_a_crash_is_exit_2_not_exit_1_through_the_installed_command(tmp_path):
    """The same through a real process: a summary on stdout and exit code 2, never a traceback."""
    folder = tmp_path / "in"
    folder.mkdir()
    copy(YAML_IN, folder / "a.yaml")
    copy(YAML_IN, folder / "crash.yaml")
    script = f"""
import sys
from perfrules.model import Scheme
from perfrules.cli import main
real = Scheme.evaluate
def evaluate(self, record, *a, **k):
    if str(record).endswith("crash.yaml"):
        raise RecursionError("maximum recursion depth exceeded")
    return real(self, record, *a, **k)
Scheme.evaluate = evaluate
sys.exit(main(["score", {HUNAN!r}, {str(folder)!r}]))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "RecursionError" in done.stdout
    assert perfrules.__version__


def test_explain_into_a_folder_writes_only_inside_it(capsys, tmp_path):
    """The schema lets an id hold '..' (`a/../../x`): the page it names would land outside -o FOLDER."""
    evil = tmp_path / "evil.yaml"
    evil.write_text((ROOT / "rulesets" / "national" / "project-2020.yaml").read_text(encoding="utf-8")
                    .replace("id: national/project-2020", "id: a/../../escaped"), encoding="utf-8")
    folder = tmp_path / "pages" / "deep"
    code, _, err = run(capsys, "explain", str(ROOT / "rulesets" / "national" / "project-2020.yaml"), str(evil),
                       "-o", str(folder))
    assert code == 2 and f"{evil}: the id 'a/../../escaped' names no page inside {folder}" in err
    assert not (tmp_path / "pages" / "escaped.md").exists() and not (tmp_path / "escaped.md").exists()
    assert (folder / "national" / "project-2020.md").exists()


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_a_replaced_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "private.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new" and target.stat().st_mode & 0o777 == 0o600
