"""Signed tokens: the comment form's issue time, and the notice after posting.

A form token is signed with the project's SECRET_KEY and names the
article (and, for the API, the browser origin) it was issued for, with the
time it was issued. It proves the form came from us, for this article, and
lets the fill-time check measure how long the reader took. Tokens carry no
personal data and need no server-side storage, so any app process can check
a token another one issued.
"""

import time

from django.core import signing

FORM_SALT = "byline_comments.form-token"
POSTED_SALT = "byline_comments.posted"
# An article page may be cached for a while; its form stays usable for a day.
PAGE_FORM_MAX_AGE = 24 * 60 * 60
# A headless frontend asks for a token right before showing the form.
API_FORM_MAX_AGE = 2 * 60 * 60
POSTED_MAX_AGE = 60 * 60


class InvalidFormToken(Exception):
    pass


def issue_form_token(article_id, origin=""):
    return signing.dumps({"a": article_id, "o": origin, "t": round(time.time(), 3)}, salt=FORM_SALT)


def read_form_token(token, article_id, origin="", max_age=PAGE_FORM_MAX_AGE):
    """The time the form was issued, or InvalidFormToken with a reason for the reader."""
    if not isinstance(token, str) or not token:
        raise InvalidFormToken("The form token is missing.")
    try:
        payload = signing.loads(token, salt=FORM_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise InvalidFormToken("The form has expired.") from exc
    except signing.BadSignature as exc:
        raise InvalidFormToken("The form token is not valid.") from exc
    if not isinstance(payload, dict) or payload.get("a") != article_id:
        raise InvalidFormToken("The form token belongs to another article.")
    if (payload.get("o") or "") != (origin or ""):
        raise InvalidFormToken("The form token was issued to another origin.")
    issued_at = payload.get("t")
    if not isinstance(issued_at, int | float):
        raise InvalidFormToken("The form token is not valid.")
    if time.time() - issued_at > max_age:
        raise InvalidFormToken("The form has expired.")
    return float(issued_at)


def posted_token(comment, shown_status):
    return signing.dumps({"c": comment.pk, "s": shown_status}, salt=POSTED_SALT)


def read_posted_token(token):
    """(comment id, status to tell the reader), or None."""
    try:
        payload = signing.loads(token, salt=POSTED_SALT, max_age=POSTED_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("s") not in {"pending", "approved"}:
        return None
    return payload.get("c"), payload["s"]
