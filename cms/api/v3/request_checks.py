"""Checks every v3 request passes before its view runs (``api.add_decorator``).

Each refuses, with a 400 problem naming the parameter, a request that one of
Wagtail's v3 routers would otherwise answer with a 500 or an undocumented
status, because the router hands a raw value to the database (all found by
tests/test_fuzz_api.py):

- a query string ``cms.api.params`` refuses (not UTF-8, too long, a number
  too big for a 64-bit column, a blank or over-long search, a time-zone
  offset the database cannot store);
- a JSON write body that is not an object (a JSON array was a 500), a StreamField
  value of the wrong shape (``cms.api.v3.stream_shapes``: a 422 naming where) and a
  multipart body without a boundary (Django's HTML error page);
- a path id that is not an integer: ``PATCH /pages/1.5/`` reads the page by
  the raw value to pick the body's schema before django-ninja validates it;
- a snippet ``pk``, ``translation_of`` or revisions ``user_id`` the model's key
  cannot hold (``ValueError`` from the queryset);
- a ``site`` no Site answers to (a 404 from a listing), with a port that is
  not a number (a 500), and a ``locale`` no Locale has (a 404 from a listing).
"""

import json
from functools import wraps
from urllib.parse import unquote

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http.multipartparser import MultiPartParserError
from wagtail.api.v3.errors import problem_response
from wagtail.models import Locale, Page, Site

from cms.api.params import MAX_INTEGER, InvalidParameter, check_query_string

from .stream_shapes import stream_shape_errors

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
PAGES_PATH = "/api/v3/pages/"


def invalid_parameter_response(error: InvalidParameter, where="query"):
    return problem_response(
        status=400,
        detail=f"Invalid parameter: {error.name} ({error.message})",
        errors=[{"type": "invalid_parameter", "loc": [where, error.name], "msg": error.message}],
    )


def check_request(run):
    """View decorator: refuse what the routers would turn into a 500, before they run."""

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        try:
            check_query_string(request.META.get("QUERY_STRING", ""))
            _check_path(kwargs)
            _check_lookups(request, kwargs)
        except InvalidParameter as error:
            where = "path" if error.name in kwargs else "query"
            return invalid_parameter_response(error, where)
        refusal = _check_json_body(request, kwargs) or _check_multipart(request)
        if refusal is not None:
            return refusal
        return run(request, *args, **kwargs)

    return wrapper


def _check_path(kwargs):
    for name, value in kwargs.items():
        if name.endswith("_id"):
            _check_integer(name, value)
    model = _snippet_model(kwargs)
    if model is not None and "pk" in kwargs:
        _check_key(model, "pk", unquote(str(kwargs["pk"])))


def _check_integer(name, value):
    try:
        number = int(str(value))
    except ValueError:
        raise InvalidParameter(name, "must be an integer") from None
    if not 0 < number <= MAX_INTEGER:
        raise InvalidParameter(name, f"must be between 1 and {MAX_INTEGER}")


def _snippet_model(kwargs):
    """The model ``snippets/<type>/`` names, or None (Wagtail's own validation answers)."""
    return _model_named(kwargs["type"]) if "type" in kwargs else None


def _model_named(name):
    """The model "app_label.ModelName" names, or None."""
    try:
        return apps.get_model(str(name))
    except (LookupError, ValueError):
        return None


def _written_model(request, kwargs, body):
    """The model a v3 JSON write creates or changes: a snippet's, the page's own type, or
    a new page's ``meta.type``; None when Wagtail's own checks answer."""
    if "type" in kwargs:
        return _snippet_model(kwargs)
    if not request.path.startswith(PAGES_PATH):
        return None
    page_id = str(kwargs.get("page_id", ""))
    if page_id.isdigit():
        page = Page.objects.filter(pk=int(page_id)).only("content_type").first()
        return page.specific_class if page is not None else None
    meta = body.get("meta")
    name = meta.get("type") if isinstance(meta, dict) else None
    return _model_named(name) if isinstance(name, str) else None


def _check_key(model, name, value):
    try:
        model._meta.pk.to_python(value)
    except ValidationError:
        raise InvalidParameter(name, f"{value!r} is not a valid key") from None


def _check_lookups(request, kwargs):
    params = request.GET
    if params.get("user_id"):
        _check_key(get_user_model(), "user_id", params["user_id"])
    model = _snippet_model(kwargs)
    if model is not None and params.get("translation_of"):
        _check_key(model, "translation_of", params["translation_of"])
    if params.get("site"):
        _check_site(params["site"])
    if params.get("locale") and not Locale.objects.filter(language_code=params["locale"]).exists():
        raise InvalidParameter("locale", "no locale has this language code")


def _check_site(value):
    # Wagtail's SiteFilterValidator: ``hostname`` or ``hostname:port``.
    hostname, colon, port = value.partition(":")
    lookup = {"hostname": hostname}
    if colon:
        if not port.isascii() or not port.isdigit() or int(port) > 65535:
            raise InvalidParameter("site", "the port must be a number from 0 to 65535")
        lookup["port"] = int(port)
    if not Site.objects.filter(**lookup).exists():
        raise InvalidParameter("site", "no site has this hostname (and port)")


def _check_json_body(request, kwargs):
    if request.method not in WRITE_METHODS or request.content_type != "application/json":
        return None
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return None  # django-ninja reports malformed JSON itself
    if not isinstance(body, dict):
        return problem_response(
            status=400,
            detail="The request body must be a JSON object.",
            errors=[{"type": "invalid_body", "loc": ["body"], "msg": "not an object"}],
        )
    if "Authorization" not in request.headers:
        return None  # Wagtail answers 401 before reading the body
    model = _written_model(request, kwargs, body)
    errors = stream_shape_errors(model, body) if model is not None else []
    if not errors:
        return None
    return problem_response(
        status=422,
        detail="Block values of the wrong shape: "
        + "; ".join(f"{'.'.join(map(str, loc))} {message}" for loc, message in errors[:5]),
        errors=[
            {"type": "invalid_block", "loc": ["body", *loc], "msg": message}
            for loc, message in errors
        ],
    )


def _check_multipart(request):
    """A multipart body Django cannot split is a 400 problem, not Django's HTML page."""
    if request.method not in WRITE_METHODS or request.content_type != "multipart/form-data":
        return None
    if not request.content_params.get("boundary"):
        # Django skips parsing an empty body, and ninja would then report
        # missing fields: say what is really wrong.
        return problem_response(
            status=400,
            detail="The multipart body cannot be read: the Content-Type has no boundary.",
            errors=[{"type": "invalid_body", "loc": ["body"], "msg": "no multipart boundary"}],
        )
    try:
        request.POST  # noqa: B018 - parse now, where the error can be answered
    except MultiPartParserError as error:
        return problem_response(
            status=400,
            detail=f"The multipart body cannot be read: {error}",
            errors=[{"type": "invalid_body", "loc": ["body"], "msg": str(error)}],
        )
    return None
