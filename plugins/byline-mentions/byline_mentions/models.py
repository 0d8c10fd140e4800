"""What the plugin remembers: mentions received, mentions sent, and editors' switches.

The mentions themselves are reader comments (byline_comments.Comment, kind
pingback or webmention). These tables hold only the protocol's side: the
status a webmention sender can look up, and the sending log. They refer to
comments by id, not by foreign key, so this app's tables and migrations do
not need the comments plugin to be installed.
"""

import uuid

from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class Protocol(models.TextChoices):
    PINGBACK = "pingback", "Pingback"
    WEBMENTION = "webmention", "Webmention"


class ReceivedStatus(models.TextChoices):
    QUEUED = "queued", "Queued for verification"
    PROCESSING = "processing", "Being verified"
    ACCEPTED = "accepted", "Accepted"
    UPDATED = "updated", "Updated"
    REMOVED = "removed", "Removed"
    REJECTED = "rejected", "Rejected"


class ReceivedMention(models.Model):
    """One pingback or webmention request that reached us, and what became of it.

    A webmention's status URL shows this row. The sender's IP address and
    user agent are kept only until the mention is verified (they are handed
    to the comment spam checks), then erased.
    """

    WAITING = (ReceivedStatus.QUEUED, ReceivedStatus.PROCESSING)
    FINISHED = (
        ReceivedStatus.ACCEPTED,
        ReceivedStatus.UPDATED,
        ReceivedStatus.REMOVED,
        ReceivedStatus.REJECTED,
    )

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    protocol = models.CharField(max_length=16, choices=Protocol.choices)
    source_url = models.URLField("source", max_length=500)
    target_url = models.URLField("target", max_length=500)
    article = models.ForeignKey(
        "news.ArticlePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=ReceivedStatus.choices, default=ReceivedStatus.QUEUED
    )
    detail = models.CharField(max_length=300, blank=True, help_text="Why it got its status.")
    # byline_comments.Comment id (no foreign key: see the module docstring).
    comment_id = models.PositiveBigIntegerField(null=True, blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    request_host = models.CharField(max_length=255, blank=True)
    # The source URL's host name, lower case: what the per-source queue bound counts.
    source_host = models.CharField(max_length=255, blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    # When a verification task was last queued for it (None: never, or the queue
    # refused it), so the periodic job can tell lost work from work still queued.
    queued_at = models.DateTimeField(null=True, blank=True)
    # When verification last started, and how often it has: a crash mid-way leaves
    # the row "processing", and the periodic job retries it a bounded number of times.
    started_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = "received mention"
        indexes = [
            models.Index(
                fields=["source_url", "target_url", "status"], name="byline_recv_pair_idx"
            ),
            models.Index(fields=["status", "source_host"], name="byline_recv_waiting_src_idx"),
        ]

    def __str__(self):
        return f"{self.get_protocol_display()} from {self.source_url} ({self.status})"

    @property
    def finished(self):
        return self.status in self.FINISHED


class SentStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    NO_ENDPOINT = "no_endpoint", "No endpoint"
    RETRYING = "retrying", "Waiting to retry"
    FAILED = "failed", "Failed"


class SentMention(models.Model):
    """One link of a published article, and our notification of the page it points to.

    There is one row per (article, target): each target is notified once.
    """

    article = models.ForeignKey("news.ArticlePage", on_delete=models.CASCADE, related_name="+")
    target_url = models.URLField("target", max_length=500)
    status = models.CharField(
        max_length=16, choices=SentStatus.choices, default=SentStatus.QUEUED, db_index=True
    )
    protocol = models.CharField(max_length=16, choices=Protocol.choices, blank=True)
    endpoint = models.URLField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(
        "HTTP status", null=True, blank=True, help_text="The endpoint's last answer."
    )
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "sent mention"
        constraints = [
            models.UniqueConstraint(fields=["article", "target_url"], name="byline_sent_once")
        ]

    def __str__(self):
        return f"{self.target_url} ({self.get_status_display()})"


@register_setting(icon="link")
class MentionSettings(BaseSiteSetting):
    """Per-site switches (Settings > Pingbacks and webmentions)."""

    receive_pingbacks = models.BooleanField(
        default=True,
        help_text="Advertise a Pingback endpoint on articles and accept pingbacks; they wait "
        "in the comment moderation queue.",
    )
    receive_webmentions = models.BooleanField(
        default=True,
        help_text="Advertise a Webmention endpoint on articles and accept webmentions; they "
        "wait in the comment moderation queue.",
    )
    send_on_publish = models.BooleanField(
        default=True,
        help_text="When an article is published, tell the pages it links to (once per page), "
        "by Webmention or Pingback.",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("receive_pingbacks"), FieldPanel("receive_webmentions")],
            heading="Receiving",
        ),
        FieldPanel("send_on_publish"),
    ]

    class Meta:
        verbose_name = "Pingbacks and webmentions"

    def receives(self, protocol):
        return self.receive_pingbacks if protocol == Protocol.PINGBACK else self.receive_webmentions
