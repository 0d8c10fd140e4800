"""The one way this plugin talks to other servers: a fetch with hard limits.

Every request (verifying a source, discovering a target's endpoints,
notifying an endpoint) goes through `fetch`, which

- checks the URL (http or https only, no user:password),
- resolves the host once and refuses non-allowed addresses (`guard`), then
  connects to that checked address, sending the real name as Host header
  and TLS server name (the certificate is verified against the name);
- gives up on connecting after BYLINE_MENTIONS_CONNECT_TIMEOUT seconds,
  waiting for data after BYLINE_MENTIONS_READ_TIMEOUT seconds, and on the
  whole exchange after BYLINE_MENTIONS_TOTAL_TIMEOUT seconds (checked
  between reads);
- follows at most BYLINE_MENTIONS_MAX_REDIRECTS redirects (GET only),
  checking each new address like the first;
- refuses an unwanted Content-Type before reading the body, and reads the
  body in chunks, stopping once it exceeds BYLINE_MENTIONS_MAX_BYTES
  (decompressed), so a huge or endless response costs at most that much.

urllib3 is used directly (not requests) because pinning the connection to
the checked address needs the connection pool's `server_hostname`; and it
ignores proxy environment variables, which could otherwise route around
the guard.
"""

import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import HTTPError as Urllib3Error

from . import conf
from .guard import AddressRefused, checked_address

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
CHUNK = 16 * 1024

__all__ = ["AddressRefused", "FetchError", "FetchResult", "fetch", "media_type"]


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


def _pool(scheme, host, address, port, timeout):
    if scheme == "https":
        try:
            import certifi

            ca_certs = certifi.where()
        except ImportError:  # the system's trust store
            ca_certs = None
        return urllib3.HTTPSConnectionPool(
            address,
            port,
            timeout=timeout,
            maxsize=1,
            retries=False,
            cert_reqs="CERT_REQUIRED",
            ca_certs=ca_certs,
            assert_hostname=host,
            server_hostname=host,
        )
    return urllib3.HTTPConnectionPool(address, port, timeout=timeout, maxsize=1, retries=False)


def _read_body(response, max_bytes, deadline, url):
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
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
            raise FetchError("too_large", f"{url} is larger than the limit of {max_bytes} bytes")
        if time.monotonic() > deadline:
            raise FetchError("timeout", f"{url} took longer than the time allowed")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(
    url,
    *,
    method="GET",
    body=None,
    headers=None,
    accept_types=None,
    max_bytes=None,
    follow_redirects=True,
    read_error_bodies=False,
    read_types=None,
):
    """Fetch `url` within the limits; return a FetchResult.

    `accept_types`: media types a successful (2xx) response may have; others
    raise FetchError('content_type') before the body is read. `read_types`:
    read the body only for these media types (the headers may be all that
    is needed). The body of a non-2xx response is not read unless
    `read_error_bodies`. Raises AddressRefused for addresses the guard
    refuses, FetchError otherwise.
    """
    max_bytes = conf.get("BYLINE_MENTIONS_MAX_BYTES") if max_bytes is None else max_bytes
    max_redirects = conf.get("BYLINE_MENTIONS_MAX_REDIRECTS") if follow_redirects else 0
    timeout = urllib3.Timeout(
        connect=conf.get("BYLINE_MENTIONS_CONNECT_TIMEOUT"),
        read=conf.get("BYLINE_MENTIONS_READ_TIMEOUT"),
    )
    deadline = time.monotonic() + conf.get("BYLINE_MENTIONS_TOTAL_TIMEOUT")
    redirects = []
    while True:
        if time.monotonic() > deadline:
            raise FetchError("timeout", f"{url} took longer than the time allowed")
        scheme, host, port = check_url(url)
        try:
            address = checked_address(host, port)
        except LookupError as exc:
            raise FetchError("unresolvable", str(exc)) from exc
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request_headers = {
            "Host": _host_header(scheme, host, port),
            "User-Agent": conf.get("BYLINE_MENTIONS_USER_AGENT"),
            "Accept-Encoding": "gzip, deflate",
            **(headers or {}),
        }
        pool = _pool(scheme, host, address, port, timeout)
        response = None
        try:
            response = pool.urlopen(
                method,
                path,
                body=body,
                headers=request_headers,
                redirect=False,
                retries=False,
                preload_content=False,
                assert_same_host=False,
            )
            status = response.status
            location = response.headers.get("Location")
            if follow_redirects and status in REDIRECT_STATUSES and location:
                if len(redirects) >= max_redirects:
                    raise FetchError(
                        "too_many_redirects",
                        f"{redirects[0] if redirects else url} redirects more than "
                        f"{max_redirects} times",
                    )
                redirects.append(url)
                url = urljoin(url, location.strip())
                if method not in ("GET", "HEAD") or status == 303:
                    method, body = "GET", None
                continue
            result = FetchResult(url, status, response.headers, redirects=redirects)
            if result.ok and accept_types is not None and result.content_type not in accept_types:
                raise FetchError(
                    "content_type",
                    f"{url} is {result.content_type or 'of no stated type'}, "
                    f"not one of {', '.join(sorted(accept_types))}",
                )
            wanted = read_types is None or result.content_type in read_types
            if (result.ok or read_error_bodies) and wanted:
                result.body = _read_body(response, max_bytes, deadline, url)
            return result
        except urllib3.exceptions.NewConnectionError as exc:  # before TimeoutError: a subclass
            raise FetchError("unreachable", f"could not connect to {host}:{port}") from exc
        except urllib3.exceptions.TimeoutError as exc:
            raise FetchError("timeout", f"{url} did not answer in time") from exc
        except Urllib3Error as exc:
            raise FetchError("protocol", f"{url} could not be fetched: {exc}") from exc
        except OSError as exc:
            raise FetchError("unreachable", f"{url} could not be fetched: {exc}") from exc
        finally:
            if response is not None:
                response.close()
            pool.close()
