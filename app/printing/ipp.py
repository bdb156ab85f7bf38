"""A small IPP/1.1 client over HTTP (RFC 8010/8011), standard library only: enough to read a
CUPS queue's state and the paper sizes it offers, and to follow a print job to its end.

Submitting and cancelling go through CUPS's own tools (`lp`, `cancel`: see app.printing.spool),
which authenticate the way the local CUPS expects; this module only reads.

The server is CUPS's usual address: `host[:port]` (631 by default) or the path of its Unix
socket, from `$CUPS_SERVER` or else /run/cups/cups.sock when it exists, else localhost:631."""

from __future__ import annotations

import http.client
import os
import socket
import struct
from dataclasses import dataclass, field
from pathlib import Path

Value = int | bool | str | bytes

# Operations.
PRINT_JOB = 0x0002
GET_JOB_ATTRIBUTES = 0x0009
GET_JOBS = 0x000A
GET_PRINTER_ATTRIBUTES = 0x000B
CUPS_GET_DEFAULT = 0x4001
CUPS_GET_PRINTERS = 0x4002

# Delimiter and value tags.
_OPERATION_ATTRIBUTES = 0x01
_END = 0x03
_INTEGER, _BOOLEAN, _ENUM = 0x21, 0x22, 0x23
_KEYWORD, _URI, _CHARSET, _LANGUAGE = 0x44, 0x45, 0x47, 0x48
_NAME = 0x42

STATUS_NOT_FOUND = 0x0406
DEFAULT_SOCKET = Path("/run/cups/cups.sock")
TIMEOUT = 10.0


class IppError(Exception):
    """The print server could not be asked (not running, not reachable, a bad answer)."""


@dataclass
class Response:
    status: int
    #: (group tag, attributes) in the order received.
    groups: list[tuple[int, dict[str, list[Value]]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status < 0x0100

    def first(self, name: str) -> Value | None:
        for _tag, attrs in self.groups:
            if attrs.get(name):
                return attrs[name][0]
        return None

    def all(self, name: str) -> list[Value]:
        for _tag, attrs in self.groups:
            if name in attrs:
                return attrs[name]
        return []


def default_server() -> str:
    env = os.environ.get("CUPS_SERVER", "").strip()
    if env:
        return env
    return str(DEFAULT_SOCKET) if DEFAULT_SOCKET.exists() else "localhost:631"


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self._path)
        self.sock = sock


def _connection(server: str, timeout: float) -> http.client.HTTPConnection:
    if server.startswith("/"):
        return _UnixConnection(server, timeout)
    host, _, port = server.rpartition(":") if ":" in server else (server, "", "631")
    return http.client.HTTPConnection(host or server, int(port or 631), timeout=timeout)


def _attribute(tag: int, name: str, value: Value) -> bytes:
    if isinstance(value, bool):
        raw = b"\x01" if value else b"\x00"
    elif isinstance(value, int):
        raw = struct.pack(">i", value)
    elif isinstance(value, str):
        raw = value.encode("utf-8")
    else:
        raw = value
    encoded = name.encode("utf-8")
    return struct.pack(">bH", tag, len(encoded)) + encoded + struct.pack(">H", len(raw)) + raw


def encode(operation: int, attributes: list[tuple[int, str, Value]], request_id: int = 1) -> bytes:
    body = struct.pack(">BBHI", 1, 1, operation, request_id)
    body += bytes([_OPERATION_ATTRIBUTES])
    body += _attribute(_CHARSET, "attributes-charset", "utf-8")
    body += _attribute(_LANGUAGE, "attributes-natural-language", "en")
    for tag, name, value in attributes:
        body += _attribute(tag, name, value)
    return body + bytes([_END])


def decode(data: bytes) -> Response:
    if len(data) < 9:
        raise IppError("short IPP response")
    status = struct.unpack(">H", data[2:4])[0]
    response = Response(status)
    pos = 8
    current: dict[str, list[Value]] | None = None
    last = ""
    while pos < len(data):
        tag = data[pos]
        pos += 1
        if tag == _END:
            break
        if tag < 0x10:  # a new group
            current = {}
            response.groups.append((tag, current))
            continue
        if pos + 2 > len(data):
            raise IppError("truncated IPP response")
        name_len = struct.unpack(">H", data[pos : pos + 2])[0]
        name = data[pos + 2 : pos + 2 + name_len].decode("utf-8", "replace")
        pos += 2 + name_len
        value_len = struct.unpack(">H", data[pos : pos + 2])[0]
        raw = data[pos + 2 : pos + 2 + value_len]
        pos += 2 + value_len
        if current is None:
            raise IppError("IPP attribute outside a group")
        value: Value
        if tag in (_INTEGER, _ENUM) and value_len == 4:
            value = struct.unpack(">i", raw)[0]
        elif tag == _BOOLEAN and value_len == 1:
            value = raw != b"\x00"
        elif 0x40 <= tag <= 0x4F:
            value = raw.decode("utf-8", "replace")
        else:
            value = raw
        if name:
            last = name
            current.setdefault(name, []).append(value)
        elif last:
            current.setdefault(last, []).append(value)
    return response


def request(
    operation: int,
    attributes: list[tuple[int, str, Value]],
    *,
    server: str | None = None,
    path: str = "/",
    timeout: float = TIMEOUT,
) -> Response:
    server = server or default_server()
    connection = _connection(server, timeout)
    try:
        connection.request(
            "POST", path, encode(operation, attributes), {"Content-Type": "application/ipp"}
        )
        reply = connection.getresponse()
        data = reply.read()
        if reply.status != 200:
            raise IppError(f"HTTP {reply.status} from {server}")
    except (OSError, http.client.HTTPException) as exc:
        raise IppError(f"{server}: {exc}") from exc
    finally:
        connection.close()
    return decode(data)


def printer_uri(name: str) -> str:
    return f"ipp://localhost/printers/{name}"


def keyword(name: str, value: str) -> tuple[int, str, Value]:
    return (_KEYWORD, name, value)


def uri(name: str, value: str) -> tuple[int, str, Value]:
    return (_URI, name, value)


def integer(name: str, value: int) -> tuple[int, str, Value]:
    return (_INTEGER, name, value)


def user_name(value: str) -> tuple[int, str, Value]:
    return (_NAME, "requesting-user-name", value)


def keywords(name: str, values: list[str]) -> list[tuple[int, str, Value]]:
    """A 1setOf keyword: the first value named, the others following with no name."""
    return [(_KEYWORD, name if i == 0 else "", value) for i, value in enumerate(values)]
