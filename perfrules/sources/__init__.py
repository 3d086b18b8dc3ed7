"""The edge in: an input from a mapping or from a file (YAML, JSON, .xlsx, .csv) -> Record.

    yaml_text     YAML/JSON text -> data, every value located (line, column), within the limits
    mapping       an input mapping (from Python or a YAML/JSON file) -> checked Record
    spreadsheet   a .xlsx/.csv 自评表 -> checked Record (grid: cells, headers: the header row,
                  sheet: the rows of the form -> the input mapping)
    ruletable     a scheme's scoring table (评分标准 column) -> its indicator rows, for `perfrules draft`

`read` chooses between them. The Record itself (perfrules.record) is pure data: the engine,
the audit and the checks read it and import nothing from here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from ..errors import InputError
from ..record import Record
from . import spreadsheet, yaml_text
from .mapping import from_mapping, read_document


def read(data: Mapping[str, Any] | str | Path | Record) -> Record:
    """An input from a Record, a mapping, or the path of a YAML/JSON file or a spreadsheet."""
    if isinstance(data, Record):
        return data
    if isinstance(data, (str, Path)):
        if Path(data).suffix.lower() in spreadsheet.SUFFIXES:
            return spreadsheet.read_input(data)
        return read_document(yaml_text.load(data, InputError))
    return from_mapping(data)


__all__ = ["read", "read_document", "from_mapping"]
