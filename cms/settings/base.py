"""Settings shared by every environment.

Everything that differs between a laptop and production comes from the
environment (DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, DEBUG, ...), read here
once so the dev/production/test modules only change defaults.
"""

import hashlib
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from cms.plugins.discovery import discover_plugins, plugin_apps

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Plugins: installed packages with an entry point in group `cms.plugins`,
# minus those disabled by name here or in BYLINE_DISABLED_PLUGINS.
BYLINE_DISABLED_PLUGINS = env_list("BYLINE_DISABLED_PLUGINS")
BYLINE_PLUGINS = discover_plugins(disabled=BYLINE_DISABLED_PLUGINS)

INSTALLED_APPS = [
    "home",
    "news",
    "authors",
    "cms.plugins",
    "cms.runtime",
    "cms.headless",
    "cms.ops",
    "cms.page_cache",
    *plugin_apps(BYLINE_PLUGINS),
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail.api.v3",
    "wagtail",
    "rest_framework",
    # django-ninja's templates and static files: /api/v3/docs/ loads Swagger UI
    # from this site, not from a CDN (it works offline and under a strict CSP).
    "ninja",
    "corsheaders",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Admin login lockout after repeated failures (README "Hardening").
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (README "Hardening"), second so answers made by the
    # middleware below (static files, 304s) carry it too.
    "cms.security_headers.BylineCSPMiddleware",
    # Early, so errors from the middleware below are logged with the request id too.
    "cms.observability.RequestIdMiddleware",
    # CORS for /api/ (settings below): before anything that may answer on its own,
    # so every API answer, a 304 or a redirect included, carries the CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Due scheduled articles go live before the first reader asks, worker or not.
    "cms.runtime.catch_up.ScheduledPublishingMiddleware",
    # The Site and site settings kept between readers' requests (cms/shared_lookups.py).
    "cms.shared_lookups.SharedLookupsMiddleware",
    # Whole answers for anonymous readers (README "Page cache"): after the catch-up
    # above (whose publishing purges it), outside gzip (entries are kept compressed).
    "cms.page_cache.middleware.PageCacheMiddleware",
    # Text answers gzipped; after WhiteNoise, which serves static files precompressed.
    "cms.http_cache.TextGZipMiddleware",
    # Cache-Control, ETag, Last-Modified and 304s for every answer (README "HTTP
    # caching"): inside gzip to hash the plain body, outside sessions, CSRF and
    # messages to see the cookies and Vary they add.
    "cms.http_cache.HttpCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Failed bearer tokens on /api/v3/ throttled per client address (cms/abuse.py).
    "cms.abuse.ApiTokenThrottleMiddleware",
    # django-axes wants to be last: it turns a lockout into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

# AxesStandaloneBackend first: it refuses a locked-out login before any password
# is checked, and records failures (README "Hardening").
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "news.context_processors.site_navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# SQLite is the zero-set-up default; DATABASE_URL switches to PostgreSQL.
# WAL keeps readers working while a writer holds the lock, and IMMEDIATE
# transactions make concurrent writers queue instead of failing.
SQLITE_PATH = os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SQLITE_PATH}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        # A kept connection is checked before each request reuses it, so one the
        # database dropped (a restart, a failover) is replaced, not answered with 500s.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            # Seconds a writer waits for another's lock before the request gives up
            # with a 503 and Retry-After (cms/resilience.py).
            "timeout": float(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# Publication times are shown in the newsroom's time zone.
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")

# Hashed, compressed static file names everywhere (not only in production), so the
# files `make run` collects also serve the production settings on the same checkout.
STORAGES = {
    # Local disk that removes a half-written upload when the disk fills up (cms/storage.py).
    "default": {"BACKEND": "cms.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Object storage (S3-compatible: AWS, MinIO, Ceph, R2...) for media and image renditions
# when a bucket is configured (README "Deployment"). Credentials come from boto3's usual
# places (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, an instance role...). Files get
# public, unsigned URLs: from AWS_S3_CUSTOM_DOMAIN (a CDN in front of the bucket) when
# set, otherwise from the endpoint. An object is stored whole or not at all, so the
# disk-full handling of cms/storage.py has no work here.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_STORAGE_BUCKET_NAME = os.environ["AWS_STORAGE_BUCKET_NAME"]
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_S3_URL_PROTOCOL = os.environ.get("AWS_S3_URL_PROTOCOL", "https:")
    # "path" for servers without per-bucket host names (MinIO, moto); None: boto3 decides.
    AWS_S3_ADDRESSING_STYLE = os.environ.get("AWS_S3_ADDRESSING_STYLE") or None
    # A key prefix inside the bucket, e.g. "media" when the bucket holds other things too.
    AWS_LOCATION = os.environ.get("AWS_LOCATION", "")
    AWS_QUERYSTRING_AUTH = False
    AWS_S3_FILE_OVERWRITE = False
    # The bucket's own policy decides who may read; no per-object ACL is sent.
    AWS_DEFAULT_ACL = None
    # Uploads never change under a name (no overwrite; renditions are named by their
    # filter), so browsers and CDNs may keep them a long time.
    AWS_S3_OBJECT_PARAMETERS = {
        "CacheControl": os.environ.get("BYLINE_MEDIA_CACHE_CONTROL", "public, max-age=604800")
    }

# Local memory by default; REDIS_URL (redis://host:6379/0, rediss:// for TLS) gives every
# app process and worker one shared cache: rate limits, locks, the page cache's entries
# and invalidations, and sessions (cached in Redis, kept in the database, so flushing
# Redis signs nobody out). Redis that does not answer within 2 s is an error (503 on
# /health/), not a hung request.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Several sites (or a staging copy) may share one Redis database.
            "KEY_PREFIX": os.environ.get("BYLINE_CACHE_KEY_PREFIX", "byline"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def _database_identity(database):
    """A short name for one database: its engine, server and name (a file's full path)."""
    name = str(database.get("NAME") or "")
    if database["ENGINE"] == "django.db.backends.sqlite3" and name != ":memory:":
        name = os.path.abspath(name)
    where = "|".join(
        (database["ENGINE"], str(database.get("HOST") or ""), str(database.get("PORT") or ""), name)
    )
    return "db-" + hashlib.sha256(where.encode()).hexdigest()[:12]


# The page cache (README "Page cache") in an alias of its own: the same Redis, or files
# under .cache/pages, which the web server, the worker and the clock of one machine
# share (a purge made by the worker's scheduled publishing must reach the web server's
# entries; local memory is per process).
if os.environ.get("REDIS_URL", "").strip():
    CACHES["pages"] = {
        **CACHES["default"],
        "KEY_PREFIX": f"{CACHES['default'].get('KEY_PREFIX', '')}:pages",
    }
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(BASE_DIR / ".cache" / "pages"),
        # Keys name the database: servers of this checkout on other databases (the
        # benchmark's, a copy) never read each other's answers or lookups.
        "KEY_PREFIX": _database_identity(DATABASES["default"]),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
# On by default; BYLINE_PAGE_CACHE=0 (or "off") turns it off. No answer is served from
# it older than BYLINE_PAGE_CACHE_MAX_AGE seconds, whatever else happens.
BYLINE_PAGE_CACHE = env_bool("BYLINE_PAGE_CACHE", True)
BYLINE_PAGE_CACHE_MAX_AGE = int(os.environ.get("BYLINE_PAGE_CACHE_MAX_AGE", "600"))
# CDN purging (Wagtail's frontend cache), sent by the worker: "http" sends PURGE requests
# to BYLINE_FRONTEND_CACHE_URL (Varnish, nginx and the like); "cloudflare" uses
# BYLINE_FRONTEND_CACHE_ZONE_ID and BYLINE_FRONTEND_CACHE_TOKEN.
BYLINE_FRONTEND_CACHE_BACKEND = os.environ.get("BYLINE_FRONTEND_CACHE_BACKEND", "").strip()
if BYLINE_FRONTEND_CACHE_BACKEND == "http":
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": os.environ.get("BYLINE_FRONTEND_CACHE_URL", ""),
        }
    }
elif BYLINE_FRONTEND_CACHE_BACKEND == "cloudflare":
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "ZONEID": os.environ.get("BYLINE_FRONTEND_CACHE_ZONE_ID", ""),
            "BEARER_TOKEN": os.environ.get("BYLINE_FRONTEND_CACHE_TOKEN", ""),
        }
    }

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Logs go to stderr: "text" lines for a person at a terminal, or "json" (one object per
# line, for a log collector; the production default). Each record carries the request
# id, path, method, status and signed-in user id, never the query string, cookies or
# addresses (cms/observability.py). Unhandled errors reach "django.request" with their
# traceback, so "django" must have a handler whatever DEBUG is.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "cms.observability.RequestContextFilter"}},
    "formatters": {
        "console": {
            "()": "cms.observability.console_formatter",
            "log_format": os.environ.get("BYLINE_LOG_FORMAT", "text"),
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_context"],
            "formatter": "console",
        },
    },
    # Third-party libraries' warnings and errors, in the same format.
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Replaces Django's default handlers (console only with DEBUG, mail_admins).
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "byline": {
            "handlers": ["console"],
            "level": os.environ.get("BYLINE_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
    },
}

# One public address: every absolute URL Byline emits (feeds, sitemaps, canonical
# links, API URLs, e-mails) starts with it. `make run PORT=...` sets it to follow
# the port; production requires an https address (cms/public_address.py).
BYLINE_BASE_URL = os.environ.get("BYLINE_BASE_URL", "http://127.0.0.1:8000").strip().rstrip("/")

# Background work: django-tasks with a database-backed queue, so queued work
# survives restarts and one machine needs nothing but the database. The worker
# (`manage.py run_worker`) runs it, the clock (`manage.py run_clock`) queues the
# periodic jobs. BYLINE_TASKS_BACKEND=rq switches to Redis (README "Runtime").
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker is "seen" while its heartbeat is younger than this (seconds); tasks
# a dead worker was running are queued again after it.
BYLINE_WORKER_STALE_AFTER = int(os.environ.get("BYLINE_WORKER_STALE_AFTER", "60"))

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("WAGTAIL_SITE_NAME", "The Byline Courier")
WAGTAILADMIN_BASE_URL = BYLINE_BASE_URL
WAGTAILIMAGES_IMAGE_MODEL = "news.NewsImage"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# Upload limits (README "Hardening"): bigger files and images declaring more
# pixels (decompression bombs) are refused with a form error before decoding.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = int(os.environ.get("BYLINE_IMAGE_MAX_UPLOAD_MB", "20")) * 1024**2
WAGTAILIMAGES_MAX_IMAGE_PIXELS = int(os.environ.get("BYLINE_IMAGE_MAX_PIXELS", "128000000"))
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
# Wagtail's database search: FTS5 on SQLite, tsvector columns with GIN indexes on
# PostgreSQL. The PostgreSQL text search configuration (stemming and stop words) is named
# here rather than left to the server's default_text_search_config, so every database
# stems alike; after changing it, run `manage.py update_index` (news/search.py).
BYLINE_SEARCH_CONFIG = os.environ.get("BYLINE_SEARCH_CONFIG", "english").strip() or "english"
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": BYLINE_SEARCH_CONFIG,
    }
}
WAGTAILAPI_BASE_URL = BYLINE_BASE_URL
WAGTAILAPI_LIMIT_MAX = 50
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
WAGTAIL_I18N_ENABLED = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# "Harbour" and "harbour" are one tag with one page, not /tags/harbour/ and /tags/harbour_1/.
TAGGIT_CASE_INSENSITIVE = True

