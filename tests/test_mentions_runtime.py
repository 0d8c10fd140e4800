"""Mentions on the runtime: nothing blocks a request, periodic jobs do the waiting work.

With the test settings' immediate backend (tasks run inline) a webmention request
only records the mention and the periodic job `mentions_verify_waiting` verifies it,
as the clock would within a minute; with a queueing backend (django-tasks' dummy
backend, the tests playing the worker) the request queues the task at once and the
job only queues again what was lost. Sources are real servers on 127.0.0.1,
including one that trickles its answer a byte at a time.
"""

import io
import time
import xmlrpc.client
from datetime import timedelta

import pytest
from byline_mentions import receiving, tasks
from byline_mentions.models import ReceivedMention, SentMention
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import default_task_backend
from django_tasks.backends.dummy import DummyBackend
from django_tasks.backends.immediate import ImmediateBackend

from cms.plugins.registries import periodic_jobs
from tests.mentions_support import (
    _other_site_server,
    blog_post,
    by_name,
    mention_article,
    mentions_of,
    other_site,
    run_periodic_job,
    trickling_source,
    verify_waiting,
)

__all__ = ["_other_site_server", "other_site", "trickling_source"]

pytestmark = pytest.mark.django_db

ENDPOINT = "/webmention/"
QUEUEING_BACKEND = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
QUICK_LIMITS = {
    "BYLINE_MENTIONS_TOTAL_TIMEOUT": 1.0,
    "BYLINE_MENTIONS_READ_TIMEOUT": 0.5,
    "BYLINE_MENTIONS_CONNECT_TIMEOUT": 0.5,
}


def serve_post(other_site, article, path="/post"):
    other_site.expect_request(path).respond_with_data(
        blog_post(article.get_full_url()), content_type="text/html; charset=utf-8"
    )
    return other_site.url_for(path)


def post(client, source, target, **extra):
    return client.post(ENDPOINT, {"source": source, "target": target}, **extra)


def queued_tasks(name):
    return [result for result in default_task_backend.results if result.task.name == name]


# The jobs ---------------------------------------------------------------------------------


@pytest.mark.extension_point("register_periodic_jobs")
def test_the_plugin_registers_its_periodic_jobs():
    jobs = {job.name: job for job in periodic_jobs.jobs()}

    assert jobs["mentions_send_due"].task is tasks.send_due_mentions
    assert jobs["mentions_verify_waiting"].task is tasks.verify_waiting_webmentions
    assert jobs["mentions_prune_log"].task is tasks.prune_received_log
    assert jobs["mentions_send_due"].schedule == "* * * * *"
    assert jobs["mentions_verify_waiting"].schedule == "* * * * *"
    assert jobs["mentions_prune_log"].schedule == "17 4 * * *"  # daily
    assert periodic_jobs.contributions()["mentions"] == 3
    assert [failure for failure in periodic_jobs.failures if failure.owner == "mentions"] == []


def test_the_manual_command_runs_the_same_jobs(client, other_site):
    article = mention_article()
    post(client, serve_post(other_site, article), article.get_full_url())
    out = io.StringIO()

    call_command("mentions_housekeeping", stdout=out)

    assert out.getvalue().splitlines() == [
        "send_due_mentions: successful",
        "verify_waiting_webmentions: successful",
        "prune_received_log: successful",
    ]
    assert ReceivedMention.objects.get().status == "accepted"


# Never in the request -----------------------------------------------------------------------


