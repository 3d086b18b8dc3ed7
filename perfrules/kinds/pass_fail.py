"""The `pass_fail` kind: 达到要求得满分，否则不得分."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

from ..decimals import ONE, ZERO
from ..values import Text, key_of, simple
from .base import Inputs, Kind, Need, Outcome, Scored, Unscored, Wording, no_params, register
from .phrase import Example, Given, Phrasing, same_weight


def pass_fail(p: object, x: Inputs) -> Outcome:
    """达到要求得满分，否则不得分 (制定实施方案的得3分，否则不得分)."""
    A = x.terms.actual
    if x.passed is not None:
        ok = x.passed
        why = "评定为达到要求" if ok else "评定为未达到要求"
    else:
        a, t = simple(x.actual), simple(x.target)
        if a is None:
            return Unscored("missing_actual", f"没有{A}，也没有给出 passed")
        if isinstance(a, Text) and isinstance(t, Text) and key_of(a.text) == key_of(t.text):
            ok, why = True, f"{A}「{a}」与{x.terms.target}一致"
        elif isinstance(a, Text):
            found = x.vocabulary.classify(a.text)
            if found is None or found[0] == "partly":
                return Unscored("qualitative_unread", f"{A}「{a}」不能判定是否达到要求，请给出 passed: true/false")
            ok, why = found[0] == "met", f"{A}「{a}」按词表「{found[1]}」判定"
        else:
            return Unscored("actual_not_judged", f"{A}「{a}」不能判定是否达到要求，请给出 passed: true/false")
    return Scored(share=ONE if ok else ZERO, because=why + ("，得满分" if ok else "，不得分"),
                  expr="100%" if ok else "0", met=ok)


def describe(p: object, w: Wording) -> str:
    return "达到要求的，得满分；否则不得分"


def generate(raw: Mapping[str, Any]) -> Need:
    return Need("passed")


DOCS = r"""
达到要求得满分，否则不得分: "制定实施方案的得3分，否则不得分". The input's `passed: true/false`
decides; without it, an actual equal to the target passes, and a vocabulary word decides
(met passes, not met fails). Anything else is unscored (`qualitative_unread`, or
`actual_not_judged` for a number). No params.

```yaml
# example
vocabulary: {met: [已制定], not_met: [未制定]}
indicators:
  - name: 实施方案
    weight: 3
    rule: 制定实施方案的得3分，否则不得分
    method: {kind: pass_fail}
# {passed: true} → 3.00
# {passed: false} → 0.00
# {actual: 已制定} → 3.00
# {actual: 未制定} → 0.00
```
"""


def _read(slots: dict[str, Any], given: Given) -> Mapping[str, Any]:
    """'制定实施方案的得3分，否则不得分': pass or fail, when 3 is the row's weight."""
    if "points" in slots:
        same_weight(slots["points"], given, f"'得{slots['points']}分'")
    return {"kind": "pass_fail"}


# 评分标准 sentences read back as this kind (`perfrules draft`)
PHRASINGS = (
    Phrasing("达到要求的，得满分；否则不得分", {"kind": "pass_fail"},
             (Example("达到要求的，得满分；否则不得分", {"kind": "pass_fail"}),)),
    Phrasing("{:clause}{得|计}{points:pts}分，否则不得分", _read,
             (Example("制定实施方案的得3分，否则不得分", {"kind": "pass_fail"}, weight=Decimal(3)),
              Example("制定实施方案的得3分，否则不得分", unclear="weight is 5", weight=Decimal(5)))),
    Phrasing("{:clause}{得|计}满分，否则不得分", {"kind": "pass_fail"},
             (Example("按时报送的得满分，否则不得分", {"kind": "pass_fail"}),)),
)

KIND = register(Kind(
    "pass_fail", pass_fail, no_params, describe, params={}, generate=generate, docs=DOCS,
    names=("达标计分",),
    phrasings=PHRASINGS,
))
