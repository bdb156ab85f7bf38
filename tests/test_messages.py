"""The core's texts for people are codes: one table of Chinese templates (app/messages.py),
one table of the same templates marked for Qt (ui/messages.py), English for every one in the
catalogue, every UserError in app/ raised with a known code. The command line still prints
Chinese; the English build shows no Chinese from the core except data (see
tests/test_messages_ui.py for the widgets)."""

from __future__ import annotations

import ast
import pickle
import string
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path

import pytest

from app.errors import UserError
from app.messages import MESSAGES, Message, placeholders
from app.paths import TRANSLATIONS_DIR

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
TS = TRANSLATIONS_DIR / "onewindow_en.ts"

# Whose UserErrors are still plain Chinese text (None = the whole file, else the functions):
# reports on a FILE that only the command line shows, never the desk. The catalogue's validator
# and importer (`catalogue validate|import`) and the hall file's reader (`hall import`), whose
# line comes from app/jsonfile, the JSON reader they share. What the desk shows of the hall
# (the settings dialog's problems) is by code.
PLAIN_TEXT_ALLOWED: dict[str, frozenset[str] | None] = {
    "app/catalogue/validate.py": None,
    "app/catalogue/importer.py": None,
    "app/cli.py": frozenset({"_cmd_catalogue"}),
    "app/services/hall.py": frozenset({"load_config_file"}),
}


def fields(template: str) -> set[tuple[str, str]]:
    """The (name, format spec) of every placeholder."""
    return {
        (name, spec or "")
        for _, name, spec, _ in string.Formatter().parse(template)
        if name is not None
    }


def read_translations(path: Path) -> dict[str, str | None]:
    """Source -> English of the Messages context; None for an unfinished one."""
    out: dict[str, str | None] = {}
    for ctx in ET.parse(path).getroot().iter("context"):
        if ctx.findtext("name") != "Messages":
            continue
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            assert tr is not None
            finished = tr.get("type") not in ("unfinished", "vanished", "obsolete")
            out[msg.findtext("source") or ""] = (tr.text or "") if finished else None
    return out


def catalogue_problems(
    core: Mapping[str, str], ui: Mapping[str, str], english: Mapping[str, str | None]
) -> list[str]:
    """Every code needs a Chinese template, the same template in ui/messages.py and an English
    translation with the same placeholders."""
    problems = []
    for code, template in core.items():
        if not template.strip():
            problems.append(f"{code}: no Chinese template")
        if ui.get(code) != template:
            problems.append(f"{code}: ui/messages.py TEMPLATES differs or lacks it")
        translation = english.get(template)
        if translation is None:
            problems.append(f"{code}: no English translation in {TS.name}")
        elif fields(translation) != fields(template):
            problems.append(f"{code}: English placeholders {sorted(fields(translation))}")
    problems += [f"{code}: in ui/messages.py but not in the core" for code in set(ui) - set(core)]
    return problems


def test_every_code_has_its_ui_entry_and_english() -> None:
    from ui.messages import TEMPLATES

    assert catalogue_problems(MESSAGES, TEMPLATES, read_translations(TS)) == []


def test_a_new_code_without_ui_entry_or_english_is_caught() -> None:
    from ui.messages import TEMPLATES

    core = {**MESSAGES, "queue.new_refusal": "新的拒绝：{number}"}
    assert catalogue_problems(core, TEMPLATES, read_translations(TS)) == [
        "queue.new_refusal: ui/messages.py TEMPLATES differs or lacks it",
        "queue.new_refusal: no English translation in onewindow_en.ts",
    ]
    english = {**read_translations(TS), "新的拒绝：{number}": "New refusal: {numbre}"}
    ui = {**TEMPLATES, "queue.new_refusal": "新的拒绝：{number}"}
    assert catalogue_problems(core, ui, english) == [
        "queue.new_refusal: English placeholders [('numbre', '')]"
    ]


def test_every_template_is_chinese() -> None:
    cjk = [
        code
        for code, t in MESSAGES.items()
        if not any("\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef" for c in t)
    ]
    assert cjk == []


# --- the Message and UserError types ------------------------------------------------------------


def test_a_message_is_the_chinese_line_with_its_code() -> None:
    m = Message(
        "queue.wrong_status",
        number="A001",
        status=Message("ticket.status.done"),
        wanted=[Message("ticket.status.called"), Message("ticket.status.serving")],
    )
    assert m == "A001号当前已办结，只有已叫号、办理中的号才能这样操作"
    assert m.code == "queue.wrong_status" and m.params["number"] == "A001"
    again = pickle.loads(pickle.dumps(m))
    assert again == m and again.code == m.code
    dated = Message("reason.gap_deadline", material="合同", deadline=date(2026, 12, 3))
    assert dated == "「合同」容缺，须于2026年12月03日前补齐"


