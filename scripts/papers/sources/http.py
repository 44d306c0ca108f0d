"""The polite HTTP client every source uses.

One ``requests`` session (one connection pool), a descriptive User-Agent, connect and read
timeouts, retries with exponential backoff on timeouts, connection errors, 429 and 5xx, and
``Retry-After`` honoured when the server sends it.  ``min_interval`` spaces requests out for
APIs that ask for it (arXiv: one request every 3 seconds).  The clock and ``sleep`` are
injectable so tests check the pacing without waiting.
"""

from __future__ import annotations

import email.utils
import logging
import time
from typing import Callable

import requests
from urllib3.exceptions import NameResolutionError

from papers.errors import FetchError

log = logging.getLogger(__name__)

USER_AGENT = "paper-digest/1.0 (static research-paper digest; +https://github.com/)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 600.0


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = time.time() if now is None else now
    return min(max(when.timestamp() - now, 0.0), MAX_RETRY_AFTER)


def unresolved_host(exc: BaseException) -> str | None:
    """The host name a request failed to resolve, found in the chain of errors requests
    and urllib3 wrap it in, or None when the failure was another one."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, NameResolutionError):
            return exc.conn.host if getattr(exc, "conn", None) is not None else "the host"
        exc = getattr(exc, "reason", None) or (exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None) or exc.__cause__
    return None


class PoliteClient:
    def __init__(
        self,
        *,
        user_agent: str = USER_AGENT,
        timeout: tuple[float, float] = (10.0, 60.0),
        retries: int = 4,
        backoff: float = 2.0,
        min_interval: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        session: requests.Session | None = None,
    ):
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.min_interval = min_interval
        self.clock = clock
        self.sleep = sleep
        self._last_request: float | None = None

    def _pace(self) -> None:
        if self._last_request is not None and self.min_interval > 0:
            wait = self._last_request + self.min_interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last_request = self.clock()

    def get(self, url: str, params: dict | None = None) -> requests.Response:
        """GET with retries; the response of the first success, else ``FetchError``."""
        return self._request("GET", url, params=params)

    def post(self, url: str, data) -> requests.Response:
        """POST a form with the same retries (a WebSub publish ping)."""
        return self._request("POST", url, data=data)

    def _request(self, method: str, url: str, **arguments) -> requests.Response:
        problem = "no attempt made"
        for attempt in range(self.retries + 1):
            self._pace()
            try:
                response = self.session.request(method, url, timeout=self.timeout, **arguments)
            except (requests.ConnectionError, requests.Timeout) as exc:
                unresolved = unresolved_host(exc)
                if unresolved:  # offline: asking again changes nothing
                    raise FetchError(f"{url}: cannot resolve {unresolved} (no network, or no DNS)") from None
                problem, wait = f"{type(exc).__name__}: {exc}", None
            else:
                if response.status_code < 400:
                    return response
                problem = f"HTTP {response.status_code}"
                if response.status_code not in RETRY_STATUSES:
                    raise FetchError(f"{url}: {problem}")
                wait = retry_after_seconds(response.headers.get("Retry-After"))
            if attempt == self.retries:
                break
            wait = self.backoff * 2**attempt if wait is None else wait
            log.warning("%s: %s, retrying in %.0f s", url, problem, wait)
            self.sleep(wait)
        raise FetchError(f"{url}: {problem} after {self.retries + 1} attempts")
