"""Signed webhooks (plugins/byline-webhooks): events, deliveries, retries, the admin.

A receiver on 127.0.0.1 (pytest-httpserver) plays the headless frontend that
registered an endpoint. Deliveries go through the real database task queue
and its worker (`task_queue`, `run_worker()`), so these tests also show that
publishing only records work: the receiver hears nothing until the worker runs.

Signatures are checked twice: with the Standard Webhooks reference library
(what a receiver would use) and with `spec_signature`, written from the
specification's text, so a mistake shared by signer and verifier cannot hide.
"""

import base64
import hashlib
import hmac
import io
import json
import os
import subprocess
import sys
from datetime import UTC, timedelta
from pathlib import Path

import pytest
import time_machine
from byline_comments.services import moderate
from byline_webhooks import delivery as delivery_module
from byline_webhooks.models import Delivery, Endpoint, EventType
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from standardwebhooks import Webhook, WebhookVerificationError
from wagtail.models import ModelLogEntry

from cms.plugins import discovered_plugins
from cms.runtime import clock
from tests.comment_support import make_comment
from tests.factories import make_article, make_section
from tests.mentions_support import _other_site_server
from tests.runtime_support import run_worker, task_results
from tests.test_admin import article_form

pytestmark = pytest.mark.django_db

__all__ = ["_other_site_server"]  # the loopback receiver, shared with the mention tests

ROOT = Path(__file__).resolve().parent.parent
ALL_EVENTS = list(EventType.values)


# The receiver ------------------------------------------------------------------------------


@pytest.fixture
def receiver(_other_site_server):
    """A webhook receiver answering 200 on /hook unless a test says otherwise."""
    _other_site_server.clear()
    yield _other_site_server
    _other_site_server.clear()


def accept(receiver, path="/hook", status=200, body="ok"):
    receiver.expect_request(path, method="POST").respond_with_data(body, status=status)


def endpoint(receiver, path="/hook", events=ALL_EVENTS, **fields):
    fields.setdefault("description", f"Frontend {path}")
    return Endpoint.objects.create(url=receiver.url_for(path), events=list(events), **fields)


def received(receiver, path="/hook"):
    """The requests the receiver got on `path`, in order."""
    return [request for request, _response in receiver.log if request.path == path]


def message(request):
    return json.loads(request.get_data())


# Verifying as a receiver would ------------------------------------------------------------


def spec_signature(secret, message_id, timestamp, body):
    """Standard Webhooks v1, from the specification: base64 HMAC-SHA256 of 'id.timestamp.body'
    keyed with the base64-decoded part of the secret after 'whsec_'."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def verify(secret, request, body=None):
    """The reference library's verification (signature and a 5-minute timestamp window)."""
    headers = {name: value for name, value in request.headers.items()}
    return Webhook(secret).verify(request.get_data() if body is None else body, headers)


def publish_scheduled():
    """Wagtail's scheduled publishing, as the clock's job runs it."""
    call_command("publish_scheduled", stdout=io.StringIO())


def signatures(request):
    return request.headers["webhook-signature"].split(" ")


# Events: each produces exactly one delivery of the right type ---------------------------------


@pytest.mark.extension_point("after_article_publish")
def test_publishing_records_a_delivery_and_only_the_worker_sends_it(
    task_queue, receiver, django_capture_on_commit_callbacks
):
    accept(receiver)
    hook = endpoint(receiver)
    section = make_section("Coast")
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(section, title="Ferry timetable changes")

    # Publishing only recorded the delivery and queued its task.
    assert receiver.log == []
    [delivery] = Delivery.objects.all()
    assert (delivery.endpoint, delivery.event_type, delivery.status) == (
        hook,
        "article.published",
        "pending",
    )
    ours = [r.task_path for r in task_results() if r.task_path.startswith("byline_webhooks")]
    assert ours == ["byline_webhooks.tasks.deliver_webhook"]

    run_worker()
    [request] = received(receiver)
    assert request.headers["Content-Type"] == "application/json"
    body = message(request)
    assert body["type"] == "article.published"
    assert body["data"] == {
        "id": article.pk,
        "title": "Ferry timetable changes",
        "url": f"http://testserver/coast/{article.slug}/",
        "publication_date": article.publication_date.astimezone(UTC)
        .isoformat()
        .replace("+00:00", "Z"),
        "section": {"id": section.pk, "title": "Coast", "slug": "coast"},
    }
    assert body["timestamp"].endswith("Z")
    assert verify(hook.secret, request) == body
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 200)
    assert delivery.response_excerpt == "ok"
    assert request.headers["webhook-id"] == delivery.message_id


