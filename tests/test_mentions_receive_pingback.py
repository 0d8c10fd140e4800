"""Receiving pingbacks: Python's xmlrpc.client against the live site, a real blog on loopback.

Django serves the whole stack on a live server; the "blog" whose post links to our
article is a second real server on 127.0.0.1. Every Pingback 1.0 fault code is
provoked, and so are the broken requests an XML-RPC endpoint meets in the wild.
"""

import urllib.error
import urllib.request
import xmlrpc.client

import pytest
from bs4 import BeautifulSoup
from byline_comments.models import CommentStatus
from byline_comments.services import moderate, set_comments_closed
from byline_mentions.models import ReceivedMention
from django.test import override_settings

from tests.comment_support import site_settings
from tests.mentions_support import (
    _other_site_server,
    blog_post,
    by_name,
    mention_article,
    mention_settings,
    mentions_of,
    only_global_addresses,
    other_site,
)

__all__ = ["_other_site_server", "other_site"]

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def endpoint(live_server):
    return f"{live_server.url}/xmlrpc/"


@pytest.fixture
def client_proxy(endpoint):
    return xmlrpc.client.ServerProxy(endpoint)


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


@pytest.mark.extension_point("register_template_slots")
def test_articles_advertise_both_endpoints_in_headers_and_head(live_server):
    article = mention_article()
    with urllib.request.urlopen(live_server.url + article.url, timeout=10) as response:  # noqa: S310
        headers, html = response.headers, response.read().decode()
    assert headers["X-Pingback"] == f"{live_server.url}/xmlrpc/"
    assert f'<{live_server.url}/webmention/>; rel="webmention"' in headers["Link"]
    head = BeautifulSoup(html, "html.parser").head
    assert head.find("link", rel="pingback")["href"] == f"{live_server.url}/xmlrpc/"
    assert head.find("link", rel="webmention")["href"] == f"{live_server.url}/webmention/"


def test_other_pages_advertise_nothing(live_server):
    mention_article()
    with urllib.request.urlopen(live_server.url + "/", timeout=10) as response:  # noqa: S310
        headers, html = response.headers, response.read().decode()
    assert "X-Pingback" not in headers
    assert "webmention" not in headers.get("Link", "")
    head = BeautifulSoup(html, "html.parser").head
    assert head.find("link", rel="pingback") is None
    assert head.find("link", rel="webmention") is None


@pytest.mark.extension_point("register_setting")
def test_a_site_that_turns_pingbacks_off_stops_advertising_them(live_server):
    article = mention_article()
    mention_settings(receive_pingbacks=False)
    with urllib.request.urlopen(live_server.url + article.url, timeout=10) as response:  # noqa: S310
        headers, html = response.headers, response.read().decode()
    assert "X-Pingback" not in headers
    assert 'rel="webmention"' in headers["Link"]
    assert BeautifulSoup(html, "html.parser").head.find("link", rel="pingback") is None


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
    assert received.client_ip is None  # not kept once handled
    assert len(other_site.log) == 1  # one inbound request, one outbound fetch

    # Pending mentions are not shown; once approved it reads like a pingback and counts.
    moderate([mention], CommentStatus.APPROVED)
    with urllib.request.urlopen(live_server.url + article.url, timeout=10) as response:  # noqa: S310
        page = BeautifulSoup(response.read(), "html.parser")
    shown = page.select_one(f"#comment-{mention.pk} .comment__mention")
    assert " ".join(shown.get_text(" ").split()) == (
        "Pingback: A walk along the harbour – Harbour Walks"
    )
    assert shown.a["href"] == source
    assert page.select_one("#comments-title").get_text(strip=True) == "1 Comment so far"


def test_a_pingback_the_spam_checks_dislike_is_stored_as_spam(client_proxy, other_site):
    article = mention_article()
    source = published_post(other_site, article)
    site_settings(blocked_words="harbour walks")

    ping(client_proxy, source, article.get_full_url())

    [mention] = mentions_of(article)
    assert mention.status == CommentStatus.SPAM
    assert any(r["check"] == "blocklist" and r["verdict"] == "spam" for r in mention.check_results)


# Every fault code --------------------------------------------------------------------


def test_0x0010_source_does_not_exist(client_proxy, other_site):
    article = mention_article()
    other_site.expect_request("/deleted").respond_with_data("gone", status=404)
    fault = fault_of(client_proxy, other_site.url_for("/deleted"), article.get_full_url())
    assert fault.faultCode == 0x0010
    assert "answered HTTP 404" in fault.faultString
    assert mentions_of(article) == []
    assert ReceivedMention.objects.get().status == "rejected"