def test_a_webmention_is_answered_202_without_fetching_and_the_job_verifies_it(
    client, other_site, django_capture_on_commit_callbacks
):
    assert isinstance(tasks.verify_webmention.get_backend(), ImmediateBackend)  # runs inline
    article = mention_article()
    source = serve_post(other_site, article)

    # With whatever the request leaves to run when its transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, source, article.get_full_url())

    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    assert other_site.log == []  # the sender's page was not fetched while it waited
    received = ReceivedMention.objects.get()
    assert (received.status, received.attempts, received.source_host) == ("queued", 0, "127.0.0.1")

    assert verify_waiting().return_value == 1

    assert len(other_site.log) == 1
    status = client.get(response["Location"]).json()
    [mention] = mentions_of(article)
    assert status["status"] == "accepted"
    assert status["detail"] == f"stored as comment #{mention.pk} (awaiting moderation)"
    assert verify_waiting().return_value == 0  # run twice: nothing more to do
    assert len(other_site.log) == 1


def test_a_trickling_source_never_holds_the_request(
    client, trickling_source, django_capture_on_commit_callbacks
):
    article = mention_article()
    source = trickling_source.url("/post")

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, source, article.get_full_url())
    took = time.monotonic() - started

    assert response.status_code == 202
    assert took < 1.0  # fetching would take the default 10 s deadline
    assert trickling_source.accepted == []  # not even contacted

    with override_settings(**QUICK_LIMITS):
        started = time.monotonic()
        verify_waiting()
        took = time.monotonic() - started
    received = ReceivedMention.objects.get()
    assert received.status == "rejected"
    assert received.detail == f"source not fetched: {source} took longer than the 1 s allowed"
    assert 1.0 <= took < 2.0  # the job, too, is held no longer than the deadline
    assert mentions_of(article) == []


def test_a_pingback_from_a_trickling_source_gets_its_fault_at_the_deadline(
    client, trickling_source
):
    """Pingback must answer in the request: its fetch is bounded by the total deadline."""
    article = mention_article()
    call = xmlrpc.client.dumps(
        (trickling_source.url("/post"), article.get_full_url()), "pingback.ping"
    )

    started = time.monotonic()
    with override_settings(**QUICK_LIMITS):
        response = client.post("/xmlrpc/", call, content_type="text/xml")
    took = time.monotonic() - started

    with pytest.raises(xmlrpc.client.Fault) as fault:
        xmlrpc.client.loads(response.content)
    assert fault.value.faultCode == 0x0010
    assert "took longer than the 1 s allowed" in fault.value.faultString
    assert 1.0 <= took < 2.0
    assert ReceivedMention.objects.get().status == "rejected"


# Bounded queue ------------------------------------------------------------------------------


def test_past_the_per_source_bound_webmentions_get_429_until_the_queue_drains(client, other_site):
    article = mention_article()
    target = article.get_full_url()
    sources = [serve_post(other_site, article, f"/post-{n}") for n in range(4)]

    with override_settings(BYLINE_MENTIONS_MAX_QUEUED_PER_SOURCE=2):
        accepted = [post(client, source, target).status_code for source in sources[:2]]
        refused = post(client, sources[2], target)
        other_host = post(client, by_name(other_site, "/post-3"), target)
        verify_waiting()
        after_draining = post(client, sources[2], target)

    assert accepted == [202, 202]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert refused.json() == {
        "error": "queue_full",
        "message": "too many webmentions from this source are waiting to be verified "
        "(at most 2 at a time); try again in 60 seconds",
    }
    assert other_host.status_code == 202  # "localhost" is another source host
    assert after_draining.status_code == 202
    assert ReceivedMention.objects.filter(source_url=sources[2]).count() == 1  # the late one


def test_past_the_per_target_bound_webmentions_get_429(client):
    article, other_article = mention_article(), mention_article(title="Harbour dues rise")
    target = article.get_full_url()

    with override_settings(BYLINE_MENTIONS_MAX_QUEUED_PER_TARGET=2):
        accepted = [post(client, f"https://s{n}.example/p", target).status_code for n in range(2)]
        refused = post(client, "https://s2.example/p", target)
        elsewhere = post(client, "https://s2.example/p", other_article.get_full_url())

    assert accepted == [202, 202]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert refused.json()["message"].startswith(
        "too many webmentions for this article are waiting to be verified (at most 2 at a time)"
    )
    assert elsewhere.status_code == 202
    assert ReceivedMention.objects.filter(article=article).count() == 2


