"""The pytest plugin's old name, kept for `-p perfrules.pytest_plugin` and `pytest_plugins = [...]`.

The plugin is the top-level module `perfrules_pytest` (see there why); importing this name
imports the perfrules package first, as any `perfrules.*` module does.
"""

try:
    from perfrules_pytest import perfrules_check
except ModuleNotFoundError as exc:  # pragma: no cover - an install made before perfrules_pytest existed
    raise ImportError("perfrules's pytest plugin is now the module perfrules_pytest, which this install of "
                      "perfrules does not have: install perfrules again (pip install -e '.[test]' in a checkout)") from exc

__all__ = ["perfrules_check"]
