"""The one registry of actions (ui/actions.py): a clash cannot be declared, and in the desk
window every key fires exactly its own action wherever it is reachable (today's F5 on the
办件 tab was both 过号 and 刷新 and fired neither)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.catalogue.search import MatterIndex
from app.services.changes import DeskContext
from app.startup import DeskSetup, open_desk
from ui.actions import ACTIONS, ActionRegistry, ActionSpec, Scope, ShortcutClash, registered_action
from ui.main_window import MainWindow
from ui.supplement_dialog import SupplementDialog

SCOPES = (
    Scope("win", "窗口"),
    Scope("left", "左", parent="win"),
    Scope("right", "右", parent="win"),
    Scope("inner", "里", parent="left"),
    Scope("other", "另一个窗口"),
)


def test_two_actions_on_one_key_in_one_scope_are_refused() -> None:
    with pytest.raises(ShortcutClash, match="F5"):
        ActionRegistry(
            SCOPES,
            [ActionSpec("a", "甲", ("F5",), "left"), ActionSpec("b", "乙", ("F5",), "left")],
        )


def test_a_window_wide_key_clashes_with_the_same_key_in_any_part_of_it() -> None:
    with pytest.raises(ShortcutClash, match="F5"):
        ActionRegistry(
            SCOPES,
            [
                ActionSpec("noShow", "过号", ("F5",), "win"),
                ActionSpec("r", "刷新", ("f5",), "inner"),
            ],
        )
    with pytest.raises(ShortcutClash):
        ActionRegistry(
            SCOPES,
            [
                ActionSpec("a", "甲", ("Ctrl+Return",), "left"),
                ActionSpec("b", "乙", ("Ctrl+S", "ctrl+return"), "inner"),
            ],
        )


def test_the_same_key_in_parts_never_live_together_is_allowed() -> None:
    registry = ActionRegistry(
        SCOPES,
        [
            ActionSpec("a", "甲", ("Ctrl+S",), "left"),
            ActionSpec("b", "乙", ("Ctrl+S",), "right"),
            ActionSpec("c", "丙", ("Ctrl+S",), "other"),
        ],
    )
    assert len(registry.specs) == 3


def test_ids_and_scopes_are_checked() -> None:
    with pytest.raises(ShortcutClash):
        ActionRegistry(
            SCOPES, [ActionSpec("a", "甲", ("F2",), "win"), ActionSpec("a", "乙", (), "win")]
        )
    with pytest.raises(ShortcutClash):
        ActionRegistry(SCOPES, [ActionSpec("a", "甲", ("F2",), "nowhere")])
    with pytest.raises(ShortcutClash):
        ActionRegistry(SCOPES, [ActionSpec("a", "甲", ("NotAKey+",), "win")])


def test_the_desk_registry_uses_no_key_twice_where_both_are_reachable() -> None:
    specs = list(ACTIONS.specs.values())
    norm = {
        s.id: {QKeySequence(k).toString(QKeySequence.SequenceFormat.PortableText) for k in s.keys}
        for s in specs
    }
    for i, a in enumerate(specs):
        for b in specs[i + 1 :]:
            if ACTIONS.reachable_together(a.scope, b.scope):
                assert not norm[a.id] & norm[b.id], (a.id, b.id)
    # The queue's keys are the desk's, F1 lists; the case list refreshes on its own key.
    assert ACTIONS.spec("noShow").keys == ("F5",)
    assert ACTIONS.spec("refreshCases").keys != ("F5",)


# --- the real window -------------------------------------------------------------------------


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[DeskSetup]:
    # The administrator: every action is live for them (a clerk's role-bound ones are
    # disabled, their keys with them: test_ui_roles).
    desk = open_desk(tmp_path / "data", window_number=3, clerk_id="BC0901")
    yield desk
    desk.database.close()


@pytest.fixture
def window(qtbot: QtBot, setup: DeskSetup) -> MainWindow:
    with setup.database.read() as s:
        index = MatterIndex.load(s)
    main = MainWindow(setup, index)
    qtbot.addWidget(main)
    main.resize(1400, 900)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main)
    assert main.ops.wait_idle()
    return main


def _scopes(window: MainWindow) -> dict[QWidget, str]:
    """The widget that carries each registry scope in the desk window."""
    panel = window.case_panel
    return {
        window: "desk",
        panel: "intake",
        panel.checklist: "checklist",
        panel.chosen_list: "chosenMatters",
        window.case_list: "caseList",
    }


def _scope_of(obj: QObject, scopes: dict[QWidget, str]) -> str:
    widget = obj.parent()
    while widget is not None:
        if widget in scopes:
            return scopes[widget]
        widget = widget.parent()
    raise AssertionError(f"{obj.objectName()} sits in no scope")


def _spec_for(obj: QObject, keys: list[QKeySequence], scope: str) -> ActionSpec:
    """The registry's action that `obj` is: every key in the desk is a QAction made by the
    registry, in the widget of the scope the registry declares for it."""
    action_id = registered_action(obj)
    portable = [k.toString(QKeySequence.SequenceFormat.PortableText) for k in keys]
    assert action_id is not None, (
        f"{type(obj).__name__} {portable} in {scope} not from the registry"
    )
    spec = ACTIONS.spec(action_id)
    assert spec.scope == scope, (action_id, spec.scope, scope)
    return spec


def _shortcuts(window: QWidget) -> list[tuple[QObject, list[QKeySequence]]]:
    found: list[tuple[QObject, list[QKeySequence]]] = []
    for action in window.findChildren(QAction):
        if action.shortcuts():
            found.append((action, action.shortcuts()))
    for shortcut in window.findChildren(QShortcut):
        found.append((shortcut, [shortcut.key()]))
    for button in window.findChildren(QAbstractButton):
        if not button.shortcut().isEmpty():
            found.append((button, [button.shortcut()]))
    return found


def test_every_shortcut_in_the_desk_window_is_declared_in_the_registry(
    window: MainWindow,
) -> None:
    scopes = _scopes(window)
    for obj, keys in _shortcuts(window):
        spec = _spec_for(obj, keys, _scope_of(obj, scopes))
        declared = {QKeySequence(k) for k in spec.keys}
        assert set(keys) <= declared, (spec.id, [k.toString() for k in keys])


def _spy(window: QWidget, scopes: dict[QWidget, str]) -> list[str]:
    """Replace every shortcut's slots by a record of which registry action fired."""
    fired: list[str] = []
    for obj, keys in _shortcuts(window):
        spec_id = _spec_for(obj, keys, _scope_of(obj, scopes)).id
        signal = obj.triggered if isinstance(obj, QAction) else obj.activated  # type: ignore[attr-defined]
        signal.disconnect()
        signal.connect(lambda *_a, i=spec_id: fired.append(i))
        if isinstance(obj, QShortcut):
            obj.activatedAmbiguously.connect(lambda i=spec_id: fired.append(f"ambiguous {i}"))
    return fired


