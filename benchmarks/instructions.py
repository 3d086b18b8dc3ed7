"""perfrules against the hand-written Decimal scorers in instructions, which a busy machine does not disturb.

Run: python benchmarks/instructions.py -n 1000        # needs valgrind (Debian: apt-get install valgrind)

benchmarks/ratio.py times both scorers on a wall clock; on a machine shared with other
work its figures wander by half or more. This script counts the machine instructions
each scorer executes instead (valgrind's cachegrind, `I refs`), which is the same from
one run to the next whatever else the machine does. For each scheme it runs three
processes under valgrind: one that loads the scheme and generates n inputs (the
setup), one that also scores them with perfrules (`scheme.evaluate(dict)`, the timed
call of ratio.py), and one that scores them with the hand-written scorer; each
scorer's count is its process's count less the setup's. It prints instructions per
table for each and their ratio. Instructions are not time (a cache miss costs more than
an add), but both scorers are pure Python on the same interpreter, so the ratio follows
the time ratio of a quiet run closely (compare ratio.py's on a quiet machine).

As in ratio.py every input is new: perfrules' remembered rows and scores help only
where the generated rows really repeat (a 100% actual, an element list, a 合理).

`--engine` counts the engine alone: the setup process also reads every input into a
`Record` (`perfrules.sources.read`), and perfrules' process then scores the records; the
hand-written scorer is not run (it has no such split).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

RUN = """
import sys
sys.path.insert(0, {here!r})
import generate, ratio
scheme = ratio.load({scheme!r})
data = generate.inputs({scheme!r}, {n}, seed={seed})
if {engine!r}:
    from perfrules import sources
    data = [sources.read(d) for d in data]
score = {{"ours": scheme.evaluate, "hand": ratio.HANDWRITTEN[{scheme!r}], "setup": None}}[{who!r}]
if score is not None:
    for d in data:
        score(d)
"""


def instructions(scheme: str, who: str, n: int, seed: int, engine: bool = False) -> int:
    """The instructions one process executes (valgrind cachegrind's I refs)."""
    return count(RUN.format(here=str(HERE), scheme=scheme, n=n, seed=seed, who=who, engine=engine))


def count(code: str, env: dict[str, str] | None = None) -> int:
    """The instructions `python -c code` executes (valgrind cachegrind's I refs); `env`: its environment."""
    done = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                           sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    m = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if m is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(m.group(1).replace(",", ""))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-n", type=int, default=1000, help="inputs per scheme (default 1000)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--scheme", action="append", help="one scheme (default: every scheme of generate.py)")
    p.add_argument("--engine", action="store_true", help="the engine alone, on records read beforehand")
    args = p.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind); benchmarks/ratio.py times instead")
    sys.path.insert(0, str(HERE))
    import generate

    print(f"{args.n} generated inputs per scheme, seed {args.seed}; instructions per table (valgrind cachegrind)"
          + ("; the engine alone, on records read beforehand" if args.engine else ""))
    print(f"{'scheme':18} {'perfrules':>12} {'hand':>10} {'ratio':>6}")
    for scheme in args.scheme or list(generate.SCHEMES):
        setup = instructions(scheme, "setup", args.n, args.seed, args.engine)
        ours = (instructions(scheme, "ours", args.n, args.seed, args.engine) - setup) / args.n
        if args.engine:
            print(f"{scheme:18} {ours / 1000:10.0f}k {'—':>10} {'—':>6}")
            continue
        hand = (instructions(scheme, "hand", args.n, args.seed) - setup) / args.n
        print(f"{scheme:18} {ours / 1000:10.0f}k {hand / 1000:8.0f}k {ours / hand:5.2f}×")

if __name__ == "__main__":
    main()
