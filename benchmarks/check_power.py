"""How fast `perfrules check` runs at its default, and how often it catches the broken rulesets.

    python benchmarks/check_power.py                 # both: times, then catch rates over 20 seeds
    python benchmarks/check_power.py --no-time       # catch rates only
    python benchmarks/check_power.py --seeds 50 --repeat 5
    python benchmarks/check_power.py --no-time --planted --examples 3   # one indicator broken in Zhengzhou

Speed is measured here, never asserted in a unit test. Times are of the command itself
(`perfrules check RULESET`, a fresh process, pinned to one core with `taskset -c 0` where
it exists): wall time and the child's CPU time (user + sys), the median of `--repeat` runs;
on a shared machine the CPU time is the steadier figure. Power is how many of `--seeds`
seeds (`perfrules check --seed S`, i.e. `check(path, seed=S)`) catch each ruleset of
tests/rulesets/broken/ (every invariant it is known to break reported broken), counted
twice: as `check` runs (threshold probes, then generated inputs) and with the generated
inputs alone (`probes=False`), which shows the strength of the generator by itself.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMES = ["rulesets/henan/zhengzhou-project-2021.yaml", "rulesets/hunan/department-2021.yaml"]
BROKEN = {  # the invariants each broken ruleset breaks (as tests/test_testing_kit.py asserts)
    "negative-deduction.yaml": ("score_within_weight", "total_in_range"),
    "band-gap.yaml": ("one_grade",),
    "rewards-lower-actual.yaml": ("monotone",),
    "element-shares-120.yaml": ("score_within_weight", "total_in_range"),
}
# `--planted`: one indicator of the 21-indicator Zhengzhou scheme broken, the rest sound
ZHENGZHOU = ROOT / "rulesets" / "henan" / "zhengzhou-project-2021.yaml"
PLANTED = {
    "zhengzhou-shares-120.yaml": (  # 预算编制合理性: 30% + 30% + 60%
        ("- {text: 预算额度测算依据充分，数量与产出指标匹配，单价有标准来源, share: 40%}",
         "- {text: 预算额度测算依据充分，数量与产出指标匹配，单价有标准来源, share: 60%}"),
        ("score_within_weight",)),
    "zhengzhou-rewards-lower.yaml": (  # 预算资金到位情况: target ÷ actual
        ("      - name: 预算资金到位情况\n        weight: 2.22\n        target: 100%\n"
         "        rule: 业绩值为100%得满分，每降低1%扣权重分的1%，扣完为止。\n        method:\n"
         "          kind: linear_deduction\n          full_at: 100%\n          below: {step: 1%, deduct: 1%}\n",
         "      - name: 预算资金到位情况\n        weight: 2.22\n        target: 100%\n"
         "        direction: higher\n        method: {kind: formula, expr: \"min(target / max(actual, 1), 1)\"}\n"),
        ("monotone",)),
}


def perfrules_command() -> list[str]:
    exe = Path(sys.executable).with_name("perfrules")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "perfrules"]


def time_check(scheme: str, repeat: int, extra: list[str]) -> tuple[float, float, str]:
    """Median wall and CPU seconds of `perfrules check scheme` in a fresh process on one core."""
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    walls, cpus, last = [], [], ""
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        run = subprocess.run(pin + perfrules_command() + ["check", scheme, *extra], cwd=ROOT,
                             capture_output=True, text=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        last = (run.stdout.strip().splitlines() or ["(no output)"])[-1]
        if run.returncode != 0:
            last = f"exit {run.returncode}: {last}"
    return statistics.median(walls), statistics.median(cpus), last


def planted(folder: Path) -> dict[Path, tuple[str, ...]]:
    """The Zhengzhou scheme with one indicator broken, written to `folder`, and what each breaks."""
    text = ZHENGZHOU.read_text(encoding="utf-8")
    out = {}
    for name, ((old, new), broken) in PLANTED.items():
        assert old in text, name
        path = folder / name
        path.write_text(text.replace(old, new).replace("id: henan/zhengzhou-project-2021", f"id: planted/{path.stem}"),
                        encoding="utf-8")
        out[path] = broken
    return out


def catch_rates(seeds: int, examples: int | None, with_probes: bool,
                rulesets: dict[Path, tuple[str, ...]] | None = None) -> None:
    import inspect

    import perfrules.testing.runner as runner
    from perfrules.testing import check

    kwargs: dict[str, object] = {} if examples is None else {"examples": examples}
    if not with_probes:
        if "probes" in inspect.signature(check).parameters:
            kwargs["probes"] = False
        else:  # a checkout from before `probes=` (to measure the "before"): no probes all the same
            runner.probes = lambda scheme: []  # type: ignore[attr-defined]
    if rulesets is None:
        rulesets = {ROOT / "tests" / "rulesets" / "broken" / name: broken for name, broken in BROKEN.items()}
    for path, expected in rulesets.items():
        name = path.name
        caught = 0
        per = dict.fromkeys(expected, 0)
        start = time.process_time()
        for seed in range(seeds):
            report = check(path, seed=seed, **kwargs)
            for inv in expected:
                per[inv] += report.results[inv] is not None
            caught += all(report.results[inv] is not None for inv in expected)
        spent = (time.process_time() - start) / seeds
        detail = ", ".join(f"{inv} {n}/{seeds}" for inv, n in per.items())
        print(f"  {name:28} caught {caught:2}/{seeds}   ({detail}; {spent:.2f} s CPU per check)")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=3, help="timed runs per scheme (median; default 3)")
    p.add_argument("--seeds", type=int, default=20, help="seeds per broken ruleset (default 20)")
    p.add_argument("--examples", type=int, help="pass --examples N (default: check's own default)")
    p.add_argument("--no-time", action="store_true", help="skip the timed runs")
    p.add_argument("--no-power", action="store_true", help="skip the catch rates")
    p.add_argument("--planted", action="store_true", help="catch rates on the Zhengzhou scheme with one indicator "
                                                          "broken, instead of tests/rulesets/broken/")
    args = p.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})  # the catch-rate runs in this process: one core as well
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"perfrules check, one core; load average {load:.1f} at start")
    extra = [] if args.examples is None else ["--examples", str(args.examples)]
    if not args.no_time:
        print(f"time of `perfrules check RULESET{' ' + ' '.join(extra) if extra else ''}` "
              f"(median of {args.repeat}, fresh process):")
        for scheme in SCHEMES:
            wall, cpu, last = time_check(scheme, args.repeat, extra)
            print(f"  {scheme:45} wall {wall:6.2f} s   CPU {cpu:6.2f} s   | {last}")
    if not args.no_power:
        with tempfile.TemporaryDirectory() as folder:
            rulesets = planted(Path(folder)) if args.planted else None
            for with_probes in (True, False):
                what = "as check runs (probes + generated)" if with_probes else "generated inputs alone (probes=False)"
                print(f"caught over {args.seeds} seeds, {what}:")
                catch_rates(args.seeds, args.examples, with_probes, rulesets)
    if hasattr(os, "getloadavg"):
        print(f"load average {os.getloadavg()[0]:.1f} at end")


if __name__ == "__main__":
    main()
