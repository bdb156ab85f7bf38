"""Call next on the central store applies the hall's priority policy, as the desk's own
queue does (app/queue/calling.py): the window's lines in order of preference, priority and
appointment tickets first, or one of them after every N normal calls of a line."""

from __future__ import annotations

import json
from pathlib import Path

from app.central import admin, shared_queue
from db.central.models import Credential
from db.central.store import CentralStore
from db.ids import new_id
from tests.central.conftest import HALL_FILE

CODE = "220800-004"


def _hall(store: CentralStore, tmp_path: Path, policy: str, every_n: int = 2) -> Credential:
    data = json.loads(HALL_FILE.read_text(encoding="utf-8"))
    data["code"] = CODE
    data["hall"]["priority_policy"] = policy
    data["hall"]["priority_every_n"] = every_n
    data["windows"] = [{"number": 1, "name": "窗口 1", "lines": ["SB", "QY"]}]
    path = tmp_path / f"{policy}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    admin.add_hall(store, path)
    token = admin.add_desk(store, CODE, 1).token
    with store.session() as s:
        cred = admin.authenticate(s, token)
    assert cred is not None
    return cred


def _issue(store: CentralStore, cred: Credential, line: str, kind: str) -> str:
    return str(shared_queue.issue(store, cred, new_id(), line, kind)["number"])


def _calls(store: CentralStore, cred: Credential, n: int) -> list[str | None]:
    out: list[str | None] = []
    for _ in range(n):
        ticket, _replayed = shared_queue.call_next(store, cred, new_id())
        out.append(None if ticket is None else ticket["number"])
    return out


def test_priority_first_and_the_windows_preferred_line(store: CentralStore, tmp_path: Path) -> None:
    cred = _hall(store, tmp_path, "priority_first")
    a1 = _issue(store, cred, "QY", "normal")  # the window prefers SB: QY waits
    c1 = _issue(store, cred, "SB", "normal")
    c2 = _issue(store, cred, "SB", "priority")
    c3 = _issue(store, cred, "SB", "appointment")
    c4 = _issue(store, cred, "SB", "normal")
    assert _calls(store, cred, 6) == [c2, c3, c1, c4, a1, None]


def test_every_n_calls_one_priority_after_n_normal(store: CentralStore, tmp_path: Path) -> None:
    cred = _hall(store, tmp_path, "every_n", every_n=2)
    normal = [_issue(store, cred, "SB", "normal") for _ in range(5)]
    urgent = [_issue(store, cred, "SB", "priority") for _ in range(2)]
    assert _calls(store, cred, 7) == [
        normal[0],
        normal[1],
        urgent[0],
        normal[2],
        normal[3],
        urgent[1],
        normal[4],
    ]