def test_publishing_through_the_admin_sends_article_published(
    task_queue, receiver, admin_client, django_capture_on_commit_callbacks
):
    from tests.factories import make_author

    accept(receiver)
    endpoint(receiver)
    section = make_section("Coast")
    data = article_form(make_author("Nia Berg"))
    data["action-publish"] = "Publish"
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, data).status_code == 302
    assert receiver.log == []
    run_worker()
    [request] = received(receiver)
    assert message(request)["type"] == "article.published"
    assert message(request)["data"]["title"] == "Ferry timetable changes"


@pytest.mark.extension_point("after_article_publish")
def test_republishing_sends_article_updated(
    task_queue, receiver, django_capture_on_commit_callbacks
):
    accept(receiver)
    endpoint(receiver)
    article = make_article(title="First version")  # before the endpoint heard anything
    Delivery.objects.all().delete()
    article.title = "Second version"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    run_worker()
    [request] = received(receiver)
    assert message(request)["type"] == "article.updated"
    assert message(request)["data"]["title"] == "Second version"


@pytest.mark.extension_point("after_article_unpublish")
def test_unpublishing_sends_article_unpublished(
    task_queue, receiver, django_capture_on_commit_callbacks
):
    accept(receiver)
    article = make_article(title="Withdrawn story")
    endpoint(receiver)
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    run_worker()
    [request] = received(receiver)
    body = message(request)
    assert body["type"] == "article.unpublished"
    assert (body["data"]["id"], body["data"]["expired"]) == (article.pk, False)


@pytest.mark.extension_point("after_article_delete")
def test_deleting_sends_article_deleted_with_what_the_article_was(
    task_queue, receiver, django_capture_on_commit_callbacks
):
    accept(receiver)
    section = make_section("Coast")
    article = make_article(section, title="Deleted story")
    article_id, slug = article.pk, article.slug
    endpoint(receiver)
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    run_worker()
    [request] = received(receiver)
    body = message(request)
    assert body["type"] == "article.deleted"
    assert body["data"]["id"] == article_id
    assert body["data"]["title"] == "Deleted story"
    assert body["data"]["url"] == f"http://testserver/coast/{slug}/"
    assert body["data"]["section"]["slug"] == "coast"