# Headless frontends (cms/headless/). A preview token opens one saved revision of
# a page for this many seconds: it travels in a URL, so it must not last long.
BYLINE_PREVIEW_TOKEN_MAX_AGE = int(os.environ.get("BYLINE_PREVIEW_TOKEN_MAX_AGE", "600"))

# CORS (django-cors-headers): browsers on these origins may read the API from
# JavaScript. Comma-separated origins (https://www.example.com), or * for any;
# the origins of Settings → Headless frontends are added at run time
# (cms/headless/cors.py). Reads only: the API's writes take bearer tokens from
# servers, not browsers. The comment endpoints answer CORS themselves (their
# POSTs need an origin bound into a signed form token, and allow POST), so they
# are left out here, and one mechanism answers each path.
BYLINE_CORS_ALLOWED_ORIGINS = env_list("BYLINE_CORS_ALLOWED_ORIGINS")
CORS_ALLOW_ALL_ORIGINS = "*" in BYLINE_CORS_ALLOWED_ORIGINS
CORS_ALLOWED_ORIGINS = [o.rstrip("/").lower() for o in BYLINE_CORS_ALLOWED_ORIGINS if o != "*"]
CORS_URLS_REGEX = r"^/api/(?!v[23]/comments/)"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "authorization", "if-modified-since", "if-none-match"]
CORS_EXPOSE_HEADERS = ["ETag", "X-Request-ID"]
CORS_PREFLIGHT_MAX_AGE = 3600
# The API reads no cookies (v2 is public, v3 counts a session as anonymous), so
# credentials are off unless asked for, and never with * (headless.E001).
BYLINE_CORS_ALLOW_CREDENTIALS = env_bool("BYLINE_CORS_ALLOW_CREDENTIALS", False)
CORS_ALLOW_CREDENTIALS = BYLINE_CORS_ALLOW_CREDENTIALS and not CORS_ALLOW_ALL_ORIGINS

