"""The central store checks the audit chain of what each desk pushes (app/central/chain.py):
an altered, removed or inserted event is refused with its reason and not applied, and the
desk's later links with it; a replay is a duplicate; a desk that pulled its hall's
configuration (an event of its chain written by the pull) keeps pushing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from ulid import ULID

from app.audit import FIELDS, GENESIS, event_hash, stored_at, verify_store
from app.central import admin, push
from db.central.models import AppliedOp, Credential, DeviceChain, Record
from db.central.store import CentralStore
from tests.central.conftest import HALL, Desk
from tests.central.test_sync import _desk_cred

MakeDesk = Callable[..., Desk]
DEVICE = "01JDEVICE0000000000000000A"
T0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


def _link(ev: dict[str, Any], prev: str) -> dict[str, Any]:
    ev = dict(ev, prev_hash=prev)
    fields = {k: ev[k] for k in FIELDS}
    fields["at"] = stored_at(datetime.fromisoformat(ev["at"]))
    ev["hash"] = event_hash(fields)
    return ev


def _event(seq: int, at: datetime, event_id: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "id": event_id or str(ULID.from_datetime(at)),
        "at": at.isoformat(),
        "entity": "ticket",
        "entity_id": f"T{seq}",
        "kind": "ticket.issued",
        "data": {"number": f"A{seq:03d}"},
        "clerk_id": None,
        "window_number": 1,
        "device_id": DEVICE,
        "seq": seq,
        "prev_hash": None,
        "hash": None,
        **extra,
    }


def chain(n: int) -> list[dict[str, Any]]:
    """A desk's first `n` links, a second apart."""
    return relink([_event(i + 1, T0 + timedelta(seconds=i)) for i in range(n)], 0)


def relink(events: list[dict[str, Any]], start: int) -> list[dict[str, Any]]:
    """Hash the links again from `start` on (what someone rewriting the chain would do)."""
    out = list(events)
    prev = GENESIS if start == 0 else out[start - 1]["hash"]
    for i in range(start, len(out)):
        out[i] = _link(dict(out[i], seq=i + 1), prev)
        prev = out[i]["hash"]
    return out


def ops(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"op_id": e["id"], "event": e, "state": None} for e in events]


@pytest.fixture
def cred(store: CentralStore) -> Credential:
    return _desk_cred(store, admin.add_desk(store, HALL, 1).token)


def _results(store: CentralStore, cred: Credential, events: list[dict[str, Any]]) -> list[str]:
    return [
        r["result"] + (f": {r['reason']}" if "reason" in r else "")
        for r in push.apply_batch(store, cred, ops(events))
    ]


def _applied_ids(store: CentralStore) -> set[str]:
    with store.session() as s:
        return set(s.scalars(select(AppliedOp.op_id)))


