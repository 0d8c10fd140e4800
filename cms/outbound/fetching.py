"""The one way Byline talks to other servers: a fetch with hard limits.

Every outbound request (a mention's source verified, a target's endpoints
discovered, a webhook delivered) goes through `fetch`, which

- checks the URL (http or https only, no user:password),
- resolves the host once and refuses addresses of kinds the caller does
  not allow (`guard`), then
  connects to that checked address, sending the real name as Host header
  and TLS server name (the certificate is verified against the name);
- gives up on connecting after `connect_timeout` seconds, waiting for data
  after `read_timeout` seconds, and on the whole exchange after
  `total_timeout` seconds: DNS lookup, connecting, the response headers and
  the body, every redirect included;
- follows at most `max_redirects` redirects (GET only), checking each new
  address like the first;
- refuses an unwanted Content-Type before reading the body, and reads the
  body in chunks, stopping once it exceeds `max_bytes` (decompressed), so a
  huge or endless response costs at most that much.

The limits are the caller's (`Limits`, usually built from its settings by
`Limits.from_settings(prefix)`), so each feature keeps its own settings.

The total limit is a real deadline, not a check between reads: socket
timeouts only bound each read, so a server sending one byte just inside
the read timeout could hold a fetch for ever. A `Watchdog` timer shuts the
connection's socket down when the time is up, which ends any read at once,
and the system resolver (which has no timeout of its own) runs in a thread
that the fetch stops waiting for.

urllib3 is used directly (not requests) because pinning the connection to
the checked address needs the connection pool's `server_hostname`; and it
ignores proxy environment variables, which could otherwise route around
the guard.
"""

import contextlib
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import HTTPError as Urllib3Error

from .guard import AddressRefused, checked_address
from .limits import Limits

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
CHUNK = 16 * 1024

__all__ = [
    "AddressRefused",
    "FetchError",
    "FetchResult",
    "check_destination",
    "check_url",
    "fetch",
    "media_type",
]


class FetchError(Exception):
    """The fetch failed; `reason` is a short code, the message says why.

    Reasons: bad_url, unresolvable, unreachable, timeout, too_large,
    too_many_redirects, content_type, protocol.
    """

    def __init__(self, reason, message):
        super().__init__(message)
        self.reason = reason


