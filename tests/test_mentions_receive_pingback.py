"""Receiving pingbacks: Python's xmlrpc.client against the live site, a real blog on loopback.

Django serves the whole stack on a live server; the "blog" whose post links to our
article is a second real server on 127.0.0.1. Every Pingback 1.0 fault code is
provoked, and so are the broken requests an XML-RPC endpoint meets in the wild.
"""

import socket
import time
import urllib.error
import urllib.request
import xmlrpc.client
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from byline_comments.models import CommentStatus
from byline_comments.services import moderate, set_comments_closed
from byline_mentions.models import ReceivedMention
from django.core.cache import cache
from django.test import override_settings
from wagtail.contrib.redirects.models import Redirect

from tests.comment_support import site_settings
from tests.factories import make_section
from tests.mentions_support import (
    _other_site_server,
    blog_post,
    by_name,
    mention_article,
    mention_settings,
    mentions_of,
    other_site,
)

__all__ = ["_other_site_server", "other_site"]

HTML = "text/html; charset=utf-8"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def endpoint(live_server):
    return f"{live_server.url}/xmlrpc/"


@pytest.fixture
def client_proxy(endpoint):
    # Closed after each test: a kept-alive connection would outlive the live server.
    with xmlrpc.client.ServerProxy(endpoint) as proxy:
        yield proxy


def ping(proxy, source, target):
    return proxy.pingback.ping(source, target)


def fault_of(proxy, source, target):
    with pytest.raises(xmlrpc.client.Fault) as fault:
        ping(proxy, source, target)
    return fault.value


