"""Storing and moderating comments: the one path every comment takes.

The page form, the API and other plugins (pingbacks, webmentions) all store
comments through `submit_comment` / `create_mention`, so each one goes
through the same spam pipeline (`cms.plugins.run_comment_checks`), gets its
first status by the same rules, and is announced with the
`after_comment_create` event. Moderators change statuses through
`moderate`, which announces `after_comment_moderate`.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cms import abuse
from cms.plugins import Verdict, emit, run_comment_checks

from .models import ArticleCommentOptions, Comment, CommentKind, CommentStatus
from .submission import CHANNEL_MENTION, Submission, settings_for
from .text import has_visible_text, is_web_url, strip_bidi_controls

MENTION_KINDS = {CommentKind.PINGBACK, CommentKind.WEBMENTION}


class CommentRefused(Exception):
    """A comment that is not stored at all: an HTTP status, a message for the
    reader and how many seconds to wait (Retry-After)."""

    def __init__(self, status, message, retry_after):
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


RATE_LIMITED_MESSAGE = (
    "You have sent too many comments in a short time, so this one was not saved. "
    "Please wait {minutes} before sending it again."
)
QUEUE_FULL_MESSAGE = (
    "Too many comments on this article are waiting for a moderator, so this one was not "
    "saved. Please try again later."
)
# Seconds a reader is asked to wait when the moderation queue of an article is full.
QUEUE_FULL_RETRY_AFTER = 600


def _wait_text(seconds):
    minutes = -(-seconds // 60)
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _cap(name):
    return max(0, int(getattr(django_settings, name, 0) or 0))


@dataclass(frozen=True)
class Openness:
    open: bool
    reason: str = ""  # "closed" (by an editor) or "expired" (N days after publication)
    closes_at: object = None


# `comments_open` reads the article's options itself unless given them (None: it has none).
_UNREAD = object()


def comments_open(article, settings, options=_UNREAD):
    """Whether readers may comment on `article` now, and if not, why."""
    if options is _UNREAD:
        options = ArticleCommentOptions.objects.filter(article_id=article.pk).first()
    closes_at = settings.closes_at(article)
    if options is not None and options.comments_closed:
        return Openness(False, "closed", closes_at)
    if closes_at is not None and timezone.now() >= closes_at:
        return Openness(False, "expired", closes_at)
    return Openness(True, "", closes_at)


def set_comments_closed(article, closed):
    options, _ = ArticleCommentOptions.objects.update_or_create(
        article_id=article.pk, defaults={"comments_closed": bool(closed)}
    )
    return options


def client_ip(request):
    """The address the request came from, behind trusted proxies (`cms.abuse.client_ip`)."""
    return abuse.client_ip(request) if request is not None else None


def client_user_agent(request):
    return (request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:500]


def _first_status(comment, verdict, settings):
    """The status a new comment starts with, and a note saying why (for moderators)."""
    if verdict == Verdict.SPAM:
        return CommentStatus.SPAM, "a spam check judged it spam"
    if verdict == Verdict.HOLD:
        return CommentStatus.PENDING, "a spam check held it for moderation"
    if comment.user_id is not None:
        return CommentStatus.APPROVED, "written by an editor"
    if comment.kind in MENTION_KINDS:
        return CommentStatus.PENDING, f"{comment.get_kind_display().lower()}s await moderation"
    if not settings.auto_approve_returning:
        return CommentStatus.PENDING, "every comment awaits moderation on this site"
    returning = (
        Comment.objects.approved()
        .filter(kind=CommentKind.COMMENT, author_email=comment.author_email.strip().lower())
        .exists()
    )
    if returning:
        return CommentStatus.APPROVED, "returning reader with an approved comment"
    return CommentStatus.PENDING, "first comment from this reader"


def _prune_spam(article_id):
    """Keep at most BYLINE_COMMENTS_MAX_SPAM_PER_ARTICLE spam comments on the article
    and BYLINE_COMMENTS_MAX_SPAM on the site, deleting the oldest.

    Spam is kept only so a moderator can rescue a false positive, and the newest
    are the ones a reader may ask about; dropping new spam instead would let an
    old flood hide every later verdict.
    """
    spam = Comment.objects.filter(status=CommentStatus.SPAM).order_by("-created_at", "-pk")
    doomed = []
    per_article = _cap("BYLINE_COMMENTS_MAX_SPAM_PER_ARTICLE")
    if per_article:
        doomed += spam.filter(article_id=article_id).values_list("pk", flat=True)[per_article:]
    site_wide = _cap("BYLINE_COMMENTS_MAX_SPAM")
    if site_wide:
        doomed += spam.values_list("pk", flat=True)[site_wide:]
    if doomed:
        Comment.objects.filter(pk__in=set(doomed)).delete()


def _store(comment, request, submission):
    comment.submission = submission
    verdict, outcomes = run_comment_checks(comment, request)
    comment.check_results = [outcome.as_dict() for outcome in outcomes]
    comment.status, comment.moderation_note = _first_status(comment, verdict, submission.settings)
    pending_cap = _cap("BYLINE_COMMENTS_MAX_PENDING_PER_ARTICLE")
    if (
        comment.status == CommentStatus.PENDING
        and comment.kind == CommentKind.COMMENT
        and pending_cap
        and Comment.objects.pending().filter(article_id=comment.article_id).count() >= pending_cap
    ):
        # Pending comments may be genuine, so none is deleted: new ones wait outside.
        raise CommentRefused(503, QUEUE_FULL_MESSAGE, QUEUE_FULL_RETRY_AFTER)
    with transaction.atomic():
        comment.save()
        emit("after_comment_create", comment=comment, verdict=verdict)
        if comment.status == CommentStatus.SPAM:
            _prune_spam(comment.article_id)
    return comment


def _count_or_refuse(ip_address, settings):
    """Count a reader's comment against the per-IP rate limit before anything is
    stored; CommentRefused(429) past the limit, so a burst stores no rows."""
    from .checks.basic import count_rate

    count, limit, _window, retry_after = count_rate(ip_address, settings)
    if count is not None and count > limit:
        raise CommentRefused(
            429, RATE_LIMITED_MESSAGE.format(minutes=_wait_text(retry_after)), retry_after
        )
    return count


def submit_comment(article, data, request, *, settings=None, channel="form", form_issued_at=None):
    """Store a reader's comment from validated form data (see forms.CommentForm).

    Raises CommentRefused (nothing stored) past the per-IP rate limit or when the
    article's moderation queue is full.
    """
    settings = settings or settings_for(article, request)
    comment = Comment(
        article=article,
        parent_id=data.get("parent") or None,
        kind=CommentKind.COMMENT,
        author_name=data["author_name"].strip(),
        author_email=data["author_email"],
        author_url=data.get("author_url") or "",
        body=data["body"].strip(),
        ip_address=client_ip(request),
        user_agent=client_user_agent(request),
    )
    parent = data.get("parent_comment")
    if parent is not None:
        comment.parent = parent
    submission = Submission(
        channel=channel,
        settings=settings,
        form_issued_at=form_issued_at,
        honeypot=data.get("homepage_url") or "",
    )
    submission.rate_count = _count_or_refuse(comment.ip_address, settings)
    return _store(comment, request, submission)


def _clip(value, limit):
    return (value or "").strip()[:limit]


def _mention_name(author_name, source_url):
    # A site's name without direction overrides, or its address when nothing visible is left.
    name = _clip(strip_bidi_controls(author_name), 100)
    return name if has_visible_text(name) else _clip(source_url, 100)


def create_mention(
    article,
    kind,
    *,
    author_name,
    author_url,
    title,
    excerpt,
    source_url,
    request=None,
    created_at=None,
):
    """Store a pingback or webmention of `article` as a comment of that kind.

    For the pingback/webmention plugin: it verifies that `source_url` really
    links to the article, then calls this. The mention goes through the same
    spam checks as a reader's comment (the duplicate check rejects a second
    mention from the same source) and starts pending unless a check calls it
    spam; `after_comment_create` is emitted. `author_name` is the mentioning
    site's name (shown as "Pingback: <title> – <site>"); `excerpt` the text
    around the link. Raises django.core.exceptions.ValidationError for a
    kind that is not a mention or an address that is not http(s).
    """
    if kind not in MENTION_KINDS:
        raise ValidationError(f"kind must be one of {sorted(MENTION_KINDS)}, not {kind!r}")
    if not is_web_url(source_url) or len(source_url) > 500:
        raise ValidationError("source_url must be an http(s) address of at most 500 characters")
    if author_url and (not is_web_url(author_url) or len(author_url) > 500):
        raise ValidationError("author_url must be an http(s) address of at most 500 characters")
    settings = settings_for(article, request)
    comment = Comment(
        article=article,
        kind=kind,
        author_name=_mention_name(author_name, source_url),
        author_url=author_url or "",
        source_url=source_url,
        source_title=_clip(title, 300) or _clip(source_url, 300),
        body=_clip(excerpt, 5000),
        ip_address=client_ip(request),
        user_agent=client_user_agent(request),
        created_at=created_at or timezone.now(),
    )
    return _store(comment, request, Submission(channel=CHANNEL_MENTION, settings=settings))


def reply_as_editor(parent, user, body, *, approve_parent=True):
    """An editor's reply from the admin: approved at once, signed with their name.

    It nests under `parent` while the thread allows, otherwise beside it.
    """
    settings = settings_for(parent.article)
    anchor = parent
    while anchor is not None and anchor.depth + 1 >= max(1, settings.max_depth):
        anchor = anchor.parent
    name = (user.get_full_name() or user.get_username()).strip()
    with transaction.atomic():
        if approve_parent and parent.status == CommentStatus.PENDING:
            moderate([parent], CommentStatus.APPROVED, user)
        reply = Comment(
            article_id=parent.article_id,
            parent=anchor,
            kind=CommentKind.COMMENT,
            author_name=name[:100],
            author_email=user.email or "",
            body=body.strip(),
            user=user,
            status=CommentStatus.APPROVED,
            moderation_note=f"reply by the editor {user.get_username()}",
        )
        reply.save()
        emit("after_comment_create", comment=reply, verdict=Verdict.ACCEPT)
    return reply


def moderate(comments, new_status, user=None):
    """Give each comment `new_status`; returns how many changed."""
    if new_status not in CommentStatus.values:
        raise ValueError(f"unknown status {new_status!r}")
    changed = 0
    with transaction.atomic():
        for comment in comments:
            old_status = comment.status
            if old_status == new_status:
                continue
            comment.status = new_status
            comment.moderated_at = timezone.now()
            comment.moderated_by = user if getattr(user, "pk", None) else None
            comment.save(update_fields=["status", "moderated_at", "moderated_by"])
            emit("after_comment_moderate", comment=comment, old_status=old_status)
            changed += 1
    return changed


def record_moderation(comment, old_status, user=None):
    """After an admin edit that changed the status: stamp it and announce it."""
    if old_status == comment.status:
        return
    comment.moderated_at = timezone.now()
    comment.moderated_by = user if getattr(user, "pk", None) else None
    comment.save(update_fields=["moderated_at", "moderated_by"])
    emit("after_comment_moderate", comment=comment, old_status=old_status)


def erase_expired_personal_data(now=None):
    """Erase IP addresses and user agents older than each site's retention period."""
    from wagtail.models import Site

    from .models import CommentSettings

    now = now or timezone.now()
    erased = 0
    with_personal_data = Comment.objects.exclude(ip_address__isnull=True, user_agent="")
    sites = list(Site.objects.select_related("root_page"))
    covered_paths = []
    for site in sites:
        days = CommentSettings.for_site(site).personal_data_retention_days
        root_path = site.root_page.path
        covered_paths.append(root_path)
        erased += with_personal_data.filter(
            article__path__startswith=root_path,
            created_at__lt=now - timedelta(days=days),
        ).update(ip_address=None, user_agent="")
    # Articles outside every site: use the default retention.
    days = CommentSettings._meta.get_field("personal_data_retention_days").default
    outside = with_personal_data.filter(created_at__lt=now - timedelta(days=days))
    for root_path in covered_paths:
        outside = outside.exclude(article__path__startswith=root_path)
    erased += outside.update(ip_address=None, user_agent="")
    return erased