@pytest.mark.extension_point("after_article_publish")
def test_a_scheduled_revision_going_live_sends_article_went_live_once(
    task_queue, receiver, django_capture_on_commit_callbacks
):
    accept(receiver)
    article = make_article(title="Live version")
    endpoint(receiver)
    go_live = timezone.now().replace(microsecond=0) + timedelta(hours=2)
    article.title = "Scheduled version"
    article.go_live_at = go_live
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()  # scheduled: nothing goes live yet
    assert Delivery.objects.count() == 0

    with time_machine.travel(go_live + timedelta(seconds=5), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            publish_scheduled()
        with django_capture_on_commit_callbacks(execute=True):
            publish_scheduled()
        run_worker()
    [request] = received(receiver)
    body = message(request)
    assert body["type"] == "article.went_live"
    assert body["data"]["title"] == "Scheduled version"
    assert Delivery.objects.get().event_type == "article.went_live"


def test_an_article_scheduled_before_its_first_publication_sends_went_live(
    task_queue, receiver, django_capture_on_commit_callbacks
):
    accept(receiver)
    endpoint(receiver)
    later = timezone.now().replace(microsecond=0) + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        make_article(title="Tomorrow's story", publication_date=later)
    assert Delivery.objects.count() == 0
    with time_machine.travel(later + timedelta(seconds=5), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            publish_scheduled()
        run_worker()
    assert [message(r)["type"] for r in received(receiver)] == ["article.went_live"]


def test_expiry_sends_article_unpublished_marked_expired(
    task_queue, receiver, django_capture_on_commit_callbacks
):
    accept(receiver)
    expiry = timezone.now().replace(microsecond=0) + timedelta(hours=1)
    make_article(title="Short-lived story", expire_at=expiry)
    endpoint(receiver)
    with time_machine.travel(expiry + timedelta(seconds=5), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            publish_scheduled()
        run_worker()
    [request] = received(receiver)
    assert (message(request)["type"], message(request)["data"]["expired"]) == (
        "article.unpublished",
        True,
    )


@pytest.mark.extension_point("after_comment_moderate")
def test_approving_a_comment_sends_comment_approved_without_personal_data(
    task_queue, receiver, admin_user, django_capture_on_commit_callbacks
):
    accept(receiver)
    article = make_article(title="Commented story")
    comment = make_comment(
        article, status="pending", author_email="ada@example.org", ip_address="203.0.113.9"
    )
    endpoint(receiver)
    with django_capture_on_commit_callbacks(execute=True):
        assert moderate([comment], "spam", admin_user) == 1  # not an approval
    with django_capture_on_commit_callbacks(execute=True):
        assert moderate([comment], "approved", admin_user) == 1
    run_worker()
    [request] = received(receiver)
    raw = request.get_data().decode()
    body = json.loads(raw)
    assert body["type"] == "comment.approved"
    assert body["data"] == {
        "id": comment.pk,
        "article_id": article.pk,
        "parent_id": None,
        "kind": "comment",
        "created_at": comment.created_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "url": f"{article.get_full_url()}#comment-{comment.pk}",
    }
    assert "ada@example.org" not in raw and "203.0.113.9" not in raw


@pytest.mark.extension_point("after_comment_create")
def test_a_comment_stored_already_approved_sends_comment_approved_once(
    task_queue, receiver, admin_user, django_capture_on_commit_callbacks
):
    from byline_comments.services import reply_as_editor

    accept(receiver)
    article = make_article(title="Commented story")
    question = make_comment(article, status="pending")
    endpoint(receiver, events=["comment.approved"])
    with django_capture_on_commit_callbacks(execute=True):
        answer = reply_as_editor(question, admin_user, "Thanks, corrected.", approve_parent=True)
    run_worker()
    approved = sorted(message(r)["data"]["id"] for r in received(receiver))
    assert approved == sorted([question.pk, answer.pk])  # the question approved, and the reply


def test_only_active_endpoints_subscribed_to_the_event_are_sent_it(
    task_queue, receiver, django_capture_on_commit_callbacks
):
    for path in ("/all", "/updates", "/off"):
        accept(receiver, path)
    endpoint(receiver, "/all")
    endpoint(receiver, "/updates", events=["article.updated"])
    endpoint(receiver, "/off", active=False)
    with django_capture_on_commit_callbacks(execute=True):
        make_article(title="New story")
    run_worker()
    assert [request.path for request, _response in receiver.log] == ["/all"]


def test_without_endpoints_an_event_queues_nothing(task_queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_article(title="Nobody listens")
    assert Delivery.objects.count() == 0
    assert not any(r.task_path.startswith("byline_webhooks") for r in task_results())


# Signatures ----------------------------------------------------------------------------------


def test_the_signature_verifies_with_the_endpoint_secret_only(
    task_queue, receiver, django_capture_on_commit_callbacks
):
    accept(receiver)
    hook = endpoint(receiver)
    other = endpoint(receiver, "/other-hook", events=[])  # a secret of its own
    with django_capture_on_commit_callbacks(execute=True):
        make_article(title="Signed story")
    run_worker()
    [request] = received(receiver)
    body = request.get_data()
    message_id, timestamp = request.headers["webhook-id"], request.headers["webhook-timestamp"]

    # Exactly the specification's computation.
    assert signatures(request) == [spec_signature(hook.secret, message_id, timestamp, body)]
    assert abs(int(timestamp) - timezone.now().timestamp()) < 60
    assert verify(hook.secret, request)["type"] == "article.published"
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        verify(other.secret, request)
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        verify(hook.secret, request, body=body.replace(b"Signed story", b"Forged story"))
    # A captured request replayed later is refused for its old timestamp.
    later = time_machine.travel(timezone.now() + timedelta(minutes=6))
    with later, pytest.raises(WebhookVerificationError, match="too old"):
        verify(hook.secret, request)


def test_the_secret_is_a_standard_webhooks_secret_and_each_endpoint_has_its_own(receiver):
    first, second = endpoint(receiver, "/a"), endpoint(receiver, "/b")
    assert first.secret.startswith("whsec_")
    assert len(base64.b64decode(first.secret.removeprefix("whsec_"))) == 32
    assert first.secret != second.secret


def test_after_rotation_both_secrets_sign_until_the_old_one_expires(
    task_queue, receiver, django_capture_on_commit_callbacks
):
    accept(receiver)
    hook = endpoint(receiver)
    old_secret = hook.secret
    hook.rotate_secret(overlap_seconds=3600)
    assert hook.secret != old_secret
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(title="During the switch")
    run_worker()
    [request] = received(receiver)
    assert len(signatures(request)) == 2
    assert verify(hook.secret, request) and verify(old_secret, request)

    receiver.clear_log()
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        article.title = "After the switch"
        with django_capture_on_commit_callbacks(execute=True):
            article.save_revision().publish()
        run_worker()
        [request] = received(receiver)
        assert len(signatures(request)) == 1
        assert verify(hook.secret, request)
        with pytest.raises(WebhookVerificationError):
            verify(old_secret, request)


# Retries and failures -------------------------------------------------------------------------


def test_a_5xx_is_retried_with_backoff_and_the_log_shows_both_attempts(
    task_queue, receiver, django_capture_on_commit_callbacks
):
    receiver.expect_oneshot_request("/hook", method="POST").respond_with_data("busy", status=500)
    accept(receiver, body="thanks")
    endpoint(receiver)
    with django_capture_on_commit_callbacks(execute=True):
        make_article(title="Retried story")
    started = timezone.now()
    run_worker()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("retrying", 1, 500)
    assert delivery.response_excerpt == "busy"
    assert started + timedelta(seconds=55) < delivery.next_attempt_at
    assert delivery.next_attempt_at < started + timedelta(seconds=65)

    run_worker()  # the retry waits for its time
    assert len(received(receiver)) == 1
    with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1)):
        run_worker()
    first, second = received(receiver)
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.get_data() == second.get_data()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 2, 200)
    assert delivery.response_excerpt == "thanks"


def test_retries_follow_the_delays_and_give_up_after_five_attempts(
    task_queue, receiver, django_capture_on_commit_callbacks
):
    accept(receiver, status=503, body="down for maintenance")
    endpoint(receiver)
    with django_capture_on_commit_callbacks(execute=True):
        make_article(title="Never delivered")
    run_worker()
    gaps = []
    for _retry in range(4):
        delivery = Delivery.objects.get()
        gaps.append(delivery.next_attempt_at - delivery.last_attempt_at)
        with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1)):
            run_worker()
    assert gaps == [timedelta(minutes=m) for m in (1, 5, 25, 120)]
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 5)
    assert delivery.detail == "gave up after 5 attempts: the endpoint answered HTTP 503"
    assert delivery.next_attempt_at is None
    assert len(received(receiver)) == 5


