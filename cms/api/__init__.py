"""The content API: Wagtail API v2 (DRF) at /api/v2/ and v3 (django-ninja) at /api/v3/.

Layout:

- ``fields``: the API field specs shared by both versions (one definition per
  computed field, with an optional bulk prefetch for listings);
- ``visibility``: what the public may see (pages visible now, as defined once
  in ``cms.visibility``, and the images they use);
- ``params``: checks on query strings that keep bad input away from the
  database (too long, not UTF-8, NUL characters, numbers out of range);
- ``v2`` and ``v3``: each version's endpoints, assembled from the apps'
  own ``api`` packages (``news.api``, ``authors.api``).
"""
