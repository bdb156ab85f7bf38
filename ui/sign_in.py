"""Sign-in on the desk: the dialog at start (unless `--clerk` is given, for tests and the demo,
which the window then says: 演示模式), and the lock after a time without input, which keeps
whatever is on the desk (a half-entered case) and opens again with the same person's
credential. The checks are the core's (app.accounts), run on the database's worker."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from app.accounts import (
    MANAGER_ROLES,
    Policy,
    SignedIn,
    idle_lock_minutes,
    policy_from_env,
    sign_in,
    sign_in_at_desk,
)
from app.services.changes import DeskContext
from app.startup import DeskSetup
from db.engine import Database
from ui.messages import describe
from ui.operations import operations_for

# The events that count as someone at the desk.
_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class _CredentialDialog(QDialog):
    """Staff number and password or PIN; the check runs on the worker. `ok` is called with
    the check's result once it passed."""

    def __init__(
        self,
        database: Database,
        check: Callable[[str, str], object],
        title: str,
        parent: QWidget | None = None,
        *,
        clerk_id: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = operations_for(database)
        self._check = check
        self.result_value: object = None
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        # Said in the dialog too: a title bar as narrow as the dialog cuts it (the lock's).
        self.prompt = QLabel(title, self)
        self.prompt.setObjectName("signInPrompt")
        self.prompt.setWordWrap(True)
        self.prompt.setStyleSheet("font-weight: bold;")
        self.clerk_edit = QLineEdit(self)
        self.clerk_edit.setObjectName("signInClerk")
        self.clerk_edit.setAccessibleName(self.tr("工号"))
        if clerk_id is not None:  # the lock: the same person only
            self.clerk_edit.setText(clerk_id)
            self.clerk_edit.setReadOnly(True)
        self.secret_edit = QLineEdit(self)
        self.secret_edit.setObjectName("signInSecret")
        self.secret_edit.setAccessibleName(self.tr("密码或PIN"))
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(self)
        self.message.setObjectName("signInMessage")
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("工号"), self.clerk_edit)
        form.addRow(self.tr("密码或PIN"), self.secret_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("signInOk")
        self.ok_button.setText(self.tr("登录"))
        self.ok_button.setAccessibleName(self.tr("登录"))
        buttons.accepted.connect(self.try_sign_in)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        (self.secret_edit if clerk_id is not None else self.clerk_edit).setFocus()
        # Room for a refusal's line (some name the command to run) in a few lines.
        # 26 Chinese characters wide (a character is about as wide as the font is high).
        self.setMinimumWidth(self.fontMetrics().height() * 26)

    def say(self, text: str) -> None:
        """A line under the fields; the dialog grows to show it whole (a shown dialog does
        not grow for a word-wrapped label by itself: it was cut, over the fields)."""
        self.message.setText(text)
        self.adjustSize()

    def try_sign_in(self) -> None:
        clerk, secret = self.clerk_edit.text().strip(), self.secret_edit.text()
        if not clerk or not secret:
            self.say(self.tr("请输入工号和密码或PIN"))
            # Enter after the staff number goes on to the password, as a clerk expects.
            (self.clerk_edit if not clerk else self.secret_edit).setFocus()
            return
        self.ok_button.setEnabled(False)
        check = self._check
        self.ops.run(
            lambda: check(clerk, secret), self._passed, on_failed=self._refused, owner=self
        )

    def _passed(self, value: object) -> None:
        self.ok_button.setEnabled(True)
        self.secret_edit.clear()
        self.result_value = value
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self.secret_edit.clear()
        self.secret_edit.setFocus()
        self.say(describe(exc))

    def reject(self) -> None:
        """Escape does not close the lock; the sign-in's close quits the start."""
        if self.clerk_edit.isReadOnly():
            return
        super().reject()


class SignInDialog(_CredentialDialog):
    """At start: who sits at this window. `ctx` after it was accepted."""

    def __init__(
        self,
        database: Database,
        window_number: int | None,
        parent: QWidget | None = None,
        *,
        policy: Policy | None = None,
    ) -> None:
        chosen = policy or policy_from_env()
        super().__init__(
            database,
            lambda clerk, secret: sign_in_at_desk(
                database, window_number, clerk, secret, policy=chosen
            ),
            QApplication.translate("SignIn", "登录工作台"),
            parent,
        )
        self.setObjectName("signInDialog")

    @property
    def ctx(self) -> DeskContext:
        assert isinstance(self.result_value, DeskContext)
        return self.result_value


class ManagerSignInDialog(_CredentialDialog):
    """`python -m app manager` on a desk with accounts and no `--user`: the desk's sign-in
    (failures counted, the lock included), for a manager or an administrator; anyone else
    is refused in the dialog, by the core (app.accounts.sign_in's roles)."""

    def __init__(
        self, database: Database, parent: QWidget | None = None, *, policy: Policy | None = None
    ) -> None:
        chosen = policy or policy_from_env()
        super().__init__(
            database,
            lambda clerk, secret: sign_in(
                database, clerk, secret, policy=chosen, roles=MANAGER_ROLES
            ),
            QApplication.translate("SignIn", "登录大厅管理"),
            parent,
        )
        self.setObjectName("managerSignInDialog")

    @property
    def who(self) -> SignedIn:
        assert isinstance(self.result_value, SignedIn)
        return self.result_value


def manager_sign_in_at_start(setup: DeskSetup) -> DeskSetup | None:
    """Before the manager's window: the setup with the manager who signed in, the setup as it
    is on a desk with no account yet (its installer's), or None when the dialog was closed."""
    from app.accounts import has_accounts

    with setup.database.read() as s:
        if not has_accounts(s):
            return setup
    dialog = ManagerSignInDialog(setup.database)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dataclasses.replace(setup, ctx=DeskContext(setup.ctx.window_number, dialog.who.clerk_id))


class IdleLock(QObject):
    """Locks `window` after `minutes` without input (0: never): a modal dialog over it that
    only the signed-in person's credential closes. The desk's widgets stay as they were."""

    def __init__(
        self,
        window: QMainWindow,
        database: Database,
        ctx: DeskContext,
        minutes: int,
        *,
        policy: Policy | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.database = database
        self.ctx = ctx
        self.policy = policy or policy_from_env()
        self.dialog: _CredentialDialog | None = None
        self.timer = QTimer(self)
        self.timer.setObjectName("idleLockTimer")
        self.timer.setSingleShot(True)
        self.timer.setInterval(minutes * 60_000)
        self.timer.timeout.connect(self.lock)
        if minutes > 0 and ctx.clerk_id:
            app = QApplication.instance()
            if app is not None:
                app.installEventFilter(self)
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self.dialog is None and self.timer.interval():
            self.timer.start()  # restarts
        return False

    def lock(self) -> None:
        if self.dialog is not None or not self.ctx.clerk_id:
            return
        clerk, database, policy = self.ctx.clerk_id, self.database, self.policy
        dialog = _CredentialDialog(
            database,
            lambda _clerk, secret: sign_in(database, clerk, secret, policy=policy),
            self.tr("工作台已锁定：请本人输入密码或PIN"),
            self.window,
            clerk_id=clerk,
        )
        dialog.setObjectName("lockDialog")
        dialog.setModal(True)
        dialog.accepted.connect(self._unlocked)
        self.dialog = dialog
        dialog.open()

    def _unlocked(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None
        if self.timer.interval():
            self.timer.start()


def mark_demo(window: QMainWindow) -> QLabel:
    """`--clerk` (tests and the demo): nobody signed in, and the window says so, in its title
    (kept when the desk renames it) and in the status bar."""
    text = QApplication.translate("SignIn", "演示模式")
    label = QLabel(text, window)
    label.setObjectName("demoModeLabel")
    label.setStyleSheet("color: #b3261e; font-weight: bold;")
    window.statusBar().addPermanentWidget(label)

    def keep(title: str) -> None:
        if not title.endswith(f" [{text}]"):
            window.setWindowTitle(f"{title} [{text}]")

    window.windowTitleChanged.connect(keep)
    keep(window.windowTitle())
    return label


def sign_in_at_start(setup: DeskSetup) -> DeskSetup | None:
    """The sign-in dialog before the desk opens: the setup with the person who signed in, or
    None when the dialog was closed (the desk does not open)."""
    dialog = SignInDialog(setup.database, setup.ctx.window_number)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dataclasses.replace(setup, ctx=dialog.ctx)


def guard(window: QMainWindow, setup: DeskSetup, *, demo: bool) -> QObject:
    """The demo's mark (`--clerk`), or the idle lock for a signed-in person."""
    if demo:
        return mark_demo(window)
    return IdleLock(window, setup.database, setup.ctx, idle_lock_minutes())