def test_0x0010_source_is_not_a_web_address(client_proxy):
    article = mention_article()
    fault = fault_of(client_proxy, "mailto:someone@example.org", article.get_full_url())
    assert fault.faultCode == 0x0010


def test_0x0010_source_too_large(client_proxy, other_site):
    article = mention_article()
    other_site.expect_request("/huge").respond_with_data(
        blog_post(article.get_full_url(), extra="<p>" + "x" * 20_000 + "</p>"),
        content_type="text/html",
    )
    with override_settings(BYLINE_MENTIONS_MAX_BYTES=10_000):
        fault = fault_of(client_proxy, other_site.url_for("/huge"), article.get_full_url())
    assert fault.faultCode == 0x0010
    assert "more than the limit of 10000" in fault.faultString


def test_0x0011_source_does_not_link_to_target(client_proxy, other_site):
    article = mention_article()
    other_site.expect_request("/unrelated").respond_with_data(blog_post(), content_type="text/html")
    fault = fault_of(client_proxy, other_site.url_for("/unrelated"), article.get_full_url())
    assert fault.faultCode == 0x0011
    assert mentions_of(article) == []


def test_0x0011_source_is_not_a_page_that_can_link(client_proxy, other_site):
    article = mention_article()
    other_site.expect_request("/photo.png").respond_with_data(b"\x89PNG", content_type="image/png")
    fault = fault_of(client_proxy, other_site.url_for("/photo.png"), article.get_full_url())
    assert fault.faultCode == 0x0011


@pytest.mark.parametrize(
    "target",
    [
        "http://localhost/no-such-article/",
        "http://localhost/",  # the home page: not an article
        "https://elsewhere.example/news/story/",  # not our site
        "not a url",
    ],
)
def test_0x0020_target_does_not_exist(client_proxy, other_site, target):
    mention_article()
    other_site.expect_request("/post").respond_with_data(
        blog_post(target), content_type="text/html"
    )
    fault = fault_of(client_proxy, other_site.url_for("/post"), target)
    assert fault.faultCode == 0x0020
    assert other_site.log == []  # refused before fetching anything


def test_0x0020_target_is_a_draft(client_proxy, other_site):
    draft = mention_article(publish=False)
    fault = fault_of(client_proxy, published_post(other_site, draft), draft.get_full_url())
    assert fault.faultCode == 0x0020


def test_0x0021_target_cannot_be_pinged_when_comments_are_closed(client_proxy, other_site):
    article = mention_article()
    set_comments_closed(article, True)
    fault = fault_of(client_proxy, published_post(other_site, article), article.get_full_url())
    assert fault.faultCode == 0x0021
    assert "comments on this article are closed" in fault.faultString
    assert other_site.log == []


def test_0x0021_target_cannot_be_pinged_when_the_site_turned_pingbacks_off(
    client_proxy, other_site
):
    article = mention_article()
    mention_settings(receive_pingbacks=False)
    fault = fault_of(client_proxy, published_post(other_site, article), article.get_full_url())
    assert fault.faultCode == 0x0021


def test_0x0030_a_second_pingback_from_the_same_source_is_already_registered(
    client_proxy, other_site
):
    article = mention_article()
    source = published_post(other_site, article)
    ping(client_proxy, source, article.get_full_url())
    fault = fault_of(client_proxy, source, article.get_full_url())
    assert fault.faultCode == 0x0030
    assert len(mentions_of(article)) == 1
    assert len(other_site.log) == 1  # the second request fetched nothing


def test_0x0031_access_denied_past_the_per_source_rate_limit(client_proxy, other_site):
    article = mention_article()
    other = mention_article(title="Second story")
    with override_settings(BYLINE_MENTIONS_RATE_LIMIT_PER_SOURCE=(1, 3600)):
        ping(client_proxy, published_post(other_site, article, "/a"), article.get_full_url())
        fault = fault_of(
            client_proxy, published_post(other_site, other, "/b"), other.get_full_url()
        )
    assert fault.faultCode == 0x0031
    assert "too many requests from this source" in fault.faultString
    assert len(other_site.log) == 1