# Feeds (news/feeds/): whole article bodies or only the standfirst, and how
# many of the newest articles each feed lists.
BYLINE_FEED_FULL_CONTENT = env_bool("BYLINE_FEED_FULL_CONTENT", True)
BYLINE_FEED_ITEMS = int(os.environ.get("BYLINE_FEED_ITEMS", "20"))
# Feed item ids are tag: URIs under this authority (a domain or e-mail address
# the publisher owns), not under BYLINE_BASE_URL: a new host must not turn every
# item into a new one for feed readers. Set it once and never change it
# (news/feeds/identity.py).
BYLINE_FEED_ID_AUTHORITY = os.environ.get("BYLINE_FEED_ID_AUTHORITY", "byline.invalid").strip()

# HTTP caching (cms/http_cache.py): how long browsers and CDNs may keep a public
# answer without asking (max-age) and serve it while they revalidate it in the
# background (stale-while-revalidate), in seconds. Feeds, sitemaps and robots.txt
# are polled by machines and change slowly, so they have their own values.
BYLINE_CACHE_MAX_AGE = int(os.environ.get("BYLINE_CACHE_MAX_AGE", "60"))
BYLINE_CACHE_STALE_WHILE_REVALIDATE = int(
    os.environ.get("BYLINE_CACHE_STALE_WHILE_REVALIDATE", "300")
)
BYLINE_FEED_CACHE_MAX_AGE = int(os.environ.get("BYLINE_FEED_CACHE_MAX_AGE", "300"))
BYLINE_FEED_CACHE_STALE_WHILE_REVALIDATE = int(
    os.environ.get("BYLINE_FEED_CACHE_STALE_WHILE_REVALIDATE", "3600")
)