@pytest.mark.parametrize("status", [408, 429, 502])
def test_timeouts_rate_limits_and_server_errors_are_retried(
    status, task_queue, receiver, django_capture_on_commit_callbacks
):
    accept(receiver, status=status)
    endpoint(receiver)
    with django_capture_on_commit_callbacks(execute=True):
        make_article()
    run_worker()
    assert Delivery.objects.get().status == "retrying"


@pytest.mark.parametrize("status", [404, 400, 410, 301])
def test_other_client_errors_and_redirects_are_final(
    status, task_queue, receiver, django_capture_on_commit_callbacks
):
    receiver.expect_request("/hook", method="POST").respond_with_data(
        "no such hook", status=status, headers={"Location": "/elsewhere"}
    )
    endpoint(receiver)
    with django_capture_on_commit_callbacks(execute=True):
        make_article()
    run_worker()
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        run_worker()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("failed", 1, status)
    assert len(received(receiver)) == 1
    assert "redirect" in delivery.detail if status == 301 else f"HTTP {status}" in delivery.detail


def test_a_receiver_that_does_not_answer_is_a_network_error_and_retried(
    task_queue, django_capture_on_commit_callbacks
):
    from tests.runtime_support import free_port

    Endpoint.objects.create(url=f"http://127.0.0.1:{free_port()}/hook", events=ALL_EVENTS)
    with django_capture_on_commit_callbacks(execute=True):
        make_article()
    run_worker()
    delivery = Delivery.objects.get()
    assert delivery.status == "retrying"
    assert delivery.response_status is None
    assert delivery.detail.startswith("not delivered: could not connect to 127.0.0.1")