def _altered(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    events[3] = dict(events[3], data={"number": "A999"})  # hash left as it was
    return events[3:]


def _altered_rehashed(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    events[3] = _link(dict(events[3], data={"number": "A999"}), events[2]["hash"])
    return events[3:]


def _removed(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return events[4:]  # seq 4 never comes


def _inserted_after_push(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Seq 1-6 went to the store; then an event is slipped in at seq 3 and the tail rewritten
    (new ids for the moved links: an event's id is fixed once pushed)."""
    forged = _event(3, T0 + timedelta(seconds=2, milliseconds=500))
    tail = [
        dict(e, id=str(ULID.from_datetime(T0 + timedelta(seconds=10 + i))))
        for i, e in enumerate(events[2:])
    ]
    return relink([*events[:2], forged, *tail], 2)[2:]


@pytest.mark.parametrize(
    ("tamper", "pushed_first", "expected"),
    [
        (_altered, 3, ["altered: its hash is not its content's", "follows", "follows"]),
        (_altered_rehashed, 3, ["applied", "does not follow seq 4", "follows"]),
        (_removed, 3, ["seq 4 to 4 removed", "follows"]),
        (
            _inserted_after_push,
            6,
            [
                "seq 3 was accepted",
                "seq 4 was accepted",
                "seq 5 was accepted",
                "seq 6 was accepted",
                "does not follow",
            ],
        ),
    ],
)
def test_a_broken_chain_is_refused_and_not_applied(
    store: CentralStore,
    cred: Credential,
    tamper: Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
    pushed_first: int,
    expected: list[str],
) -> None:
    events = chain(6)
    assert _results(store, cred, events[:pushed_first]) == ["applied"] * pushed_first
    before = _applied_ids(store)
    results = _results(store, cred, tamper(list(events)))
    assert len(results) == len(expected)
    for got, want in zip(results, expected, strict=True):
        assert want in got, (got, want)
        if want != "applied":
            assert got.startswith("rejected: chain:")
    refused = {
        e["id"]
        for e, r in zip(tamper(list(events)), results, strict=True)
        if r.startswith("rejected")
    }
    assert not refused & _applied_ids(store)  # nothing of a refused event applied
    with store.session() as s:
        records = set(s.scalars(select(Record.entity_id).where(Record.entity == "event")))
    assert not refused & records
    assert len(_applied_ids(store) - before) == results.count("applied")


def test_a_replay_is_a_duplicate_and_the_chain_goes_on(
    store: CentralStore, cred: Credential
) -> None:
    events = chain(5)
    assert _results(store, cred, events[:3]) == ["applied"] * 3
    assert _results(store, cred, events[:3]) == ["duplicate"] * 3
    assert _results(store, cred, events[2:]) == ["duplicate", "applied", "applied"]
    with store.session() as s:
        kept = s.get(DeviceChain, (HALL, DEVICE))
        assert kept is not None and (kept.seq, kept.hash) == (5, events[4]["hash"])


def test_links_of_one_millisecond_in_two_batches_are_held_not_refused(
    store: CentralStore, cred: Credential
) -> None:
    """Ids order events to the millisecond: seq 4 may sort after seq 5 and miss 5's batch;
    the desk's later links then wait with 5 until the next round sends them again."""
    events = chain(3)
    at = T0 + timedelta(seconds=30)
    prefix = str(ULID.from_datetime(at))[:10]  # two ids of one millisecond,
    a, b = prefix + "8" * 16, prefix + "1" * 16  # the later link's sorting first
    four, five = _event(4, at, event_id=a), _event(5, at, event_id=b)
    later = [_event(6 + i, at + timedelta(seconds=1 + i)) for i in range(2)]
    events = relink([*events, four, five, *later], 3)
    four, five, six, seven = events[3:]
    assert _results(store, cred, [*events[:3], five]) == ["applied"] * 3 + [
        "held: chain: waits for seq 4"
    ]
    assert five["id"] not in _applied_ids(store)
    # The round's next batch: 4, then 6 and 7, which wait for the held 5.
    assert _results(store, cred, [four, six, seven]) == [
        "applied",
        "held: chain: waits for seq 5",
        "held: chain: waits for seq 5; seq 7 follows it",
    ]
    # The next round sends what was held, in id order.
    assert _results(store, cred, [five, six, seven]) == ["applied"] * 3
    with store.session() as s:
        kept = s.get(DeviceChain, (HALL, DEVICE))
        assert kept is not None and (kept.seq, kept.held_from) == (7, None)


def test_events_from_before_the_chain_are_accepted_only_before_it(
    store: CentralStore, cred: Credential
) -> None:
    legacy = [dict(_event(0, T0 - timedelta(days=1, seconds=-i)), seq=None) for i in range(2)]
    events = chain(2)
    assert _results(store, cred, [*legacy, *events]) == ["applied"] * 4
    late = dict(_event(0, T0 + timedelta(seconds=40)), seq=None)
    assert _results(store, cred, [late]) == [
        f"rejected: chain: event {late['id']} has no place in the desk's chain (inserted)"
    ]


def test_a_desk_that_pushed_before_the_check_is_taken_up_where_it_is(
    store: CentralStore, cred: Credential
) -> None:
    events = chain(12)
    with store.write() as s:  # pushed by the release before the store kept chains
        s.add(
            AppliedOp(
                hall_id=HALL,
                op_id="01JOLD00000000000000000000",
                event_hash="0" * 64,
                device_id=DEVICE,
                window_number=1,
            )
        )
    assert _results(store, cred, events[9:]) == ["applied"] * 3
    assert _results(store, cred, [events[8]])[0].startswith("rejected: chain:")
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(DeviceChain)) == 1


def test_a_desk_that_pulled_its_hall_configuration_keeps_pushing(make_desk: MakeDesk) -> None:
    desk = make_desk(1)
    desk.issue(2)
    first = desk.sync()
    assert first.rejected == 0 and first.pulled >= 1  # type: ignore[attr-defined]
    desk.issue(2)
    second = desk.sync()
    assert second.rejected == 0 and second.pushed == 2  # type: ignore[attr-defined]
    assert desk.outbox() == 0 and verify_store(desk.database).ok


def test_a_desk_whose_unpushed_event_was_altered_is_refused_through_sync(
    make_desk: MakeDesk,
) -> None:
    from sqlalchemy import text

    from db.models.sync import Outbox, RejectedOperation

    desk = make_desk(1)
    desk.issue(1)
    desk.sync()
    desk.issue(2)
    with desk.database.write() as s:  # someone with the file: triggers off, a decision rewritten
        first = s.scalar(select(Outbox.op_id).order_by(Outbox.op_id))
        s.execute(text("DROP TRIGGER event_no_update"))
        s.execute(
            text("UPDATE event SET data = :d WHERE id = :i"), {"d": '{"forged":1}', "i": first}
        )
    report = desk.sync()
    assert report.rejected == 2 and report.pushed == 0  # type: ignore[attr-defined]
    with desk.database.read() as s:
        reasons = [r.reason for r in s.scalars(select(RejectedOperation))]
    assert len(reasons) == 2 and all(r.startswith("chain:") for r in reasons)
    assert "altered" in reasons[0] or "altered" in reasons[1]


@pytest.mark.parametrize("seq", [0, -1, 2**70, True, "3", 2.5])
def test_a_link_with_a_bad_seq_is_refused(store: CentralStore, cred: Credential, seq: Any) -> None:
    event = dict(chain(1)[0], seq=seq)
    assert _results(store, cred, [event]) == ["rejected: chain: seq is not a positive number"]
    assert _applied_ids(store) == set()
