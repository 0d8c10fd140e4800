"""Helpers for the pingback and webmention tests (tests/test_mentions_*.py).

`other_site` is a real HTTP server on 127.0.0.1 (pytest-httpserver, threaded so a
slow handler does not hold up the next request) playing the rest of the web: a blog
whose post links to one of our articles, or a site our articles link to that
advertises its endpoints. `trickling_source` is a raw socket server that answers
one byte at a time, the way a hostile source holds a fetch open. Only loopback
addresses are ever contacted.

Background work runs as tests say: `run_periodic_job` runs one of the plugin's
periodic jobs the way the clock does (queued on the task backend, which in the
test settings runs it at once).
"""

import contextlib
import socket
import threading
import time

import pytest
from byline_comments.models import Comment
from byline_mentions.models import MentionSettings
from django.test import override_settings
from pytest_httpserver import HTTPServer
from wagtail.models import Site

from tests.factories import make_article


@pytest.fixture(scope="session")
def _other_site_server():
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def other_site(_other_site_server):
    _other_site_server.clear()
    yield _other_site_server
    _other_site_server.clear()


def by_name(server, path):
    """The server's URL for `path` with the host name localhost instead of 127.0.0.1."""
    return f"http://localhost:{server.port}{path}"


def blog_post(link_to=None, *, title="A walk along the harbour", extra="", h_entry=""):
    """An HTML blog post; with `link_to`, its second paragraph links there."""
    link = (
        f'<p>Before the walk I read <a href="{link_to}">the Courier\'s report</a> about the '
        "new ferry timetable, which changes everything for commuters.</p>"
        if link_to
        else "<p>Nothing about any newspaper here.</p>"
    )
    return (
        "<!DOCTYPE html><html><head>"
        f"<title>{title}</title>"
        '<meta property="og:site_name" content="Harbour Walks">'
        "</head><body>"
        f"<article {h_entry}><h1>{title}</h1>"
        "<p>The morning was grey and the gulls were loud.</p>"
        f"{link}{extra}</article></body></html>"
    )


def h_entry_post(link_to, *, author="Jo Marsh", author_url="https://jo.example/"):
    """A microformats2 h-entry with a name, an author h-card and content linking to us."""
    return (
        "<!DOCTYPE html><html><head><title>Jo's notebook</title></head><body>"
        '<article class="h-entry">'
        '<h1 class="p-name">Ferries, finally</h1>'
        f'<a class="p-author h-card" href="{author_url}">{author}</a>'
        '<div class="e-content"><p>Good news for island commuters: '
        f'<a href="{link_to}">the new timetable</a> adds an evening crossing.</p></div>'
        "</article></body></html>"
    )


def mention_article(**fields):
    fields.setdefault("title", "New ferry timetable adds evening crossing")
    return make_article(**fields)


def mentions_of(article):
    return list(
        Comment.objects.filter(article=article, kind__in=["pingback", "webmention"]).order_by("pk")
    )


def mention_settings(**values):
    settings = MentionSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    return settings


@contextlib.contextmanager
def only_global_addresses():
    """Production's guard: loopback refused. (Tests then must not fetch anything allowed.)"""
    with override_settings(BYLINE_MENTIONS_ALLOWED_ADDRESSES=["global"]):
        yield


def run_periodic_job(name):
    """Queue the registered periodic job `name` as the clock does; its task result."""
    from cms.plugins.registries import periodic_jobs

    [job] = [job for job in periodic_jobs.jobs() if job.name == name]
    return job.task.enqueue()


def verify_waiting():
    """What the clock does every minute for received webmentions."""
    return run_periodic_job("mentions_verify_waiting")


# A source that answers one byte at a time --------------------------------------------

TRICKLED_ANSWER = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
    b"X-Slowly: " + b"." * 60 + b"\r\nContent-Length: 11\r\n\r\n<p>late</p>"
)


class TricklingServer:
    """A TCP server on 127.0.0.1 that sends each connection its answer one byte at a time.

    A byte every `interval` seconds passes any read timeout longer than that,
    while the whole answer takes len(answer) * interval seconds (about 50 s
    for TRICKLED_ANSWER at 0.3 s). `accepted` lists the connections made;
    `bytes_sent` what each received before the client went away.
    """

    def __init__(self, answer=TRICKLED_ANSWER, interval=0.3):
        self.answer, self.interval = answer, interval
        self.accepted, self.bytes_sent = [], []
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.port = self._listener.getsockname()[1]
        self._threads = [threading.Thread(target=self._serve, daemon=True)]
        self._threads[0].start()

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        self._stop.set()
        for thread in list(self._threads):
            thread.join(5)
        self._listener.close()

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            self.accepted.append(time.monotonic())
            thread = threading.Thread(target=self._trickle, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _trickle(self, conn):
        sent = 0
        with conn:
            for byte in self.answer:
                if self._stop.wait(self.interval):
                    break
                try:
                    conn.sendall(bytes([byte]))
                except OSError:  # the client hung up: what the test wants to see
                    break
                sent += 1
        self.bytes_sent.append(sent)


@pytest.fixture
def trickling_source():
    server = TricklingServer()
    yield server
    server.stop()