def test_a_long_answer_is_cut_and_kept_short(
    task_queue, receiver, django_capture_on_commit_callbacks
):
    accept(receiver, body="x" * 100_000)
    endpoint(receiver)
    with django_capture_on_commit_callbacks(execute=True):
        make_article()
    run_worker()
    delivery = Delivery.objects.get()
    assert delivery.status == "delivered"
    assert len(delivery.response_excerpt) == 200 and delivery.response_excerpt.endswith("…")


# Addresses we must not send to -------------------------------------------------------------


@pytest.mark.parametrize(
    "url, error",
    [
        ("http://10.0.0.1/hook", "10.0.0.1 is a private address"),
        ("http://169.254.169.254/latest/", "169.254.169.254 is a link-local address"),
        ("http://[fe80::1]/hook", "fe80::1 is a link-local address"),
        ("http://0.0.0.0:9000/hook", "0.0.0.0 is an unspecified address"),
        ("https://hooks.example/in", "hooks.example was not looked up"),
        ("ftp://127.0.0.1/hook", "Enter an http:// or https:// address"),
        ("http://user:pw@127.0.0.1/hook", "Leave the user name and password out"),
        ("not a url", "Enter a valid URL"),
    ],
)
def test_refused_addresses_are_form_errors_when_saved(admin_client, url, error):
    response = admin_client.post(
        reverse("webhook_endpoints:add"),
        {"url": url, "description": "Bad", "active": "on", "events": ["article.published"]},
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Endpoint.objects.exists()


def test_loopback_is_refused_where_only_global_addresses_are_allowed(admin_client, receiver):
    with override_settings(BYLINE_WEBHOOKS_ALLOWED_ADDRESSES=["global"]):
        response = admin_client.post(
            reverse("webhook_endpoints:add"),
            {"url": receiver.url_for("/hook"), "active": "on", "events": ["article.published"]},
        )
    assert response.status_code == 200
    assert "127.0.0.1 is a loopback address" in response.content.decode()


def test_a_refused_address_is_refused_again_when_sending(
    task_queue, receiver, django_capture_on_commit_callbacks
):
    accept(receiver)
    hook = endpoint(receiver)  # allowed when it was saved...
    with django_capture_on_commit_callbacks(execute=True):
        make_article()
    with override_settings(BYLINE_WEBHOOKS_ALLOWED_ADDRESSES=["global"]):  # ...not any more
        run_worker()
    assert receiver.log == []
    delivery = Delivery.objects.get(endpoint=hook)
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert delivery.detail == "address refused: 127.0.0.1 is a loopback address; refused"

    # An endpoint stored with a private address (not through the form) is never contacted.
    Endpoint.objects.update(url="http://10.1.2.3/hook")
    again = delivery_module.redeliver(delivery)
    run_worker()
    again.refresh_from_db()
    assert again.status == "failed"
    assert "10.1.2.3 is a private address" in again.detail


# Redelivery -----------------------------------------------------------------------------------


def test_redeliver_sends_the_same_body_with_a_new_webhook_id(
    task_queue, receiver, admin_client, django_capture_on_commit_callbacks
):
    accept(receiver)
    hook = endpoint(receiver)
    with django_capture_on_commit_callbacks(execute=True):
        make_article(title="Sent twice")
    run_worker()
    original = Delivery.objects.get()

    url = reverse("webhook_deliveries:redeliver", args=[original.pk])
    confirm = admin_client.get(url)
    assert confirm.status_code == 200
    assert "once more, as a new delivery with a new webhook-id" in confirm.content.decode()
    response = admin_client.post(url)
    again = Delivery.objects.exclude(pk=original.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("webhook_deliveries:inspect", args=[again.pk])
    assert (again.redelivery_of, again.payload, again.status) == (
        original,
        original.payload,
        "pending",
    )
    assert receiver.log and len(received(receiver)) == 1  # queued, not sent in the request
    run_worker()
    first, second = received(receiver)
    assert first.get_data() == second.get_data()
    assert first.headers["webhook-id"] != second.headers["webhook-id"]
    assert second.headers["webhook-id"] == again.message_id
    assert verify(hook.secret, second)


# The periodic jobs ------------------------------------------------------------------------------


def test_the_periodic_jobs_are_registered():
    jobs = {job.name: job for job in clock.periodic_jobs()}
    assert jobs["webhooks_send_due"].schedule == "* * * * *"
    assert jobs["webhooks_prune_log"].schedule == "23 4 * * *"


def run_job(name):
    [job] = [job for job in clock.periodic_jobs() if job.name == name]
    return job.task.enqueue()


def test_with_an_inline_backend_publishing_records_and_the_job_sends_within_the_minute(
    receiver, django_capture_on_commit_callbacks
):
    # The test settings' immediate backend would run a task inside the publishing request.
    accept(receiver)
    endpoint(receiver)
    with django_capture_on_commit_callbacks(execute=True):
        make_article(title="Inline backend")
    assert receiver.log == []
    assert Delivery.objects.get().status == "pending"
    run_job("webhooks_send_due")
    assert Delivery.objects.get().status == "delivered"
    assert [message(r)["type"] for r in received(receiver)] == ["article.published"]


def test_a_delivery_whose_task_was_lost_is_queued_again_by_the_job(
    task_queue, receiver, django_capture_on_commit_callbacks
):
    accept(receiver)
    endpoint(receiver)
    with django_capture_on_commit_callbacks(execute=True):
        make_article(title="Lost task")
    DBTaskResult.objects.all().delete()  # the queue lost it
    run_job("webhooks_send_due")
    run_worker()
    assert receiver.log == []  # not lost yet: it may just be waiting in a busy queue
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        run_job("webhooks_send_due")
        run_worker()
    assert Delivery.objects.get().status == "delivered"
    assert len(received(receiver)) == 1


def test_a_delivery_a_dead_worker_left_sending_is_tried_again(task_queue, receiver):
    accept(receiver)
    hook = endpoint(receiver)
    stuck = Delivery.objects.create(
        endpoint=hook,
        event_type="article.published",
        payload='{"type":"article.published"}',
        status="sending",
        attempts=1,
        last_attempt_at=timezone.now(),
        next_attempt_at=timezone.now(),
    )
    with time_machine.travel(timezone.now() + timedelta(minutes=4)):
        run_job("webhooks_send_due")  # may still be sending: left alone
        run_worker()
    stuck.refresh_from_db()
    assert (stuck.status, stuck.attempts) == ("sending", 1)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        run_job("webhooks_send_due")
        run_worker()
    stuck.refresh_from_db()
    assert (stuck.status, stuck.attempts) == ("delivered", 2)


def test_the_daily_job_prunes_old_finished_deliveries_only(receiver):
    hook = endpoint(receiver)
    old = timezone.now() - timedelta(days=31)
    recent = timezone.now() - timedelta(days=29)
    for status, created in [
        ("delivered", old),
        ("failed", old),
        ("retrying", old),
        ("delivered", recent),
    ]:
        Delivery.objects.create(
            endpoint=hook,
            event_type="article.published",
            payload="{}",
            status=status,
            created_at=created,
        )
    run_job("webhooks_prune_log")
    assert sorted(Delivery.objects.values_list("status", flat=True)) == ["delivered", "retrying"]


# The admin -------------------------------------------------------------------------------------


def test_editors_add_an_endpoint_and_are_shown_its_secret(admin_client, receiver):
    url = reverse("webhook_endpoints:add")
    form = admin_client.get(url)
    assert form.status_code == 200
    assert "Article published (the first time)" in form.content.decode()
    response = admin_client.post(
        url,
        {
            "url": receiver.url_for("/hook"),
            "description": "Next.js frontend",
            "active": "on",
            "events": ["article.published", "comment.approved"],
        },
    )
    hook = Endpoint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("webhook_endpoints:edit", args=[hook.pk])
    assert hook.events == ["article.published", "comment.approved"]
    edit = admin_client.get(response["Location"]).content.decode()
    assert f'value="{hook.secret}"' in edit
    assert "Copy its signing secret" in edit


def test_editing_an_endpoint_keeps_its_secret_whatever_the_form_sends(admin_client, receiver):
    hook = endpoint(receiver, events=["article.published"])
    secret = hook.secret
    url = reverse("webhook_endpoints:edit", args=[hook.pk])
    response = admin_client.post(
        url,
        {
            "url": receiver.url_for("/new-hook"),
            "description": "Moved",
            "events": ["article.deleted"],
            "signing_secret": "whsec_forged",
        },
    )
    assert response.status_code == 302
    hook.refresh_from_db()
    assert (hook.url, hook.active, hook.events) == (
        receiver.url_for("/new-hook"),
        False,
        ["article.deleted"],
    )
    assert hook.secret == secret


def test_bad_input_in_the_endpoint_form_is_a_form_error(admin_client, receiver):
    url = reverse("webhook_endpoints:add")
    response = admin_client.post(url, {"url": receiver.url_for("/hook"), "events": []})
    assert response.status_code == 200
    assert "Choose at least one event to send." in response.content.decode()
    response = admin_client.post(url, {"url": "x" * 600, "events": ["nonsense"]})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Endpoint.objects.exists()


def test_the_listing_links_each_endpoint_to_its_deliveries(admin_client, receiver):
    hook = endpoint(receiver, description="Mobile app")
    other = endpoint(receiver, "/other", description="Static build")
    for target, event in [(hook, "article.published"), (other, "article.deleted")]:
        Delivery.objects.create(
            endpoint=target,
            event_type=event,
            subject=f"for {target}",
            payload="{}",
            status="retrying",
            attempts=1,
            response_status=503,
            response_excerpt="upstream busy",
            next_attempt_at=timezone.now(),
        )
    listing = admin_client.get(reverse("webhook_endpoints:index")).content.decode()
    assert "Mobile app" in listing and "Static build" in listing
    deliveries_url = reverse("webhook_deliveries:index") + f"?endpoint={hook.pk}"
    assert deliveries_url in listing

    log = admin_client.get(deliveries_url).content.decode()
    assert "for Mobile app" in log and "for Static build" not in log
    assert "Waiting to retry" in log and "upstream busy" in log and "503" in log
    inspect = admin_client.get(
        reverse("webhook_deliveries:inspect", args=[hook.deliveries.get().pk])
    )
    assert inspect.status_code == 200
    delivery_url = reverse("webhook_deliveries:redeliver", args=[hook.deliveries.get().pk])
    assert delivery_url in inspect.content.decode()


def test_rotating_the_secret_from_the_admin(admin_client, receiver):
    hook = endpoint(receiver)
    old = hook.secret
    url = reverse("webhook_endpoints:rotate_secret", args=[hook.pk])
    confirm = admin_client.get(url)
    assert confirm.status_code == 200
    assert "A new signing secret replaces the current one of" in confirm.content.decode()
    edit_page = admin_client.get(reverse("webhook_endpoints:edit", args=[hook.pk]))
    assert url in edit_page.content.decode()
    response = admin_client.post(url)
    assert response.status_code == 302
    hook.refresh_from_db()
    assert hook.secret != old and hook.secret.startswith("whsec_")
    assert hook.previous_secret == old
    assert hook.signing_secrets() == [hook.secret, old]
    assert ModelLogEntry.objects.filter(action="byline_webhooks.rotate_secret").count() == 1


def test_deleting_an_endpoint_deletes_its_log(admin_client, receiver):
    hook = endpoint(receiver)
    Delivery.objects.create(endpoint=hook, event_type="article.published", payload="{}")
    url = reverse("webhook_endpoints:delete", args=[hook.pk])
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url).status_code == 302
    assert not Endpoint.objects.exists() and not Delivery.objects.exists()


@pytest.fixture
def outsider(client, django_user_model):
    """An admin user without any webhook permission."""
    user = django_user_model.objects.create_user("writer", "writer@example.org", "pw")
    writers = Group.objects.create(name="Writers")
    writers.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(writers)
    client.force_login(user)
    return client


def test_people_without_webhook_permissions_are_refused(outsider, receiver):
    hook = endpoint(receiver)
    secret = hook.secret
    delivery = Delivery.objects.create(endpoint=hook, event_type="article.published", payload="{}")
    assert "Webhooks" not in outsider.get("/admin/").content.decode()
    for url in (
        reverse("webhook_endpoints:index"),
        reverse("webhook_endpoints:add"),
        reverse("webhook_endpoints:edit", args=[hook.pk]),
        reverse("webhook_endpoints:rotate_secret", args=[hook.pk]),
        reverse("webhook_deliveries:index"),
        reverse("webhook_deliveries:inspect", args=[delivery.pk]),
        reverse("webhook_deliveries:redeliver", args=[delivery.pk]),
    ):
        response = outsider.get(url)
        assert response.status_code in (302, 403), url
        assert secret not in response.content.decode()
    outsider.post(reverse("webhook_endpoints:rotate_secret", args=[hook.pk]))
    outsider.post(reverse("webhook_deliveries:redeliver", args=[delivery.pk]))
    hook.refresh_from_db()
    assert hook.secret == secret and Delivery.objects.count() == 1


def test_viewers_read_the_log_but_cannot_redeliver_or_rotate(outsider, receiver):
    hook = endpoint(receiver)
    delivery = Delivery.objects.create(endpoint=hook, event_type="article.published", payload="{}")
    Group.objects.get(name="Writers").permissions.add(
        Permission.objects.get(codename="view_endpoint", content_type__app_label="byline_webhooks")
    )
    assert outsider.get(reverse("webhook_deliveries:index")).status_code == 200
    inspect = outsider.get(reverse("webhook_deliveries:inspect", args=[delivery.pk]))
    redeliver_url = reverse("webhook_deliveries:redeliver", args=[delivery.pk])
    assert inspect.status_code == 200 and redeliver_url not in inspect.content.decode()
    assert outsider.post(redeliver_url).status_code in (302, 403)
    assert Delivery.objects.count() == 1
    # Only people who may change an endpoint see or replace its secret.
    edit = outsider.get(reverse("webhook_endpoints:edit", args=[hook.pk]))
    assert hook.secret not in edit.content.decode()
    rotate = outsider.post(reverse("webhook_endpoints:rotate_secret", args=[hook.pk]))
    assert rotate.status_code in (302, 403)
    assert Endpoint.objects.get().secret == hook.secret


# The plugin ----------------------------------------------------------------------------------


def test_webhooks_is_an_installed_plugin_found_by_its_entry_point():
    plugin = next(p for p in discovered_plugins() if p.name == "webhooks")
    assert (plugin.app, plugin.distribution, plugin.state) == (
        "byline_webhooks",
        "byline-webhooks",
        "enabled",
    )


def test_disabling_the_plugin_needs_no_migration_and_passes_the_checks():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "BYLINE_DISABLED_PLUGINS": "webhooks",
    }
    script = (
        "import django; django.setup(); "
        "from django.conf import settings; from django.core.management import call_command; "
        "assert 'byline_webhooks' not in settings.INSTALLED_APPS; "
        "call_command('makemigrations', check=True, dry_run=True, verbosity=0); "
        "call_command('check', fail_level='ERROR', verbosity=0); "
        "from cms.runtime import clock; "
        "assert not [j for j in clock.periodic_jobs() if j.name.startswith('webhooks_')]; "
        "print('clean')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("clean")


@pytest.mark.parametrize(
    "name, value, error",
    [
        ("BYLINE_WEBHOOKS_ALLOWED_ADDRESSES", ["everywhere"], "byline_webhooks.E001"),
        ("BYLINE_WEBHOOKS_RETRY_DELAYS", [60, -5], "byline_webhooks.E002"),
        ("BYLINE_WEBHOOKS_LOG_DAYS", 0, "byline_webhooks.E003"),
    ],
)
def test_bad_settings_are_reported_by_the_system_checks(name, value, error):
    from byline_webhooks.checks import check_webhook_settings

    assert check_webhook_settings() == []
    with override_settings(**{name: value}):
        assert [message.id for message in check_webhook_settings()] == [error]
