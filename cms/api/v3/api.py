"""Byline's django-ninja API object for /api/v3/, and the stock bugs it fixes.

Wagtail 8 ships one module-level ``NinjaAPI`` that its apps fill with routers.
Byline mounts its own, built from the same router templates (django-ninja
routers can be mounted on several APIs) plus its public routers, because it
needs things Wagtail's object does not offer a hook for:

- a valid OpenAPI 3.1 document: Wagtail's ``AllowAnonymous`` auth becomes an
  ``http`` security scheme without a ``scheme``, which validators reject. Here
  an optional token is written the OpenAPI way, as an alternative empty
  security requirement (``[{"BearerTokenAuth": []}, {}]``);
- 400 for bad query and path parameters, naming the parameter: Wagtail
  answers the errors of its filters 422 (``?order=nope``), a status the
  document keeps for bodies (``parameter_errors_are_400s``), and the checks
  of ``request_checks.py`` refuse what its routers turned into 500s or
  undocumented 404s (a huge ``offset``, ``PATCH pages/1.5/``, a snippet
  ``pk`` of ``abc``, revisions of ``user_id=x``, ``site=nowhere.example``);
- 400 naming ``search`` for words the full-text engine cannot parse (an
  unbalanced quote was a 500 on SQLite);
- 400 for write bodies that are JSON but not an object (a JSON array was a
  500 on some write endpoints) and for multipart bodies without a boundary;
- a document clients can be generated from (``openapi.py``): error responses,
  redirects, ``servers``, discriminators, required fields and bounds;
- routers from plugins (``register_api_v3_routers``), in the same document.
"""

import json
from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError
from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError as PydanticValidationError
from wagtail.api.v3.errors import problem_response, register_exception_handlers

from cms.api.params import SEARCH_NOT_UNDERSTOOD, InvalidParameter
from cms.resilience import database_failure, failure_response

from .openapi import ANONYMOUS_SCHEME, ContractSchema
from .request_checks import check_request, invalid_parameter_response

#: Requests without a body: whatever fails validation is in the query or the path.
BODILESS_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})
#: Wagtail's validators of one query parameter, which raise errors with an empty
#: ``loc``: the parameter each validates (a pydantic error's ``title``).
VALIDATED_PARAMETERS = {
    "OrderingValidator": "order",
    "SiteFilterValidator": "site",
    "APIFieldValidator": "fields",
}


def _gate_docs(view):
    """``WAGTAILAPI_DOCS_ENABLED = False`` hides the OpenAPI document and docs page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not getattr(settings, "WAGTAILAPI_DOCS_ENABLED", True):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


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


def parameter_errors_are_400s(wagtail_handler):
    """Wrap Wagtail's validation handler (always 422): a bad query or path parameter is a 400.

    Wagtail's filters validate query parameters inside the view and raise
    errors whose ``loc`` is empty (``?order=nope``) or lacks ``"query"``
    (``?translation_of=999999``), which its handler answers 422, a status the
    document keeps for bodies. Here an error in a request without a body, or
    one whose ``loc`` starts in the query or path, is a 400 that names the
    parameter in ``detail`` and in each error's ``loc``; a body that does not
    fit its schema stays a 422.
    """

    def handler(request, exc):
        response = wagtail_handler(request, exc)
        errors = json.loads(response.content).get("errors") or [{"msg": str(exc)}]
        in_request_line = all(
            error.get("loc") and error["loc"][0] in ("query", "path") for error in errors
        )
        if request.method not in BODILESS_METHODS and not in_request_line:
            return response
        for error in errors:
            error["loc"] = _parameter_loc(request, exc, error.get("loc") or [], error.get("msg"))
        names = ", ".join(dict.fromkeys(str(error["loc"][1]) for error in errors))
        messages = "; ".join(dict.fromkeys(str(error.get("msg", "")) for error in errors))
        return problem_response(
            status=400, detail=f"Invalid parameter: {names} ({messages})", errors=errors
        )

    return handler


def _parameter_loc(request, exc, loc, message):
    """``loc`` as ``["query" or "path", <parameter as the client sent it>, ...]``."""
    loc = [part if isinstance(part, int) else str(part) for part in loc]
    path_kwargs = request.resolver_match.kwargs if request.resolver_match else {}
    for index, part in enumerate(loc):
        if part in path_kwargs:
            return ["path", *loc[index:]]
        if part in request.GET:
            return ["query", *loc[index:]]
    # No parameter sent is in ``loc``: ``[]`` from one of Wagtail's validators, a
    # schema's name (``["query", "filters"]``) or a missing one (``["query", "article"]``).
    name = VALIDATED_PARAMETERS.get(getattr(exc, "title", None))
    if name:
        return ["query", name]
    mentioned = [sent for sent in request.GET if sent in str(message)]
    if mentioned:
        return ["query", mentioned[0]]
    if len(loc) > 1 and loc[0] in ("query", "path"):
        return loc
    return ["query", "query"]


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
    for error_class in (NinjaValidationError, PydanticValidationError, DjangoValidationError):
        wagtail_handler = api._exception_handlers[error_class]
        api.add_exception_handler(error_class, parameter_errors_are_400s(wagtail_handler))
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
