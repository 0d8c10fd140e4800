"""Content-Security-Policy and the other security headers (README "Hardening").

django-csp writes the header; this middleware only picks the policy by path:
the reader site gets the strict ``CONTENT_SECURITY_POLICY`` from settings, the
Wagtail admin (and Django's admin) ``BYLINE_ADMIN_CSP``, because the editor's
React widgets, Draftail and the preview panel need more (inline styles, blob:
and data: images, same-origin frames). The admin policy still allows no
script from another origin and no inline script.

It sits right after SecurityMiddleware, so answers made by the middleware
below it (WhiteNoise's static files, 304s, CORS preflights) carry a policy too.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


def admin_policy():
    """The admin's policy, with the headless frontends' origins allowed as frames.

    The preview panel shows a draft rendered by a frontend (Settings → Headless
    frontends), which may be on another origin (``http://localhost:3000`` while
    developing): the panel's iframe must be allowed to load it.
    """
    from cms.headless.frontends import frontend_origins

    policy = dict(getattr(settings, "BYLINE_ADMIN_CSP", {}))
    if policy:
        extra = [origin for origin in sorted(frontend_origins()) if origin]
        policy["frame-src"] = [*policy.get("frame-src", []), *extra]
    return policy


class BylineCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(ADMIN_PREFIXES)
            and getattr(settings, "BYLINE_ADMIN_CSP", None)
        ):
            return PolicyParts(admin_policy(), parts.update, parts.replace, parts.nonce)
        return parts
