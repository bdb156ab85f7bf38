"""Bad input to every command that reads a file: one clear line on stderr, a non-zero exit,
no traceback, and the database exactly as it was (earlier days' tickets still open)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from app import jsonfile
from app.cli import main
from app.services.changes import DeskContext
from app.services.hall import DEMO_HALL_FILE
from app.startup import open_desk
from db.base import utcnow
from tests.test_catalogue_samples import small_catalogue

COMMANDS = [("catalogue", "validate"), ("catalogue", "import"), ("hall", "import")]


def _hall() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEMO_HALL_FILE.read_text(encoding="utf-8"))
    return data


def _good(command: tuple[str, str]) -> dict[str, Any]:
    return _hall() if command[0] == "hall" else small_catalogue()


def _text(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _name_field(command: tuple[str, str], value: Any) -> Callable[[dict[str, Any]], bytes]:
    def make(doc: dict[str, Any]) -> bytes:
        if command[0] == "hall":
            doc["lines"][0]["name"] = value
        else:
            doc["matters"][0]["name"] = value
        return _text(doc)

    return make


def _window(value: Any) -> Callable[[dict[str, Any]], bytes]:
    def make(doc: dict[str, Any]) -> bytes:
        if "windows" in doc:
            doc["windows"][0]["number"] = value
        else:  # the catalogue's nearest whole number
            doc["matters"][0]["legal_days"] = value
        return _text(doc)

    return make


def _replace(old: bytes, new: bytes) -> Callable[[dict[str, Any]], bytes]:
    def make(doc: dict[str, Any]) -> bytes:
        raw = json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
        assert old in raw
        return raw.replace(old, new, 1)

    return make


# (case id, content from the good document, or a path maker)
Case = tuple[str, Callable[[dict[str, Any]], bytes]]
CASES: list[Case] = [
    ("deep nesting", lambda d: b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
    ("nesting past the limit", lambda d: b'{"a": ' + b"[" * 40 + b"]" * 40 + b"}"),
    ("huge integer", lambda d: _text({**d, "format": 10**40})),
    ("infinity", lambda d: b'{"format": Infinity}'),
    ("nan", lambda d: b'{"format": NaN}'),
    ("huge exponent", lambda d: b'{"format": 1e999999}'),
    ("lone surrogate", lambda d: _text(d).replace(b'"format"', b'"\\ud800x": 1, "format"', 1)),
    ("escaped nul", lambda d: _text(d).replace(b'"format"', b'"a\\u0000": 1, "format"', 1)),
    ("raw nul", lambda d: _text(d).replace(b'"format"', b'"a\x00": 1, "format"', 1)),
    ("raw control", lambda d: _text(d).replace(b'"format"', b'"a\xc2\x85": 1, "format"', 1)),
    ("top level a list", lambda d: b"[1, 2]"),
    ("top level a string", lambda d: b'"hello"'),
    ("number for text", lambda d: _name_field(("x", "y"), 12)(d)),
    ("text for number", _window("1")),
    ("fractional window", _window(1.5)),
    ("boolean window", _window(True)),
    (
        "duplicate keys",
        lambda d: _text(d).replace(b'"format"', b'"demo": true, "demo": true, "format"', 1),
    ),
    (
        "text too long",
        lambda d: _text(d).replace(b'"format"', b'"x": "' + b"a" * 20_000 + b'", "format"', 1),
    ),
    ("not utf-8", lambda d: json.dumps(d, ensure_ascii=False).encode("gb18030")),
    ("bad json", lambda d: b'{"format": }'),
    ("empty file", lambda d: b""),
]


def _case_content(command: tuple[str, str], case: Case) -> bytes:
    name, make = case
    doc = _good(command)
    if name == "number for text":
        return _name_field(command, 12)(doc)
    return make(doc)


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with the demo desk and a ticket left open from yesterday."""
    from app.queue.issuing import issue_ticket

    data = tmp_path_factory.mktemp("desk")
    setup = open_desk(data)
    try:
        with setup.database.write() as s:
            issue_ticket(
                s, DeskContext(None, None), line_code="QY", now=utcnow() - timedelta(days=1)
            )
    finally:
        setup.database.close()
    return data


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def _refused(code: int, err: str) -> None:
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert any("\u4e00" <= c <= "\u9fff" for c in lines[0]), lines[0]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("command", COMMANDS, ids=["-".join(c) for c in COMMANDS])
def test_bad_file_is_one_line_and_changes_nothing(
    desk: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: tuple[str, str],
    case: Case,
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(_case_content(command, case))
    db_file = desk / "onewindow.sqlite3"
    before = _dump(db_file)
    code, _out, err = _run(["--data-dir", str(desk), *command, str(path)], capsys)
    _refused(code, err)
    assert _dump(db_file) == before


@pytest.mark.parametrize("command", COMMANDS, ids=["-".join(c) for c in COMMANDS])
@pytest.mark.parametrize("where", ["missing", "directory", "too big"])
def test_unreadable_file_is_one_line(
    desk: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: tuple[str, str],
    where: str,
) -> None:
    path = tmp_path / "in.json"
    if where == "directory":
        path.mkdir()
    elif where == "too big":
        monkeypatch.setattr(jsonfile, "MAX_BYTES", 100)
        monkeypatch.setattr(jsonfile.load, "__defaults__", (100,))
        path.write_bytes(_text(_good(command)))
    before = _dump(desk / "onewindow.sqlite3")
    code, _out, err = _run(["--data-dir", str(desk), *command, str(path)], capsys)
    _refused(code, err)
    assert {"missing": "不存在", "directory": "不是文件", "too big": "文件过大"}[where] in err
    assert _dump(desk / "onewindow.sqlite3") == before


def test_a_refused_import_leaves_no_data_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"[]")
    for command in COMMANDS[1:]:
        code, _out, err = _run(["--data-dir", str(tmp_path / "d"), *command, str(bad)], capsys)
        _refused(code, err)
    assert not (tmp_path / "d").exists()


def test_html_in_a_catalogue_name_is_refused(
    desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = small_catalogue()
    doc["matters"][0]["name"] = "<b>x</b>"
    path = tmp_path / "c.json"
    path.write_bytes(_text(doc))
    code, _out, err = _run(["catalogue", "import", str(path), "--data-dir", str(desk)], capsys)
    _refused(code, err)
    assert "< 或 >" in err


def test_no_traceback_from_a_real_process(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_bytes(b"[" * 200_000 + b"]" * 200_000)
    proc = subprocess.run(
        [sys.executable, "-m", "app", "catalogue", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
