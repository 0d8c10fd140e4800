"""Sending mentions on publish: discover each linked page's endpoint, notify it once, retry.

The pages our article links to live on a real server on 127.0.0.1, which advertises
Webmention and Pingback endpoints in the ways the specifications allow and records
what it receives. Publishing runs the `after_article_publish` event when its
transaction commits (the tests run those callbacks).
"""

import subprocess
import sys
import xmlrpc.client
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from byline_mentions import sending
from byline_mentions.fetching import FetchResult
from byline_mentions.models import SentMention
from byline_mentions.parsing import discover_endpoints
from django.test import override_settings
from django.utils import timezone
from urllib3 import HTTPHeaderDict
from werkzeug import Response

from tests.mentions_support import (
    _other_site_server,
    mention_article,
    mention_settings,
    other_site,
    run_periodic_job,
)

__all__ = ["_other_site_server", "other_site"]

pytestmark = pytest.mark.django_db

QUEUEING_BACKEND = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
HTML = "text/html; charset=utf-8"


def paragraph(*urls):
    links = " ".join(f'<a href="{url}">link {n}</a>' for n, url in enumerate(urls))
    return ("paragraph", f"<p>Read more: {links}.</p>")


def send_due():
    """What the clock does every minute: the periodic job that sends due mentions."""
    run_periodic_job("mentions_send_due")


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish an article (or a new revision of one), then let the sender run.

    The publish event runs when the transaction commits. With the immediate task
    backend the sends are only recorded, for the periodic job `mentions_send_due`,
    so that is run next (unless `send=False`).
    """

    def publish(article=None, body=(), send=True, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            if article is None:
                article = mention_article(body=body, **fields)
            else:
                article.body = list(body) if body else article.body
                article.save_revision().publish()
        if send:
            send_due()
        return article

    return publish


def received(server, path, method="POST"):
    return [
        request for request, _ in server.log if request.path == path and request.method == method
    ]


def pingback_answer(text="Thanks!"):
    return xmlrpc.client.dumps((text,), methodresponse=True)


def fault_answer(code, message):
    return xmlrpc.client.dumps(xmlrpc.client.Fault(code, message), methodresponse=True)


def advertise(server, path, *, link_header=None, html_head="", x_pingback=None, status=200):
    headers = {}
    if link_header:
        headers["Link"] = link_header
    if x_pingback:
        headers["X-Pingback"] = x_pingback
    server.expect_request(path, method="GET").respond_with_data(
        f"<html><head>{html_head}</head><body><p>A page.</p></body></html>",
        status=status,
        content_type=HTML,
        headers=headers,
    )
    return server.url_for(path)


# Publishing sends ----------------------------------------------------------------------------


@pytest.mark.extension_point("after_article_publish")
def test_publishing_notifies_each_linked_page_by_its_advertised_endpoint(publish, other_site):
    header_target = advertise(
        other_site, "/header", link_header='</endpoints/wm?site=1>; rel="webmention"'
    )
    html_target = advertise(
        other_site, "/html", html_head='<link rel="webmention" href="/endpoints/wm2">'
    )
    pingback_target = advertise(
        other_site, "/old-blog", x_pingback=other_site.url_for("/xmlrpc.php")
    )
    silent_target = advertise(other_site, "/silent")
    other_site.expect_request("/endpoints/wm", method="POST").respond_with_data("", status=202)
    other_site.expect_request("/endpoints/wm2", method="POST").respond_with_data("", status=201)
    other_site.expect_request("/xmlrpc.php", method="POST").respond_with_data(
        pingback_answer(), content_type="text/xml"
    )

    article = publish(
        body=[
            paragraph(header_target, html_target, "http://localhost/news/our-own-story/"),
            ("paragraph", '<p>An <a linktype="page" id="3">internal link</a>.</p>'),
            (
                "quotation",
                {
                    "quote": "Old news.",
                    "attribution": "",
                    "source": "",
                    "source_url": pingback_target,
                },
            ),
            paragraph(silent_target, header_target + "#again"),
        ]
    )
    source = article.get_full_url()

    [webmention] = received(other_site, "/endpoints/wm")
    assert webmention.args.to_dict() == {"site": "1"}  # the endpoint's query string is kept
    assert webmention.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(webmention.get_data(as_text=True)) == {
        "source": [source],
        "target": [header_target],
    }
    [webmention2] = received(other_site, "/endpoints/wm2")
    assert parse_qs(webmention2.get_data(as_text=True))["target"] == [html_target]
    [pingback] = received(other_site, "/xmlrpc.php")
    params, method = xmlrpc.client.loads(pingback.get_data())
    assert (method, params) == ("pingback.ping", (source, pingback_target))

    log = {m.target_url: m for m in SentMention.objects.filter(article=article)}
    assert set(log) == {header_target, html_target, pingback_target, silent_target}
    assert (log[header_target].status, log[header_target].protocol) == ("sent", "webmention")
    assert log[header_target].endpoint == other_site.url_for("/endpoints/wm") + "?site=1"
    assert log[header_target].response_status == 202
    assert (log[html_target].status, log[html_target].response_status) == ("sent", 201)
    assert (log[pingback_target].status, log[pingback_target].protocol) == ("sent", "pingback")
    assert log[pingback_target].detail == "registered: Thanks!"
    assert log[silent_target].status == "no_endpoint"
    assert all(m.attempts == 1 for m in log.values())


def test_each_target_is_notified_once_however_often_the_article_is_published(publish, other_site):
    first = advertise(other_site, "/first", link_header='</wm>; rel="webmention"')
    second = advertise(other_site, "/second", link_header='</wm>; rel="webmention"')
    other_site.expect_request("/wm", method="POST").respond_with_data("", status=202)
    article = publish(body=[paragraph(first)])
    publish(article)  # a new revision, same links
    publish(article, body=[paragraph(first, second)])  # one new link

    targets = [parse_qs(r.get_data(as_text=True))["target"][0] for r in received(other_site, "/wm")]
    assert targets == [first, second]
    assert SentMention.objects.filter(article=article).count() == 2


def test_a_site_can_turn_sending_off(publish, other_site):
    mention_settings(send_on_publish=False)
    target = advertise(other_site, "/page", link_header='</wm>; rel="webmention"')
    publish(body=[paragraph(target)])
    assert other_site.log == []
    assert SentMention.objects.count() == 0


def test_publishing_never_waits_for_other_sites(publish, other_site):
    target = advertise(other_site, "/page", link_header='</wm>; rel="webmention"')
    other_site.expect_request("/wm", method="POST").respond_with_data("", status=202)
    article = publish(body=[paragraph(target)], send=False)

    assert other_site.log == []  # nobody was contacted while publishing
    mention = SentMention.objects.get(article=article)
    assert (mention.status, mention.attempts) == ("queued", 0)
    send_due()
    mention.refresh_from_db()
    assert (mention.status, mention.attempts) == ("sent", 1)
    assert len(received(other_site, "/wm")) == 1


@override_settings(TASKS=QUEUEING_BACKEND)
def test_with_a_real_queue_publishing_queues_one_task_and_workers_send(publish, other_site):
    from django_tasks import default_task_backend

    target = advertise(other_site, "/page", link_header='</wm>; rel="webmention"')
    other_site.expect_request("/wm", method="POST").respond_with_data("", status=202)
    article = publish(body=[paragraph(target)], send=False)

    ours = [r for r in default_task_backend.results if r.task.name.startswith("send_")]
    assert [(r.task.name, r.args) for r in ours] == [("send_article_mentions", [article.pk])]
    assert other_site.log == []  # nobody was contacted while publishing

    # The worker: the article task queues one task per target, which sends.
    ours[0].task.call(*ours[0].args)
    [send] = [r for r in default_task_backend.results if r.task.name == "send_mention"]
    send.task.call(*send.args)
    assert len(received(other_site, "/wm")) == 1
    assert SentMention.objects.get().status == "sent"


# Retries ----------------------------------------------------------------------------------


def flaky_endpoint(server, failures, path="/wm"):
    calls = []

    def handler(request):
        calls.append(request)
        return Response("busy", status=503) if len(calls) <= failures else Response("", 202)

    server.expect_request(path, method="POST").respond_with_handler(handler)
    return calls


def test_a_busy_endpoint_is_retried_later_with_growing_delays(publish, other_site):
    target = advertise(other_site, "/page", link_header='</wm>; rel="webmention"')
    calls = flaky_endpoint(other_site, failures=2)
    before = timezone.now()
    article = publish(body=[paragraph(target)])

    mention = SentMention.objects.get(article=article)
    assert (mention.status, mention.attempts) == ("retrying", 1)
    assert mention.detail == "endpoint answered HTTP 503"
    assert timedelta(seconds=59) < mention.next_attempt_at - before < timedelta(seconds=70)
    assert sending.deliver(mention.pk) is None  # not due yet: nothing is sent

    second = sending.deliver(mention.pk, now=mention.next_attempt_at)
    assert (second.status, second.attempts) == ("retrying", 2)
    delay = second.next_attempt_at - second.last_attempt_at
    assert delay == timedelta(seconds=240)  # 60 s, then 4 minutes, then 16

    # The periodic job resends what is due.
    SentMention.objects.filter(pk=mention.pk).update(next_attempt_at=timezone.now())
    send_due()
    mention.refresh_from_db()
    assert (mention.status, mention.attempts, mention.response_status) == ("sent", 3, 202)
    assert len(calls) == 3
    assert len(received(other_site, "/page", method="GET")) == 1  # discovered once


def test_retries_are_bounded(publish, other_site):
    target = advertise(other_site, "/page", link_header='</wm>; rel="webmention"')
    calls = flaky_endpoint(other_site, failures=99)
    with override_settings(BYLINE_MENTIONS_SEND_MAX_ATTEMPTS=3):
        article = publish(body=[paragraph(target)])
        mention = SentMention.objects.get(article=article)
        while mention.status == "retrying":
            mention = sending.deliver(mention.pk, now=mention.next_attempt_at)
    assert mention.status == "failed"
    assert mention.detail == "gave up after 3 attempts: endpoint answered HTTP 503"
    assert len(calls) == 3
    assert sending.deliver(mention.pk, now=timezone.now() + timedelta(days=1)) is None


@override_settings(TASKS=QUEUEING_BACKEND)
def test_with_a_real_queue_a_retry_is_queued_for_later(other_site):
    from byline_mentions.tasks import send_mention
    from django_tasks import default_task_backend

    target = advertise(other_site, "/page", link_header='</wm>; rel="webmention"')
    flaky_endpoint(other_site, failures=1)
    article = mention_article()
    mention = SentMention.objects.create(article=article, target_url=target)

    send_mention.call(mention.pk)

    mention.refresh_from_db()
    [retry] = [r for r in default_task_backend.results if r.task.name == "send_mention"]
    assert retry.args == [mention.pk]
    assert retry.task.run_after == mention.next_attempt_at


@pytest.mark.parametrize(
    "status, outcome, detail",
    [
        (404, "failed", "target answered HTTP 404"),
        (410, "failed", "target answered HTTP 410"),
        (500, "retrying", "target answered HTTP 500"),
        (429, "retrying", "target answered HTTP 429"),
    ],
)
def test_a_target_page_that_fails(publish, other_site, status, outcome, detail):
    target = advertise(other_site, "/page", status=status)
    article = publish(body=[paragraph(target)])
    mention = SentMention.objects.get(article=article)
    assert (mention.status, mention.detail) == (outcome, detail)


@pytest.mark.parametrize(
    "answer, outcome, detail",
    [
        (fault_answer(0x0030, "Already registered"), "sent", "already registered at the target"),
        (fault_answer(0x0011, "No link"), "failed", "fault 0x0011: No link"),
        (fault_answer(0x0032, "Upstream"), "retrying", "fault 0x0032: Upstream"),
        ("<html>not xml-rpc</html>", "failed", "fault -32700"),
    ],
)
def test_pingback_answers(publish, other_site, answer, outcome, detail):
    target = advertise(other_site, "/page", x_pingback=other_site.url_for("/rpc"))
    other_site.expect_request("/rpc", method="POST").respond_with_data(
        answer, content_type="text/xml"
    )
    article = publish(body=[paragraph(target)])
    mention = SentMention.objects.get(article=article)
    assert mention.status == outcome
    assert mention.detail.startswith(detail)


# The guard applies to sending too ------------------------------------------------------------


def test_an_endpoint_on_a_private_address_is_refused_and_never_contacted(publish, other_site):
    target = advertise(
        other_site, "/trap", link_header='<http://10.0.0.1/internal/webmention>; rel="webmention"'
    )
    article = publish(body=[paragraph(target)])
    mention = SentMention.objects.get(article=article)
    assert mention.status == "failed"
    assert mention.detail == "address refused: 10.0.0.1 is a private address; refused"


def test_links_to_other_hosts_are_refused_without_a_dns_lookup_in_tests(publish):
    article = publish(body=[paragraph("https://blog.example/post")])
    mention = SentMention.objects.get(article=article)
    assert mention.status == "failed"
    assert "blog.example was not looked up" in mention.detail


# Finding the links and the endpoints --------------------------------------------------------


def test_the_links_of_every_block_are_found_once_and_our_own_left_out():
    article = mention_article(
        body=[
            paragraph("https://a.example/1", "https://a.example/1#dup", "http://localhost/own/"),
            ("embed", {"embed": "https://video.example/watch/1", "caption": "A tour"}),
            ("quotation", {"quote": "Q", "attribution": "", "source": "", "source_url": ""}),
            ("paragraph", '<p><a href="mailto:desk@example.org">mail</a></p>'),
        ],
        publish=False,
    )
    assert sending.external_links(article) == [
        "https://a.example/1",
        "https://video.example/watch/1",
    ]


def page_result(url="https://target.example/post", headers=(), html="", content_type=HTML):
    header_dict = HTTPHeaderDict()
    header_dict.add("Content-Type", content_type)
    for name, value in headers:
        header_dict.add(name, value)
    return FetchResult(url, 200, header_dict, html.encode())


@pytest.mark.parametrize(
    "headers, html, expected",
    [
        # HTTP Link header: absolute, relative, unquoted rel, several rels, odd case.
        ([("Link", '<https://e.example/wm>; rel="webmention"')], "", "https://e.example/wm"),
        ([("Link", '</wm>; rel="webmention"')], "", "https://target.example/wm"),
        ([("Link", "<wm>; rel=webmention")], "", "https://target.example/wm"),
        ([("LinK", '</wm>; rel="somethingelse webmention"')], "", "https://target.example/wm"),
        ([("Link", '</wm>; rel="not-webmention"')], "", ""),
        # Several Link headers, several values in one header.
        (
            [("Link", '</a>; rel="other"'), ("Link", '</b>; rel="webmention"')],
            "",
            "https://target.example/b",
        ),
        ([("Link", '</a>; rel="other", </c>; rel="webmention"')], "", "https://target.example/c"),
        # The header wins over the document.
        (
            [("Link", '</header>; rel="webmention"')],
            '<link rel="webmention" href="/html">',
            "https://target.example/header",
        ),
        # <link> and <a>: the first in document order, with an href; comments don't count.
        ([], '<link rel="webmention" href="/l">', "https://target.example/l"),
        (
            [],
            '<a rel="webmention" href="/a">x</a><link rel="webmention" href="/l">',
            "https://target.example/a",
        ),
        (
            [],
            '<link rel="webmention"><a rel="webmention" href="/a">x</a>',
            "https://target.example/a",
        ),
        (
            [],
            '<!-- <link rel="webmention" href="/c"> --><a rel="webmention" href="/a">x</a>',
            "https://target.example/a",
        ),
        # An empty href is the page itself; a query string is kept.
        ([], '<link rel="webmention" href="">', "https://target.example/post"),
        ([], '<link rel="webmention" href="/wm?version=1">', "https://target.example/wm?version=1"),
        # <base> changes what relative means.
        (
            [],
            '<base href="https://cdn.example/x/"><link rel="webmention" href="wm">',
            "https://cdn.example/x/wm",
        ),
    ],
)
def test_webmention_endpoint_discovery(headers, html, expected):
    result = page_result(headers=headers, html=f"<html><head>{html}</head><body></body></html>")
    assert discover_endpoints(result, True).webmention == expected


def test_a_relative_endpoint_resolves_against_the_page_after_redirects(other_site):
    from byline_mentions.fetching import fetch

    other_site.expect_request("/old").respond_with_data(
        "", status=301, headers={"Location": "/new/page"}
    )
    advertise(other_site, "/new/page", link_header='<wm>; rel="webmention"')
    result = fetch(other_site.url_for("/old"))
    assert discover_endpoints(result, True).webmention == other_site.url_for("/new/wm")


def test_a_linked_file_is_not_downloaded_to_look_for_endpoints(publish, other_site):
    other_site.expect_request("/report.pdf").respond_with_data(
        b"%PDF" + b"x" * 3_000_000,
        content_type="application/pdf",
        headers={"Link": '</wm>; rel="webmention"'},
    )
    other_site.expect_request("/wm", method="POST").respond_with_data("", status=202)
    article = publish(body=[paragraph(other_site.url_for("/report.pdf"))])
    mention = SentMention.objects.get(article=article)
    assert (mention.status, mention.endpoint) == ("sent", other_site.url_for("/wm"))


def test_pingback_endpoint_discovery():
    by_header = page_result(headers=[("X-Pingback", "https://target.example/xmlrpc.php")])
    assert discover_endpoints(by_header, True).pingback == "https://target.example/xmlrpc.php"
    by_link = page_result(html='<html><head><link rel="pingback" href="/rpc"></head></html>')
    assert discover_endpoints(by_link, True).pingback == "https://target.example/rpc"
    not_html = page_result(html='<link rel="pingback" href="/rpc">', content_type="text/plain")
    assert discover_endpoints(not_html, False).pingback == ""


# The admin log ------------------------------------------------------------------------------


def test_the_sending_log_is_in_the_admin_and_read_only(
    client, django_user_model, publish, other_site
):
    target = advertise(other_site, "/silent")
    article = publish(body=[paragraph(target)])
    mention = SentMention.objects.get(article=article)
    admin = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(admin)

    listing = client.get("/admin/sent_mentions/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert target in html and "No endpoint" in html and article.title in html
    assert "/admin/sent_mentions/new/" not in html
    assert client.get("/admin/sent_mentions/new/").status_code == 404
    assert client.get(f"/admin/sent_mentions/edit/{mention.pk}/").status_code == 404
    assert client.get(f"/admin/sent_mentions/delete/{mention.pk}/").status_code == 404
    inspect = client.get(f"/admin/sent_mentions/inspect/{mention.pk}/")
    assert inspect.status_code == 200
    assert "advertises no Webmention or Pingback endpoint" in inspect.content.decode()
    assert client.get("/admin/received_mentions/").status_code == 200
    assert "Mentions" in client.get("/admin/").content.decode()


# Without the comments plugin -----------------------------------------------------------------


def test_with_comments_disabled_the_system_check_says_so_and_nothing_breaks():
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=root,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "BYLINE_DISABLED_PLUGINS": "comments",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "byline_mentions.W001" in result.stderr + result.stdout
    assert "the comments plugin is not" in result.stderr + result.stdout


def test_with_comments_off_endpoints_are_not_advertised_and_mentions_refused(
    client, monkeypatch, other_site
):
    from byline_mentions.checks import check_mentions
    from django.apps import apps

    is_installed = apps.is_installed
    monkeypatch.setattr(
        apps, "is_installed", lambda name: name != "byline_comments" and is_installed(name)
    )
    article = mention_article()
    assert [m.id for m in check_mentions()] == ["byline_mentions.W001"]
    response = client.get(article.url)
    assert response.status_code == 200
    assert "X-Pingback" not in response.headers
    assert 'rel="pingback"' not in response.content.decode()
    refused = client.post(
        "/webmention/", {"source": other_site.url_for("/p"), "target": article.get_full_url()}
    )
    assert refused.status_code == 400
    assert "its comments plugin is off" in refused.json()["message"]
    answer = client.post(
        "/xmlrpc/",
        xmlrpc.client.dumps((other_site.url_for("/p"), article.get_full_url()), "pingback.ping"),
        content_type="text/xml",
    )
    with pytest.raises(xmlrpc.client.Fault) as fault:
        xmlrpc.client.loads(answer.content)
    assert fault.value.faultCode == 0x0021
