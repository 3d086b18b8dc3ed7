"""A rendered result to a file: the format its extension names, written whole or not at all."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from ..errors import PerfrulesError, Problem
from ..i18n import gettext as _

FORMATS = {".xlsx": "xlsx", ".csv": "csv", ".json": "json", ".md": "markdown", ".markdown": "markdown", ".html": "html"}


def output_format(path: str | Path) -> str:
    """The format an output file's extension names; anything else is an error naming the file."""
    fmt_ = FORMATS.get(Path(path).suffix.lower())
    if fmt_ is None:
        raise PerfrulesError([Problem(_("cannot tell the output format from the extension '{suffix}': use {formats}").format(
            suffix=Path(path).suffix, formats=", ".join(FORMATS)), file=str(path))])
    return fmt_


def write_atomically(path: str | Path, data: bytes) -> None:
    """Write a whole file or nothing: a temporary file in the same folder, then `os.replace`.

    A kill or a full disk midway leaves the old file as it was (and at worst a stray
    `.NAME.*.tmp` beside it), never half a file. A new file gets the ordinary permissions
    (the umask applies); a replaced one keeps its own (a private 0600 report stays private).
    """
    target = Path(path)
    temporary = None
    try:
        for _attempt in range(100):
            candidate = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
            try:
                fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
            except FileExistsError:
                continue
            temporary = candidate
            break
        else:  # pragma: no cover - 100 random names taken
            raise FileExistsError(f"no free temporary name beside {target.name}")
        with os.fdopen(fd, "wb") as f:
            try:
                os.chmod(f.fileno(), stat.S_IMODE(os.stat(target).st_mode))
            except (FileNotFoundError, NotImplementedError):
                pass  # a new file (or no fchmod on this system): the umask's permissions
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, target)
        temporary = None
    except OSError as exc:
        raise PerfrulesError([Problem(_("cannot write: {reason}").format(reason=exc.strerror or exc), file=str(path))]) from None
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
