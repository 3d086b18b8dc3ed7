"""The fast path of input validation never accepts what the JSON Schema refuses."""

from __future__ import annotations

import copy
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

import perfrules
from conftest import RULESETS
from perfrules import schemacheck
from perfrules.testing import inputs

SCHEME = perfrules.load(RULESETS / "hunan" / "department-2021.yaml")
ROW_KEYS = list(schemacheck.schema("input")["properties"]["indicators"]["items"]["properties"]) + ["acutal"]
TOP_KEYS = list(schemacheck.schema("input")["properties"]) + ["indicator"]
ODD = [None, True, False, 0, 1, -1, Decimal("2.5"), "", "x", "70%", [], [1], [1, 1], [1, "a"], {}, {"value": 1},
       {"value": 1, "source": "正文"}, {"x": 1}, [{"value": "1"}], [{"value": 1, "x": 2}], {"budget": 1}]


def jsonschema_ok(data):
    return not list(schemacheck._validator("input").iter_errors(data))


def test_the_input_schema_has_a_fast_path():
    assert schemacheck.fast("input") is not None


@settings(max_examples=300, deadline=None)
@given(inputs(SCHEME), st.data())
def test_fast_never_accepts_what_the_schema_refuses(data, draw):
    mutated = copy.deepcopy(data)
    rows = mutated["indicators"]
    for _ in range(draw.draw(st.integers(0, 3))):
        if rows and draw.draw(st.booleans()):
            row = rows[draw.draw(st.integers(0, len(rows) - 1))]
            row[draw.draw(st.sampled_from(ROW_KEYS))] = draw.draw(st.sampled_from(ODD))
        else:
            mutated[draw.draw(st.sampled_from(TOP_KEYS))] = draw.draw(st.sampled_from(ODD))
    if schemacheck.fast("input")(mutated):
        assert jsonschema_ok(mutated), mutated
