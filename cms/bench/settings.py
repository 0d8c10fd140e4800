"""Production settings, plus what only the benchmark needs.

The floor view and the query-count header are added here rather than in
``cms.settings`` so that no real deployment can ever serve them.
"""

from cms.settings.production import *  # noqa: F403
from cms.settings.production import MIDDLEWARE

ROOT_URLCONF = "cms.bench.urls"
# Outermost, so the count covers every query of the request, middleware included.
MIDDLEWARE = ["cms.bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
