"""The desk's Qt side.

PySide6 looks at every module imported after it for its `__feature__` switches by reading
the module's whole source through `inspect.getsource`, which keeps the lines of every module
the desk imports in `linecache` for good (about 10 MB, and the time to read and split them
at start). The same check is made here on the file's bytes, which are not kept."""

from __future__ import annotations

import sys
from types import ModuleType


def _uses_pyside(module: ModuleType) -> bool:
    """PySide's check (does the module's source name PySide6?), without linecache."""
    origin = getattr(getattr(module, "__spec__", None), "origin", None)
    if not isinstance(origin, str) or not origin.endswith(".py"):
        return False
    try:
        with open(origin, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:
        return False


def _lighter_feature_check() -> None:
    import PySide6  # noqa: F401  (installs the import hook and its feature module)

    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and hasattr(feature, "_mod_uses_pyside"):
        feature._mod_uses_pyside = _uses_pyside  # type: ignore[attr-defined]


_lighter_feature_check()