def _press(qtbot: QtBot, widget: QWidget, key: str) -> None:
    combo = QKeySequence(key)[0]  # type: ignore[index]
    qtbot.keyClick(widget, combo.key(), combo.keyboardModifiers())


def test_each_key_fires_exactly_its_action_in_every_part_of_the_desk(
    qtbot: QtBot, window: MainWindow
) -> None:
    fired = _spy(window, _scopes(window))
    panel = window.case_panel
    # Where the clerk's focus can be, and the registry scope it is in.
    spots: list[tuple[str, int, QWidget]] = [
        ("intake", 0, panel.applicant_form.name_edit),
        ("intake", 0, panel.search.edit),
        ("intake", 0, panel.reject_edit),
        ("checklist", 0, panel.checklist),
        ("chosenMatters", 0, panel.chosen_list),
        ("caseList", 1, window.case_list.filter_edit),
        ("caseList", 1, window.case_list.table),
        ("desk", 1, window.queue_panel.counts_view),
    ]
    in_window = {"desk", "intake", "chosenMatters", "caseList", "checklist"}
    pressed = 0
    for scope, tab, widget in spots:
        window.tabs.setCurrentIndex(tab)
        widget.setFocus()
        qtbot.waitUntil(widget.hasFocus)
        for spec in ACTIONS.specs.values():
            if spec.key_handler or spec.scope not in in_window:
                continue
            for key in spec.keys:
                fired.clear()
                _press(qtbot, widget, key)
                pressed += 1
                live = spec.scope == scope or spec.scope in _ancestors(scope)
                expected = [spec.id] if live else []
                assert fired == expected, (scope, key, fired)
    assert pressed > 80
    # The panel's and the case list's keys were among them, each from the registry.
    for action_id in ("saveCase", "focusSearch", "newCase", "removeMatter", "refreshCases"):
        assert window.findChild(QAction, f"{action_id}Action") is not None, action_id


