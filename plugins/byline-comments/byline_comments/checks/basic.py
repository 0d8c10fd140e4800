"""The plugin's own spam checks: each a `register_comment_checks` entry.

Every check reads the site's settings from the comment's `Submission`
(see `byline_comments.submission`) and answers a `CheckResult` whose reason
a moderator can act on.
"""

import ipaddress
import time
from urllib.parse import urlsplit

from django.db.models import Q

from cms.abuse import count_hit
from cms.plugins import CheckResult, Verdict

from ..submission import CHANNEL_MENTION, submission_of
from ..text import count_links, link_hosts


class HoneypotCheck:
    """A field people never see (hidden by CSS); software that fills every field fills it."""

    name = "honeypot"

    def check(self, comment, request):
        submission = submission_of(comment, request)
        if submission.honeypot.strip():
            return CheckResult(Verdict.SPAM, "the hidden field that people leave empty was filled")
        return CheckResult(Verdict.ACCEPT, "hidden field empty")


class MinimumFillTimeCheck:
    """People take a few seconds to write; scripts post the moment they get the form."""

    name = "fill_time"

    def check(self, comment, request):
        submission = submission_of(comment, request)
        minimum = submission.settings.min_fill_seconds
        if submission.channel == CHANNEL_MENTION:
            return CheckResult(Verdict.ACCEPT, "not a form submission")
        if submission.form_issued_at is None:
            return CheckResult(
                Verdict.HOLD, "no signed form time: cannot tell how fast it was sent"
            )
        elapsed = time.time() - submission.form_issued_at
        if elapsed < minimum:
            return CheckResult(
                Verdict.SPAM,
                f"sent {elapsed:.1f} s after the form was issued (minimum {minimum} s)",
            )
        return CheckResult(Verdict.ACCEPT, f"sent {elapsed:.0f} s after the form was issued")


class LinkCountCheck:
    name = "link_count"

    def check(self, comment, request):
        limit = submission_of(comment, request).settings.max_links
        links = count_links(comment.body)
        if links > limit:
            return CheckResult(Verdict.HOLD, f"{links} links (more than {limit})")
        return CheckResult(Verdict.ACCEPT, f"{links} link{'s' if links != 1 else ''}")


def _domain_matches(host, domain):
    return host == domain or host.endswith("." + domain)


class BlocklistCheck:
    """Words anywhere in the comment, domains it links to or mails from, IP addresses."""

    name = "blocklist"

    def check(self, comment, request):
        settings = submission_of(comment, request).settings
        text = " ".join(
            [
                comment.author_name,
                comment.author_email,
                comment.author_url,
                comment.body,
                comment.source_url,
                comment.source_title,
            ]
        ).casefold()
        for word in settings.blocked_word_list:
            if word in text:
                return CheckResult(Verdict.SPAM, f"contains the blocked word {word!r}")
        hosts = link_hosts(comment.body)
        for url in (comment.author_url, comment.source_url):
            if url:
                hosts.append((urlsplit(url).hostname or "").lower())
        if "@" in (comment.author_email or ""):
            hosts.append(comment.author_email.rsplit("@", 1)[1].lower())
        for domain in settings.blocked_domain_list:
            if any(_domain_matches(host, domain) for host in hosts):
                return CheckResult(Verdict.SPAM, f"mentions the blocked domain {domain!r}")
        try:
            address = ipaddress.ip_address(comment.ip_address or "")
        except ValueError:
            address = None
        for network in settings.blocked_networks if address is not None else []:
            if address.version == network.version and address in network:
                return CheckResult(Verdict.SPAM, f"sent from the blocked network {network}")
        return CheckResult(Verdict.ACCEPT, "nothing on the blocklists")


def count_rate(ip_address, settings):
    """Count one more comment from `ip_address`: (count, limit, window, retry_after).

    A fixed-window counter in the Django cache (`cms.abuse.count_hit`): per
    process with local memory, shared by every process through REDIS_URL, and
    atomic, so concurrent posts never read the same count. `count` is None when
    nothing is counted.
    """
    limit, window = settings.rate_limit_count, max(1, settings.rate_limit_window_seconds)
    if not limit or not ip_address:
        return None, limit, window, 0
    count, retry_after = count_hit(f"comments:{ip_address}", window)
    return count, limit, window, retry_after


class RateLimitCheck:
    """At most N comments per IP address per window, counted in the shared cache.

    Reader comments are counted before they are stored (services.submit_comment
    refuses those over the limit, so a burst stores nothing); this check reports
    that count, and counts on its own for mentions and third-party callers.
    """

    name = "rate_limit"

    def check(self, comment, request):
        submission = submission_of(comment, request)
        settings = submission.settings
        limit, window = settings.rate_limit_count, max(1, settings.rate_limit_window_seconds)
        if not limit:
            return CheckResult(Verdict.ACCEPT, "no rate limit set")
        if not comment.ip_address:
            return CheckResult(Verdict.ACCEPT, "no IP address to count")
        count = getattr(submission, "rate_count", None)
        if count is None:
            count, limit, window, _ = count_rate(comment.ip_address, settings)
        if count > limit:
            return CheckResult(
                Verdict.SPAM,
                f"comment {count} from this IP address within {window} s (limit {limit})",
            )
        return CheckResult(Verdict.ACCEPT, f"comment {count} of {limit} allowed in {window} s")


class DuplicateCheck:
    """The same text again from the same person, or the same mention again."""

    name = "duplicate"

    def check(self, comment, request):
        from ..models import Comment, CommentStatus, body_fingerprint

        earlier = Comment.objects.exclude(status=CommentStatus.TRASH)
        if comment.pk:
            earlier = earlier.exclude(pk=comment.pk)
        if comment.is_mention:
            match = (
                earlier.filter(article_id=comment.article_id, source_url=comment.source_url)
                .exclude(source_url="")
                .values_list("pk", flat=True)
                .first()
            )
            if match:
                return CheckResult(Verdict.SPAM, f"this source already mentioned it (#{match})")
            return CheckResult(Verdict.ACCEPT, "first mention from this source")
        same_person = Q()
        if comment.author_email:
            same_person |= Q(author_email=comment.author_email.strip().lower())
        if comment.ip_address:
            same_person |= Q(ip_address=comment.ip_address)
        if not same_person:
            return CheckResult(Verdict.ACCEPT, "no email or IP address to compare")
        match = (
            earlier.filter(same_person, body_fingerprint=body_fingerprint(comment.body))
            .order_by("-created_at")
            .values_list("pk", "article_id")
            .first()
        )
        if match:
            where = "this article" if match[1] == comment.article_id else "another article"
            return CheckResult(Verdict.SPAM, f"same text as comment #{match[0]} on {where}")
        return CheckResult(Verdict.ACCEPT, "no earlier copy")
