"""Byline's django-ninja API object for /api/v3/, and the stock bugs it fixes.

Wagtail 8 ships one module-level ``NinjaAPI`` that its apps fill with routers.
Byline mounts its own, built from the same router templates (django-ninja
routers can be mounted on several APIs) plus its public routers, because it
needs things Wagtail's object does not offer a hook for:

- a valid OpenAPI 3.1 document: Wagtail's ``AllowAnonymous`` auth becomes an
  ``http`` security scheme without a ``scheme``, which validators reject. Here
  an optional token is written the OpenAPI way, as an alternative empty
  security requirement (``[{"BearerTokenAuth": []}, {}]``);
- 400 for bad query parameters, naming the parameter: values that are not
  UTF-8, too long or out of range (a huge ``offset`` was a 500) and failed
  query or path validation, which Wagtail answers 422;
- 400 naming ``search`` for words the full-text engine cannot parse (an
  unbalanced quote was a 500 on SQLite);
- 400 for write bodies that are JSON but not an object (a JSON array was a
  500 on some write endpoints), for multipart bodies without a boundary (an
  HTML page) and for snippet ``pk`` values the model's key cannot hold
  (``snippets/<type>/abc/`` was a 500);
- a document clients can be generated from (``openapi.py``): error responses,
  redirects, ``servers``, discriminators, required fields and bounds;
- routers from plugins (``register_api_v3_routers``), in the same document.
"""

import json
from functools import wraps
from urllib.parse import unquote

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Swagger
from ninja.errors import ValidationError as NinjaValidationError
from wagtail.api.v3.errors import problem_response, register_exception_handlers

from cms.api.params import SEARCH_NOT_UNDERSTOOD, InvalidParameter, check_query_string
from cms.resilience import database_failure, failure_response

from .openapi import ANONYMOUS_SCHEME, ContractSchema

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _gate_docs(view):
    """``WAGTAILAPI_DOCS_ENABLED = False`` hides the OpenAPI document and docs page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not getattr(settings, "WAGTAILAPI_DOCS_ENABLED", True):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def invalid_parameter_response(error: InvalidParameter):
    return problem_response(
        status=400,
        detail=f"{error.name}: {error.message}",
        errors=[{"type": "invalid_parameter", "loc": ["query", error.name], "msg": error.message}],
    )


def check_request(run):
    """View decorator: refuse bad query strings and non-object JSON bodies early."""

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        try:
            check_query_string(request.META.get("QUERY_STRING", ""))
        except InvalidParameter as error:
            return invalid_parameter_response(error)
        if request.method in WRITE_METHODS and request.content_type == "application/json":
            try:
                body = json.loads(request.body or b"{}")
            except ValueError:
                body = None  # django-ninja reports malformed JSON itself
            else:
                if not isinstance(body, dict):
                    return problem_response(
                        status=400,
                        detail="The request body must be a JSON object.",
                        errors=[{"type": "invalid_body", "loc": ["body"], "msg": "not an object"}],
                    )
        refusal = _check_multipart(request) or _check_snippet_pk(kwargs)
        if refusal is not None:
            return refusal
        return run(request, *args, **kwargs)

    return wrapper


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


def _check_snippet_pk(kwargs):
    """``snippets/<type>/<pk>/``: a pk the model's key cannot hold is a 400 naming ``pk``.

    Wagtail hands the raw ``pk`` to ``get_object_or_404``, whose conversion
    raised ValueError (a 500) for ``abc`` on an integer key.
    """
    if "pk" not in kwargs or "type" not in kwargs:
        return None
    try:
        model = apps.get_model(str(kwargs["type"]))
    except (LookupError, ValueError):
        return None  # not a model: Wagtail's own validation answers
    try:
        model._meta.pk.to_python(unquote(str(kwargs["pk"])))
    except ValidationError:
        return problem_response(
            status=400,
            detail=f"Invalid parameter: pk ({kwargs['pk']!r} is not a valid key)",
            errors=[{"type": "invalid_parameter", "loc": ["path", "pk"], "msg": "not a valid key"}],
        )
    return None


class BylineAPI(NinjaAPI):
    """Byline's API object: plugin routers, and a document that is a full contract."""

    _plugin_routers_added = False

    def add_plugin_routers(self):
        """Mount the routers of ``register_api_v3_routers`` (once, before the URLs are built).

        Done on first use of ``urls`` or the document rather than at import, so
        every core router is in place first and the registry can refuse a
        plugin prefix the core uses.
        """
        if self._plugin_routers_added:
            return
        self._plugin_routers_added = True
        from cms.plugins.registries import api_v3_routers

        api_v3_routers.mount(self)

    @property
    def urls(self):
        self.add_plugin_routers()
        return super().urls

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        self.add_plugin_routers()
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        # Error responses, servers, discriminators, required fields: see openapi.py.
        schema = ContractSchema(self, path_prefix)
        schemes = schema.get("components", {}).get("securitySchemes", {})
        schemes.pop(ANONYMOUS_SCHEME, None)
        if not schemes:
            schema.get("components", {}).pop("securitySchemes", None)
        for operations in schema["paths"].values():
            for operation in operations.values():
                requirements = operation.get("security")
                if requirements:
                    operation["security"] = [
                        {} if ANONYMOUS_SCHEME in requirement else requirement
                        for requirement in requirements
                    ]
        return schema


def validation_error_handler(request, exc):
    """Bad query or path parameters are 400s that name the parameter; bodies stay 422."""
    errors = list(exc.errors)
    in_request_line = errors and all(
        error.get("loc") and error["loc"][0] in ("query", "path") for error in errors
    )
    if not in_request_line:
        return problem_response(status=422, detail="Validation failed", errors=errors)
    names = ", ".join(dict.fromkeys(str(error["loc"][-1]) for error in errors))
    return problem_response(status=400, detail=f"Invalid parameter: {names}", errors=errors)


def search_error_handler(request, exc):
    """A search the full-text engine cannot parse is bad input; other database errors are not.

    A locked or unreachable database is a 503 whatever the parameters (it was
    answered "could not parse these words" once): cms/resilience.py.
    """
    failure = database_failure(exc)
    if failure is not None:
        return failure_response(request, failure)
    if "search" not in request.GET:
        raise exc
    return invalid_parameter_response(InvalidParameter("search", SEARCH_NOT_UNDERSTOOD))


def build_api(**kwargs) -> BylineAPI:
    api = BylineAPI(
        urls_namespace="wagtailapi_v3",
        docs_decorator=_gate_docs,
        openapi_url="/openapi.json",
        docs_url="/docs/",
        # Swagger UI from this site's static files ("ninja" in INSTALLED_APPS), and
        # no badge fetched from validator.swagger.io: the page works offline.
        docs=Swagger(settings={"validatorUrl": None}),
        **kwargs,
    )
    register_exception_handlers(api)
    api.add_exception_handler(NinjaValidationError, validation_error_handler)
    api.add_exception_handler(
        InvalidParameter, lambda request, exc: invalid_parameter_response(exc)
    )
    api.add_exception_handler(
        OverflowError,
        lambda request, exc: problem_response(
            status=400, detail="A number in the request is out of range."
        ),
    )
    api.add_exception_handler(DatabaseError, search_error_handler)
    api.add_decorator(check_request, mode="view")
    return api
