"""Issue 10, Security: `extends` reads only rulesets, from folders the user allows, and an error
about a file that is not a ruleset quotes nothing of it.

The issue's reproducer: `extends: ../../../../../../etc/shadow` printed every line of the file
as "unknown key 'root:*:…'", and /etc/passwd, an empty file or a list was "ok (0 categories)".
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import perfrules
from perfrules.cli import main

ROOT = Path(__file__).resolve().parents[2]
RULESETS = ROOT / "rulesets"
ETC = [p for p in (Path("/etc/passwd"), Path("/etc/shadow")) if p.is_file() and os.access(p, os.R_OK)]


def child(folder: Path, reference: str, name: str = "child.yaml") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"perfrules: 1\nid: demo/child\nextends: {reference}\nname: child\n", encoding="utf-8")
    return path


def run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out + err


def quotes_nothing_of(text: str, secret: Path, tmp_path: Path) -> None:
    """No line of the file, nor any field of one that is not trivially short, appears in `text`
    (the file names the message gives aside: /tmp/pytest-of-root/… holds 'root')."""
    text = text.replace(str(tmp_path), "TMP")
    for line in secret.read_text(encoding="utf-8", errors="replace").splitlines():
        assert line.strip() == "" or line not in text
        for part in line.split(":"):
            assert len(part) < 4 or part in str(secret) or part not in text, part


@pytest.mark.parametrize("secret", ETC or [pytest.param(None, marks=pytest.mark.skip("no /etc/passwd here"))])
def test_a_path_out_of_the_tree_is_refused_before_it_is_read(capsys, tmp_path, secret):
    ruleset = child(tmp_path / "rules", "../../../../../../../../.." + str(secret))
    with pytest.raises(perfrules.RulesetError) as err:
        perfrules.load(ruleset)
    (problem,) = err.value.problems
    assert str(problem).startswith(f"{ruleset}:3:10: extends: extends '../../../../../../../../..{secret}', "
                                   "which is outside the folders a ruleset may extend from")
    code, text = run(capsys, "validate", str(ruleset))
    assert code == 1 and "ok (" not in text
    quotes_nothing_of(text, secret, tmp_path)


@pytest.mark.parametrize("secret", ETC or [pytest.param(None, marks=pytest.mark.skip("no /etc/passwd here"))])
def test_allowed_but_not_a_ruleset_is_refused_without_a_word_of_it(capsys, tmp_path, secret):
    ruleset = child(tmp_path, "../../../../../../../../.." + str(secret))
    with pytest.raises(perfrules.RulesetError) as err:
        perfrules.load(ruleset, allow=["/etc"])
    (problem,) = err.value.problems
    assert (problem.line, problem.column, problem.path) == (3, 10, "extends")
    assert problem.message.endswith(f"but {secret} is not a ruleset")
    code, text = run(capsys, "validate", "--allow-dir", "/etc", str(ruleset))
    assert code == 1 and "is not a ruleset" in text and "ok (" not in text
    quotes_nothing_of(text, secret, tmp_path)


@pytest.mark.parametrize("content", [
    "",                                            # an empty file
    "- a\n- b\n",                                  # a list
    "root: x\ndaemon: y\n",                        # a mapping, no perfrules: and no id:
    "perfrules: 1\nname: no id\n",                 # no id
    "id: demo/base\nname: no version key\n",       # no perfrules:
    "secret-key: 1\nsecret-key: 2\n",              # not even valid for our loader (a duplicate key)
    "password: [unclosed\n",                       # not valid YAML
    "just some text: with a colon: inside\n",
])
def test_a_parent_that_is_not_a_ruleset_is_refused(capsys, tmp_path, content):
    (tmp_path / "base.yaml").write_text(content, encoding="utf-8")
    ruleset = child(tmp_path, "base.yaml")
    with pytest.raises(perfrules.RulesetError) as err:
        perfrules.load(ruleset)
    assert str(err.value) == (f"{ruleset}:3:10: extends: extends 'base.yaml', but {tmp_path / 'base.yaml'} is not a "
                              "ruleset (a ruleset is a YAML mapping with `perfrules:` and `id:`; nothing of that "
                              "file is shown)")
    code, text = run(capsys, "validate", str(ruleset))
    assert code == 1 and "ok (" not in text
    text = text.replace(str(tmp_path), "TMP")
    for word in ("secret", "password", "root", "daemon", "some text", "no id", "no version"):
        assert word not in text


def test_a_binary_parent_is_refused(tmp_path):
    (tmp_path / "base.yaml").write_bytes(b"\xff\xfe\x00secret\x00")
    with pytest.raises(perfrules.RulesetError, match="is not a ruleset") as err:
        perfrules.load(child(tmp_path, "base.yaml"))
    assert "secret" not in str(err.value)


def test_a_ruleset_with_a_syntax_error_still_shows_its_own_located_error(tmp_path):
    (tmp_path / "base.yaml").write_text("perfrules: 1\nid: demo/base\nname: [unclosed\n", encoding="utf-8")
    with pytest.raises(perfrules.RulesetError) as err:
        perfrules.load(child(tmp_path, "base.yaml"))
    assert str(err.value).startswith(f"{tmp_path / 'base.yaml'}:") and "not valid YAML" in str(err.value)


def test_a_link_inside_the_tree_to_a_file_outside_it_is_outside(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "base.yaml").write_text("perfrules: 1\nid: demo/base\nname: b\n", encoding="utf-8")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "base.yaml").symlink_to(outside / "base.yaml")
    with pytest.raises(perfrules.RulesetError, match="outside the folders"):
        perfrules.load(child(tree, "base.yaml"))


@pytest.mark.parametrize("reference,message", [
    ("/etc/passwd", "outside the folders"),
    ("/etc/passwd.yaml", "outside the folders"),
    ("national/../../../../../../etc/passwd", "neither an id nor a relative path"),
    ("national/.hidden", "neither an id nor a relative path"),
    ("national\\\\..\\\\..\\\\etc\\\\passwd", "neither an id nor a relative path"),
    ("..\\\\..\\\\etc\\\\passwd", "cannot be found"),  # on this system one odd file name in the ruleset's folder
])
def test_absolute_paths_and_ids_that_climb_are_refused(tmp_path, reference, message):
    with pytest.raises(perfrules.RulesetError, match=message):
        perfrules.load(child(tmp_path, f"'{reference}'"))


# ---------------------------------------------------------------- what keeps working

def sibling_trees(tmp_path: Path) -> Path:
    """rules/national/base.yaml and rules/city/child.yaml extending ../national/base.yaml."""
    base = tmp_path / "rules" / "national" / "base.yaml"
    base.parent.mkdir(parents=True)
    base.write_text((RULESETS / "national" / "project-2020.yaml").read_text(encoding="utf-8")
                    .replace("id: national/project-2020", "id: demo/base"), encoding="utf-8")
    return child(tmp_path / "rules" / "city", "../national/base.yaml")


def test_a_sibling_folder_needs_allow(capsys, tmp_path):
    ruleset = sibling_trees(tmp_path)
    with pytest.raises(perfrules.RulesetError, match="outside the folders a ruleset may extend from"):
        perfrules.load(ruleset)
    assert perfrules.load(ruleset, allow=[tmp_path / "rules"]).meta["extends"] == ["../national/base.yaml"]
    code, text = run(capsys, "validate", "--allow-dir", str(tmp_path / "rules"), str(ruleset))
    assert code == 0 and "ok (demo/child, 4 categories" in text
    code, _ = run(capsys, "score", "--allow-dir", str(tmp_path / "rules"), str(ruleset),
                  str(ROOT / "examples" / "zhuzhou-department-2021.yaml"))
    assert code in (0, 1)
    assert run(capsys, "diff", "--allow-dir", str(tmp_path / "rules"), str(ruleset), "national/project-2020")[0] == 0


def test_perfrules_path_folders_are_allowed(tmp_path, monkeypatch):
    ruleset = sibling_trees(tmp_path)
    monkeypatch.setenv("PERFRULES_PATH", str(tmp_path / "rules"))
    assert perfrules.load(ruleset).meta["extends"] == ["../national/base.yaml"]


def test_a_path_inside_the_rulesets_own_tree_and_an_id_anywhere_on_the_search_path(tmp_path):
    base = tmp_path / "sub" / "base.yaml"
    base.parent.mkdir()
    base.write_text("perfrules: 1\nid: demo/base\nextends: national/project-2020\nname: base\n", encoding="utf-8")
    assert perfrules.load(child(tmp_path, "sub/base.yaml")).meta["extends"] == ["sub/base.yaml", "national/project-2020"]
    assert perfrules.load(child(tmp_path, "./sub/../sub/base.yaml")).meta["extends"][0] == "./sub/../sub/base.yaml"


def test_a_ruleset_found_by_id_may_extend_beside_itself(tmp_path):
    """Found by id in a folder above: its own relative `extends` is checked against its own folder."""
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "base.yaml").write_text("perfrules: 1\nid: demo/base\nextends: common.yaml\nname: base\n",
                                                 encoding="utf-8")
    (tmp_path / "demo" / "common.yaml").write_text(
        (RULESETS / "national" / "project-2020.yaml").read_text(encoding="utf-8").replace("id: national/project-2020", "id: demo/common"),
        encoding="utf-8")
    ruleset = child(tmp_path / "city" / "x", "demo/base")
    assert perfrules.load(ruleset).meta["extends"] == ["demo/base", "common.yaml"]


@pytest.mark.parametrize("path", sorted(p for p in RULESETS.rglob("*.yaml") if not p.name.endswith(".cases.yaml")),
                         ids=lambda p: str(p.relative_to(RULESETS)))
def test_every_shipped_ruleset_still_loads(path):
    scheme = perfrules.load(path)
    if "extends" in scheme.meta:
        assert scheme.meta["extends"][-1] == "national/project-2020"


def test_the_shipped_rulesets_may_be_extended_by_path_from_inside_them():
    """A ruleset among the installed ones may write `extends: ../national/project-2020.yaml`: that
    folder is allowed (in a checkout installed with -e it is rulesets/, else site-packages)."""
    from importlib import resources

    shipped = Path(str(resources.files("perfrules.rulesets")))
    text = "perfrules: 1\nid: hunan/x\nextends: ../national/project-2020.yaml\nname: x\n"
    scheme = perfrules.loads(text, str(shipped / "hunan" / "x.yaml"))
    assert scheme.meta["extends"] == ["../national/project-2020.yaml"]


def test_test_and_check_take_allow_dir_too(capsys, tmp_path):
    ruleset = sibling_trees(tmp_path)
    examples = ROOT / "examples"
    (ruleset.parent / "child.cases.yaml").write_text(f"""cases:
  - name: the national rules by a sibling folder
    input: {examples / "zhuzhou-department-2021.yaml"}
    expect: {{total: 94.00}}
