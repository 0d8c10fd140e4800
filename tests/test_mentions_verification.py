"""Fetching a mention's source within limits: the address guard, timeouts, size, redirects, types.

Every request goes to a real server on 127.0.0.1. Addresses the guard must refuse
(private, link-local, ...) are only ever refused, never contacted; names other than
localhost are never looked up in the DNS (a fake resolver stands in where one is needed).
"""

import gzip
import socket
import threading
import time

import pytest
from byline_mentions.fetching import AddressRefused, FetchError, fetch
from byline_mentions.parsing import SOURCE_TYPES
from django.test import override_settings
from werkzeug import Response

from cms.outbound import guard
from tests.mentions_support import (
    TRICKLED_ANSWER,
    _other_site_server,
    by_name,
    only_global_addresses,
    other_site,
    trickling_source,
)

__all__ = ["_other_site_server", "other_site", "trickling_source"]

# Small limits, so the deadline tests take about a second.
QUICK_LIMITS = {
    "BYLINE_MENTIONS_TOTAL_TIMEOUT": 1.0,
    "BYLINE_MENTIONS_READ_TIMEOUT": 0.5,  # longer than the trickle's 0.3 s between bytes
    "BYLINE_MENTIONS_CONNECT_TIMEOUT": 0.5,
}

HTML = "text/html; charset=utf-8"


# The address guard --------------------------------------------------------------


@pytest.mark.parametrize(
    "address, kind",
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("100.64.0.1", "reserved"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("2002:7f00:1::", "loopback"),
        ("64:ff9b::a00:1", "private"),
        ("93.184.216.34", "global"),
        ("2606:4700::1111", "global"),
    ],
)
def test_every_address_has_a_kind_and_only_global_ones_are_public(address, kind):
    assert guard.address_kind(address) == kind


@pytest.mark.parametrize(
    "url, shown",
    [
        ("http://127.0.0.1:{port}/post", "127.0.0.1 is a loopback address"),
        ("http://localhost:{port}/post", "localhost resolves to 127.0.0.1, which is a loopback"),
        ("http://[::1]:{port}/post", "::1 is a loopback address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://10.0.0.1/admin", "10.0.0.1 is a private address"),
        ("http://192.168.0.1/", "192.168.0.1 is a private address"),
        ("http://[fe80::1]/", "fe80::1 is a link-local address"),
        ("http://0.0.0.0:{port}/", "0.0.0.0 is an unspecified address"),
    ],
)
def test_with_loopback_not_allowed_non_global_addresses_are_refused_before_connecting(
    other_site, url, shown
):
    other_site.expect_request("/post").respond_with_data("<p>hello</p>", content_type=HTML)
    with only_global_addresses(), pytest.raises(AddressRefused) as refused:
        fetch(url.format(port=other_site.port))
    assert shown in str(refused.value)
    assert other_site.log == []  # nothing reached the server


def test_a_name_resolving_to_public_and_loopback_addresses_is_refused(monkeypatch):
    def fake_resolver(host, port, *args, **kwargs):
        assert host == "mixed.example"  # no other name reaches the (fake) resolver
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
        ]

    monkeypatch.setattr(guard.socket, "getaddrinfo", fake_resolver)
    with only_global_addresses(), pytest.raises(AddressRefused) as refused:
        fetch("http://mixed.example/post")
    assert "mixed.example resolves to 127.0.0.1, which is a loopback address" in str(refused.value)


def test_without_global_addresses_other_names_are_not_even_looked_up(monkeypatch):
    def resolver_must_not_be_called(*args, **kwargs):
        raise AssertionError("the DNS was asked")

    monkeypatch.setattr(guard.socket, "getaddrinfo", resolver_must_not_be_called)
    with pytest.raises(AddressRefused) as refused:
        fetch("https://blog.example/post")
    assert "blog.example was not looked up" in str(refused.value)


def test_the_fetch_connects_to_the_checked_address_not_a_second_lookup(other_site, monkeypatch):
    """DNS rebinding: the name resolves to loopback once, then to a private address."""
    real_getaddrinfo = socket.getaddrinfo
    answers = iter(["127.0.0.1", "10.0.0.1", "10.0.0.1"])
    lookups = []

    def rebinding_resolver(host, port, *args, **kwargs):
        if host != "rebind.localhost":
            assert host == "127.0.0.1"  # urllib3 connecting to the checked address
            return real_getaddrinfo(host, port, *args, **kwargs)
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    monkeypatch.setattr(guard.socket, "getaddrinfo", rebinding_resolver)
    other_site.expect_request("/post").respond_with_data("<p>pinned</p>", content_type=HTML)
    result = fetch(f"http://rebind.localhost:{other_site.port}/post")
    assert result.status == 200 and result.body == b"<p>pinned</p>"
    assert lookups == ["rebind.localhost"]  # resolved once
    request, _ = other_site.log[0]
    assert request.headers["Host"] == f"rebind.localhost:{other_site.port}"


