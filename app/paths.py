"""Where things live: the bundled resources and the desk's data directory."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
CATALOGUE_DIR = RESOURCES / "catalogue"
FONTS_DIR = RESOURCES / "fonts"
TRANSLATIONS_DIR = RESOURCES / "translations"
#: The CJK fonts for screen and paper, primary first: WenQuanYi Micro Hei, then Droid Sans
#: Fallback for what it lacks (CJK Extension A, e.g. 䶮). See app/printing/fonts.py.
FONT_FILES = (FONTS_DIR / "wqy-microhei.ttc", FONTS_DIR / "DroidSansFallbackFull.ttf")

DATA_DIR_ENV = "ONEWINDOW_DATA_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The desk's data directory: --data-dir, else $ONEWINDOW_DATA_DIR, else the platform's."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("onewindow", "OneWindow"))
