"""Administration of the central store: halls, desk and manager tokens, catalogue versions,
and the per-hall status. Each function takes the opened store and changes it in one
transaction, or refuses with a CentralError and changes nothing."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.central import cache, feed
from app.central.errors import CentralError
from app.central.tokens import new_token, split_token, token_hash
from db.base import utcnow
from db.central.models import HALL_CODE_PATTERN, Catalogue, Credential, Hall, Record
from db.central.store import CentralStore
from db.ids import new_id

#: Kinds of record `central status` counts, with their names.
STATUS_KINDS = (("ticket", "取号"), ("case", "办件"), ("document", "材料"), ("event", "事件"))


def read_hall_file(path: Path) -> tuple[str, dict[str, Any]]:
    """The hall's code and its file's content, checked the way the desk checks it."""
    from app import jsonfile
    from app.errors import UserError
    from app.services.hall import parse_config

    try:
        _raw, data = jsonfile.load(path)
        cfg = parse_config(data)
    except UserError as exc:
        raise CentralError("hall.bad_file", why=str(exc)) from exc
    code = data.get("code")
    if not isinstance(code, str):
        raise CentralError("hall.no_code")
    if not re.match(HALL_CODE_PATTERN, code):
        raise CentralError("hall.bad_code", code=code)
    if not code.startswith(cfg.hall.division_code + "-"):
        raise CentralError("hall.code_division", code=code, division=cfg.hall.division_code)
    return code, data


def hall_windows(config: Mapping[str, Any]) -> set[int]:
    return {int(w["number"]) for w in config.get("windows", [])}


def add_hall(store: CentralStore, path: Path) -> tuple[str, bool]:
    """Add or update the hall from its file: (code, created). The hall's configuration is in
    its pull feed (entity "hall_config")."""
    code, data = read_hall_file(path)
    with store.write() as s:
        hall = s.get(Hall, code)
        created = hall is None
        if hall is None:
            hall = Hall(id=code, name=data["hall"]["name"], config=data)
            s.add(hall)
        else:
            hall.name = data["hall"]["name"]
            hall.config = data
            hall.updated_at = utcnow()
        s.flush()
        feed.put_records(s, store, code, [("hall_config", code, data, None, None)])
    cache.clear()
    return code, created


def _hall(s: Session, code: str) -> Hall:
    hall = s.get(Hall, code)
    if hall is None:
        raise CentralError("hall.unknown", code=code)
    return hall


@dataclasses.dataclass(frozen=True)
class Issued:
    credential_id: str
    token: str


def add_desk(store: CentralStore, hall_code: str, window: int) -> Issued:
    """A token for the desk at `window`; refused while another desk holds that window."""
    token = new_token(hall_code)
    with store.write() as s:
        hall = _hall(s, hall_code)
        if window not in hall_windows(hall.config):
            raise CentralError("desk.bad_window", window=window, code=hall_code)
        taken = s.scalar(
            select(Credential.id).where(
                Credential.hall_id == hall_code,
                Credential.role == "desk",
                Credential.window_number == window,
                Credential.revoked_at.is_(None),
            )
        )
        if taken is not None:
            raise CentralError("desk.window_taken", code=hall_code, window=window)
        cred = Credential(
            hall_id=hall_code,
            id=new_id(),
            role="desk",
            window_number=window,
            token_hash=token_hash(token),
        )
        s.add(cred)
        try:
            s.flush()
        except IntegrityError as exc:  # another add-desk won the race for the window
            raise CentralError("desk.window_taken", code=hall_code, window=window) from exc
    return Issued(cred.id, token)


def add_manager(store: CentralStore, hall_code: str, role: str = "manager") -> Issued:
    token = new_token(hall_code)
    with store.write() as s:
        _hall(s, hall_code)
        cred = Credential(hall_id=hall_code, id=new_id(), role=role, token_hash=token_hash(token))
        s.add(cred)
    return Issued(cred.id, token)


#: Kiosk numbers (a kiosk's offline number space "AK2-001"): 1 to MAX_KIOSK.
MAX_KIOSK = 999


def add_display(store: CentralStore, hall_code: str, kiosk: int | None = None) -> Issued:
    """A token for the hall's screens and kiosks on other machines: it reads the hall's board
    and issues tickets into the shared queue, nothing else (no call, no push, no KPIs).

    With `kiosk` N the token is a kiosk's: it also carries its offline number space
    ("AK2-001", distinct from every window's "A2-001" and the store's "A001"), kept in the
    credential's `window_number` (a display acts for no window), one live kiosk per number."""
    if kiosk is None:
        return add_manager(store, hall_code, role="display")
    if not 1 <= kiosk <= MAX_KIOSK:
        raise CentralError("kiosk.bad_number", kiosk=kiosk, most=MAX_KIOSK)
    token = new_token(hall_code, kiosk)
    with store.write() as s:
        _hall(s, hall_code)
        taken = s.scalar(
            select(Credential.id).where(
                Credential.hall_id == hall_code,
                Credential.role == "display",
                Credential.window_number == kiosk,
                Credential.revoked_at.is_(None),
            )
        )
        if taken is not None:
            raise CentralError("kiosk.taken", code=hall_code, kiosk=kiosk)
        cred = Credential(
            hall_id=hall_code,
            id=new_id(),
            role="display",
            window_number=kiosk,
            token_hash=token_hash(token),
        )
        s.add(cred)
        try:
            s.flush()
        except IntegrityError as exc:  # another add-display won the race for the number
            raise CentralError("kiosk.taken", code=hall_code, kiosk=kiosk) from exc
    return Issued(cred.id, token)