@pytest.mark.parametrize("value", [0, -5, "20", 2.5, True])
def test_a_queue_bound_that_is_not_a_positive_number_is_a_system_check_error(value):
    from byline_mentions.checks import check_mentions

    with override_settings(BYLINE_MENTIONS_MAX_QUEUED_PER_TARGET=value):
        errors = [m for m in check_mentions() if m.id == "byline_mentions.E002"]
    assert [error.msg for error in errors] == [
        "BYLINE_MENTIONS_MAX_QUEUED_PER_TARGET must be a positive whole number "
        f"(or None for no bound), not {value!r}"
    ]


@pytest.mark.parametrize("value", [None, 1, 500])
def test_a_positive_queue_bound_or_none_passes_the_system_checks(value):
    from byline_mentions.checks import check_mentions

    with override_settings(BYLINE_MENTIONS_MAX_QUEUED_PER_SOURCE=value):
        assert [m for m in check_mentions() if m.id == "byline_mentions.E002"] == []


def test_a_repeat_of_a_waiting_webmention_is_not_refused_by_the_bounds(client):
    article = mention_article()
    with override_settings(BYLINE_MENTIONS_MAX_QUEUED_PER_SOURCE=1):
        first = post(client, "https://blog.example/p", article.get_full_url())
        again = post(client, "https://blog.example/p", article.get_full_url())
    assert first.status_code == again.status_code == 202
    assert first["Location"] == again["Location"]
    assert ReceivedMention.objects.count() == 1


# Crashes and lost tasks ------------------------------------------------------------------------


def processing(received, started_minutes_ago, attempts=1):
    """`received` as a worker left it when it died `started_minutes_ago` into verifying it."""
    ReceivedMention.objects.filter(pk=received.pk).update(
        status="processing",
        started_at=timezone.now() - timedelta(minutes=started_minutes_ago),
        attempts=attempts,
    )


def test_a_webmention_left_processing_by_a_crash_is_verified_again(client, other_site):
    article = mention_article()
    post(client, serve_post(other_site, article, "/crashed"), article.get_full_url())
    post(client, serve_post(other_site, article, "/busy"), article.get_full_url())
    crashed = ReceivedMention.objects.get(source_url__endswith="/crashed")
    busy = ReceivedMention.objects.get(source_url__endswith="/busy")
    processing(crashed, started_minutes_ago=6)
    processing(busy, started_minutes_ago=1)  # a live worker may still be on it

    verify_waiting()

    crashed.refresh_from_db()
    busy.refresh_from_db()
    assert (crashed.status, crashed.attempts) == ("accepted", 2)
    assert busy.status == "processing"
    assert [request.path for request, _ in other_site.log] == ["/crashed"]
    assert len(mentions_of(article)) == 1


def test_a_webmention_whose_verification_keeps_crashing_is_given_up(client, other_site):
    article = mention_article()
    post(client, serve_post(other_site, article), article.get_full_url())
    received = ReceivedMention.objects.get()
    processing(received, started_minutes_ago=6, attempts=receiving.MAX_ATTEMPTS)

    verify_waiting()

    received.refresh_from_db()
    assert received.status == "rejected"
    assert received.detail == "verification did not finish in 3 attempts"
    assert received.client_ip is None  # personal data goes with the verdict
    assert other_site.log == []