def test_a_message_refuses_unknown_codes_and_wrong_parameters() -> None:
    with pytest.raises(KeyError):
        Message("queue.no_such_code")
    with pytest.raises(TypeError, match="takes"):
        Message("queue.no_window")
    with pytest.raises(TypeError, match="takes"):
        Message("queue.no_window", window=3, extra="x")


def test_user_error_str_is_chinese_and_keeps_its_messages() -> None:
    exc = UserError("case.not_found", case="2208002026")
    assert str(exc) == "办件不存在：2208002026"
    assert exc.code == "case.not_found" and exc.messages[0].params == {"case": "2208002026"}
    several = UserError(Message("queue.no_ticket"), Message("queue.same_window"))
    assert str(several) == "没有这张号票；不能转移到本窗口"
    assert [m.code for m in several.messages] == ["queue.no_ticket", "queue.same_window"]
    plain = UserError("大厅配置文件格式不对")  # the file checks still raise plain text
    assert plain.messages == () and plain.code is None


# --- every UserError in app/ uses a known code ----------------------------------------------------


def _constant_codes(node: ast.expr) -> list[str] | None:
    """The code(s) a first argument names: a string, or a conditional of two strings."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _constant_codes(node.body), _constant_codes(node.orelse)
        if body is not None and orelse is not None:
            return body + orelse
    return None


def _functions(tree: ast.AST) -> Iterator[tuple[ast.Call, str | None]]:
    """Every call with the name of the top-level function it is in."""

    def visit(node: ast.AST, func: str | None) -> Iterator[tuple[ast.Call, str | None]]:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and func is None:
            func = node.name
        if isinstance(node, ast.Call):
            yield node, func
        for child in ast.iter_child_nodes(node):
            yield from visit(child, func)

    yield from visit(tree, None)


def code_problems(source: str, name: str) -> list[str]:
    """UserError(…) and Message(…) calls in `source` that do not name a known code with its
    parameters. A UserError may also be given Messages (`*problems`, a variable)."""
    allowed = PLAIN_TEXT_ALLOWED.get(name, frozenset())
    problems = []
    for call, func in _functions(ast.parse(source)):
        callee = call.func.id if isinstance(call.func, ast.Name) else None
        if callee not in ("UserError", "Message") or not call.args:
            continue
        if callee == "UserError" and (allowed is None or func in allowed):
            continue
        where = f"{name}:{call.lineno}"
        first = call.args[0]
        codes = _constant_codes(first)
        if codes is None:
            message_made_elsewhere = isinstance(first, ast.Starred | ast.Name) or (
                isinstance(first, ast.Call)
                and isinstance(first.func, ast.Name)
                and first.func.id == "Message"
            )
            if callee == "UserError" and message_made_elsewhere and not call.keywords:
                continue
            problems.append(f"{where}: not a code: {ast.unparse(first)}")
            continue
        given = {k.arg for k in call.keywords}
        if None in given:  # **params: checked when the Message is made
            continue
        for code in codes:
            if code not in MESSAGES:
                problems.append(f"{where}: unknown code {code!r}")
            elif given != placeholders(MESSAGES[code]):
                problems.append(f"{where}: {code} takes {sorted(placeholders(MESSAGES[code]))}")
    return problems


def test_every_user_error_in_app_uses_a_known_code() -> None:
    problems = []
    for path in sorted(APP.rglob("*.py")):
        name = str(path.relative_to(ROOT))
        if name in ("app/messages.py", "app/errors.py"):  # where the types are defined
            continue
        problems += code_problems(path.read_text(encoding="utf-8"), name)
    assert problems == []


def test_the_code_scan_finds_text_and_unknown_codes() -> None:
    sample = (
        "def f(n):\n"
        '    raise UserError(f"{n}号不存在")\n'
        "def g():\n"
        '    raise UserError("queue.no_such_code")\n'
        "def h(n):\n"
        '    raise UserError("queue.no_window", number=n)\n'
        "def i(problems, p):\n"
        '    raise UserError(*problems) if p else UserError(Message("queue.no_ticket"))\n'
        "def load_config_file(path):\n"
        '    raise UserError(f"无法读取大厅配置文件：{path}")\n'
        "def parse_config(data):\n"
        '    raise UserError("大厅配置文件格式不对")\n'
    )
    assert code_problems(sample, "app/services/hall.py") == [
        "app/services/hall.py:2: not a code: f'{n}号不存在'",
        "app/services/hall.py:4: unknown code 'queue.no_such_code'",
        "app/services/hall.py:6: queue.no_window takes ['window']",
        "app/services/hall.py:12: unknown code '大厅配置文件格式不对'",
    ]


# --- the command line still speaks Chinese --------------------------------------------------------


def test_the_command_line_prints_the_chinese_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from app.cli import main

    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    assert main(["desk", "--data-dir", str(tmp_path)]) != 0
    err = capsys.readouterr().err
    assert "没有可用的显示器（未设置 DISPLAY 或 WAYLAND_DISPLAY）" in err
    assert "Traceback" not in err


# --- texts kept in the database -------------------------------------------------------------------


def test_a_stored_message_comes_back_with_its_code_and_parameters() -> None:
    import json

    from app.messages import from_stored, to_stored

    reason = Message(
        "reason.material", material="合同", why=Message("why.optional_defective", defect="缺页")
    )
    dated = Message("reason.gap_deadline", material="合同", deadline=date(2026, 12, 3))
    listed = Message(
        "queue.wrong_status",
        number="A001",
        status=Message("ticket.status.done"),
        wanted=[Message("ticket.status.called"), Message("ticket.status.serving")],
    )
    for message in (reason, dated, listed):
        stored = json.loads(json.dumps(to_stored(message)))  # as the JSON column keeps it
        assert stored["text"] == message
        again = from_stored(stored)
        assert isinstance(again, Message) and again.code == message.code
        assert again == message and again.params == message.params
    dated_again = from_stored(to_stored(dated))
    assert isinstance(dated_again, Message)
    assert dated_again.params["deadline"] == date(2026, 12, 3)


def test_a_stored_text_that_is_not_a_code_is_shown_as_it_is() -> None:
    from app.messages import from_stored, to_stored

    assert to_stored("申请人自述的理由") == "申请人自述的理由"
    # A row of release 0.1.0: the Chinese sentence alone.
    old = from_stored("申请材料齐全、符合法定形式，予以受理")
    assert old == "申请材料齐全、符合法定形式，予以受理" and not isinstance(old, Message)
    # A code this version does not know (or whose parameters changed): the stored line.
    gone = {"code": "reason.retired", "params": {}, "text": "旧的理由"}
    changed = {"code": "reason.material", "params": {"material": "合同"}, "text": "「合同」缺"}
    assert from_stored(gone) == "旧的理由" and from_stored(changed) == "「合同」缺"
    assert from_stored(None) == ""


# --- the hall's problems and the store's refusals are codes ----------------------------------------


def test_the_halls_problems_are_messages_with_the_place_as_data() -> None:
    import dataclasses
    import json

    from app.services.hall import DEMO_HALL_FILE, config_problems, parse_config

    cfg = parse_config(json.loads(DEMO_HALL_FILE.read_text(encoding="utf-8")))
    bad = dataclasses.replace(
        cfg,
        hall=dataclasses.replace(cfg.hall, priority_policy="random"),
        windows=(dataclasses.replace(cfg.windows[0], lines=("NOPE",)), *cfg.windows[1:]),
    )
    problems = config_problems(bad)
    assert [p.code for p in problems] == ["hall.bad_priority_policy", "hall.window_unknown_line"]
    assert problems[0] == "优先叫号规则只能是 priority_first、every_n"
    assert problems[1].params == {"where": "windows[0].lines", "line": "NOPE"}
    assert problems[1] == "windows[0].lines: 未知的业务类别 NOPE"


def test_a_bad_hall_file_is_one_chinese_line_made_of_codes() -> None:
    import json

    from app.services.hall import DEMO_HALL_FILE, parse_config

    data = json.loads(DEMO_HALL_FILE.read_text(encoding="utf-8"))
    data["lines"][1]["ticket_prefix"] = "A"
    data["windows"][1]["number"] = 1
    with pytest.raises(UserError) as info:
        parse_config(data)
    assert str(info.value) == "大厅配置有误：lines: 号码前缀重复；windows: 窗口号重复"
    assert [m.code for m in info.value.messages] == ["hall_file.problems", "hall.duplicate_windows"]
    data["windows"][0]["number"] = 1.5
    with pytest.raises(UserError) as info:
        parse_config(data)
    assert info.value.code == "hall_file.not_whole"
    assert str(info.value) == "大厅配置有误：windows[0].number 应为整数，而不是 1.5"


def test_the_stores_refusals_carry_a_code_and_the_chinese_line() -> None:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from db.engine import DatabaseOpenError, StoreBusy, store_error, store_error_message
    from db.messages import STORE_MESSAGES

    busy = StoreBusy()
    assert busy.code == "store.busy" and str(busy) == STORE_MESSAGES["store.busy"]
    refused = DatabaseOpenError("store.newer", revision="0099")
    assert str(refused) == Message("store.newer", revision="0099")
    full = OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))
    error = store_error(full)
    assert error is not None and error.code == "store.disk_full_data_dir"
    assert store_error_message(full) == MESSAGES["store.disk_full_data_dir"]
    assert store_error(ValueError("x")) is None
