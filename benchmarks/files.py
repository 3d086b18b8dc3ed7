"""Files per second for `perfrules score FOLDER`, one process. Run: python benchmarks/files.py [-n 200]

Copies the Zhengzhou seed input n times into a temporary folder as YAML files and n times
as .xlsx workbooks (examples/zhengzhou-project-2021.yaml and .xlsx), then runs the
command's own code in this process (`perfrules.cli.main(["score", RULESET, FOLDER])`, its
output thrown away) five times per folder and prints the median files per CPU second of
the process (the per-core rate, which other processes on a shared machine do not lower as
much as they lower the wall-clock rate, also printed), the range as noise, and which YAML
loader was used (libyaml's C loader or the pure-Python one;
`--pure` forces the latter; `--full-xlsx` loads workbooks without openpyxl's read-only
mode). Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from perfrules import cli  # noqa: E402
from perfrules.sources import grid, yaml_text  # noqa: E402

RULESET = ROOT / "rulesets/henan/zhengzhou-project-2021.yaml"
SEED = ROOT / "examples/zhengzhou-project-2021"


def folder(root: Path, suffix: str, n: int) -> Path:
    out = root / suffix
    out.mkdir()
    for i in range(n):
        shutil.copyfile(SEED.with_suffix("." + suffix), out / f"unit-{i:05d}.{suffix}")
    return out


def files_per_second(path: Path, n: int, runs: int = 5) -> tuple[list[float], list[float]]:
    """Files per CPU second of this process (the per-core rate: other processes on a shared
    machine do not count against it) and per wall-clock second, one figure per run."""
    cpu, wall = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = cli.main(["score", str(RULESET), str(path)])
        cpu.append(n / (time.process_time() - start_cpu))
        wall.append(n / (time.perf_counter() - start))
        if code != 0:
            raise SystemExit(f"perfrules score {path} exited {code}")
    return cpu, wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=200, help="files per format (default 200)")
    ap.add_argument("--pure", action="store_true", help="use the pure-Python YAML loader even where libyaml is present")
    ap.add_argument("--full-xlsx", action="store_true", help="load workbooks fully (openpyxl's default), not streamed")
    args = ap.parse_args()
    if args.pure:
        yaml_text.FAST = False
    if args.full_xlsx:
        grid.READ_ONLY = False
    print(f"YAML loader: {'libyaml (CSafeLoader)' if yaml_text.FAST else 'pure Python (SafeLoader)'}; "
          f"workbooks: {'streamed (read-only mode)' if grid.READ_ONLY else 'full load'}")
    with tempfile.TemporaryDirectory() as tmp:
        for suffix in ("yaml", "xlsx"):
            path = folder(Path(tmp), suffix, args.n)
            cpu, wall = files_per_second(path, args.n)
            median = statistics.median(cpu)
            print(f"{suffix:5} {median:6.1f} files per CPU second (5 runs of {args.n} files: {min(cpu):.1f}–{max(cpu):.1f}, "
                  f"noise {(max(cpu) - min(cpu)) / median:.0%}); wall clock {statistics.median(wall):.1f} files/s")


if __name__ == "__main__":
    main()
