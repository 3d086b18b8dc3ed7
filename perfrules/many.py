"""Score many inputs with one compiled scheme: a stream in, a stream of outcomes out, in input order.

`score_many(scheme, inputs, jobs=N)` reads the inputs as it goes and keeps only a bounded
number in flight, so memory stays flat however many inputs there are; with `jobs > 1` the
inputs are scored in worker processes, each of which receives the compiled scheme once.
"""

from __future__ import annotations

import copyreg
import gc
import io
import os
import pickle
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, fields
from itertools import islice
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from .errors import InputError, PerfrulesError, Problem
from .model import MethodSpec, Scheme
from .result import CategoryScore, Finding, IndicatorScore, Result

CHUNK = 32  # inputs sent to a worker at a time: a few ms of work each, so the hand-over is small beside it
AHEAD = 4  # chunks in flight per worker: enough to keep each busy, few enough to keep memory flat


@dataclass(frozen=True)
class Outcome:
    """One input of `score_many`: its result, or the error that stopped it (never both).

    `index` is the input's position (0-based) in what was given; `source` its path when the
    input was a path, else None.
    """

    index: int
    source: str | None = None
    result: Result | None = None
    error: PerfrulesError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def score_many(scheme: Scheme, inputs: Iterable[Any], jobs: int = 1, chunk: int = CHUNK,
               audit: bool = False) -> Iterator[Outcome]:
    """Score each input (a mapping, a Record, or the path of a YAML/JSON file or a spreadsheet)
    and yield one `Outcome` per input, in input order, as they are done.

    The inputs are read lazily: an endless generator works, and at most `jobs × 4 × chunk`
    inputs are held at once. `jobs=1` scores in this process; `jobs > 1` in that many worker
    processes (`jobs=0`: one per CPU). An input perfrules cannot read or score yields an
    outcome with its `error` and the rest go on; an unexpected failure on one input becomes
    an `InputError` for that input that says so, as in `perfrules score FOLDER`. `audit=True`:
    each result is `scheme.audit`'s (the reported figures compared, the checks run).
    """
    if jobs < 0:
        raise ValueError(f"jobs must be 0 (one per CPU) or more, not {jobs}")
    if chunk < 1:
        raise ValueError(f"chunk must be 1 or more, not {chunk}")
    workers = jobs or _cpus()
    if workers == 1:
        return (_outcome(scheme, i, item, audit) for i, item in enumerate(inputs))
    return _in_processes(scheme, inputs, workers, chunk, audit)


def _cpus() -> int:
    """The CPUs this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    sched_getaffinity = getattr(os, "sched_getaffinity", None)  # Linux; elsewhere every CPU counts
    return len(sched_getaffinity(0)) if sched_getaffinity else os.cpu_count() or 1


def _in_processes(scheme: Scheme, inputs: Iterable[Any], workers: int, chunk: int, audit: bool) -> Iterator[Outcome]:
    shipped = pickle.dumps(scheme, protocol=pickle.HIGHEST_PROTOCOL)  # a scheme that cannot travel fails here, at once
    numbered = enumerate(inputs)
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_receive, initargs=(shipped,))
    table = specs(scheme)
    pending: deque[Future[bytes]] = deque()
    try:
        while True:
            while len(pending) < workers * AHEAD:
                batch = list(islice(numbered, chunk))
                if not batch:
                    break
                pending.append(pool.submit(_score_chunk, batch, audit))
            if not pending:
                return
            yield from (_unpack(item) for item in _Unpickler(pending.popleft().result(), table).load())
    finally:
        # the consumer stopped early (or an error): drop what has not started, wait for the rest
        pool.shutdown(wait=True, cancel_futures=True)


def _outcome(scheme: Scheme, index: int, item: Any, audit: bool = False) -> Outcome:
    source = str(item) if isinstance(item, (str, Path)) else None
    try:
        return Outcome(index, source, result=scheme.audit(item) if audit else scheme.evaluate(item))
    except PerfrulesError as exc:
        return Outcome(index, source, error=exc)
    except Exception as exc:  # noqa: BLE001 - one input cannot take a stream of thousands down; it is reported as failed
        detail = f"{type(exc).__name__}: {exc}"
        detail = detail if len(detail) <= 200 else detail[:200] + "…"
        what = "file" if source else "input"  # a file: the words `perfrules score FOLDER` has always used
        return Outcome(index, source, error=InputError([Problem(
            f"perfrules failed on this {what} ({detail}); the other {what}s are scored: please report it",
            file=source)]))


def specs(scheme: Scheme) -> list[MethodSpec]:
    """The scheme's method specs in a fixed order: a worker's copy of the scheme and the
    parent's list them alike, so that a result can name its indicator's spec by position."""
    out = []
    for category in scheme.categories:
        out += [i.method for i in category.indicators if i.method is not None]
        out += [r.method for r in category.rules]
    return out + [r.method for r in scheme.scoring]


# ---------------------------------------------------------------- the wire form of a result
# A result's objects cross back from a worker as the tuples of their field values and are rebuilt in
# the parent as `frozen.make` builds them: no `__init__`, the instance dict filled in field order, as
# the constructor fills it. Against pickle's own form of a frozen dataclass (its `__dict__` copied,
# pickled as a dict, read back key by key) this takes the worker 13-19% less to pickle a result and
# the parent 8-20% less to read it (CPU time / instructions, benchmarks/README.md "Many tables"). Only
# these exact types: a subclass is pickled as it always was. An object that comes twice in a chunk
# (a score the worker's engine remembered) is still sent and rebuilt once: pickle's memo sees to it.


def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


_RESULT, _INDICATOR, _CATEGORY, _FINDING = (_names(c) for c in (Result, IndicatorScore, CategoryScore, Finding))
_result_fields, _indicator_fields, _category_fields, _finding_fields = (
    attrgetter(*names) for names in (_RESULT, _INDICATOR, _CATEGORY, _FINDING))


def _result(*values: Any) -> Result:
    result = object.__new__(Result)
    result.__dict__.update(zip(_RESULT, values))  # frozen.make without the dict it takes (one per object)
    return result


def _indicator(*values: Any) -> IndicatorScore:
    score = object.__new__(IndicatorScore)
    score.__dict__.update(zip(_INDICATOR, values))
    return score


def _category(*values: Any) -> CategoryScore:
    category = object.__new__(CategoryScore)
    category.__dict__.update(zip(_CATEGORY, values))
    return category


def _finding(*values: Any) -> Finding:
    finding = object.__new__(Finding)
    finding.__dict__.update(zip(_FINDING, values))
    return finding


# An indicator's explanation crosses as it is held: its text, or the parts to write it from
# (result.Later: a writer's key and plain values, which pickle as they are), so neither the worker
# nor the parent writes one that nobody reads. By name from the instance dict, which holds every
# field (frozen.make and the constructor fill it so); through the fields where it does not.
_indicator_items = itemgetter(*_INDICATOR)


def _indicator_values(score: IndicatorScore) -> tuple[Any, ...]:
    try:
        return _indicator_items(score.__dict__)  # type: ignore[no-any-return,unused-ignore]
    except KeyError:
        return _indicator_fields(score)  # type: ignore[no-any-return,unused-ignore]


_REDUCE: dict[type, Any] = {
    Result: lambda r: (_result, _result_fields(r)),
    IndicatorScore: lambda s: (_indicator, _indicator_values(s)),
    CategoryScore: lambda c: (_category, _category_fields(c)),
    Finding: lambda f: (_finding, _finding_fields(f)),
}


def _spec_at(position: int) -> MethodSpec:
    """What a result's spec stands for on its way back from a worker; only `_Unpickler` resolves it."""
    raise TypeError("a spec sent by position is read back by perfrules.many._Unpickler")


