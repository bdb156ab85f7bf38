"""uvicorn's HTTP protocol as the store serves: httptools' parser (C; h11's pure Python cost
about as much per request as the call-next it carried) with TCP_NODELAY on every connection.
With `--workers N` uvicorn binds the listening socket itself with protocol 0, and asyncio then
leaves Nagle's algorithm on for the connections it accepts: a small reply written in two parts
waited for the client's delayed acknowledgement, 40 ms a request."""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class NoDelayHttpProtocol(HttpToolsProtocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