def revoke(store: CentralStore, what: str) -> Credential:
    """End a credential, named by its token or its id."""
    split = split_token(what)
    cond: ColumnElement[bool]
    with store.write() as s:
        if split is not None:
            cond = (Credential.hall_id == split[0]) & (Credential.token_hash == split[1])
        else:
            cond = Credential.id == what
        cred = s.scalar(select(Credential).where(cond, Credential.revoked_at.is_(None)))
        if cred is None:
            raise CentralError("token.unknown", what=what[:40])
        cred.revoked_at = utcnow()
    cache.clear()
    return cred


def cached_credential(token: str) -> Credential | None:
    """The token's credential if it was looked up in the last seconds (app.central.cache),
    without touching the store."""
    split = split_token(token)
    return None if split is None else cache.credentials.get(split)


def authenticate(s: Session, token: str) -> Credential | None:
    split = split_token(token)
    if split is None:
        return None
    found = cache.credentials.get(split)
    if found is not None:
        return found
    cred = s.scalar(
        select(Credential).where(
            Credential.hall_id == split[0],
            Credential.token_hash == split[1],
            Credential.revoked_at.is_(None),
        )
    )
    if cred is not None:
        s.expunge(cred)
        cache.credentials.put(split, cred)
    return cred


def publish_catalogue(store: CentralStore, path: Path) -> tuple[str, int, bool]:
    """Validate and publish a catalogue file: (version, matters, newly published)."""
    from app.catalogue.importer import check_catalogue
    from app.errors import UserError

    try:
        data, sha = check_catalogue(path)
    except UserError as exc:
        raise CentralError("catalogue.bad", why=str(exc)) from exc
    version = str(data["version"])
    content = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    with store.write() as s:
        existing = s.get(Catalogue, version)
        if existing is not None:
            if existing.sha256 != sha:
                raise CentralError("catalogue.changed", version=version)
            return version, existing.matters, False
        s.add(Catalogue(version=version, sha256=sha, content=content, matters=len(data["matters"])))
    return version, len(data["matters"]), True


def current_catalogue(s: Session) -> Catalogue | None:
    return s.scalar(select(Catalogue).order_by(Catalogue.published_at.desc()).limit(1))


@dataclasses.dataclass(frozen=True)
class HallStatus:
    code: str
    name: str
    counts: dict[str, dict[int | None, int]]  # kind -> window -> count
    desks: list[tuple[int | None, str, bool]]  # (window, role, live)


def hall_status(store: CentralStore, code: str) -> HallStatus:
    with store.session() as s:
        hall = _hall(s, code)
        counts: dict[str, dict[int | None, int]] = {kind: {} for kind, _ in STATUS_KINDS}
        rows = s.execute(
            select(Record.entity, Record.window_number, func.count())
            .where(Record.hall_id == code, Record.entity.in_(list(counts)))
            .group_by(Record.entity, Record.window_number)
        ).all()
        for entity, window, n in rows:
            counts[entity][window] = n
        desks = [
            (c.window_number, c.role, c.revoked_at is None)
            for c in s.scalars(
                select(Credential)
                .where(Credential.hall_id == code)
                .order_by(Credential.role, Credential.window_number)
            )
        ]
        return HallStatus(code, hall.name, counts, desks)
