"""Who looked up whose ID number: a search of cases by an ID number (or by part of one, six
digits or more) is an event, chained and pushed like every other (app/services/changes.py).
Reading a paper again (a reprint) is recorded by app/services/documents.py."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from app.audit import chain
from app.services.changes import DeskContext, device_id, event_data
from db.base import utcnow
from db.ids import new_id
from db.models.sync import Event, Outbox

#: A case number (20 digits) is not personal data; six or more digits (X last) of anything
#: else can be part of an ID number or a phone number.
_ID_LIKE = re.compile(r"^(?:\d{6,19}|\d{17}[\dX]|[0-9A-Z]{18})$")

SEARCH_KIND = "id_number.searched"


def is_id_query(query: str) -> bool:
    q = "".join(query.split()).upper()
    return bool(_ID_LIKE.match(q)) and not (len(q) == 20 and q.isdigit())


def record_id_search(session: Session, ctx: DeskContext, query: str, where: str) -> Event | None:
    """Record that this desk's clerk searched cases for `query` (in `where`: "case_list",
    "supplement"), if it is an ID number or part of one; None (nothing written) otherwise."""
    if not is_id_query(query):
        return None
    device = device_id(session)
    ev = Event(
        id=new_id(),
        at=utcnow(),
        entity="access",
        entity_id=device,
        kind=SEARCH_KIND,
        window_number=ctx.window_number,
        clerk_id=ctx.clerk_id,
        device_id=device,
        data=event_data(ctx, {"query": "".join(query.split()).upper(), "where": where}),
    )
    session.flush()
    chain(session, ev)
    session.add(ev)
    session.add(Outbox(op_id=ev.id))
    return ev