# Hardening (README "Hardening") -------------------------------------------------------
# The client's address: REMOTE_ADDR, or with BYLINE_PROXY_COUNT proxies in front that
# each append to X-Forwarded-For, the address the outermost of them saw (cms/abuse.py).
# Never trust X-Forwarded-For without a proxy that overwrites what clients send.
BYLINE_PROXY_COUNT = int(os.environ.get("BYLINE_PROXY_COUNT", "0"))

# Admin sign-in (django-axes): after this many failed passwords for one username from
# one address, that pair is locked out for the cool-off time; other users and other
# addresses can still sign in. A success resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("BYLINE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("BYLINE_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "cms.abuse.axes_client_ip"
AXES_LOCKOUT_CALLABLE = "cms.abuse.login_locked_out"
AXES_HTTP_RESPONSE_CODE = 429
# Failures live in the database (survive restarts, shared by every process); the
# attempt log only keeps failures, not every successful sign-in.
AXES_DISABLE_ACCESS_LOG = True
# Axes' log lines name only the lockout parameters, masked (AXES_SENSITIVE_PARAMETERS),
# not the browser: logs carry no addresses (README "Observability").
AXES_VERBOSE = False

# Bearer tokens on /api/v3/: after this many unknown or revoked tokens from one address
# within the window (seconds), that address gets 429 until the window ends. Counted in
# the cache: per process with the default local memory, shared through REDIS_URL.
BYLINE_API_TOKEN_FAILURE_LIMIT = int(os.environ.get("BYLINE_API_TOKEN_FAILURE_LIMIT", "20"))
BYLINE_API_TOKEN_FAILURE_WINDOW = int(os.environ.get("BYLINE_API_TOKEN_FAILURE_WINDOW", "300"))

