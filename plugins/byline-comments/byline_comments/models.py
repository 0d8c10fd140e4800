"""Reader comments, per-article comment options and per-site comment settings."""

import hashlib
import ipaddress
import re
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .text import plain_excerpt


class WebAddressField(models.URLField):
    """A URLField whose admin form reads "example.com" as https://example.com."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Awaiting moderation"
    APPROVED = "approved", "Approved"
    SPAM = "spam", "Spam"
    TRASH = "trash", "Trash"


class CommentKind(models.TextChoices):
    COMMENT = "comment", "Comment"
    PINGBACK = "pingback", "Pingback"
    WEBMENTION = "webmention", "Webmention"


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=CommentStatus.APPROVED)

    def pending(self):
        return self.filter(status=CommentStatus.PENDING)

    def for_article(self, article):
        return self.filter(article=article)

    def for_display(self):
        """Approved comments in thread order, with only the columns readers may see."""
        return self.approved().only(*Comment.PUBLIC_FIELDS).order_by("created_at", "pk")


def normalise_body(text):
    """Text with runs of whitespace collapsed and case folded, for duplicate detection."""
    return re.sub(r"\s+", " ", text or "").strip().casefold()


def body_fingerprint(text):
    return hashlib.sha256(normalise_body(text).encode("utf-8")).hexdigest()


class Comment(models.Model):
    """A reader's comment on an article, or a pingback / webmention from another site.

    The email address, IP address and user agent are for moderation only:
    no template or API response shows them, and the IP address and user
    agent are erased after the site's retention period
    (`manage.py erase_comment_personal_data`).
    """

    # The columns the article page and the API read; never the personal ones.
    PUBLIC_FIELDS = (
        "id",
        "article_id",
        "parent_id",
        "depth",
        "kind",
        "author_name",
        "author_url",
        "body",
        "source_url",
        "source_title",
        "user_id",
        "created_at",
    )

    article = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="+", verbose_name="article"
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
        help_text="The comment this one replies to.",
    )
    depth = models.PositiveSmallIntegerField(
        default=0, editable=False, help_text="0 for a comment on the article, 1 for a reply, ..."
    )
    kind = models.CharField(
        max_length=16, choices=CommentKind.choices, default=CommentKind.COMMENT, db_index=True
    )
    status = models.CharField(
        max_length=16, choices=CommentStatus.choices, default=CommentStatus.PENDING, db_index=True
    )
    author_name = models.CharField("name", max_length=100)
    author_email = models.EmailField(
        "email", max_length=254, blank=True, help_text="Never shown to readers."
    )
    author_url = WebAddressField("website", max_length=500, blank=True)
    body = models.TextField(
        "comment", help_text="Plain text; links are made clickable when it is shown."
    )
    # Pingbacks and webmentions: the page that mentions the article.
    source_url = WebAddressField("source address", max_length=500, blank=True)
    source_title = models.CharField("source title", max_length=300, blank=True)
    # An editor replying from the admin.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    # Moderation only; erased after the retention period.
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True, editable=False)
    user_agent = models.CharField(max_length=500, blank=True, editable=False)
    # What each spam check said, and why the comment got its first status.
    check_results = models.JSONField(default=list, blank=True, editable=False)
    moderation_note = models.CharField(max_length=300, blank=True, editable=False)
    body_fingerprint = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["article", "status", "created_at"], name="byline_comment_article_idx"
            ),
            models.Index(fields=["author_email", "status"], name="byline_comment_email_idx"),
        ]

    def __str__(self):
        return f"{self.author_name}: {plain_excerpt(self.body, 60)}"

    def save(self, *args, **kwargs):
        self.author_email = (self.author_email or "").strip().lower()
        self.body_fingerprint = body_fingerprint(self.body)
        self.depth = self.parent.depth + 1 if self.parent_id and self.parent else 0
        super().save(*args, **kwargs)

    @property
    def is_mention(self):
        return self.kind != CommentKind.COMMENT

    @property
    def is_editor_reply(self):
        return self.user_id is not None

    @property
    def strictest_check(self):
        """The strictest stored check outcome (for the moderation queue)."""
        order = {"accept": 0, "hold": 1, "spam": 2}
        results = [r for r in self.check_results or [] if isinstance(r, dict)]
        if not results:
            return None
        return max(results, key=lambda r: order.get(r.get("verdict"), 0))

    def excerpt(self, length=80):
        return plain_excerpt(self.body, length)


class ArticleCommentOptions(models.Model):
    """Per-article comment options, kept in the plugin so ArticlePage stays untouched."""

    article = models.OneToOneField(
        "news.ArticlePage", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    comments_closed = models.BooleanField(
        default=False, help_text="Readers can no longer comment on this article."
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "article comment options"
        verbose_name_plural = "article comment options"

    def __str__(self):
        return (
            f"Comments on article {self.article_id}: {'closed' if self.comments_closed else 'open'}"
        )

    @classmethod
    def touch(cls, article_id, *, create=True):
        """Date `changed_at` now: the article's discussion changed for readers.

        The article page's Last-Modified (HTTP caching) reads it from the row
        the page loads anyway, so a comment published, removed or edited dates
        its page anew at no cost to readers. No row is made for an article
        being deleted (`create=False`).
        """
        updated = cls.objects.filter(article_id=article_id).update(changed_at=timezone.now())
        if not updated and create:
            cls.objects.get_or_create(article_id=article_id)


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@register_setting(icon="comment")
class CommentSettings(BaseSiteSetting):
    """Per-site options of reader comments (Settings > Reader comments)."""

    close_after_days = models.PositiveIntegerField(
        default=0,
        help_text="Close comments on an article this many days after its publication date "
        "(0: never close automatically).",
    )
    max_depth = models.PositiveSmallIntegerField(
        "maximum thread depth",
        default=3,
        help_text="How many levels a thread may have: 1 allows no replies, 3 allows a reply "
        "to a reply.",
    )
    auto_approve_returning = models.BooleanField(
        "approve returning readers",
        default=True,
        help_text="Publish at once the comments of a reader (same email) who already has an "
        "approved comment. A reader's first comment is always held for moderation.",
    )
    moderator_emails = models.TextField(
        blank=True,
        help_text="Email these addresses about new comments, one address per line. Left "
        "empty, everyone who may moderate comments (the Moderator and Editor groups) is emailed.",
    )
    min_fill_seconds = models.PositiveSmallIntegerField(
        "minimum seconds to fill the form",
        default=3,
        help_text="A comment sent sooner after the form was shown is treated as spam.",
    )
    max_links = models.PositiveSmallIntegerField(
        "maximum links",
        default=2,
        help_text="A comment with more links than this is held for moderation.",
    )
    rate_limit_count = models.PositiveSmallIntegerField(
        "comments per IP address",
        default=5,
        help_text="How many comments one IP address may post within the rate-limit window; "
        "more are treated as spam (0: no limit).",
    )
    rate_limit_window_seconds = models.PositiveIntegerField(
        "rate-limit window (seconds)", default=300
    )
    blocked_words = models.TextField(
        blank=True,
        help_text="One word or phrase per line: a comment containing one (in name, email, "
        "website or text) is spam.",
    )
    blocked_domains = models.TextField(
        blank=True,
        help_text="One domain per line: links to it or its subdomains, or emails at it, "
        "make a comment spam.",
    )
    blocked_ips = models.TextField(
        "blocked IP addresses",
        blank=True,
        help_text="One IP address or network (203.0.113.0/24) per line.",
    )
    akismet_api_key = models.CharField(
        "Akismet API key",
        max_length=100,
        blank=True,
        help_text="Leave blank to not use Akismet. With a key, each comment (name, email, "
        "website, text, IP address and browser) is sent to the service for a verdict.",
    )
    akismet_endpoint = WebAddressField(
        "Akismet endpoint",
        default="https://rest.akismet.com/1.1/",
        help_text="Base address of an Akismet-compatible service.",
    )
    personal_data_retention_days = models.PositiveIntegerField(
        "keep IP address and browser for (days)",
        default=60,
        help_text="After this many days a comment's IP address and user agent are erased.",
    )
    api_allowed_origins = models.TextField(
        "API origins",
        blank=True,
        help_text="Origins of headless frontends allowed to post comments through the API, "
        "one per line (https://www.example.com). The site's own origin is always allowed.",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("close_after_days"),
                FieldPanel("max_depth"),
                FieldPanel("auto_approve_returning"),
                FieldPanel("moderator_emails"),
            ],
            heading="Discussion",
        ),
        MultiFieldPanel(
            [
                FieldPanel("min_fill_seconds"),
                FieldPanel("max_links"),
                FieldPanel("rate_limit_count"),
                FieldPanel("rate_limit_window_seconds"),
                FieldPanel("blocked_words"),
                FieldPanel("blocked_domains"),
                FieldPanel("blocked_ips"),
            ],
            heading="Spam protection",
        ),
        MultiFieldPanel(
            [FieldPanel("akismet_api_key"), FieldPanel("akismet_endpoint")],
            heading="Akismet",
        ),
        MultiFieldPanel(
            [FieldPanel("personal_data_retention_days"), FieldPanel("api_allowed_origins")],
            heading="Privacy and API",
        ),
    ]

    class Meta:
        verbose_name = "Reader comments"

    @cached_property
    def moderator_email_list(self):
        return [line for line in _lines(self.moderator_emails) if "@" in line]

    @cached_property
    def blocked_word_list(self):
        return [line.casefold() for line in _lines(self.blocked_words)]

    @cached_property
    def blocked_domain_list(self):
        return [line.lower().lstrip("*.").strip(".") for line in _lines(self.blocked_domains)]

    @cached_property
    def blocked_networks(self):
        networks = []
        for line in _lines(self.blocked_ips):
            try:
                networks.append(ipaddress.ip_network(line, strict=False))
            except ValueError:
                continue  # a typo in the list must not break commenting
        return networks

    @cached_property
    def allowed_origin_list(self):
        return [line.rstrip("/").lower() for line in _lines(self.api_allowed_origins)]

    @property
    def akismet_enabled(self):
        return bool(self.akismet_api_key.strip() and self.akismet_endpoint)

    def closes_at(self, article):
        if not self.close_after_days or not article.publication_date:
            return None
        return article.publication_date + timedelta(days=self.close_after_days)
