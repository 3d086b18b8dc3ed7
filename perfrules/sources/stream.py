"""An input read from a stream (the command's standard input, `-`), not from a named file.

The stream holds YAML or JSON text, read as a file of that text would be, within the same
size bound; a located error names the stream (`<stdin>:3:7: …`). A workbook cannot come this
way: its reader needs a file it can open as a zip, so bytes that start as one are refused.
"""

from __future__ import annotations

from typing import IO

from ..i18n import gettext as _
from .. import limits
from ..errors import InputError, Problem
from ..record import Record
from . import yaml_text
from .mapping import read_document

STDIN = "<stdin>"  # the name errors give an input read from standard input

_ZIP = b"PK\x03\x04"  # an .xlsx is a zip archive


def read_stream(stream: IO[bytes] | IO[str], name: str = STDIN) -> Record:
    """The YAML or JSON input on `stream` (bytes in UTF-8, or text), checked as a file's would be."""
    most = limits.current().max_file_bytes
    data = stream.read(most + 1)  # never more: an endless pipe stops here
    if len(data) > most:
        raise InputError([Problem(_("larger than the limit of {size} ({setting})").format(
            size=limits.megabytes(most), setting=limits.ENV["max_file_bytes"]),
                                  file=name)])
    if isinstance(data, bytes):
        if data.startswith(_ZIP):
            raise InputError([Problem(_("a workbook (.xlsx) cannot be read from standard input: give its file name"),
                                      file=name)])
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError([Problem(_("not UTF-8 text ({reason} at byte {at})").format(reason=exc.reason, at=exc.start), file=name)]) from None
    else:
        text = data.removeprefix("\ufeff")
    return read_document(yaml_text.loads(text, name, InputError))