# Reader comments held for moderation: at most this many spam comments are kept per
# article and on the whole site (the oldest spam is deleted past either), and at most
# this many pending ones per article (further ones are refused, not stored). 0: no cap.
BYLINE_COMMENTS_MAX_SPAM_PER_ARTICLE = int(
    os.environ.get("BYLINE_COMMENTS_MAX_SPAM_PER_ARTICLE", "200")
)
BYLINE_COMMENTS_MAX_SPAM = int(os.environ.get("BYLINE_COMMENTS_MAX_SPAM", "5000"))
BYLINE_COMMENTS_MAX_PENDING_PER_ARTICLE = int(
    os.environ.get("BYLINE_COMMENTS_MAX_PENDING_PER_ARTICLE", "200")
)

# Content-Security-Policy (django-csp, cms/security_headers.py). The reader site runs
# no JavaScript and no inline script (JSON-LD is data, which CSP does not block); style
# attributes are allowed (style-src-attr) because Wagtail's responsive embeds size
# their frame with one. Embeds are oEmbed iframes from many providers: any https frame,
# or only the origins in BYLINE_CSP_FRAME_SRC.
_media_origins = []
for _url in (
    os.environ.get("MEDIA_URL", ""),
    os.environ.get("AWS_S3_ENDPOINT_URL", ""),
    os.environ.get("AWS_S3_CUSTOM_DOMAIN", ""),
):
    _url = _url.strip()
    if _url and not _url.startswith("/"):
        _scheme = os.environ.get("AWS_S3_URL_PROTOCOL", "https:").rstrip(":")
        _parts = urlsplit(_url if "://" in _url else f"{_scheme}://{_url}")
        if _parts.hostname:
            _media_origins.append(f"{_parts.scheme}://{_parts.netloc}")
BYLINE_CSP_FRAME_SRC = env_list("BYLINE_CSP_FRAME_SRC", "https:")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", *_media_origins],
        "media-src": ["'self'", *_media_origins],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": BYLINE_CSP_FRAME_SRC,
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}
# The Wagtail admin: still no script from another origin, but Wagtail 8's form widgets
# (choosers, inline panels, date pickers) start themselves with inline scripts, so
# 'unsafe-inline' is needed there (checked in Chromium, tests/test_security_headers.py).
# The editor also injects styles, shows uploads as blob:/data: images, previews pages
# in a same-origin frame, shows embeds, and asks releases.wagtail.org for upgrades.
BYLINE_ADMIN_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", *_media_origins],
    "media-src": ["'self'", "blob:", *_media_origins],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'", "https://releases.wagtail.org"],
    "frame-src": ["'self'", *BYLINE_CSP_FRAME_SRC],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
# The other headers, on every answer (Django's SecurityMiddleware and clickjacking
# middleware; HSTS in production). Wagtail's preview views lift X-Frame-Options to
# SAMEORIGIN for themselves.
X_FRAME_OPTIONS = "DENY"
# No editor avatars from gravatar.com: the admin would send every editor's e-mail hash
# there, and its policy allows no third-party images.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