@pytest.mark.parametrize(
    "url, reason",
    [
        ("ftp://127.0.0.1/file", "bad_url"),
        ("file:///etc/passwd", "bad_url"),
        ("http://user:secret@127.0.0.1/", "bad_url"),
        ("http://127.0.0.1:99999/", "bad_url"),
        ("javascript:alert(1)", "bad_url"),
    ],
)
def test_only_plain_http_urls_are_fetched(url, reason):
    with pytest.raises(FetchError) as failed:
        fetch(url)
    assert failed.value.reason == reason


# Limits ---------------------------------------------------------------------------


def test_a_source_that_answers_too_slowly_times_out(other_site):
    answered = threading.Event()

    def slow(request):
        time.sleep(1)
        answered.set()
        return Response("<p>late</p>", content_type=HTML)

    other_site.expect_request("/slow").respond_with_handler(slow)
    started = time.monotonic()
    with (
        override_settings(BYLINE_MENTIONS_READ_TIMEOUT=0.3),
        pytest.raises(FetchError) as failed,
    ):
        fetch(other_site.url_for("/slow"))
    assert failed.value.reason == "timeout"
    assert time.monotonic() - started < 0.9
    answered.wait(5)  # let the server's thread finish before the next test


def test_a_source_that_drips_forever_is_cut_off_by_the_total_time_limit(other_site):
    def drip(request):
        def body():
            for _ in range(40):
                yield b"<p>.</p>"
                time.sleep(0.1)

        return Response(body(), content_type=HTML)

    other_site.expect_request("/drip").respond_with_handler(drip)
    started = time.monotonic()
    with (
        override_settings(BYLINE_MENTIONS_TOTAL_TIMEOUT=0.5, BYLINE_MENTIONS_READ_TIMEOUT=1),
        pytest.raises(FetchError) as failed,
    ):
        fetch(other_site.url_for("/drip"))
    assert failed.value.reason == "timeout"
    assert time.monotonic() - started < 2


def test_a_source_that_trickles_its_headers_is_cut_off_at_the_total_time_limit(
    trickling_source,
):
    """One header byte every 0.3 s: each read is in time, the whole would take a minute."""
    started = time.monotonic()
    with override_settings(**QUICK_LIMITS), pytest.raises(FetchError) as failed:
        fetch(trickling_source.url("/post"))
    took = time.monotonic() - started

    assert failed.value.reason == "timeout"
    assert "took longer than the 1 s allowed" in str(failed.value)
    assert 1.0 <= took < 2.0  # at the deadline (1 s), not after the trickle (about 50 s)
    trickling_source.stop()  # the server notices the hang-up, or gives up
    [sent] = trickling_source.bytes_sent
    assert sent < 10 < len(TRICKLED_ANSWER)  # only a few header bytes ever arrived


def test_the_deadline_covers_a_dns_lookup_that_hangs(monkeypatch):
    released = threading.Event()
    lookups = []

    def hanging_resolver(host, port, *args, **kwargs):
        lookups.append(host)
        released.wait(10)  # a resolver whose servers do not answer
        raise socket.gaierror("no answer")

    monkeypatch.setattr(guard.socket, "getaddrinfo", hanging_resolver)
    started = time.monotonic()
    try:
        with override_settings(**QUICK_LIMITS), pytest.raises(FetchError) as failed:
            fetch("http://slow-dns.localhost/post")
        took = time.monotonic() - started
    finally:
        released.set()
    assert lookups == ["slow-dns.localhost"]
    assert failed.value.reason == "timeout"
    assert "looking up slow-dns.localhost took longer" in str(failed.value)
    assert 1.0 <= took < 2.0


def test_a_fast_fetch_leaves_no_watchdog_or_lookup_thread_behind(other_site):
    other_site.expect_request("/post").respond_with_data("<p>quick</p>", content_type=HTML)
    before = threading.active_count()
    for _ in range(5):
        assert fetch(other_site.url_for("/post")).body == b"<p>quick</p>"
    time.sleep(0.05)  # a cancelled timer thread takes a moment to end
    assert threading.active_count() <= before


def test_a_declared_oversized_body_is_refused_without_reading_it(other_site):
    other_site.expect_request("/big").respond_with_data(b"x" * 5000, content_type=HTML)
    with override_settings(BYLINE_MENTIONS_MAX_BYTES=1000), pytest.raises(FetchError) as failed:
        fetch(other_site.url_for("/big"))
    assert failed.value.reason == "too_large"
    assert "5000 bytes, more than the limit of 1000" in str(failed.value)


