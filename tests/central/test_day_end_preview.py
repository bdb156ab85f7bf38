"""A connected desk's day-end preview is the store's view of every window (another desk's
tickets this desk never pulled included), plus its own offline tickets the store does not hold
yet; with the store unreachable, the desk's own view (app.central.day_end_view)."""

from __future__ import annotations

from collections.abc import Callable

from app.bench.postgres import free_port
from app.central import admin
from app.queue.day_end import InService
from app.queue.http_backend import HttpQueueBackend
from app.sync.client import CentralClient
from db.central.store import CentralStore
from db.ids import new_id
from tests.central.conftest import Desk


def test_the_day_end_preview_shows_every_window_from_the_store(
    make_desk: Callable[..., Desk], store: CentralStore
) -> None:
    one, two = make_desk(1), make_desk(2)
    q1, q2 = HttpQueueBackend(one.database, one.client), HttpQueueBackend(two.database, two.client)
    served = q2.issue_ticket(two.ctx, "QY")
    q2.issue_ticket(two.ctx, "QY")
    q2.issue_ticket(two.ctx, "BDC")
    q2.call_next(two.ctx, new_id())
    q2.start_service(two.ctx, served.id)  # window 2 serves A001; desk 1 never pulled it
    called = q1.call_next(one.ctx, new_id()).ticket  # window 1 calls A002
    assert called is not None
    unreachable = HttpQueueBackend(
        one.database, CentralClient(f"http://127.0.0.1:{free_port()}", one.token, attempts=1)
    )
    offline = unreachable.issue_ticket(one.ctx, "QY")  # desk 1's, not pushed yet
    assert offline.offline
    own = unreachable.day_end_preview()  # the desk's own copy: window 2 unseen
    assert own.serving == () and (own.waiting, own.called) == (1, 1)

    preview = q1.day_end_preview()
    assert preview.serving == (InService(2, "A001"),)
    assert preview.called == 1  # A002 at window 1
    assert preview.waiting == 2  # B001 from desk 2, and desk 1's offline A1-001
    one.sync()  # pushed: the store counts the offline ticket itself, once
    again = q1.day_end_preview()
    assert (again.waiting, again.called, again.serving) == (2, 1, (InService(2, "A001"),))
    # A store that refuses the view (here the token was revoked): the desk's own view.
    admin.revoke(store, one.token)
    assert q1.day_end_preview() == unreachable.day_end_preview()  # no refusal shown
