from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from wagtail import hooks
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect

from .redirects import QUERY_KEYS


@hooks.register("before_serve_page")
def redirect_wordpress_query_addresses(page, request, serve_args, serve_kwargs):
    """`/?p=123`, `/?page_id=7`, `/?attachment_id=9`: WordPress's addresses by id.

    They are on the front page's path, which answers 200, so Wagtail's redirect
    middleware (it looks only at 404s) never sees them. The Redirect rows the
    import made are looked up here the way the middleware looks them up, for
    requests that carry one of these parameters only (no query otherwise).
    """
    if request.method not in {"GET", "HEAD"}:
        return None
    for key in QUERY_KEYS:
        value = request.GET.get(key)
        if value and value.isdigit() and len(value) < 20:
            path = Redirect.normalise_path(f"{request.path}?{key}={value}", decode_unicode=False)
            redirect = get_redirect(request, path)
            if redirect is not None and redirect.link:
                response_class = (
                    HttpResponsePermanentRedirect if redirect.is_permanent else HttpResponseRedirect
                )
                return response_class(redirect.link)
    return None
