"""Reading an input mapping (`perfrules.sources.read`) in instructions, which a busy machine does not disturb.

Run: python benchmarks/read_instructions.py -n 1000          # needs valgrind
     python benchmarks/read_instructions.py -n 1000 --checkout /work/main   # another checkout's perfrules

benchmarks/instructions.py's method applied to the mapping → Record step alone: for each
scheme of benchmarks/generate.py, one process under valgrind (cachegrind, `I refs`) that
imports perfrules and generates n inputs (the setup), and one per mode that also reads
each input; a mode's count is its process's less the setup's, per table:

  remembered  as `scheme.evaluate` reads them: rows read before (sources.mapping._ROWS) reused
  new rows    every row new: nothing remembered between inputs (_ROWS_MAX = 0)
  document    the inputs without their rows: funds, totals, figures … alone

Every process runs with PYTHONHASHSEED=0, so that hash randomisation (the order of sets,
the collisions of dicts) does not move the figure from run to run; what is left is the
garbage collector's timing, a percent or two. Parsing the value texts (`values.parse`, the
same work in any reading) is counted in; each process starts with every cache empty.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

RUN = """
import sys
sys.path.insert(0, {here!r})
sys.path.insert(0, {checkout!r})
import generate
from perfrules import sources
from perfrules.sources import mapping
data = generate.inputs({scheme!r}, {n}, seed={seed})
documents = [{{**d, "indicators": []}} for d in data]
mode = {mode!r}
if mode == "new rows":
    mapping._ROWS_MAX = 0
if mode != "setup":
    for d in (documents if mode == "document" else data):
        sources.read(d)
"""

MODES = ("remembered", "new rows", "document")


def instructions(scheme: str, mode: str, n: int, seed: int, checkout: str) -> int:
    """The instructions one process executes (valgrind cachegrind's I refs), with a fixed hash seed."""
    from instructions import count  # (benchmarks/, this script's folder, is first on the path)

    code = RUN.format(here=str(HERE), checkout=checkout, scheme=scheme, n=n, seed=seed, mode=mode)
    return count(code, env={**os.environ, "PYTHONHASHSEED": "0"})


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-n", type=int, default=1000, help="inputs per scheme (default 1000)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--scheme", action="append", help="one scheme (default: every scheme of generate.py)")
    p.add_argument("--mode", action="append", choices=MODES, help="one mode (default: all three)")
    p.add_argument("--checkout", default=str(HERE.parent), help="the checkout whose perfrules reads (default: this one)")
    args = p.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    sys.path.insert(0, str(HERE))
    import generate

    modes = args.mode or list(MODES)
    print(f"{args.n} generated inputs per scheme, seed {args.seed}, {args.checkout}; "
          "instructions per table read (valgrind cachegrind)")
    print(f"{'scheme':18} " + " ".join(f"{m:>11}" for m in modes))
    for scheme in args.scheme or list(generate.SCHEMES):
        setup = instructions(scheme, "setup", args.n, args.seed, args.checkout)
        counts = [(instructions(scheme, m, args.n, args.seed, args.checkout) - setup) / args.n for m in modes]
        print(f"{scheme:18} " + " ".join(f"{c / 1000:10.0f}k" for c in counts))


if __name__ == "__main__":
    main()
