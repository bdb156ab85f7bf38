"""`report`: the daily report as CSV (one row per window and the hall), XLSX and PDF, from the
command line; bad input is one line and writes nothing."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest

from app.cli import main
from app.manager.simulate import simulate

DAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("report") / "data"
    simulate(data, 2, seed=3, per_day=200, last_day=DAY)
    return data


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_csv_has_a_row_per_window_and_one_for_the_hall(desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    out = tmp_path / "day.csv"
    code, printed, _err = run(capsys, "report", "--day", "2026-11-26", "--out", str(out), "--data-dir", str(desk))  # fmt: skip
    assert code == 0 and str(out) in printed
    with out.open(encoding="utf-8-sig") as f:
        table = list(csv.DictReader(f))
    for column in ("tickets", "served", "no_show", "wait_mean_min", "wait_p90_min", "service_mean_min"):  # fmt: skip
        assert column in table[0]
    hall = table[-1]
    assert hall["window"] == "hall"
    windows = [r for r in table[:-1] if r["window"]]
    assert [int(r["window"]) for r in windows] == sorted(int(r["window"]) for r in windows)
    # Every ticket of the day is counted once: at its window, or (not called) in no window.
    tickets = sum(int(r["tickets"]) for r in table[:-1])
    assert tickets == int(hall["tickets"]) > 100
    assert sum(int(r["served"]) for r in windows) == int(hall["served"])
    assert float(hall["wait_p90_min"]) >= float(hall["wait_mean_min"]) * 0.5


def test_xlsx_holds_every_kpi_table(desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    from openpyxl import load_workbook

    out = tmp_path / "day.xlsx"
    assert run(capsys, "report", "--day", "2026-11-26", "--out", str(out), "--data-dir", str(desk))[0] == 0  # fmt: skip
    book = load_workbook(out)
    assert book.sheetnames[:2] == ["指标", "各窗口"]
    sheet = book["各窗口"]
    assert [c.value for c in sheet[2]][:3] == ["窗口", "名称", "取号数"]
    assert sheet.cell(row=sheet.max_row, column=2).value == "全厅"


def test_pdf_with_charts_in_the_embedded_font(desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    out = tmp_path / "day.pdf"
    code, _o, _e = run(capsys, "report", "--day", "2026-11-26", "--out", str(out), "--format", "pdf", "--data-dir", str(desk))  # fmt: skip
    data = out.read_bytes()
    assert code == 0 and data.startswith(b"%PDF") and b"/FontFile2" in data
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 2  # the tables and charts


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--day", "26.11.2026", "--out", "{out}/r.csv"], "日期格式不对"),
        (["--day", "2026-11-26", "--out", "{out}/r.doc"], "不支持的格式"),
        (["--day", "2026-11-26", "--out", "{out}/missing/r.csv"], "无法写入"),
        (
            [
                "--day",
                "2026-11-26",
                "--out",
                "{out}/r.csv",
                "--central",
                "http://127.0.0.1:9",  # nothing listens on loopback's discard port
                "--token",
                "220800-001.t",
            ],
            "连不上中心库",
        ),
    ],
)
def test_bad_input_is_one_line(desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], says: str) -> None:  # fmt: skip
    args = [a.replace("{out}", str(tmp_path)) for a in argv]
    code, _out, err = run(capsys, "report", *args, "--data-dir", str(desk))
    assert code == 1 and says in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_simulate_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "simulate", "--days", "1", "--per-day", "50", "--data-dir", str(tmp_path / "d"))  # fmt: skip
    assert code == 0 and "已写入" in out
    code, _out, err = run(capsys, "simulate", "--days", "0", "--data-dir", str(tmp_path / "d"))
    assert code == 1 and "模拟天数" in err
