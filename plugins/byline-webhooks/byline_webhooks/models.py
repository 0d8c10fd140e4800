"""Webhook endpoints editors register, and the log of what was sent to each.

A delivery keeps the exact body it sends, so every retry and every
redelivery sends the same bytes; the article or comment it is about may be
gone by then (a deletion is an event too). Deliveries name their subject by
id and title, not by foreign key, for the same reason.
"""

import base64
import secrets
import uuid
from datetime import timedelta

from django.db import models
from django.utils import timezone

SECRET_PREFIX = "whsec_"
# Standard Webhooks: secrets of 24 to 64 random bytes; 32 is the usual choice.
SECRET_BYTES = 32


def new_secret():
    """A Standard Webhooks signing secret: 'whsec_' and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def new_message_id():
    """The webhook-id of one message: the same on every retry, new on a redelivery."""
    return f"msg_{uuid.uuid4().hex}"


class EventType(models.TextChoices):
    ARTICLE_PUBLISHED = "article.published", "Article published (the first time)"
    ARTICLE_UPDATED = "article.updated", "Article updated (published again)"
    ARTICLE_WENT_LIVE = "article.went_live", "Scheduled article went live"
    ARTICLE_UNPUBLISHED = "article.unpublished", "Article unpublished or expired"
    ARTICLE_DELETED = "article.deleted", "Article deleted"
    COMMENT_APPROVED = "comment.approved", "Comment approved"


class Endpoint(models.Model):
    """A URL that is sent the events it subscribes to, signed with its own secret."""

    url = models.URLField(
        "URL",
        max_length=500,
        help_text="Where events are POSTed as JSON (http or https). Addresses on this server's "
        "own or private network are refused.",
    )
    description = models.CharField(
        max_length=255, blank=True, help_text="What receives these events, for editors."
    )
    active = models.BooleanField(
        default=True, help_text="An inactive endpoint is sent nothing until it is active again."
    )
    events = models.JSONField(
        default=list, blank=True, help_text="The event types this endpoint is sent."
    )
    # The current signing secret, and the one it replaced: deliveries carry a
    # signature with each until the old one expires, so receivers can switch over.
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    secret_rotated_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["description", "url", "pk"]
        verbose_name = "webhook endpoint"

    def __str__(self):
        return self.description or self.url

    def subscribes_to(self, event_type):
        return event_type in (self.events or [])

    def signing_secrets(self, now=None):
        """The secrets to sign with now: the current one, and the previous one while it lasts."""
        now = now or timezone.now()
        keys = [self.secret]
        expires = self.previous_secret_expires_at
        if self.previous_secret and expires is not None and expires > now:
            keys.append(self.previous_secret)
        return keys

    def rotate_secret(self, overlap_seconds=0, now=None):
        """Replace the secret; the old one keeps signing for `overlap_seconds`. Saves."""
        now = now or timezone.now()
        self.previous_secret = self.secret if overlap_seconds > 0 else ""
        self.previous_secret_expires_at = (
            now + timedelta(seconds=overlap_seconds) if overlap_seconds > 0 else None
        )
        self.secret = new_secret()
        self.secret_rotated_at = now
        self.save(
            update_fields=[
                "secret",
                "previous_secret",
                "previous_secret_expires_at",
                "secret_rotated_at",
            ]
        )


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    DELIVERED = "delivered", "Delivered"
    RETRYING = "retrying", "Waiting to retry"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """One message to one endpoint: its body, its attempts and the endpoint's last answer."""

    WAITING = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)
    FINISHED = (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED)

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_type = models.CharField("event", max_length=64, choices=EventType.choices)
    message_id = models.CharField(
        "webhook-id", max_length=64, unique=True, default=new_message_id, editable=False
    )
    subject = models.CharField(
        max_length=300, blank=True, help_text="The article or comment the event is about."
    )
    payload = models.TextField(help_text="The JSON body, exactly as sent.")
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(
        "HTTP status", null=True, blank=True, help_text="The endpoint's last answer."
    )
    response_excerpt = models.CharField(
        "response", max_length=300, blank=True, help_text="The start of the endpoint's last answer."
    )
    detail = models.CharField(max_length=300, blank=True, help_text="Why it has its status.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When it is (or was) due to be sent next."
    )
    delivered_at = models.DateTimeField(null=True, blank=True)
    redelivery_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="redeliveries",
        help_text="The delivery whose body this one sends again.",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="byline_webhook_due_idx"),
        ]

    def __str__(self):
        return self.subject or f"{self.event_type} ({self.message_id})"
