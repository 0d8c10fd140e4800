"""A client for Akismet-compatible spam services, and the check that uses it.

The service's base address is a site setting, so any service speaking the
Akismet 1.1 protocol works (comment-check, submit-spam, submit-ham). Calls
have short timeouts; when the service cannot be reached or answers
something unexpected the comment is held for a person, never let through.
"""

import logging
from dataclasses import dataclass

import requests
from wagtail.models import Site

from cms.plugins import CheckResult, Verdict
from cms.public_address import public_root_url

from ..submission import submission_of

logger = logging.getLogger("byline.plugins.comments")

# (connect, read) seconds: a slow spam service must not stall a reader's post.
TIMEOUT = (2, 4)
USER_AGENT = "Byline/1.0 | byline-comments/1.0"
AKISMET_TYPES = {"comment": "comment", "pingback": "pingback", "webmention": "trackback"}


class AkismetError(Exception):
    """The service could not be reached or gave an answer that is not a verdict."""


@dataclass
class AkismetClient:
    api_key: str
    endpoint: str
    site_url: str

    def _post(self, method, params):
        url = self.endpoint.rstrip("/") + "/" + method
        data = {key: value for key, value in params.items() if value not in (None, "")}
        data.update(api_key=self.api_key, blog=self.site_url)
        try:
            response = requests.post(
                url, data=data, timeout=TIMEOUT, headers={"User-Agent": USER_AGENT}
            )
        except requests.RequestException as exc:
            raise AkismetError(f"unreachable ({type(exc).__name__})") from exc
        if response.status_code != 200:
            raise AkismetError(f"answered HTTP {response.status_code}")
        return response

    def comment_check(self, params):
        """True for spam, False for ham, with the service's hint ("discard")."""
        response = self._post("comment-check", params)
        answer = response.text.strip()
        if answer == "true":
            return True, response.headers.get("X-akismet-pro-tip", "")
        if answer == "false":
            return False, ""
        help_text = response.headers.get("X-akismet-debug-help") or answer[:100] or "empty"
        raise AkismetError(f"gave no verdict: {help_text}")

    def submit_spam(self, params):
        return self._post("submit-spam", params).text.strip()

    def submit_ham(self, params):
        return self._post("submit-ham", params).text.strip()


def client_for(settings, site_url):
    if not settings.akismet_enabled:
        return None
    return AkismetClient(settings.akismet_api_key.strip(), settings.akismet_endpoint, site_url)


def site_url_for(article, request=None):
    site = article.get_site() if article is not None else None
    if site is None and request is not None:
        site = Site.find_for_request(request)
    return public_root_url(site)


def comment_params(comment, request=None):
    """The Akismet description of a comment (its personal data only while it is kept)."""
    article = comment.article
    params = {
        "user_ip": comment.ip_address or "",
        "user_agent": comment.user_agent,
        "permalink": article.get_full_url(request) if article is not None else "",
        "comment_type": "reply"
        if comment.parent_id and comment.kind == "comment"
        else AKISMET_TYPES.get(comment.kind, "comment"),
        "comment_author": comment.author_name,
        "comment_author_email": comment.author_email,
        "comment_author_url": comment.author_url or comment.source_url,
        "comment_content": comment.body,
        "comment_date_gmt": comment.created_at.isoformat() if comment.created_at else "",
        "blog_charset": "UTF-8",
        "blog_lang": "en",
    }
    if request is not None:
        params["referrer"] = request.META.get("HTTP_REFERER", "")
    return params


class AkismetCheck:
    name = "akismet"

    def check(self, comment, request):
        settings = submission_of(comment, request).settings
        client = client_for(settings, site_url_for(comment.article, request))
        if client is None:
            return CheckResult(Verdict.ACCEPT, "Akismet is not configured")
        try:
            is_spam, tip = client.comment_check(comment_params(comment, request))
        except AkismetError as exc:
            logger.warning("Akismet check failed: %s", exc)
            return CheckResult(Verdict.HOLD, f"Akismet {exc}; held for a person to judge")
        if is_spam:
            detail = " (blatant: discard)" if tip == "discard" else ""
            return CheckResult(Verdict.SPAM, f"Akismet says spam{detail}")
        return CheckResult(Verdict.ACCEPT, "Akismet says not spam")


def report(comment, as_spam):
    """Tell the service a moderator's correction: submit-spam or submit-ham."""
    from ..submission import settings_for

    settings = settings_for(comment.article)
    client = client_for(settings, site_url_for(comment.article))
    if client is None:
        return None
    params = comment_params(comment)
    return client.submit_spam(params) if as_spam else client.submit_ham(params)
