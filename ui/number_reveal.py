"""The open case's reveal of a returning applicant's full ID and phone numbers: a deliberate
action (the form's button, or Ctrl+Shift+I), recorded through the core (app/reveal.py) on the
database's worker before the numbers are shown."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from app.reveal import reveal_numbers
from app.services.applicant import ApplicantData
from app.services.changes import DeskContext
from ui.actions import ACTIONS
from ui.applicant_form import ApplicantForm
from ui.operations import Operations


class NumberReveal(QObject):
    """Holds which stored case the form's masked numbers are from."""

    def __init__(
        self,
        form: ApplicantForm,
        ops: Operations,
        ctx: Callable[[], DeskContext],
        panel: QWidget,
    ) -> None:
        """`ctx`: who is signed in at the panel when the reveal is asked for."""
        super().__init__(panel)
        self.form, self.ops, self.ctx = form, ops, ctx
        self.case_id: str | None = None
        self.action = ACTIONS.create("revealNumbers", panel, self.reveal)
        form.reveal_button.clicked.connect(self.reveal)

    def hold(self, case_id: str, applicant: ApplicantData) -> None:
        """Fill the form with a stored case's applicant, the numbers masked."""
        self.form.set_applicant(applicant)
        self.form.mask_numbers()
        self.case_id = case_id if self.form.masked else None

    def reveal(self) -> None:
        case_id, ctx = self.case_id, self.ctx()
        if case_id is None or not self.form.masked:
            return  # nothing masked: nothing to reveal, nothing recorded

        def shown(applicant: ApplicantData) -> None:
            if self.case_id == case_id and self.form.masked:
                self.form.show_numbers(applicant)
            self.case_id = None

        self.ops.write(lambda s: reveal_numbers(s, ctx, case_id), shown, changes=(), owner=self)