def test_0x0031_access_denied_past_the_per_ip_rate_limit(client_proxy, other_site):
    article = mention_article()
    with override_settings(BYLINE_MENTIONS_RATE_LIMIT_PER_IP=(2, 3600)):
        fault_of(client_proxy, "https://a.example/x", "http://localhost/no-such-article/")
        fault_of(client_proxy, "https://b.example/x", "http://localhost/no-such-article/")
        fault = fault_of(client_proxy, published_post(other_site, article), article.get_full_url())
    assert fault.faultCode == 0x0031
    assert "too many requests from this IP address" in fault.faultString
    assert other_site.log == []


@pytest.mark.parametrize("by", ["number", "name"])
def test_0x0031_access_denied_for_a_source_on_a_loopback_address(client_proxy, other_site, by):
    article = mention_article()
    source = published_post(other_site, article)
    if by == "name":
        source = by_name(other_site, "/2026/ferries")
    with only_global_addresses():
        fault = fault_of(client_proxy, source, article.get_full_url())
    assert fault.faultCode == 0x0031
    assert "loopback address" in fault.faultString
    assert other_site.log == []  # never contacted
    assert mentions_of(article) == []


# Broken requests -----------------------------------------------------------------------


def fault_in(body):
    with pytest.raises(xmlrpc.client.Fault) as fault:
        xmlrpc.client.loads(body)
    return fault.value


@pytest.mark.parametrize(
    "body, code",
    [
        (b"this is not XML", -32700),
        (b"<?xml version='1.0'?><methodCall><methodName>pingback.ping", -32700),
        (
            b"<methodCall><params><param><value><i4>x</i4></value></param></params></methodCall>",
            -32700,
        ),
        (b"<?xml version='1.0'?><html><body>hello</body></html>", -32700),
        (b"", -32700),
        (
            b"<?xml version='1.0'?><methodResponse><params><param><value><string>x</string>"
            b"</value></param></params></methodResponse>",
            -32600,
        ),
    ],
)
def test_malformed_xml_rpc_gets_a_fault_not_an_error_page(endpoint, body, code):
    status, headers, answer = post_raw(endpoint, body)
    assert status == 200
    assert headers["Content-Type"].startswith("text/xml")
    assert fault_in(answer).faultCode == code


def test_an_xml_bomb_is_refused_at_once(endpoint):
    def entity(n):  # each entity is ten of the one before: lol9 is 10^9 "lol"s
        inner = f"&lol{n - 1};" if n > 1 else "&lol;"
        return f'<!ENTITY lol{n} "{inner * 10}">'.encode()

    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(entity(n) for n in range(1, 10))
        + b"]><methodCall><methodName>pingback.ping</methodName><params><param><value>"
        b"<string>&lol9;</string></value></param></params></methodCall>"
    )
    status, _, answer = post_raw(endpoint, bomb)
    assert status == 200
    fault = fault_in(answer)
    assert fault.faultCode == -32700
    assert "not well-formed XML-RPC" in fault.faultString


def test_an_oversized_request_gets_a_fault(endpoint):
    body = xmlrpc.client.dumps(("x" * 70_000, "y"), "pingback.ping").encode()
    status, _, answer = post_raw(endpoint, body)
    assert status == 200
    assert "larger than 65536 bytes" in fault_in(answer).faultString


def test_unknown_methods_and_multicall_are_not_found(client_proxy):
    with pytest.raises(xmlrpc.client.Fault) as fault:
        client_proxy.wp.getUsersBlogs("admin", "password")
    assert fault.value.faultCode == -32601
    multicall = xmlrpc.client.MultiCall(client_proxy)
    multicall.pingback.ping("https://a.example/", "https://b.example/")
    with pytest.raises(xmlrpc.client.Fault) as fault:
        tuple(multicall())
    assert fault.value.faultCode == -32601


@pytest.mark.parametrize(
    "params",
    [(), ("https://a.example/only-one",), (1, 2), ("a", "b", "c"), ({"a": 1}, "b")],
)
def test_wrong_parameters_get_an_invalid_params_fault(client_proxy, params):
    with pytest.raises(xmlrpc.client.Fault) as fault:
        client_proxy.pingback.ping(*params)
    assert fault.value.faultCode == -32602
    assert "two strings" in fault.value.faultString


def test_the_server_lists_its_methods(client_proxy):
    assert "pingback.ping" in client_proxy.system.listMethods()
    assert "system.multicall" not in client_proxy.system.listMethods()


def test_get_is_not_allowed(endpoint):
    status, headers, answer = post_raw(endpoint, None, method="GET")
    assert status == 405
    assert headers["Allow"] == "POST"
    assert b"POST requests only" in answer
