"""A stateful property test (hypothesis): desks issue tickets offline and sync through random
faults (request dropped, reply lost after the store committed, a 500); once quiet, every
desk's outbox is empty, nothing was rejected, the store holds exactly the tickets the desks
issued, and every desk holds every ticket."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import httpx
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlalchemy import func, select

from app.central import admin
from app.queue.backend import LocalQueue
from app.sync.client import CentralUnreachable
from app.sync.engine import sync_once
from db.central.models import Record
from db.central.store import open_central
from db.models.queue import Ticket
from db.models.sync import Outbox, RejectedOperation
from tests.central.conftest import HALL, HALL_FILE, Desk, LiveServer

FAULTS = ("none", "drop", "lose_reply", "error_500")
_names = itertools.count()


class Faulty(httpx.HTTPTransport):
    def __init__(self) -> None:
        super().__init__()
        self.fault = "none"

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        fault, self.fault = self.fault, "none"  # one fault per sync round at most
        if fault == "drop":
            raise httpx.ConnectError("refused", request=request)
        if fault == "error_500":
            return httpx.Response(500, request=request)
        response = super().handle_request(request)
        response.read()
        if fault == "lose_reply":
            raise httpx.ReadError("reply lost", request=request)
        return response


class SyncMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="onewindow-prop-"))
        self.store = open_central(str(self.tmp / "central.sqlite3"))
        admin.add_hall(self.store, HALL_FILE)
        self.server = LiveServer(self.store).__enter__()
        self.transports = [Faulty(), Faulty()]
        self.desks = []
        for window, transport in zip((1, 2), self.transports, strict=True):
            token = admin.add_desk(self.store, HALL, window).token
            desk = Desk(self.tmp / f"d{next(_names)}.sqlite3", self.server.url, token, transport)
            desk.client._attempts = 1  # every fault reaches the sync round
            desk.sign_in(window)
            desk.queue = LocalQueue(desk.database, offline=True)
            self.desks.append(desk)
        self.issued: set[str] = set()

    @rule(desk=st.integers(0, 1), n=st.integers(1, 3))
    def issue(self, desk: int, n: int) -> None:
        self.issued |= set(self.desks[desk].issue(n))

    @rule(desk=st.integers(0, 1), fault=st.sampled_from(FAULTS))
    def sync(self, desk: int, fault: str) -> None:
        self.transports[desk].fault = fault
        try:
            sync_once(self.desks[desk].database, self.desks[desk].client)
        except CentralUnreachable:
            assert fault != "none"

    @invariant()
    def the_store_never_holds_a_ticket_nobody_issued(self) -> None:
        with self.store.session() as s:
            held = set(
                s.scalars(
                    select(Record.entity_id).where(
                        Record.hall_id == HALL, Record.entity == "ticket"
                    )
                )
            )
        assert held <= self.issued

    def teardown(self) -> None:
        try:
            for _ in range(2):  # quiet: every desk syncs twice without faults
                for desk in self.desks:
                    sync_once(desk.database, desk.client)
            with self.store.session() as s:
                held = set(
                    s.scalars(
                        select(Record.entity_id).where(
                            Record.hall_id == HALL, Record.entity == "ticket"
                        )
                    )
                )
            assert held == self.issued
            for desk in self.desks:
                with desk.database.read() as s:
                    assert s.scalar(select(func.count()).select_from(Outbox)) == 0
                    assert s.scalar(select(func.count()).select_from(RejectedOperation)) == 0
                    assert set(s.scalars(select(Ticket.id))) == self.issued
        finally:
            for desk in self.desks:
                desk.close()
            self.server.__exit__(None, None, None)
            self.store.close()


SyncMachine.TestCase.settings = settings(
    max_examples=6,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_desks_and_store_agree_once_quiet = SyncMachine.TestCase
