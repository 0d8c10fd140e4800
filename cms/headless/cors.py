"""CORS for headless frontends: their origins may read the API from a browser.

django-cors-headers answers CORS on the paths of ``CORS_URLS_REGEX`` for the
origins of ``CORS_ALLOWED_ORIGINS`` (``BYLINE_CORS_ALLOWED_ORIGINS``). Editors
add frontends in Settings → Headless frontends without a deploy, so their
origins are allowed too, through the library's ``check_request_enabled``
signal, from the cached list of frontends (``frontends``: one cache lookup
per cross-origin API request, no query).
"""

import re

from django.conf import settings

from .frontends import frontend_origins


def allow_frontend_origins(sender, request, **kwargs) -> bool:
    """``check_request_enabled`` receiver: an API request from a frontend's origin.

    django-cors-headers also asks this for paths outside ``CORS_URLS_REGEX``
    (a receiver may enable CORS anywhere), so the path is checked first: the
    pages, the admin and the comment endpoints (which answer CORS themselves)
    stay out, at the cost of one regular expression.
    """
    origin = request.headers.get("Origin")
    if not origin or not re.match(settings.CORS_URLS_REGEX, request.path_info):
        return False
    return origin.rstrip("/").lower() in frontend_origins()
