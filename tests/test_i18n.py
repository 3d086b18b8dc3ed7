"""Author messages in Chinese or English (issue 15): the language chosen by --lang, PERFRULES_LANG or
the locale; every message wrapped for translation has a Chinese one; the shipped .mo is the .po
compiled; FILE:LINE:COL and the data path stay as they are in both languages."""

from __future__ import annotations

import argparse
import ast
import gettext as stdlib_gettext
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from perfrules import i18n
from perfrules.cli import main
from perfrules.errors import RulesetError

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "perfrules"
PO = PACKAGE / "locale" / "zh_CN" / "LC_MESSAGES" / "perfrules.po"
MO = PO.with_suffix(".mo")
BAND_GAP = "tests/rulesets/broken/band-gap.yaml"
LOCALE = ("PERFRULES_LANG", *i18n.LOCALE_VARIABLES)


@pytest.fixture
def environment(monkeypatch):
    """A clean slate: no language variable set; the test sets the ones it means."""
    for name in LOCALE:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def run(argv, capsys) -> tuple[int, str, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


# ---------------------------------------------------------------- which language

@pytest.mark.parametrize("env, expected", [
    ({}, "en"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "zh_TW.UTF-8"}, "zh"),  # the one Chinese catalog there is (simplified): docs/interpretations.md
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "fr_FR.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LANGUAGE": "zh_CN:en", "LC_ALL": "en_US.UTF-8"}, "zh"),  # gettext's order: LANGUAGE first
    ({"LANGUAGE": "en:zh_CN", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"PERFRULES_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),
    ({"PERFRULES_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"PERFRULES_LANG": "zh_CN", "LANG": "C"}, "zh"),
    ({"PERFRULES_LANG": "fr", "LANG": "zh_CN.UTF-8"}, "zh"),  # the library looks further; the command refuses it
])
def test_the_language_from_the_environment(env, expected):
    assert i18n.from_environment(env) == expected


def test_use_and_using_choose_the_language_and_put_it_back(environment):
    environment.setenv("LANG", "zh_CN.UTF-8")
    assert i18n.language() == "zh"
    with i18n.using("en"):
        assert i18n.language() == "en"
        assert i18n.gettext("must not be empty") == "must not be empty"
    assert i18n.language() == "zh"
    assert i18n.gettext("must not be empty") == "不能为空"
    with pytest.raises(ValueError, match="zh, en"):
        i18n.use("fr")


# ---------------------------------------------------------------- the command, in each language

def test_validate_under_a_chinese_locale_speaks_chinese_with_the_same_location(environment, capsys):
    environment.setenv("LANG", "zh_CN.UTF-8")
    code, out, _err = run(["validate", BAND_GAP], capsys)
    assert code == 1
    assert out == (f"{BAND_GAP}:8:23: grades[1].range: 等级区间留下了 [70, 80) 没有覆盖：总分 70 将没有等级 "
                   "(从 0 到方案总分的每个总分都应恰好落在一个等级区间内)\n")


def test_validate_without_a_chinese_locale_speaks_english(environment, capsys):
    environment.setenv("LANG", "en_US.UTF-8")
    code, out, _err = run(["validate", BAND_GAP], capsys)
    assert code == 1
    assert out == (f"{BAND_GAP}:8:23: grades[1].range: the grades leave [70, 80) without a grade: a total of 70 "
                   "would get none (every total from 0 to the scheme's total must fall in exactly one band)\n")


@pytest.mark.parametrize("argv", [["--lang", "en", "validate", BAND_GAP], ["validate", BAND_GAP, "--lang", "en"],
                                  ["validate", "--lang=en", BAND_GAP]])
def test_lang_en_under_a_chinese_locale_gives_english_wherever_it_stands(environment, capsys, argv):
    environment.setenv("LANG", "zh_CN.UTF-8")
    code, out, _err = run(argv, capsys)
    assert code == 1 and "the grades leave [70, 80) without a grade" in out
    assert i18n.language() == "zh"  # the command's choice ends with it


def test_lang_zh_and_perfrules_lang(environment, capsys):
    environment.setenv("LANG", "en_US.UTF-8")
    assert "等级区间留下了" in run(["--lang", "zh", "validate", BAND_GAP], capsys)[1]
    environment.setenv("PERFRULES_LANG", "zh")
    assert "等级区间留下了" in run(["validate", BAND_GAP], capsys)[1]
    environment.setenv("LANG", "zh_CN.UTF-8")
    environment.setenv("PERFRULES_LANG", "en")
    assert "the grades leave" in run(["validate", BAND_GAP], capsys)[1]


def test_a_mistyped_language_is_refused(environment, capsys):
    environment.setenv("PERFRULES_LANG", "fr")
    code, out, err = run(["validate", BAND_GAP], capsys)
    assert code == 2 and out == "" and "PERFRULES_LANG must be zh or en, not 'fr'" in err
    assert run(["--lang", "zh", "validate", BAND_GAP], capsys)[0] == 1  # an explicit --lang needs no variable
    with pytest.raises(SystemExit) as exit:
        main(["validate", BAND_GAP, "--lang", "fr"])
    assert exit.value.code == 2
    assert "argument --lang: invalid choice: 'fr' (choose from zh, en)" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["validate", BAND_GAP, "--lang"])
    assert "argument --lang: expected one argument" in capsys.readouterr().err


def test_the_real_command_under_lang_zh_cn(tmp_path):
    """The issue's words: `LANG=zh_CN.UTF-8 perfrules validate` on a broken ruleset prints Chinese, and
    English without it; a process of its own, with no variable of the test run."""
    env = {k: v for k, v in os.environ.items() if k not in LOCALE}
    command = [sys.executable, "-m", "perfrules.cli", "validate", BAND_GAP]
    chinese = subprocess.run(command, cwd=ROOT, env={**env, "LANG": "zh_CN.UTF-8"}, capture_output=True, text=True,
                             encoding="utf-8")
    english = subprocess.run(command, cwd=ROOT, env={**env, "LANG": "C.UTF-8"}, capture_output=True, text=True,
                             encoding="utf-8")
    assert chinese.returncode == english.returncode == 1
    assert chinese.stdout.startswith(f"{BAND_GAP}:8:23: grades[1].range: 等级区间留下了 [70, 80) 没有覆盖")
    assert english.stdout.startswith(f"{BAND_GAP}:8:23: grades[1].range: the grades leave [70, 80) without a grade")
    assert "Traceback" not in chinese.stderr + english.stderr


def test_help_and_usage_errors_in_chinese_then_argparse_is_itself_again(environment, capsys):
    environment.setenv("LANG", "zh_CN.UTF-8")
    with pytest.raises(SystemExit):
        main(["validate", "--help"])
    shown = capsys.readouterr().out
    assert shown.startswith("用法：perfrules validate")
    assert "位置参数" in shown and "选项:" in shown and "显示本帮助并退出" in shown and "只输出问题" in shown
    with pytest.raises(SystemExit):
        main(["score"])
    assert "perfrules score：错误：缺少以下必需参数：ruleset, input" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--help"])
    shown = capsys.readouterr().out
    assert "显示版本号并退出" in shown and "show" not in shown
    assert argparse._ is stdlib_gettext.gettext  # type: ignore[attr-defined]  # put back for other parsers
    environment.setenv("LANG", "en_US.UTF-8")
    with pytest.raises(SystemExit):
        main(["validate", "--help"])
    assert capsys.readouterr().out.startswith("usage: perfrules validate")


# ---------------------------------------------------------------- did-you-mean, in both

TYPO = """
perfrules: 1
id: test/typo
name: typo
total: 10
grdes:
  - {grade: 合格, range: "[0, 10]"}
categories:
  - name: 产出指标
    points: 10
    indicators:
      - {name: 数量, weight: 10, method: {kind: higher_is_beter}}
"""


def _problems(text: str) -> list[str]:
    with pytest.raises(RulesetError) as caught:
        __import__("perfrules").loads(text, "typo.yaml")
    return [str(p) for p in caught.value.problems]


def test_did_you_mean_in_english_and_in_chinese():
    with i18n.using("en"):
        english = _problems(TYPO)
    with i18n.using("zh"):
        chinese = _problems(TYPO)
    assert "typo.yaml:6:1: grdes: unknown key 'grdes' (did you mean 'grades'?)" in english
    assert "typo.yaml:6:1: grdes: 未知的键「grdes」 (是否应为「grades」？)" in chinese
    kind = [p for p in english if "method.kind" in p][0]
    assert "must be one of 'higher_is_better'" in kind and kind.endswith("(did you mean 'higher_is_better'?)")
    kind = [p for p in chinese if "method.kind" in p][0]
    assert kind.startswith("typo.yaml:12:47: categories[0].indicators[0].method.kind: 应为 'higher_is_better'")
    assert kind.endswith("(是否应为「higher_is_better」？)")


def test_a_missing_key_in_both():
    text = TYPO.replace("grdes", "grades").replace("higher_is_beter", "higher_is_better").replace("name: typo\n", "")
    with i18n.using("en"):
        assert "typo.yaml:2:1: missing required key 'name'" in _problems(text)
    with i18n.using("zh"):
        assert "typo.yaml:2:1: 缺少必需的键「name」" in _problems(text)


def test_a_cases_error_expectation_in_english_holds_in_a_chinese_run(tmp_path):
    """`expect: {error: words}` quotes the English message; a run in Chinese still finds it."""
    from perfrules.cases import run_file

    (tmp_path / "s.yaml").write_text(TYPO.replace("grdes", "grades").replace("higher_is_beter", "higher_is_better"),
                                     encoding="utf-8")
    (tmp_path / "s.cases.yaml").write_text(
        "cases:\n"
        "  - {name: english words, input: {indicators: [{actual: 3}]}, expect: {error: \"missing required key 'name'\"}}\n"
        "  - {name: chinese words, input: {indicators: [{actual: 3}]}, expect: {error: 缺少必需的键}}\n",
        encoding="utf-8")
    with i18n.using("zh"):
        outcome = run_file(tmp_path / "s.cases.yaml")
    assert outcome.failures == [] and outcome.passed == 2
    with i18n.using("en"):
        outcome = run_file(tmp_path / "s.cases.yaml")
    assert [f.case for f in outcome.failures] == ["chinese words"]  # Chinese words hold in a Chinese run only
    assert str(outcome.failures[0]).startswith("chinese words: error: expected an error saying '缺少必需的键', got ")


# ---------------------------------------------------------------- the catalog

KEYWORDS = {"_": 1, "N_": 1, "gettext": 1, "ngettext": 2}


def _marked() -> list[tuple[str, int, tuple[str, ...]]]:
    """Every message marked in perfrules/: (file, line, the literal msgid [and plural])."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in KEYWORDS:
                args = node.args[:KEYWORDS[node.func.id]]
                assert not any(isinstance(a, ast.JoinedStr) for a in args), \
                    f"{path.name}:{node.lineno}: an f-string cannot be looked up: write _('… {{name}} …').format(name=…)"
                if all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
                    found.append((path.name, node.lineno, tuple(a.value for a in args)))  # type: ignore[attr-defined]
    return found


MARKED = _marked()


def test_the_scan_sees_the_messages():
    assert ("schemacheck.py", "missing required key '{key}'") in {(f, m[0]) for f, _, m in MARKED}
    assert len(MARKED) > 150


def _fields(text: str) -> set[str]:
    return set(re.findall(r"\{(\w*)\}", text)) | set(re.findall(r"%\((\w+)\)", text)) | \
        {m for m in re.findall(r"%[sdr]", text)}


def test_every_marked_message_has_a_chinese_translation_with_the_same_placeholders():
    zh = i18n.translations("zh")
    missing, broken = [], []
    for file, line, ids in MARKED:
        said = zh.gettext(ids[0]) if len(ids) == 1 else zh.ngettext(ids[0], ids[1], 1)
        if said == ids[0]:
            missing.append(f"{file}:{line}: {ids[0]!r}")
        elif _fields(said) != _fields(ids[0]):
            broken.append(f"{file}:{line}: {ids[0]!r} -> {said!r}")
    assert missing == [], "translate these in perfrules/locale/zh_CN/LC_MESSAGES/perfrules.po (docs/translating.md)"
    assert broken == [], "a translation must keep every {placeholder} of its message"


def test_the_catalog_ships_and_is_found_through_the_package():
    assert MO.is_file() and isinstance(i18n.translations("zh"), stdlib_gettext.GNUTranslations)
    assert '"locale/*/LC_MESSAGES/*.mo"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_argparse_words_are_in_the_catalog():
    zh = i18n.translations("zh")
    assert all(zh.gettext(word) != word for word in i18n.ARGPARSE)


def test_the_invariants_summaries_are_their_docstrings():
    from perfrules.testing.invariants import INVARIANTS
    from perfrules.testing.runner import SUMMARIES

    assert list(SUMMARIES) == [(f.__doc__ or "").strip().splitlines()[0] for f in INVARIANTS.values()]


def test_no_function_hides_the_translation_function():
    """`_` is the translation function in a module that imports it as such: a `for _, x in …` or
    `a, _ = …` in one of its functions makes `_("…")` there an UnboundLocalError."""
    hiding = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if not any(isinstance(n, ast.ImportFrom) and any(a.asname == "_" for a in n.names) for n in tree.body):
            continue
        todo: list[ast.AST] = [tree]
        while todo:
            node = todo.pop()
            if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                continue  # a comprehension's names are its own
            if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
                hiding.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            todo.extend(ast.iter_child_nodes(node))
    assert hiding == []


BABEL = "Babel (the `test` or `dev` extra) extracts and compiles the catalog"


def test_the_shipped_mo_is_the_po_compiled():
    pytest.importorskip("babel", reason=BABEL)
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with PO.open("rb") as f:
        catalog = read_po(f)
    fresh = io.BytesIO()
    write_mo(fresh, catalog)
    assert MO.read_bytes() == fresh.getvalue(), "run: pybabel compile -d perfrules/locale -D perfrules (docs/translating.md)"


def test_the_po_holds_exactly_the_messages_extracted_from_the_source():
    pytest.importorskip("babel", reason=BABEL)
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    extracted = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(PACKAGE)):
        extracted.add(message if isinstance(message, str) else tuple(message))
    with PO.open("rb") as f:
        catalog = read_po(f)
    listed = {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}
    assert not extracted - listed, "run pybabel extract and update (docs/translating.md), then translate"
    assert not listed - extracted, "messages no longer in the source: run pybabel update with --ignore-obsolete"
    assert all(m.string and (isinstance(m.string, str) or all(m.string)) for m in catalog if m.id)
    assert not [m.id for m in catalog if m.id and m.fuzzy], "a fuzzy translation is not used: check it and unmark it"


def _language_examples() -> list[tuple[str, str]]:
    """The `$ command` / output pairs of docs/cli.md's section on the language."""
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    section = text.split("## Language of messages", 1)[1].split("\n## ", 1)[0]
    pairs: list[tuple[str, str]] = []
    for block in re.findall(r"```text\n(.*?)```", section, re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                pairs.append((line[2:], ""))
            else:
                pairs[-1] = (pairs[-1][0], pairs[-1][1] + line + "\n")
    return pairs


def test_the_docs_examples_of_the_language_print_what_they_say(environment, capsys):
    examples = _language_examples()
    assert len(examples) == 2
    for command, expected in examples:
        words = command.split()
        while "=" in words[0]:
            name, _eq, value = words.pop(0).partition("=")
            environment.setenv(name, value)
        assert words[0] == "perfrules"
        main(words[1:])
        assert capsys.readouterr().out == expected, command


def test_workers_write_in_the_language_of_the_command(environment, capsys, tmp_path):
    """`--lang en` under a Chinese locale reaches the worker processes of `score --jobs 2` (through
    $PERFRULES_LANG, whatever their start method), and the variable is as before afterwards."""
    (tmp_path / "a.yaml").write_text("indicators:\n  - {actual: 3}\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("indicators:\n  - {actual: 4}\n", encoding="utf-8")
    environment.setenv("LANG", "zh_CN.UTF-8")
    code, out, _err = run(["score", str(ROOT / "rulesets/henan/zhengzhou-project-2021.yaml"), str(tmp_path),
                           "--jobs", "2", "--lang", "en"], capsys)
    assert code == 2 and out.count("missing required key 'name'") == 2 and "缺少" not in out
    assert "PERFRULES_LANG" not in os.environ
    code, out, _err = run(["score", str(ROOT / "rulesets/henan/zhengzhou-project-2021.yaml"), str(tmp_path),
                           "--jobs", "2"], capsys)
    assert out.count("缺少必需的键「name」") == 2
