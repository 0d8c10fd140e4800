"""Email to moderators about a new comment (Django's mail backend)."""

from django.conf import settings as django_settings
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from cms.public_address import public_url

from .models import CommentStatus
from .submission import settings_for


def people_who_moderate():
    """The addresses of active users who may moderate comments; superusers when there are none.

    Used when the comment settings name no addresses, so a new site's moderators
    hear about held comments without anyone configuring it.
    """
    may_moderate = Permission.objects.filter(
        content_type__app_label="byline_comments", codename="change_comment"
    )
    people = get_user_model().objects.filter(is_active=True).exclude(email="")
    moderators = people.filter(
        Q(groups__permissions__in=may_moderate) | Q(user_permissions__in=may_moderate)
    )
    addresses = sorted(set(moderators.values_list("email", flat=True)))
    if addresses:
        return addresses
    return sorted(set(people.filter(is_superuser=True).values_list("email", flat=True)))


def notify_moderators(comment):
    """Send one email to the site's moderators; returns the number of messages sent."""
    if comment.user_id is not None or comment.status == CommentStatus.SPAM:
        return 0  # editors' own replies and spam need no one's attention
    settings = settings_for(comment.article)
    recipients = settings.moderator_email_list or people_who_moderate()
    if not recipients:
        return 0
    article = comment.article
    held = comment.status == CommentStatus.PENDING
    context = {
        "comment": comment,
        "article": article,
        "held": held,
        "article_url": article.get_full_url(),
        "edit_url": public_url(reverse("byline_comments_comment:edit", args=[quote(comment.pk)])),
        "queue_url": public_url(reverse("byline_comments_comment:list") + "?status=pending"),
        "site_name": getattr(django_settings, "WAGTAIL_SITE_NAME", "Byline"),
    }
    what = comment.get_kind_display().lower()
    state = "awaits moderation" if held else "was published"
    subject = f"[{context['site_name']}] New {what} on “{article.title}” {state}"
    body = render_to_string("byline_comments/email/new_comment.txt", context)
    return send_mail(
        subject.replace("\n", " ")[:200],
        body,
        None,
        recipients,
        fail_silently=False,
    )