def test_an_endless_body_is_read_only_up_to_the_limit(other_site):
    produced = []

    def endless(request):
        def body():
            for n in range(2000):  # 16 MB if read to the end
                produced.append(n)
                yield b"<p>" + b"x" * 8185 + b"</p>"

        return Response(body(), content_type=HTML)  # no Content-Length: chunked

    other_site.expect_request("/endless").respond_with_handler(endless)
    with (
        override_settings(BYLINE_MENTIONS_MAX_BYTES=64 * 1024),
        pytest.raises(FetchError) as failed,
    ):
        fetch(other_site.url_for("/endless"))
    assert failed.value.reason == "too_large"
    time.sleep(0.2)  # let the server notice the closed connection
    # Stopped long before the end: only what the socket buffers held (a few MB) was sent.
    assert len(produced) < 1000


def test_a_compressed_body_counts_its_unpacked_size(other_site):
    bomb = gzip.compress(b"<p>" + b"a" * 5_000_000 + b"</p>")
    other_site.expect_request("/bomb").respond_with_data(
        bomb, content_type=HTML, headers={"Content-Encoding": "gzip"}
    )
    with override_settings(BYLINE_MENTIONS_MAX_BYTES=100_000), pytest.raises(FetchError) as failed:
        fetch(other_site.url_for("/bomb"))
    assert len(bomb) < 100_000  # small on the wire
    assert failed.value.reason == "too_large"


def redirect_chain(server, hops):
    for n in range(hops):
        server.expect_request(f"/hop{n}").respond_with_data(
            "", status=302, headers={"Location": f"/hop{n + 1}"}
        )
    server.expect_request(f"/hop{hops}").respond_with_data("<p>arrived</p>", content_type=HTML)


def test_redirects_are_followed_up_to_the_limit(other_site):
    redirect_chain(other_site, 3)
    with override_settings(BYLINE_MENTIONS_MAX_REDIRECTS=3):
        result = fetch(other_site.url_for("/hop0"))
    assert result.body == b"<p>arrived</p>"
    assert result.url == other_site.url_for("/hop3")
    assert len(result.redirects) == 3


def test_one_redirect_too_many_is_refused(other_site):
    redirect_chain(other_site, 4)
    with (
        override_settings(BYLINE_MENTIONS_MAX_REDIRECTS=3),
        pytest.raises(FetchError) as failed,
    ):
        fetch(other_site.url_for("/hop0"))
    assert failed.value.reason == "too_many_redirects"
    assert len(other_site.log) == 4  # the fourth redirect is not followed


@pytest.mark.parametrize(
    "location",
    ["http://10.0.0.1/internal", "http://169.254.169.254/latest/", "http://[::ffff:a00:1]/"],
)
def test_a_redirect_to_a_refused_address_is_not_followed(other_site, location):
    other_site.expect_request("/jump").respond_with_data(
        "", status=301, headers={"Location": location}
    )
    with pytest.raises(AddressRefused):
        fetch(other_site.url_for("/jump"))


@pytest.mark.parametrize(
    "content_type, accepted",
    [
        ("text/html; charset=utf-8", True),
        ("application/xhtml+xml", True),
        ("text/plain", True),
        ("application/pdf", False),
        ("image/png", False),
        ("application/octet-stream", False),
        ("", False),
    ],
)
def test_sources_must_be_html_or_text(other_site, content_type, accepted):
    response = Response(b"<p>link</p>")
    if content_type:
        response.headers["Content-Type"] = content_type
    else:
        del response.headers["Content-Type"]
    other_site.expect_request("/doc").respond_with_response(response)
    if accepted:
        assert fetch(other_site.url_for("/doc"), accept_types=SOURCE_TYPES).body == b"<p>link</p>"
    else:
        with pytest.raises(FetchError) as failed:
            fetch(other_site.url_for("/doc"), accept_types=SOURCE_TYPES)
        assert failed.value.reason == "content_type"


def test_a_closed_port_is_unreachable_not_an_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free once closed
    with pytest.raises(FetchError) as failed:
        fetch(f"http://127.0.0.1:{port}/gone")
    assert failed.value.reason == "unreachable"


def test_the_loopback_setting_allows_this_machine_by_name_and_number(other_site):
    other_site.expect_request("/post").respond_with_data("<p>local</p>", content_type=HTML)
    assert fetch(other_site.url_for("/post")).body == b"<p>local</p>"
    assert fetch(by_name(other_site, "/post")).body == b"<p>local</p>"
    assert other_site.log[0][0].headers["User-Agent"].startswith("Byline-Mentions/")
