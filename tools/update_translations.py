"""Refresh the translation catalogue from the UI's source strings, then compile it.

Source strings are Chinese; resources/translations/onewindow_en.ts holds the English. Run
after changing UI text, translate what lupdate marks unfinished (Qt Linguist, or by hand),
run again to compile the .qm that `--lang en` loads.
Run: python tools/update_translations.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI = ROOT / "ui"
TS = ROOT / "resources" / "translations" / "onewindow_en.ts"
BIN = Path(sys.executable).parent


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in UI.rglob("*.py"))


def lupdate(ts: Path) -> None:
    subprocess.run(
        [
            str(BIN / "pyside6-lupdate"),
            *sources(),
            "-no-obsolete",
            "-locations",
            "none",
            "-source-language",
            "zh_CN",
            "-target-language",
            "en",
            "-ts",
            str(ts),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def lrelease(ts: Path) -> None:
    subprocess.run(
        [str(BIN / "pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def main() -> None:
    TS.parent.mkdir(parents=True, exist_ok=True)
    lupdate(TS)
    lrelease(TS)
    print(f"updated {TS.relative_to(ROOT)} and compiled {TS.with_suffix('.qm').name}")


if __name__ == "__main__":
    main()