@dataclass
class FetchResult:
    url: str  # the final URL, after redirects
    status: int
    headers: urllib3.HTTPHeaderDict
    body: bytes = b""
    redirects: list = field(default_factory=list)

    @property
    def content_type(self):
        return media_type(self.headers.get("Content-Type", ""))

    @property
    def charset(self):
        for param in self.headers.get("Content-Type", "").split(";")[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                return value.strip().strip('"')
        return None

    @property
    def ok(self):
        return 200 <= self.status < 300

    def text(self):
        try:
            return self.body.decode(self.charset or "utf-8", errors="replace")
        except LookupError:  # an unknown charset name
            return self.body.decode("utf-8", errors="replace")


def media_type(content_type):
    return (content_type or "").split(";", 1)[0].strip().lower()


def check_url(url):
    """(scheme, host, port) of a URL we may fetch, or FetchError('bad_url')."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError("bad_url", f"{url!r} is not a valid URL: {exc}") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("bad_url", f"{url!r} is not an http(s) URL")
    if parts.username or parts.password:
        raise FetchError("bad_url", f"{url!r} carries a user name or password")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def _host_header(scheme, host, port):
    shown = f"[{host}]" if ":" in host else host
    default = 443 if scheme == "https" else 80
    return shown if port == default else f"{shown}:{port}"


class Watchdog:
    """The fetch's total deadline: when it passes, every socket of the fetch is shut down.

    Shutting a socket down wakes a read blocked on it in another thread (it
    returns end-of-file), so the fetch fails at the deadline whatever the
    other side does. The fetch then sees `expired` and reports a timeout.
    """

    def __init__(self, seconds):
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.expired = False
        self._lock = threading.Lock()
        self._sockets = []
        self._timer = threading.Timer(max(0.0, seconds), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self):
        return self.deadline - time.monotonic()

    def watch(self, sock):
        # A duplicate descriptor, because TLS wrapping detaches the original socket
        # object; shutdown() acts on the connection itself, whichever descriptor is used.
        duplicate = sock.dup()
        with self._lock:
            self._sockets.append(duplicate)
            expired = self.expired
        if expired:
            _shut(duplicate)

    def _expire(self):
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def close(self):
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets = []


def _shut(sock):
    # OSError: already closed or never connected, so nothing is left to wake.
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class _WatchedConnection:
    """Hands each new socket to the fetch's watchdog (urllib3 connection mixin)."""

    def __init__(self, *args, watchdog, **kwargs):
        super().__init__(*args, **kwargs)
        self.watchdog = watchdog

    def _new_conn(self):
        sock = super()._new_conn()
        self.watchdog.watch(sock)
        return sock


class _WatchedHTTPConnection(_WatchedConnection, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_WatchedConnection, HTTPSConnection):
    pass


class _HTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _HTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


# At most this many lookups at once: a resolver that hangs costs a few idle threads,
# never one per fetch.
_LOOKUPS = threading.BoundedSemaphore(8)


def resolve_within(host, port, watchdog, limits):
    """`checked_address(host, port, ...)`, given up at the watchdog's deadline.

    The system resolver cannot be interrupted, so it runs in a daemon thread
    that is left to finish on its own if the deadline passes first.
    """
    remaining = watchdog.remaining()
    if remaining <= 0 or not _LOOKUPS.acquire(timeout=remaining):
        raise FetchError("timeout", f"{host} could not be looked up in the time allowed")
    outcome = {}

    def lookup():
        try:
            outcome["address"] = checked_address(
                host, port, limits.allowed_addresses, limits.allowed_addresses_setting
            )
        except Exception as exc:
            outcome["error"] = exc
        finally:
            _LOOKUPS.release()

    thread = threading.Thread(target=lookup, name="outbound-dns-lookup", daemon=True)
    thread.start()
    thread.join(max(0.0, watchdog.remaining()))
    if thread.is_alive():
        raise FetchError("timeout", f"looking up {host} took longer than the time allowed")
    error = outcome.get("error")
    if isinstance(error, LookupError):
        raise FetchError("unresolvable", str(error)) from error
    if error is not None:
        raise error
    return outcome["address"]


def _pool(scheme, host, address, port, watchdog, limits):
    # Each hop may use at most the time left, whatever the per-step limits say.
    left = max(0.001, watchdog.remaining())
    timeout = urllib3.Timeout(
        connect=min(limits.connect_timeout, left),
        read=min(limits.read_timeout, left),
    )
    common = {"timeout": timeout, "maxsize": 1, "retries": False, "watchdog": watchdog}
    if scheme == "https":
        try:
            import certifi

            ca_certs = certifi.where()
        except ImportError:  # the system's trust store
            ca_certs = None
        return _HTTPSPool(
            address,
            port,
            cert_reqs="CERT_REQUIRED",
            ca_certs=ca_certs,
            assert_hostname=host,
            server_hostname=host,
            **common,
        )
    return _HTTPPool(address, port, **common)


def _timed_out(url, watchdog):
    return FetchError("timeout", f"{url} took longer than the {watchdog.seconds:g} s allowed")


def _read_body(response, max_bytes, watchdog, url, truncate=False):
    declared = response.headers.get("Content-Length", "")
    if not truncate and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(
            "too_large", f"{url} is {int(declared)} bytes, more than the limit of {max_bytes}"
        )
    chunks, size = [], 0
    while True:
        chunk = response.read1(CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            if truncate:
                # The caller wants the start only (an answer to log): stop reading here.
                chunks.append(chunk[: len(chunk) - (size - max_bytes)])
                return b"".join(chunks)
            raise FetchError("too_large", f"{url} is larger than the limit of {max_bytes} bytes")
        chunks.append(chunk)
    # A socket the watchdog shut down reads as a normal end of the body: do not
    # mistake a cut-off body for the whole page.
    if watchdog.expired:
        raise _timed_out(url, watchdog)
    return b"".join(chunks)


def _as_fetch_error(exc, url, host, port, watchdog):
    if watchdog.expired:
        return _timed_out(url, watchdog)
    if isinstance(exc, urllib3.exceptions.NewConnectionError):  # before TimeoutError: a subclass
        return FetchError("unreachable", f"could not connect to {host}:{port}")
    if isinstance(exc, urllib3.exceptions.TimeoutError | TimeoutError):
        return FetchError("timeout", f"{url} did not answer in time")
    if isinstance(exc, Urllib3Error):
        return FetchError("protocol", f"{url} could not be fetched: {exc}")
    return FetchError("unreachable", f"{url} could not be fetched: {exc}")


@dataclass
class _Request:
    """What to send; a redirect changes it."""

    url: str
    method: str
    body: bytes | str | None
    headers: dict


def _send(pool, request, scheme, host, port, limits):
    parts = urlsplit(request.url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {
        "Host": _host_header(scheme, host, port),
        "User-Agent": limits.user_agent,
        "Accept-Encoding": "gzip, deflate",
        **request.headers,
    }
    return pool.urlopen(
        request.method,
        path,
        body=request.body,
        headers=headers,
        redirect=False,
        retries=False,
        preload_content=False,
        assert_same_host=False,
    )


def _redirect(request, response, redirects, max_redirects):
    """The request to send next if `response` is a redirect to follow, else None."""
    location = response.headers.get("Location")
    if response.status not in REDIRECT_STATUSES or not location:
        return None
    if len(redirects) >= max_redirects:
        raise FetchError(
            "too_many_redirects",
            f"{redirects[0] if redirects else request.url} redirects more than "
            f"{max_redirects} times",
        )
    redirects.append(request.url)
    if request.method not in ("GET", "HEAD") or response.status == 303:
        return _Request(urljoin(request.url, location.strip()), "GET", None, request.headers)
    return _Request(
        urljoin(request.url, location.strip()), request.method, request.body, request.headers
    )


def fetch(
    url,
    *,
    limits=None,
    method="GET",
    body=None,
    headers=None,
    accept_types=None,
    max_bytes=None,
    truncate_body=False,
    follow_redirects=True,
    read_error_bodies=False,
    read_types=None,
):
    """Fetch `url` within `limits` (a `Limits`; the defaults allow global addresses only).

    `accept_types`: media types a successful (2xx) response may have; others
    raise FetchError('content_type') before the body is read. `read_types`:
    read the body only for these media types (the headers may be all that
    is needed). The body of a non-2xx response is not read unless
    `read_error_bodies`. `max_bytes` overrides the limits' body size; with
    `truncate_body` a longer body is cut there instead of failing the fetch
    (for callers that keep only the start of an answer). Raises
    AddressRefused for addresses the guard refuses, FetchError otherwise;
    FetchError('timeout') at the latest `limits.total_timeout` seconds after
    the call.
    """
    limits = limits or Limits()
    max_bytes = limits.max_bytes if max_bytes is None else max_bytes
    max_redirects = limits.max_redirects if follow_redirects else 0
    request = _Request(url, method, body, headers or {})
    redirects = []
    watchdog = Watchdog(limits.total_timeout)
    try:
        while True:
            if watchdog.expired:
                raise _timed_out(request.url, watchdog)
            scheme, host, port = check_url(request.url)
            address = resolve_within(host, port, watchdog, limits)
            pool = _pool(scheme, host, address, port, watchdog, limits)
            response = None
            try:
                response = _send(pool, request, scheme, host, port, limits)
                following = (
                    _redirect(request, response, redirects, max_redirects)
                    if follow_redirects
                    else None
                )
                if following is None:
                    options = (
                        accept_types,
                        read_types,
                        read_error_bodies,
                        max_bytes,
                        truncate_body,
                    )
                    return _result(request.url, response, redirects, options, watchdog)
                request = following
            except (Urllib3Error, OSError) as exc:
                raise _as_fetch_error(exc, request.url, host, port, watchdog) from exc
            finally:
                if response is not None:
                    response.close()
                pool.close()
    except FetchError as exc:
        # Whatever broke once the deadline passed broke because the watchdog cut it.
        if watchdog.expired and exc.reason != "timeout":
            raise _timed_out(request.url, watchdog) from exc
        raise
    finally:
        watchdog.close()


def _result(url, response, redirects, options, watchdog):
    accept_types, read_types, read_error_bodies, max_bytes, truncate = options
    result = FetchResult(url, response.status, response.headers, redirects=redirects)
    if result.ok and accept_types is not None and result.content_type not in accept_types:
        raise FetchError(
            "content_type",
            f"{url} is {result.content_type or 'of no stated type'}, "
            f"not one of {', '.join(sorted(accept_types))}",
        )
    wanted = read_types is None or result.content_type in read_types
    if (result.ok or read_error_bodies) and wanted:
        result.body = _read_body(response, max_bytes, watchdog, url, truncate)
    return result


def check_destination(url, limits=None, *, timeout=None):
    """Check that `url` could be fetched within `limits`, without connecting to it.

    For forms that save an address to send to later (a webhook endpoint):
    the URL's form, then every address its host resolves to, looked up at
    most `timeout` seconds (default: the limits' connect timeout). Raises
    FetchError ('bad_url', 'unresolvable', 'timeout') or AddressRefused.
    The check is repeated by every `fetch`, since DNS answers change.
    """
    limits = limits or Limits()
    _scheme, host, port = check_url(url)
    watchdog = Watchdog(limits.connect_timeout if timeout is None else timeout)
    try:
        resolve_within(host, port, watchdog, limits)
    finally:
        watchdog.close()