# How far back the first run (or one after the cache forgot the last run) looks.
CLOSED_BY_AGE_LOOKBACK = timedelta(minutes=15)
_CLOSED_BY_AGE_KEY = "byline-comments:closed-by-age-until"


def announce_closed_by_age(now=None):
    """Emit ``after_discussion_change`` (reason "closed") for each live article whose
    comments closed by age (``CommentSettings.close_after_days``) since the last run;
    returns how many. Safe to run twice: a run covers the time since the previous one."""
    from django.core.cache import cache
    from wagtail.models import Site

    from news.models import ArticlePage

    from .models import CommentSettings

    now = now or timezone.now()
    since = cache.get(_CLOSED_BY_AGE_KEY)
    if since is None or since > now or since < now - CLOSED_BY_AGE_LOOKBACK:
        since = now - CLOSED_BY_AGE_LOOKBACK
    closed_by_editor = ArticleCommentOptions.objects.filter(comments_closed=True).values(
        "article_id"
    )
    article_ids = set()
    for site in Site.objects.select_related("root_page"):
        days = CommentSettings.for_site(site).close_after_days
        if not days:
            continue
        age = timedelta(days=days)
        article_ids.update(
            ArticlePage.objects.live()
            .descendant_of(site.root_page, inclusive=True)
            .filter(publication_date__gt=since - age, publication_date__lte=now - age)
            .exclude(pk__in=closed_by_editor)
            .values_list("pk", flat=True)
        )
    for article_id in sorted(article_ids):
        emit("after_discussion_change", article_id=article_id, reason="closed", comment=None)
    cache.set(_CLOSED_BY_AGE_KEY, now, None)
    return len(article_ids)