@override_settings(TASKS=QUEUEING_BACKEND)
def test_with_a_real_queue_the_request_queues_and_the_job_queues_only_lost_work(
    client, other_site, django_capture_on_commit_callbacks
):
    article = mention_article()
    with django_capture_on_commit_callbacks(execute=True):
        post(client, serve_post(other_site, article), article.get_full_url())
    received = ReceivedMention.objects.get()
    assert [r.args for r in queued_tasks("verify_webmention")] == [[received.pk]]

    assert tasks.verify_waiting_webmentions.call() == 0  # its task is still in the queue
    ReceivedMention.objects.filter(pk=received.pk).update(
        queued_at=timezone.now() - timedelta(minutes=6)
    )
    assert tasks.verify_waiting_webmentions.call() == 1  # lost: queued again
    assert tasks.verify_waiting_webmentions.call() == 0  # once, however often the job runs

    assert len(queued_tasks("verify_webmention")) == 2
    for result in queued_tasks("verify_webmention"):  # the worker runs both: one fetch
        result.task.call(*result.args)
    received.refresh_from_db()
    assert received.status == "accepted"
    assert len(other_site.log) == 1


@override_settings(TASKS=QUEUEING_BACKEND)
def test_a_queue_that_refuses_the_task_costs_the_sender_nothing(
    client, other_site, django_capture_on_commit_callbacks, monkeypatch
):
    def queue_down(*args, **kwargs):
        raise ConnectionError("the queue is down")

    article = mention_article()
    with monkeypatch.context() as patched:
        patched.setattr(DummyBackend, "enqueue", queue_down)
        with django_capture_on_commit_callbacks(execute=True):
            response = post(client, serve_post(other_site, article), article.get_full_url())

    assert response.status_code == 202
    received = ReceivedMention.objects.get()
    assert (received.status, received.queued_at) == ("queued", None)  # marked lost
    assert tasks.verify_waiting_webmentions.call() == 1  # queued at the next run
    assert [r.args for r in queued_tasks("verify_webmention")] == [[received.pk]]


# Sending and the log ---------------------------------------------------------------------------


def sent_mention(article, path, minutes_ago=0, **fields):
    mention = SentMention.objects.create(
        article=article, target_url=f"https://elsewhere.example{path}", **fields
    )
    SentMention.objects.filter(pk=mention.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return mention


@override_settings(TASKS=QUEUEING_BACKEND)
def test_with_a_real_queue_the_send_job_queues_only_lost_sends():
    article = mention_article()
    fresh = sent_mention(article, "/fresh")  # its task is in the queue
    lost = sent_mention(article, "/lost", minutes_ago=6)
    crashed = sent_mention(
        article,
        "/crashed",
        status="sending",
        attempts=1,
        last_attempt_at=timezone.now() - timedelta(minutes=20),
    )

    assert tasks.send_due_mentions.call() == 2
    assert tasks.send_due_mentions.call() == 0  # running twice queues nothing twice

    queued = sorted(r.args[0] for r in queued_tasks("send_mention"))
    assert queued == sorted([lost.pk, crashed.pk])
    assert fresh.pk not in queued
    crashed.refresh_from_db()
    assert crashed.status == "retrying"


def test_a_send_that_keeps_crashing_is_given_up():
    article = mention_article()
    crashed = sent_mention(
        article,
        "/crashed",
        status="sending",
        attempts=4,
        last_attempt_at=timezone.now() - timedelta(minutes=20),
    )

    run_periodic_job("mentions_send_due")

    crashed.refresh_from_db()
    assert crashed.status == "failed"
    assert crashed.detail == "gave up: the attempts were used up by sends that did not finish"


def test_the_daily_job_prunes_only_old_finished_log_entries():
    article = mention_article()
    old = timezone.now() - timedelta(days=91)

    def received(status, received_at):
        return ReceivedMention.objects.create(
            protocol="webmention",
            source_url="https://blog.example/p",
            target_url=article.get_full_url(),
            status=status,
            received_at=received_at,
        )

    received("rejected", old)
    kept = [received("accepted", timezone.now()), received("queued", old)]

    assert run_periodic_job("mentions_prune_log").return_value == 1
    assert run_periodic_job("mentions_prune_log").return_value == 0
    assert sorted(ReceivedMention.objects.values_list("pk", flat=True)) == sorted(
        row.pk for row in kept
    )