def test_each_key_in_the_supplement_dialog_fires_exactly_its_action(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The dialog opened from the desk is its own window: Ctrl+S there records the supplement
    (the registry's `recordSupplement`), and none of the desk's keys reach through it."""
    dialog = SupplementDialog(window.database, window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    fired = _spy(window, {**_scopes(window), dialog: "supplement"})
    assert dialog.findChild(QAction, "recordSupplementAction") is not None
    assert dialog.record_button.text() == "登记补齐 (Ctrl+S)"
    portable = QKeySequence.SequenceFormat.PortableText
    live = {
        QKeySequence(k).toString(portable): spec.id
        for spec in ACTIONS.in_scope("supplement")
        for k in spec.keys
    }
    pressed = 0
    for widget in (dialog.search_edit, dialog.table, dialog.materials):
        widget.setFocus()
        qtbot.waitUntil(widget.hasFocus)
        for spec in ACTIONS.specs.values():
            if spec.key_handler:
                continue
            for key in spec.keys:
                fired.clear()
                _press(qtbot, widget, key)
                pressed += 1
                mine = live.get(QKeySequence(key).toString(portable))
                expected = [mine] if mine else []
                assert fired == expected, (widget.objectName(), key, fired)
    assert pressed > 50 and set(live.values()) == {"recordSupplement"}


FORBIDDEN = {"QShortcut", "setShortcut", "setShortcuts", "setShortcutContext"}
ROOT = Path(__file__).resolve().parent.parent


def test_no_widget_makes_its_own_shortcut() -> None:
    """Keys are made only by the registry (ui/actions.py): a QShortcut or a setShortcut
    anywhere else in ui/ could take a key the registry gave to another action."""
    found: list[str] = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        if path.name == "actions.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            name = None
            if isinstance(node, ast.Name) and node.id in FORBIDDEN:
                name = node.id
            elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN:
                name = node.attr
            elif isinstance(node, ast.alias) and node.name in FORBIDDEN:
                name = node.name
            if name is not None:
                found.append(f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')} {name}")
    assert found == []


def _ancestors(scope: str) -> set[str]:
    out = set()
    parent = ACTIONS.scopes[scope].parent
    while parent is not None:
        out.add(parent)
        parent = ACTIONS.scopes[parent].parent
    return out


def test_f5_on_the_case_list_tab_passes_the_called_ticket(qtbot: QtBot, window: MainWindow) -> None:
    backend = window.queue_panel.backend
    backend.issue_ticket(DeskContext(window_number=None, clerk_id=None), "ZH")
    window.queue_panel.refresh()
    assert window.ops.wait_idle()
    qtbot.keyClick(window.queue_panel, Qt.Key.Key_F2)
    assert window.ops.wait_idle()
    assert window.queue_panel.current_ticket() is not None, window.queue_panel.message.text()
    asked: list[str] = []
    window.queue_panel.ask_no_show_reason = lambda t: asked.append(t.number) or None  # type: ignore[func-returns-value]
    window.tabs.setCurrentWidget(window.case_list)
    edit = window.case_list.filter_edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_F5)
    assert asked == [window.queue_panel.current_ticket().number]  # type: ignore[union-attr]


def test_f1_lists_every_shortcut_from_the_registry(qtbot: QtBot, window: MainWindow) -> None:
    overlay = window.findChild(QWidget, "shortcutHelp")
    assert overlay is not None and not overlay.isVisible()
    window.tabs.setCurrentWidget(window.case_list)
    qtbot.keyClick(window.case_list.filter_edit, Qt.Key.Key_F1)
    assert overlay.isVisible()
    text = window.findChild(QLabel, "shortcutHelpText").text()  # type: ignore[union-attr]
    for spec in ACTIONS.specs.values():
        if spec.keys:
            assert f"{spec.key_text()}  {spec.text()}" in text, spec.id
    assert "F5  过号" in text and "Ctrl+R  刷新" in text and "F2  叫号" in text
    qtbot.keyClick(overlay, Qt.Key.Key_Escape)
    assert not overlay.isVisible()
