"""Searches by ID number recorded as events (app/access_log.py), on the database's worker."""

from __future__ import annotations

from app.access_log import is_id_query, record_id_search
from app.services.changes import DeskContext
from ui.operations import Operations


class SearchRecorder:
    """Records each ID-number search once (the same query again, as a refresh, is not a new
    search)."""

    def __init__(self, ops: Operations, ctx: DeskContext, where: str) -> None:
        self.ops, self.ctx, self.where = ops, ctx, where
        self._last = ""

    def searched(self, query: str) -> None:
        if not is_id_query(query) or query == self._last:
            return
        self._last = query
        ctx, where = self.ctx, self.where
        self.ops.write(lambda s: record_id_search(s, ctx, query, where), changes=())
