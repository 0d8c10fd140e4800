"""Headless frontends: their addresses per site, draft previews in them, and CORS.

- ``models``: the "Headless frontends" site setting (Settings → Headless
  frontends): each frontend's name and base URL, the first one the default;
- ``preview``: ``HeadlessPreviewMixin``, the page preview modes that show a
  saved draft in a frontend inside Wagtail's preview panel;
- ``frontends``: every site's frontends, cached for the two cheap readers below;
- ``tokens``: the signed, short-lived preview tokens those modes hand to a
  frontend, each scoped to one revision of one page;
- ``cors``: lets browsers on the frontends' origins read the API (through
  django-cors-headers' ``check_request_enabled`` signal).

The API endpoints that answer a preview token are API code and live with the
API: ``cms/api/preview.py`` (shared), ``cms/api/v2/preview.py`` and
``cms/api/v3/preview.py``.
"""