""", encoding="utf-8")
    code, text = run(capsys, "test", str(ruleset))
    assert code == 2 and "outside the folders" in text
    code, text = run(capsys, "test", "--allow-dir", str(tmp_path / "rules"), str(ruleset))
    assert (code, text.splitlines()[-1]) == (0, "1 passed, 0 failed (1 expectation checked)")
    code, text = run(capsys, "check", str(ruleset), "--examples", "3", "--seed", "1")
    assert code == 2 and "outside the folders" in text
    code, text = run(capsys, "check", "--allow-dir", str(tmp_path / "rules"), str(ruleset), "--examples", "3", "--seed", "1")
    assert code == 0, text


def test_allowing_widens_any_load_inside_it_and_nests(tmp_path):
    from perfrules.inherit import allowing

    ruleset = sibling_trees(tmp_path)
    text = ruleset.read_text(encoding="utf-8")
    with pytest.raises(perfrules.RulesetError, match="outside the folders"):
        perfrules.loads(text, str(ruleset))
    with allowing([tmp_path / "elsewhere"]):
        with allowing([tmp_path / "rules"]):
            assert perfrules.loads(text, str(ruleset)).meta["extends"] == ["../national/base.yaml"]
        with pytest.raises(perfrules.RulesetError, match="outside the folders"):
            perfrules.loads(text, str(ruleset))  # the inner block has ended
