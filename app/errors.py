"""Errors that carry a message for the person at the desk (or the shell)."""

from __future__ import annotations

from app.messages import MESSAGES, PROBLEM_SEPARATOR, Message, Param


class UserError(Exception):
    """Bad input or a refused action; nothing was changed.

    Raised with a code from app.messages and its parameters, `UserError("queue.no_ticket")`,
    `UserError("case.not_found", case=no)`, or with one or more Messages already made (several
    problems at once). `str(exc)` is the Chinese line (for the command line and the logs);
    `messages` are what a UI translates (ui/messages.py).

    A text that is not a code (only the catalogue and hall FILE checks still raise those) is
    kept as it is, with no messages."""

    messages: tuple[Message, ...]

    def __init__(self, code: str | Message, /, *more: Message, **params: Param) -> None:
        if isinstance(code, Message):
            if params:
                raise TypeError("parameters go with a code, not with a Message")
            self.messages = (code, *more)
        elif code in MESSAGES:
            if more:
                raise TypeError("one code, or several Messages")
            self.messages = (Message(code, **params),)
        else:
            if more or params:
                raise TypeError(f"unknown message code {code!r}")
            self.messages = ()
            super().__init__(code)
            return
        super().__init__(PROBLEM_SEPARATOR.join(self.messages))

    @property
    def code(self) -> str | None:
        """The code of the (first) message, None for a plain text."""
        return self.messages[0].code if self.messages else None
