"""The desk's HTTP client of the central store. Network errors and 5xx replies are tried
again with exponential backoff and jitter (tenacity); a 4xx is final. After the last try the
store counts as unreachable (CentralUnreachable)."""

from __future__ import annotations

import ssl
from typing import Any

import httpx
from tenacity import (
    RetryError,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)


class CentralUnreachable(Exception):
    """No answer from the central store (refused, timed out, or 5xx every time)."""


class CentralUntrusted(CentralUnreachable):
    """The central store's TLS certificate is not trusted here (no retry: it will not change
    by itself). `str(exc)` is the one line for the clerk or the shell."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"中心库 {url} 的证书不受本机信任：请用 --central-ca 指定大厅的 CA 证书文件"
        )


def _untrusted(exc: BaseException) -> bool:
    """A TLS certificate the client does not trust (the verification failed)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        if "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class CentralRefused(Exception):
    """The central store answered no (a bad or revoked token: 401; another hall: 403)."""

    def __init__(self, status: int, detail: str) -> None:
        self.status, self.detail = status, detail
        super().__init__(f"{status}: {detail}")


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, httpx.TransportError):
        return not _untrusted(exc)
    return isinstance(exc, httpx.HTTPStatusError) and exc.response.status_code >= 500


def hall_of_token(token: str) -> str:
    return token.partition(".")[0]


class CentralClient:
    def __init__(
        self,
        url: str,
        token: str,
        *,
        transport: httpx.BaseTransport | None = None,
        attempts: int = 4,
        wait_max_s: float = 2.0,
        timeout_s: float = 15.0,
        verify: ssl.SSLContext | bool = True,
        push_timeout_s: float | None = None,
    ) -> None:
        """`verify`: the TLS trust for an https address (app.sync.settings.tls_verify: the
        hall's CA saved with the central settings, else the system's). `push_timeout_s`: a
        push's own timeout, when it is not `timeout_s` (a kiosk's board polls give up after
        2 s; its push of a long outage's backlog may take longer)."""
        self.url = url.rstrip("/")
        self.hall = hall_of_token(token)
        self._http = httpx.Client(
            base_url=self.url,
            headers={"Authorization": f"Bearer {token}"},
            transport=transport,
            timeout=timeout_s,
            verify=verify,
        )
        self._attempts = attempts
        self._wait_max = wait_max_s
        self._push_kw = {} if push_timeout_s is None else {"timeout": push_timeout_s}

    def close(self) -> None:
        self._http.close()

    def _request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        retrying = Retrying(
            retry=retry_if_exception(_retryable),
            wait=wait_random_exponential(multiplier=0.1, max=self._wait_max),
            stop=stop_after_attempt(self._attempts),
            reraise=False,
        )
        try:
            for attempt in retrying:
                with attempt:
                    response = self._http.request(method, path, **kw)
                    response.raise_for_status()
        except RetryError as exc:
            last = exc.last_attempt.exception()
            raise CentralUnreachable(str(last)) from last
        except httpx.TransportError as exc:  # not retried: an untrusted certificate
            raise CentralUntrusted(self.url) from exc
        except httpx.HTTPStatusError as exc:
            try:
                detail = str(exc.response.json().get("detail"))
            except ValueError:
                detail = exc.response.text[:200]
            raise CentralRefused(exc.response.status_code, detail) from exc
        return response

    def push(self, ops: list[dict[str, Any]], device_id: str, desk_time: str) -> dict[str, Any]:
        body = {"device_id": device_id, "desk_time": desk_time, "ops": ops}
        reply = self._request("POST", f"/v1/halls/{self.hall}/push", json=body, **self._push_kw)
        return dict(reply.json())

    def pull(self, cursor: str | None, limit: int, device_id: str) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": limit, "device_id": device_id}
        if cursor:
            params["cursor"] = cursor
        return dict(self._request("GET", f"/v1/halls/{self.hall}/pull", params=params).json())

    def hall_kpi(self, start: str, end: str) -> dict[str, Any]:
        """The hall's KPI parts for the days start..end (a manager's token)."""
        params = {"start": start, "end": end}
        return dict(self._request("GET", f"/v1/halls/{self.hall}/kpi", params=params).json())

    def hall_live(self) -> dict[str, Any]:
        """The whole hall now (app.manager.live.to_json's shape; any token of the hall)."""
        return dict(self._request("GET", f"/v1/halls/{self.hall}/live").json())

    def catalogue(self, version: str) -> dict[str, Any]:
        return dict(self._request("GET", f"/v1/catalogue/{version}").json())

    def catalogue_bytes(self, version: str) -> bytes:
        """The catalogue's file as the store serves it (parsed by the desk's strict loader)."""
        return self._request("GET", f"/v1/catalogue/{version}").content

    # --- the shared queue ---------------------------------------------------------------

    def issue(
        self,
        ticket_id: str,
        line_code: str,
        kind: str,
        device_id: str,
        priority_group: str | None = None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ticket_id": ticket_id,
            "line_code": line_code,
            "kind": kind,
            "device_id": device_id,
        }
        if priority_group is not None:
            body["priority_group"] = priority_group
        return dict(self._request("POST", f"/v1/halls/{self.hall}/queue/tickets", json=body).json())

    def call_next(self, request_id: str) -> dict[str, Any]:
        body = {"request_id": request_id}
        return dict(
            self._request("POST", f"/v1/halls/{self.hall}/queue/call-next", json=body).json()
        )

    def act(self, ticket_id: str, action: str) -> dict[str, Any]:
        path = f"/v1/halls/{self.hall}/queue/tickets/{ticket_id}/{action}"
        return dict(self._request("POST", path).json())

    def _queue(self, what: str, body: dict[str, Any]) -> dict[str, Any]:
        path = f"/v1/halls/{self.hall}/queue/{what}"
        return dict(self._request("POST", path, json=body).json())

    def transfer(
        self, request_id: str, ticket_id: str, to_line: str | None, to_window: int | None
    ) -> dict[str, Any]:
        body = {
            "request_id": request_id,
            "ticket_id": ticket_id,
            "to_line": to_line,
            "to_window": to_window,
        }
        return self._queue("transfer", body)

    def set_paused(self, request_id: str, paused: bool) -> dict[str, Any]:
        return self._queue("window", {"request_id": request_id, "paused": paused})

    def rate(self, request_id: str, evaluation: dict[str, Any]) -> dict[str, Any]:
        return self._queue("ratings", {"request_id": request_id, **evaluation})

    def close_day(
        self, request_id: str, reason: str, end_service_at: list[int] | str
    ) -> dict[str, Any]:
        body = {"request_id": request_id, "reason": reason, "end_service_at": end_service_at}
        return self._queue("close-day", body)

    def offline_tickets(self, tickets: list[dict[str, Any]], device_id: str) -> dict[str, Any]:
        """A kiosk's offline tickets into the shared queue (app.central.kiosk_merge)."""
        return self._queue("offline-tickets", {"device_id": device_id, "tickets": tickets})

    def day_end_preview(self) -> dict[str, Any]:
        """What the hall's day's end would close, every window's (app.central.day_end_view)."""
        return dict(self._request("GET", f"/v1/halls/{self.hall}/queue/day-end").json())

    def board(self, history: int = 8) -> dict[str, Any]:
        """The hall's latest calls, waiting counts and windows (displays and kiosks)."""
        path = f"/v1/halls/{self.hall}/queue/board"
        return dict(self._request("GET", path, params={"history": history}).json())
