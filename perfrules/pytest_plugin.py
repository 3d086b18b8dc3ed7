"""The pytest plugin's old name, kept for `-p perfrules.pytest_plugin` and `pytest_plugins = [...]`.

The plugin is the top-level module `perfrules_pytest` (see there why); importing this name
imports the perfrules package first, as any `perfrules.*` module does.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

try:
    from perfrules_pytest import perfrules_check
except ModuleNotFoundError:
    # An install made before perfrules_pytest existed (an editable one still maps only `perfrules`)
    # names this module as its pytest11 entry point: load the plugin from the file beside the package,
    # so that pytest still starts; installing again registers perfrules_pytest itself.
    _source = Path(__file__).resolve().parent.parent / "perfrules_pytest.py"
    _spec = importlib.util.spec_from_file_location("perfrules_pytest", _source)
    if _spec is None or _spec.loader is None or not _source.is_file():
        raise ImportError("perfrules's pytest plugin is now the module perfrules_pytest, which this install does "
                          "not have: install perfrules again (pip install -e '.[test]' in a checkout)") from None
    _plugin = importlib.util.module_from_spec(_spec)
    sys.modules["perfrules_pytest"] = _plugin
    _spec.loader.exec_module(_plugin)
    perfrules_check = _plugin.perfrules_check

__all__ = ["perfrules_check"]
