"""The schemas' hover help is Chinese (issue 15): every key of the ruleset, input and cases
schemas has a Chinese `description`, a `markdownDescription` and examples that the key accepts."""

from __future__ import annotations

import json
import re
from typing import Any, Iterator

import jsonschema
import pytest

import perfrules
from conftest import ROOT
from perfrules.cli import main
from perfrules.kinds.assemble import assemble, helped_text, markdown

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _schemas() -> dict[str, dict[str, Any]]:
    out = {"ruleset": assemble()}
    for name in ("input", "cases"):
        out[name] = json.loads((ROOT / "perfrules" / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
    return out


SCHEMAS = _schemas()


def _keys(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property schema under `node`, with where it is."""
    if isinstance(node, list):
        for i, v in enumerate(node):
            yield from _keys(v, f"{path}[{i}]")
    elif isinstance(node, dict):
        for key, sub in node.get("properties", {}).items():
            if not _in_condition(path):
                yield f"{path}/properties/{key}", sub
        for key, value in node.items():
            yield from _keys(value, f"{path}/{key}")


def _in_condition(path: str) -> bool:
    """An `if` names a key to test it, not to describe it."""
    return "/if" in path


KEYS = [(name, path, sub) for name, schema in SCHEMAS.items() for path, sub in _keys(schema)]


def test_the_walk_finds_the_keys():
    paths = {f"{name}:{path}" for name, path, _ in KEYS}
    assert len(KEYS) > 300
    assert "ruleset:/properties/policies/properties/not_applicable" in paths
    assert any(p.startswith("ruleset:/$defs/method/allOf") and p.endswith("/properties/full_at") for p in paths)
    assert "input:/properties/indicators/items/properties/actual" in paths
    assert "cases:/properties/cases/items/properties/expect/properties/total" in paths


@pytest.mark.parametrize("name,path,sub", KEYS, ids=[f"{n}:{p}" for n, p, _ in KEYS])
def test_every_key_has_chinese_help_with_an_example(name, path, sub):
    assert isinstance(sub.get("description"), str) and CHINESE.search(sub["description"]), \
        f"{name} schema {path}: no Chinese description"
    assert sub.get("examples"), f"{name} schema {path}: no examples"
    assert sub.get("markdownDescription") == markdown(sub), f"{name} schema {path}: run python -m perfrules.kinds.assemble"
    assert "例：" in sub["markdownDescription"]


def _validator(name: str) -> Any:
    schema = SCHEMAS[name]
    return jsonschema.validators.validator_for(schema)(schema)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_example_is_accepted_by_its_key(name):
    root = _validator(name)
    wrong = []
    for schema_name, path, sub in KEYS:
        if schema_name != name:
            continue
        for example in sub["examples"]:
            errors = list(root.evolve(schema=sub).iter_errors(example))
            if errors:
                wrong.append(f"{path}: {example!r}: {errors[0].message}")
    assert not wrong, "\n".join(wrong)


def test_the_hand_kept_schemas_help_is_current():
    for name in ("input", "cases"):
        source = ROOT / "perfrules" / "schema" / f"{name}.schema.json"
        assert source.read_text(encoding="utf-8") == helped_text(source), "run python -m perfrules.kinds.assemble"
        assert (ROOT / "docs" / "schema" / f"{name}.schema.json").read_text(encoding="utf-8") == \
            source.read_text(encoding="utf-8")


def test_the_published_cases_schema_is_the_packaged_one(capsys):
    main(["schema", "cases"])
    assert (ROOT / "docs" / "schema" / "cases.schema.json").read_text(encoding="utf-8") == capsys.readouterr().out


def test_an_enum_with_chinese_names_lists_them_in_its_help():
    mode = SCHEMAS["ruleset"]["properties"]["rounding"]["properties"]["mode"]
    assert "`half_up`（四舍五入）" in mode["markdownDescription"]
    assert "四舍五入" in mode["enum"]


def test_validate_still_words_its_messages_in_english():
    """The Chinese help is for the editor: `validate` keeps the English words it had."""
    text = """
perfrules: 1
id: t/help
name: t
total: 10
grades: [{grade: 合格, range: "[0, 10]"}]
categories:
  - name: 产出指标
    points: 10
    scale: lots
    indicators:
      - {name: a, weight: 10, method: {kind: higher_is_better}}
"""
    with pytest.raises(perfrules.RulesetError) as err:
        perfrules.loads(text, "t.yaml")
    assert [str(p) for p in err.value.problems] == [
        "t.yaml:10:12: categories[0].scale: must be a share of the weight: 30%, 1/3, or a number such as 0.3, not 'lots'"]


def test_the_editor_page_says_how():
    page = (ROOT / "docs" / "editor.md").read_text(encoding="utf-8")
    assert "# yaml-language-server: $schema=" in page
    assert "perfrules schema ruleset" in page
    assert SCHEMAS["ruleset"]["$id"] in page
    assert "yaml.schemas" in page


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_the_schemas_with_their_help_are_valid_schemas(name):
    schema = SCHEMAS[name]
    jsonschema.validators.validator_for(schema).check_schema(schema)