def _dump(outcomes: list[Any], numbers: dict[int, int]) -> bytes:
    """Outcomes pickled with each result's `spec` as its position in the scheme, not as a copy (the
    parent puts its own spec there, as `scheme.evaluate` would), and a result's objects in their
    wire form (`_REDUCE`)."""

    def by_position(spec: MethodSpec) -> Any:
        n = numbers.get(id(spec))
        return (_spec_at, (n,)) if n is not None else spec.__reduce_ex__(pickle.HIGHEST_PROTOCOL)

    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, **_REDUCE, MethodSpec: by_position}
    pickler.dump(outcomes)
    return out.getvalue()


class _Unpickler(pickle.Unpickler):
    """Reads what `_dump` wrote, putting the parent's own spec where a position stands."""

    def __init__(self, data: bytes, table: list[MethodSpec]):
        super().__init__(io.BytesIO(data))
        self.table: list[MethodSpec] = table

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name == "_spec_at":
            return self.table.__getitem__
        return super().find_class(module, name)


# ---------------------------------------------------------------- in a worker process

_SCHEME: Scheme | None = None  # the scheme of this worker, received once by _receive
_NUMBERS: dict[int, int] = {}  # id of each of its specs -> its position in specs(_SCHEME)


def _receive(shipped: bytes) -> None:
    global _SCHEME, _NUMBERS
    _SCHEME = pickle.loads(shipped)
    _NUMBERS = {id(spec): n for n, spec in enumerate(specs(_SCHEME))}
    # This process is score_many's own, so its collector is set for the work (never the caller's):
    # what it inherited (a fork copies the caller's objects: the inputs it holds) and the scheme live
    # as long as it does, so no collection walks them or writes to their pages; and scoring makes many
    # objects that die young beside caches that live long, so young collections come a tenth as often
    # and full ones rarer (benchmarks/README.md, "Many tables": the workers' CPU per table).
    if WORKER_GC is not None:
        gc.freeze()
        gc.set_threshold(*WORKER_GC)


# a worker's gc.set_threshold (Python's default: 700, 10, 10); None leaves the worker's collector
# as Python sets it (benchmarks/many.py --worker-gc-default, a comparison: set before the pool forks)
WORKER_GC: tuple[int, int, int] | None = (7000, 20, 20)


def _score_chunk(batch: Sequence[tuple[int, Any]], audit: bool = False) -> bytes:
    assert _SCHEME is not None, "the pool's initializer gives each worker its scheme"
    return _dump([_pack(_outcome(_SCHEME, i, item, audit)) for i, item in batch], _NUMBERS)


def _pack(outcome: Outcome) -> tuple[Any, ...]:
    """An outcome as it crosses back: `(index, source, result)`, or an error as its class and
    problems, since an exception is pickled by its message alone and would lose each problem's
    file, line and column."""
    error = outcome.error
    if error is None:
        return outcome.index, outcome.source, outcome.result
    return outcome.index, outcome.source, type(error), error.problems, error.warnings


def _unpack(item: tuple[Any, ...]) -> Outcome:
    if len(item) == 3:
        index, source, result = item
        return Outcome(index, source, result=result)
    index, source, kind, problems, warnings = item
    return Outcome(index, source, error=kind(problems, warnings=warnings))
