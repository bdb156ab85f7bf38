"""The desk's one registry of actions and their shortcuts.

Every key the desk answers to is declared here once: an id (the QAction's objectName is the
id followed by "Action"), a label (translated in the "Actions" context) and its keys, in a
scope saying where the key is reachable. Building the registry refuses two actions on one key
where both can be reached at once (the same scope, or a scope and one inside it), so a clash
such as 过号 and 刷新 both on F5, where Qt fires neither, cannot be written down.

Widgets take their QActions from `ACTIONS.create(...)` instead of making shortcuts
themselves, and the F1 help lists `ACTIONS.help_sections()`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from ui.checklist_model import STATUS_KEYS

CONTEXT = "Actions"


@dataclass(frozen=True)
class Scope:
    """Where a scope's keys are reachable. A root scope is a top-level window (its keys work
    anywhere in it); a scope with a parent is a part of it (its keys work while the focus is
    inside that part, and so do the parent's)."""

    name: str
    label: str
    parent: str | None = None
    # WidgetShortcut: the key works only on that widget itself (not its children).
    widget_only: bool = False


@dataclass(frozen=True)
class ActionSpec:
    id: str
    label: str
    keys: tuple[str, ...]
    scope: str
    # True when the keys are read by the widget's keyPressEvent (the checklist's status keys),
    # not by a QAction: listed and checked for clashes, but `create` refuses them.
    key_handler: bool = False
    # The translation context of `label` (the checklist's labels live with the checklist).
    context: str = CONTEXT

    def text(self) -> str:
        return QCoreApplication.translate(self.context, self.label)

    def key_text(self) -> str:
        """The keys as the person at the desk reads them, e.g. "Ctrl+S / Ctrl+Return"."""
        return " / ".join(
            QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in self.keys
        )

    def button_text(self) -> str:
        """The label with its first key, for the button that does the same, e.g.
        "保存并打印 (Ctrl+S)": the key written on a button is the registry's."""
        if not self.keys:
            return self.text()
        key = QKeySequence(self.keys[0]).toString(QKeySequence.SequenceFormat.NativeText)
        return f"{self.text()} ({key})"


class ShortcutClash(ValueError):
    """Two actions on one key where both are reachable, or an action declared wrong."""


def _normal(key: str) -> str:
    sequence = QKeySequence(key)
    if sequence.isEmpty() or sequence.toString() == "":
        raise ShortcutClash(f"not a key sequence: {key!r}")
    return sequence.toString(QKeySequence.SequenceFormat.PortableText)


class ActionRegistry:
    """The declared actions; refuses a clash at construction."""

    def __init__(self, scopes: Iterable[Scope], specs: Iterable[ActionSpec]) -> None:
        self.scopes: dict[str, Scope] = {}
        for scope in scopes:
            if scope.name in self.scopes:
                raise ShortcutClash(f"scope declared twice: {scope.name}")
            self.scopes[scope.name] = scope
        for scope in self.scopes.values():
            if scope.parent is not None and scope.parent not in self.scopes:
                raise ShortcutClash(f"scope {scope.name}: unknown parent {scope.parent}")
        self.specs: dict[str, ActionSpec] = {}
        for spec in specs:
            if spec.id in self.specs:
                raise ShortcutClash(f"action declared twice: {spec.id}")
            if spec.scope not in self.scopes:
                raise ShortcutClash(f"action {spec.id}: unknown scope {spec.scope}")
            self.specs[spec.id] = spec
        self._check_clashes()

    def _chain(self, scope: str) -> list[str]:
        chain = [scope]
        while (parent := self.scopes[chain[-1]].parent) is not None:
            if parent in chain:
                raise ShortcutClash(f"scope cycle at {parent}")
            chain.append(parent)
        return chain

    def reachable_together(self, a: str, b: str) -> bool:
        """Whether keys of scopes `a` and `b` can both be live at one moment."""
        return a in self._chain(b) or b in self._chain(a)

    def _check_clashes(self) -> None:
        seen: list[tuple[str, ActionSpec]] = []
        for spec in self.specs.values():
            keys = [_normal(k) for k in spec.keys]
            if len(set(keys)) != len(keys):
                raise ShortcutClash(f"{spec.id}: a key listed twice")
            for key in keys:
                for other_key, other in seen:
                    if other_key == key and self.reachable_together(spec.scope, other.scope):
                        raise ShortcutClash(
                            f"{key} is both {other.id} ({other.scope}) and {spec.id} ({spec.scope})"
                        )
                seen.append((key, spec))

    def spec(self, action_id: str) -> ActionSpec:
        return self.specs[action_id]

    def in_scope(self, scope: str) -> list[ActionSpec]:
        return [s for s in self.specs.values() if s.scope == scope]

    def create(
        self, action_id: str, widget: QWidget, slot: Callable[[], object] | None = None
    ) -> QAction:
        """The QAction for `action_id`, added to `widget` (the scope's widget) with the
        scope's shortcut context; `slot` is called when it fires."""
        spec = self.specs[action_id]
        if spec.key_handler:
            raise ShortcutClash(f"{action_id} is read by its widget, not a QAction")
        scope = self.scopes[spec.scope]
        action = QAction(spec.text(), widget)
        action.setObjectName(f"{spec.id}Action")
        action.setProperty("actionId", spec.id)
        action.setShortcuts([QKeySequence(k) for k in spec.keys])
        if scope.parent is None:
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        elif scope.widget_only:
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        else:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        widget.addAction(action)
        return action

    def help_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """(scope label, [(keys, action label)]) for every scope with keyed actions."""
        sections = []
        for scope in self.scopes.values():
            rows = [(s.key_text(), s.text()) for s in self.in_scope(scope.name) if s.keys]
            if rows:
                sections.append((QCoreApplication.translate(CONTEXT, scope.label), rows))
        return sections

    def help_text(self) -> str:
        lines: list[str] = []
        for title, rows in self.help_sections():
            if lines:
                lines.append("")
            lines.append(QCoreApplication.translate("Actions", "【{0}】").format(title))
            lines.extend(f"{keys}  {label}" for keys, label in rows)
        return "\n".join(lines)


def registered_action(obj: QObject) -> str | None:
    """The registry id of a QAction made by `ActionRegistry.create`, else None."""
    value = obj.property("actionId")
    return str(value) if value else None


_SCOPES = (
    Scope("desk", str(QT_TRANSLATE_NOOP("Actions", "工作台（任何位置）"))),
    Scope("intake", str(QT_TRANSLATE_NOOP("Actions", "受理")), parent="desk"),
    Scope("chosenMatters", str(QT_TRANSLATE_NOOP("Actions", "已选事项列表")), "intake", True),
    Scope("checklist", str(QT_TRANSLATE_NOOP("Actions", "材料清单")), parent="intake"),
    Scope("caseList", str(QT_TRANSLATE_NOOP("Actions", "办件")), parent="desk"),
    Scope("supplement", str(QT_TRANSLATE_NOOP("Actions", "补正材料窗口"))),
    Scope("kiosk", str(QT_TRANSLATE_NOOP("Actions", "取号机"))),
)

_SPECS = [
    ActionSpec("help", str(QT_TRANSLATE_NOOP("Actions", "显示/隐藏快捷键说明")), ("F1",), "desk"),
    # The queue's keys work anywhere in the desk window: F2 calls while typing a name.
    ActionSpec("callNext", str(QT_TRANSLATE_NOOP("Actions", "叫号")), ("F2",), "desk"),
    ActionSpec("recall", str(QT_TRANSLATE_NOOP("Actions", "重呼")), ("F3",), "desk"),
    ActionSpec("startService", str(QT_TRANSLATE_NOOP("Actions", "开始办理")), ("F4",), "desk"),
    ActionSpec("noShow", str(QT_TRANSLATE_NOOP("Actions", "过号")), ("F5",), "desk"),
    ActionSpec("transfer", str(QT_TRANSLATE_NOOP("Actions", "转移")), ("F6",), "desk"),
    ActionSpec("endService", str(QT_TRANSLATE_NOOP("Actions", "办结")), ("F7",), "desk"),
    ActionSpec("pause", str(QT_TRANSLATE_NOOP("Actions", "暂停/恢复")), ("F8",), "desk"),
    ActionSpec("callSpecific", str(QT_TRANSLATE_NOOP("Actions", "叫指定号")), ("F9",), "desk"),
    # After the papers: one key ends the service and calls the next applicant.
    ActionSpec(
        "nextApplicant",
        str(QT_TRANSLATE_NOOP("Actions", "下一位（办结并叫号）")),
        ("F12",),
        "desk",
    ),
    ActionSpec("settings", str(QT_TRANSLATE_NOOP("Actions", "大厅设置…")), ("Ctrl+,",), "desk"),
    ActionSpec("closeDay", str(QT_TRANSLATE_NOOP("Actions", "日终关闭排队…")), (), "desk"),
    ActionSpec("printers", str(QT_TRANSLATE_NOOP("Actions", "打印机设置…")), (), "desk"),
    ActionSpec("central", str(QT_TRANSLATE_NOOP("Actions", "中心库设置…")), (), "desk"),
    # The kiosk's ticket printer is set by an administrator with a keyboard.
    ActionSpec(
        "kioskPrinter",
        str(QT_TRANSLATE_NOOP("Actions", "票据打印机设置…")),
        ("Ctrl+Shift+P",),
        "kiosk",
    ),
    ActionSpec("quit", str(QT_TRANSLATE_NOOP("Actions", "退出")), ("Ctrl+Q",), "desk"),
    ActionSpec("about", str(QT_TRANSLATE_NOOP("Actions", "关于 OneWindow")), (), "desk"),
    ActionSpec(
        "saveCase",
        str(QT_TRANSLATE_NOOP("Actions", "保存并打印")),
        ("Ctrl+S", "Ctrl+Return", "Ctrl+Enter"),
        "intake",
    ),
    ActionSpec(
        "saveCasePreview",
        str(QT_TRANSLATE_NOOP("Actions", "保存并预览打印")),
        ("Ctrl+Shift+S",),
        "intake",
    ),
    ActionSpec(
        "printPapers",
        str(QT_TRANSLATE_NOOP("Actions", "打印未打印的文书")),
        ("Ctrl+P",),
        "intake",
    ),
    ActionSpec("focusSearch", str(QT_TRANSLATE_NOOP("Actions", "查找事项")), ("Ctrl+F",), "intake"),
    ActionSpec(
        "toggleCommitment",
        str(QT_TRANSLATE_NOOP("Actions", "申请人已签署容缺承诺书（勾选/取消）")),
        ("Alt+C",),
        "intake",
    ),
    ActionSpec(
        "focusRejectReason",
        str(QT_TRANSLATE_NOOP("Actions", "填写不予受理的原因")),
        ("Alt+R",),
        "intake",
    ),
    ActionSpec(
        "managerOverride",
        str(QT_TRANSLATE_NOOP("Actions", "负责人批准改变决定")),
        ("Alt+O",),
        "intake",
    ),
    ActionSpec("newCase", str(QT_TRANSLATE_NOOP("Actions", "新办件")), ("Ctrl+N",), "intake"),
    ActionSpec(
        "revealNumbers",
        str(QT_TRANSLATE_NOOP("Actions", "显示完整证件号码和电话（将被记录）")),
        ("Ctrl+Shift+I",),
        "intake",
    ),
    ActionSpec(
        "removeMatter",
        str(QT_TRANSLATE_NOOP("Actions", "移除所选事项")),
        ("Delete",),
        "chosenMatters",
    ),
    # F5 is 过号 everywhere in the desk; the case list refreshes on Ctrl+R.
    ActionSpec("refreshCases", str(QT_TRANSLATE_NOOP("Actions", "刷新")), ("Ctrl+R",), "caseList"),
    ActionSpec(
        "handOverCase", str(QT_TRANSLATE_NOOP("Actions", "送达办结")), ("Ctrl+D",), "caseList"
    ),
    ActionSpec(
        "recordSupplement", str(QT_TRANSLATE_NOOP("Actions", "登记补齐")), ("Ctrl+S",), "supplement"
    ),
]

# The checklist reads its status keys itself (ui/checklist_model.py holds them); declared here
# so that no shortcut can take them away from it and F1 lists them.
_SPECS += [
    ActionSpec(
        f"checklist{QKeySequence(k.key).toString()}",
        k.label,
        (QKeySequence(k.key).toString(),),
        "checklist",
        key_handler=True,
        context="ChecklistModel",
    )
    for k in STATUS_KEYS
]
_SPECS += [
    ActionSpec(
        "checklistRestAsRequired",
        str(QT_TRANSLATE_NOOP("Actions", "其余材料全部按要求收齐")),
        ("Shift+Space",),
        "checklist",
        key_handler=True,
    ),
    ActionSpec(
        "checklistMoreCopies",
        str(QT_TRANSLATE_NOOP("Actions", "份数加一")),
        ("+", "="),
        "checklist",
        key_handler=True,
    ),
    ActionSpec(
        "checklistFewerCopies",
        str(QT_TRANSLATE_NOOP("Actions", "份数减一")),
        ("-",),
        "checklist",
        key_handler=True,
    ),
]

ACTIONS = ActionRegistry(_SCOPES, _SPECS)
