"""The edge in: an input from a mapping or from a file (YAML, JSON, .xlsx, .csv) -> Record.

`inputs` checks a mapping and builds the Record; `tables` turns a spreadsheet into such a
mapping. This module sits above both and chooses between them, so neither imports the other
back (engine, audit and the CLI call `read`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from . import tables, yamlsrc
from .errors import InputError
from .inputs import Record, from_mapping, read_document


def read(data: Mapping[str, Any] | str | Path | Record) -> Record:
    """An input from a Record, a mapping, or the path of a YAML/JSON file or a spreadsheet."""
    if isinstance(data, Record):
        return data
    if isinstance(data, (str, Path)):
        if Path(data).suffix.lower() in tables.SUFFIXES:
            return tables.read_input(data)
        return read_document(yamlsrc.load(data, InputError))
    return from_mapping(data)
