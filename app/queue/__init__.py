"""Queue calling (排队叫号): tickets, window actions, the hall display's figures. Qt-free."""

from app.queue.announce import announcement_text, spoken_text
from app.queue.backend import LocalQueue, QueueBackend
from app.queue.views import (
    AnnouncedCall,
    CallResult,
    LineInfo,
    LineWaiting,
    TicketView,
    WaitingCounts,
    WindowState,
)
from app.queue.visits import link_case, visits_per_case

__all__ = [
    "AnnouncedCall",
    "CallResult",
    "LineInfo",
    "LineWaiting",
    "LocalQueue",
    "QueueBackend",
    "TicketView",
    "WaitingCounts",
    "WindowState",
    "announcement_text",
    "link_case",
    "spoken_text",
    "visits_per_case",
]