def post_raw(endpoint, body, content_type="text/xml", method="POST"):
    request = urllib.request.Request(
        endpoint, data=body, method=method, headers={"Content-Type": content_type}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def published_post(other_site, article, path="/2026/ferries"):
    other_site.expect_request(path).respond_with_data(
        blog_post(article.get_full_url()), content_type="text/html; charset=utf-8"
    )
    return other_site.url_for(path)


# Advertising the endpoint ------------------------------------------------------------


def fetch_page(url):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
        return response.headers, BeautifulSoup(response.read(), "html.parser")


@pytest.mark.extension_point("register_template_slots")
def test_articles_and_only_articles_advertise_both_endpoints(live_server, settings):
    settings.BYLINE_BASE_URL = live_server.url  # endpoints are advertised on the public address
    article = mention_article()
    headers, page = fetch_page(live_server.url + article.url)
    assert headers["X-Pingback"] == f"{live_server.url}/xmlrpc/"
    assert f'<{live_server.url}/webmention/>; rel="webmention"' in headers["Link"]
    assert page.head.find("link", rel="pingback")["href"] == f"{live_server.url}/xmlrpc/"
    assert page.head.find("link", rel="webmention")["href"] == f"{live_server.url}/webmention/"

    headers, page = fetch_page(live_server.url + "/")
    assert "X-Pingback" not in headers
    assert "webmention" not in headers.get("Link", "")
    assert page.head.find("link", rel="pingback") is None
    assert page.head.find("link", rel="webmention") is None


@pytest.mark.extension_point("register_setting")
def test_a_site_that_turns_pingbacks_off_neither_advertises_nor_accepts_them(
    live_server, client_proxy, other_site
):
    article = mention_article()
    mention_settings(receive_pingbacks=False)
    headers, page = fetch_page(live_server.url + article.url)
    assert "X-Pingback" not in headers
    assert 'rel="webmention"' in headers["Link"]
    assert page.head.find("link", rel="pingback") is None
    fault = fault_of(client_proxy, published_post(other_site, article), article.get_full_url())
    assert fault.faultCode == 0x0021
    assert fault.faultString.endswith("this site does not accept pingbacks")
    assert other_site.log == []


# A pingback that works -------------------------------------------------------------


@pytest.mark.extension_point("register_plugin_urls")
def test_a_real_pingback_becomes_a_pending_mention_and_then_shows_on_the_article(
    live_server, client_proxy, other_site
):
    article = mention_article()
    source = published_post(other_site, article)

    answer = ping(client_proxy, source, article.get_full_url())

    assert answer.startswith(f"Pingback from {source} to {article.get_full_url()} registered")
    [mention] = mentions_of(article)
    assert mention.kind == "pingback"
    assert mention.status == CommentStatus.PENDING  # in the moderation queue
    assert mention.source_url == source
    assert mention.source_title == "A walk along the harbour"
    assert mention.author_name == "Harbour Walks"  # the site's name, from og:site_name
    assert mention.author_url == other_site.url_for("/")
    assert "I read the Courier's report about the new ferry timetable" in mention.body
    checks = [result["check"] for result in mention.check_results]
    assert {"blocklist", "duplicate", "rate_limit"} <= set(checks)  # the comment spam pipeline
    received = ReceivedMention.objects.get()
    assert (received.protocol, received.status, received.comment_id) == (
        "pingback",
        "accepted",
        mention.pk,
    )
    assert len(other_site.log) == 1  # one inbound request, one outbound fetch

    # 0x0030: the same source again is refused at once, without fetching anything.
    fault = fault_of(client_proxy, source, article.get_full_url())
    assert fault.faultCode == 0x0030
    assert len(mentions_of(article)) == 1
    assert len(other_site.log) == 1

    # Pending mentions are not shown; once approved it reads like a pingback and counts.
    moderate([mention], CommentStatus.APPROVED)
    _, page = fetch_page(live_server.url + article.url)
    shown = page.select_one(f"#comment-{mention.pk} .comment__mention")
    assert " ".join(shown.get_text(" ").split()) == (
        "Pingback: A walk along the harbour – Harbour Walks"
    )
    assert shown.a["href"] == source
    assert page.select_one("#comments-title").get_text(strip=True) == "1 Comment so far"


def test_a_pingback_to_an_old_address_reaches_the_article(client_proxy, other_site):
    """The blog linked to the article before its slug changed and it moved: Wagtail's
    redirects from the old addresses name the article (no request to our own site)."""
    article = mention_article()
    first_url = article.get_full_url()
    article.slug = "evening-crossing-added"
    article.save_revision().publish()  # leaves a redirect from the first address
    article.refresh_from_db()
    second_url = article.get_full_url()
    article.move(make_section("Travel"), pos="last-child")  # and one from the second
    article.refresh_from_db()
    assert Redirect.objects.filter(redirect_page=article).count() == 2

    for n, old_url in enumerate([first_url, second_url]):
        path = f"/2026/ferries-{n}"
        other_site.expect_request(path).respond_with_data(blog_post(old_url), content_type=HTML)
        answer = ping(client_proxy, other_site.url_for(path), old_url)
        assert answer.startswith(f"Pingback from {other_site.url_for(path)} to {old_url}")
    assert [(m.kind, m.source_url) for m in mentions_of(article)] == [
        ("pingback", other_site.url_for("/2026/ferries-0")),
        ("pingback", other_site.url_for("/2026/ferries-1")),
    ]
    assert [request.path for request, _ in other_site.log] == ["/2026/ferries-0", "/2026/ferries-1"]

    # An old address whose redirect leads to something that is not a live article.
    Redirect.objects.create(old_path="/shop", redirect_link="https://shop.example/courier")
    fault = fault_of(
        client_proxy, other_site.url_for("/2026/ferries-0"), urljoin(first_url, "/shop/")
    )
    assert fault.faultCode == 0x0020


def test_a_pingback_the_spam_checks_dislike_is_stored_as_spam(client_proxy, other_site):
    article = mention_article()
    source = published_post(other_site, article)
    site_settings(blocked_words="harbour walks")

    ping(client_proxy, source, article.get_full_url())

    [mention] = mentions_of(article)
    assert mention.status == CommentStatus.SPAM
    assert {
        "check": "blocklist",
        "verdict": "spam",
        "reason": "contains the blocked word 'harbour walks'",
    } in mention.check_results


# Every fault code --------------------------------------------------------------------


def closed_port_url():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/post"  # nobody listens once closed


def test_every_pingback_fault_code(client_proxy, other_site, subtests):
    article = mention_article()
    closed = mention_article(title="Comments closed here")
    set_comments_closed(closed, True)
    draft = mention_article(title="Not yet published", publish=False)
    target = article.get_full_url()
    post = published_post(other_site, article, "/post")
    other_site.expect_request("/deleted").respond_with_data("gone", status=404)
    other_site.expect_request("/unrelated").respond_with_data(blog_post(), content_type=HTML)
    other_site.expect_request("/photo.png").respond_with_data(b"\x89PNG", content_type="image/png")
    other_site.expect_request("/huge").respond_with_data(
        blog_post(target, extra="<p>" + "x" * 20_000 + "</p>"), content_type=HTML
    )
    global_only = {"BYLINE_MENTIONS_ALLOWED_ADDRESSES": ["global"]}
    cases = [
        # (case, source, target, fault code, words of the fault string, settings, fetches)
        ("source 404", other_site.url_for("/deleted"), target, 0x0010, "answered HTTP 404"),
        ("source not http", "mailto:desk@example.org", target, 0x0010, "not an http(s) URL"),
        ("source unreachable", closed_port_url(), target, 0x0010, "could not connect"),
        (
            "source too large",
            other_site.url_for("/huge"),
            target,
            0x0010,
            "more than the limit of 10000",
            {"BYLINE_MENTIONS_MAX_BYTES": 10_000},
        ),
        ("no link", other_site.url_for("/unrelated"), target, 0x0011, "does not contain a link"),
        ("not a page", other_site.url_for("/photo.png"), target, 0x0011, "no link to follow"),
        ("no such article", post, "http://localhost/no-such-article/", 0x0020, "not a published"),
        ("home page", post, "http://localhost/", 0x0020, "not a published article"),
        ("other site", post, "https://elsewhere.example/news/a/", 0x0020, "not a published"),
        ("not a URL", post, "not a url", 0x0020, "not an http(s) URL of this site"),
        ("draft", post, draft.get_full_url(), 0x0020, "not a published article"),
        ("closed", post, closed.get_full_url(), 0x0021, "comments on this article are closed"),
        (
            "loopback by number",
            post,
            target,
            0x0031,
            "127.0.0.1 is a loopback address; refused",
            global_only,
        ),
        (
            "loopback by name",
            by_name(other_site, "/post"),
            target,
            0x0031,
            "localhost resolves to 127.0.0.1, which is a loopback address",
            global_only,
        ),
    ]
    fetching = {"source 404", "source too large", "no link", "not a page"}
    for name, source, case_target, code, words, *settings in cases:
        with subtests.test(msg=f"{code:#06x} {name}"):
            cache.clear()  # rate limits are tested below
            before = len(other_site.log)
            with override_settings(**(settings[0] if settings else {})):
                fault = fault_of(client_proxy, source, case_target)
            assert fault.faultCode == code
            assert words in fault.faultString
            assert len(other_site.log) - before == (1 if name in fetching else 0)
    assert mentions_of(article) == mentions_of(closed) == mentions_of(draft) == []


def test_0x0031_access_denied_past_the_rate_limits(client_proxy, other_site, subtests):
    article = mention_article()
    other = mention_article(title="Second story")
    with subtests.test(msg="per source"):
        with override_settings(BYLINE_MENTIONS_RATE_LIMIT_PER_SOURCE=(1, 3600)):
            ping(client_proxy, published_post(other_site, article, "/a"), article.get_full_url())
            fault = fault_of(
                client_proxy, published_post(other_site, other, "/b"), other.get_full_url()
            )
        assert fault.faultCode == 0x0031
        assert "too many requests from this source" in fault.faultString
        assert len(other_site.log) == 1
    with subtests.test(msg="per IP address"):
        cache.clear()
        with override_settings(BYLINE_MENTIONS_RATE_LIMIT_PER_IP=(2, 3600)):
            fault_of(client_proxy, "https://a.example/x", "http://localhost/no-such-article/")
            fault_of(client_proxy, "https://b.example/x", "http://localhost/no-such-article/")
            fault = fault_of(client_proxy, other_site.url_for("/b"), other.get_full_url())
        assert fault.faultCode == 0x0031
        assert "too many requests from this IP address" in fault.faultString
        assert len(other_site.log) == 1  # still only the first fetch


# Broken requests -----------------------------------------------------------------------


def fault_in(body):
    with pytest.raises(xmlrpc.client.Fault) as fault:
        xmlrpc.client.loads(body)
    return fault.value


def billion_laughs():
    def entity(n):  # each entity is ten of the one before: lol9 is 10^9 "lol"s
        inner = f"&lol{n - 1};" if n > 1 else "&lol;"
        return f'<!ENTITY lol{n} "{inner * 10}">'.encode()

    return (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(entity(n) for n in range(1, 10))
        + b"]><methodCall><methodName>pingback.ping</methodName><params><param><value>"
        b"<string>&lol9;</string></value></param></params></methodCall>"
    )


def test_broken_xml_rpc_gets_a_fault_never_an_error_page(endpoint, subtests):
    response_to_call = (
        b"<?xml version='1.0'?><methodResponse><params><param><value><string>x</string>"
        b"</value></param></params></methodResponse>"
    )
    cases = [
        ("not XML", b"this is not XML", -32700, "not well-formed"),
        ("cut short", b"<?xml version='1.0'?><methodCall><methodName>pingback.ping", -32700, ""),
        (
            "bad value",
            b"<methodCall><params><param><value><i4>x</i4></value></param></params></methodCall>",
            -32700,
            "",
        ),
        ("HTML", b"<html><body>hello</body></html>", -32700, ""),
        ("empty", b"", -32700, ""),
        ("a response, not a call", response_to_call, -32600, "not a methodCall"),
        ("XML bomb", billion_laughs(), -32700, "not well-formed XML-RPC"),
        (
            "oversized",
            xmlrpc.client.dumps(("x" * 70_000, "y"), "pingback.ping").encode(),
            -32700,
            "larger than 65536 bytes",
        ),
        ("unknown method", xmlrpc.client.dumps((), "wp.getUsersBlogs").encode(), -32601, ""),
        (
            "multicall",
            xmlrpc.client.dumps(
                ([{"methodName": "pingback.ping", "params": ["a", "b"]}],), "system.multicall"
            ).encode(),
            -32601,
            "'system.multicall' is not supported",
        ),
    ]
    for name, body, code, words in cases:
        with subtests.test(msg=name):
            started = time.monotonic()
            status, headers, answer = post_raw(endpoint, body)
            assert status == 200
            assert headers["Content-Type"].startswith("text/xml")
            fault = fault_in(answer)
            assert fault.faultCode == code
            assert words in fault.faultString
            assert time.monotonic() - started < 5


def test_wrong_parameters_get_an_invalid_params_fault(client_proxy, subtests):
    for params in [(), ("https://a.example/only-one",), (1, 2), ("a", "b", "c"), ({"a": 1}, "b")]:
        with subtests.test(msg=repr(params)):
            with pytest.raises(xmlrpc.client.Fault) as fault:
                client_proxy.pingback.ping(*params)
            assert fault.value.faultCode == -32602
            assert "two strings" in fault.value.faultString


def test_the_endpoint_lists_its_methods_and_refuses_get(endpoint, client_proxy):
    methods = client_proxy.system.listMethods()
    assert "pingback.ping" in methods and "system.multicall" not in methods
    status, headers, answer = post_raw(endpoint, None, method="GET")
    assert status == 405
    assert headers["Allow"] == "POST"
    assert b"POST requests only" in answer
