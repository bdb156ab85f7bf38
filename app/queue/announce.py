"""What the hall hears and reads when a ticket is called. The core writes the sentence; the
display only shows and speaks it."""

from __future__ import annotations

from app.messages import Message
from app.queue.views import TicketView

_DIGITS = "零一二三四五六七八九"


def _number_of(ticket: TicketView | str) -> str:
    return ticket if isinstance(ticket, str) else ticket.number


def announcement_text(ticket: TicketView | str, window: int) -> Message:
    """The sentence shown and announced: 请A012号到3号窗口办理."""
    return Message("queue.announcement", number=_number_of(ticket), window=window)


def spoken_number(number: str) -> str:
    """A ticket number as it should be read aloud: digit by digit, so a speech engine says
    "A零一二" and not "A十二"; the hyphen of an offline number is read as 杠."""
    out = []
    for ch in number:
        if ch.isdigit():
            out.append(_DIGITS[int(ch)])
        elif ch == "-":
            out.append("杠")
        else:
            out.append(ch)
    return "".join(out)


def spoken_text(ticket: TicketView | str, window: int) -> str:
    """The announcement as handed to the speech engine."""
    return f"请{spoken_number(_number_of(ticket))}号到{window}号窗口办理"
