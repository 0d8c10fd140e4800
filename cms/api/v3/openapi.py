"""The v3 OpenAPI document as a contract that clients can be generated from.

django-ninja describes what the pydantic schemas say: successes only, fields
with a default as optional, ``X | None`` as nullable. ``BylineAPI`` builds its
document with ``ContractSchema``, which adds what a client needs to handle
every answer it can get:

- error responses on every operation, all one ``Problem`` schema under
  ``application/problem+json``: 400 everywhere (the query-string checks of
  ``api.check_request`` run on every operation), 404 where the path names an
  object, 401 and 403 where a token is required, 422 where django-ninja
  validates a body, and whatever an operation declares itself
  (``response={403: Problem}``); the find endpoints' 302 with ``Location``;
- ``servers`` from the public address (``cms.public_address``);
- a ``discriminator`` with its mapping on each union whose members pin one
  required property to a constant (page types on ``type``);
- every property of a response schema required, since responses carry every
  field, and not nullable where the value is always there: a model field whose
  column is not null, a computed field whose declared schema is not, and the
  ``meta`` values in ``NEVER_NULL``;
- parameters as clients send them: a query parameter is left out, never
  ``null``, and ``limit`` and ``offset`` carry their bounds;
- no ``default`` beside a ``$ref``: openapi-python-client skips an operation
  whose body schema has one ("ModelProperty cannot have a default value").
"""

from copy import deepcopy
from http.client import responses as HTTP_PHRASES

from django.apps import apps
from ninja.openapi.schema import BODY_CONTENT_TYPES, REF_TEMPLATE, OpenAPISchema
from ninja.schema import NinjaGenerateJsonSchema
from pydantic import TypeAdapter, ValidationError
from wagtail.api.v3.auth import AllowAnonymous
from wagtail.api.v3.errors import PROBLEM_JSON

from cms.api.params import MAX_INTEGER
from cms.api.problems import Problem
from cms.public_address import base_url

from .schemas import LIMIT_MAX, MODEL_SCHEMAS

ANONYMOUS_SCHEME = AllowAnonymous.__name__
PROBLEM_REF = {"$ref": REF_TEMPLATE.format(model="Problem")}

ERROR_DESCRIPTIONS = {
    400: "The request cannot be used: a parameter or the body is malformed, unknown, out of "
    "range or too long. `detail` and each `errors[].loc` name it.",
    401: "A bearer token is required (`Authorization: Bearer <token>`), or the one sent is "
    "not valid.",
    403: "Refused: the token's user lacks the permission (or, as `detail` says, the request "
    "may not be made).",
    404: "There is no such object, or it is not public.",
    422: "The body is JSON but does not fit the schema, or the action is refused for this "
    "object (converting a page that is not an alias, say); `errors` gives the reason.",
}

#: The find operations answer a redirect to the object's detail (or 404). Wagtail's
#: redirects_find, mounted unchanged, declares a 200 body it never sends.
REDIRECTING_OPERATIONS = {
    "pages_find": "The page's detail URL (`/api/v3/pages/{page_id}/`), the other query "
    "parameters kept (`version`, `rich_text_format`, ...).",
    "redirects_find": "The redirect's detail URL (`/api/v3/redirects/{redirect_id}/`), the "
    "other query parameters kept.",
}

#: Response properties that may be left out of a response (pydantic's
#: ``exclude_if``): Wagtail sends ``meta.warnings`` only when there are some.
OMITTABLE = frozenset({"warnings"})

#: (schema name, or ``*Suffix``; property) pairs of ``meta`` values, typed
#: ``X | None`` by Wagtail, that its resolvers always fill: a page's type,
#: locale and API address (its fields themselves: see model_field_nullability).
NEVER_NULL = frozenset(
    {
        ("*PageMetaSchema", "type"),
        ("*PageMetaSchema", "detail_url"),
        ("*PageMetaSchema", "locale"),
        ("*PageMetaSchema", "show_in_menus"),
        ("*PageMetaSchema", "seo_title"),
        ("*PageMetaSchema", "search_description"),
        ("ImageDetailMetaSchema", "detail_url"),
        ("DocumentDetailMetaSchema", "detail_url"),
        ("RedirectSchema", "id"),
    }
)


def problem_response(description):
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": dict(PROBLEM_REF)}},
    }


def redirect_response(description):
    return {
        "description": f"Found. {description}",
        "headers": {
            "Location": {
                "description": description,
                "required": True,
                "schema": {"type": "string", "format": "uri-reference"},
            }
        },
    }


class ContractSchema(OpenAPISchema):
    """django-ninja's document builder, with the additions above."""

    def __init__(self, api, path_prefix):
        #: Component names given to two different schemas: django-ninja keeps the
        #: last, so the other's references would describe the wrong thing.
        self.name_clashes = set()
        super().__init__(api, path_prefix)
        finish_document(self)

    def add_schema_definitions(self, definitions):
        for name, schema in definitions.items():
            if self.schemas.get(name, schema) != schema:
                self.name_clashes.add(name)
        super().add_schema_definitions(definitions)

    def operation_details(self, operation):
        details = super().operation_details(operation)
        responses = details["responses"]
        body_validated = any(
            model.__ninja_param_source__ in BODY_CONTENT_TYPES for model in operation.models
        )
        in_path = any(parameter["in"] == "path" for parameter in details["parameters"])
        requirements = details.get("security") or []
        token_required = bool(requirements) and not any(
            ANONYMOUS_SCHEME in requirement for requirement in requirements
        )
        if details["operationId"] in REDIRECTING_OPERATIONS:
            responses.clear()
            responses[302] = redirect_response(REDIRECTING_OPERATIONS[details["operationId"]])
            responses[404] = {}
        for status, response in list(responses.items()):
            code = int(status)
            if code >= 400:
                # Declared by the operation (a plugin's 403, say): the one problem schema,
                # with the operation's own description if it gave one (openapi_extra).
                description = response.get("description", "")
                if description in ("", HTTP_PHRASES.get(code)):
                    description = ERROR_DESCRIPTIONS.get(code, description)
                responses[status] = problem_response(description)
            elif 300 <= code < 400 and "headers" not in response:
                responses[status] = redirect_response("Where the answer is.")
        # Wagtail's token-only writes answer 404 for an object named in the body (a
        # page's missing parent) and 422 without a body to validate when they refuse
        # the action for this object ("Page must be an alias to be converted", "no
        # other locales"): both found by tests/test_fuzz_api.py.
        writes = token_required and "GET" not in operation.methods
        wanted = [400]
        if in_path or writes:
            wanted.append(404)
        if token_required:
            wanted += [401, 403]
        if body_validated or writes:
            wanted.append(422)
        for status in wanted:
            responses.setdefault(status, problem_response(ERROR_DESCRIPTIONS[status]))
        details["responses"] = dict(sorted(responses.items(), key=lambda item: int(item[0])))
        return details


# The whole document ------------------------------------------------------------


def finish_document(document):
    document["servers"] = [
        {
            "url": base_url(),
            "description": "This site's public address (BYLINE_BASE_URL); every path "
            "starts with /api/v3/.",
        }
    ]
    schemas = document["components"]["schemas"]
    add_problem_schemas(schemas)
    tidy_parameters(document)
    drop_defaults_beside_refs(document)
    require_response_properties(document, schemas)
    add_discriminators(document, schemas)


def add_problem_schemas(schemas):
    problem = Problem.model_json_schema(
        ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema, mode="serialization"
    )
    schemas.update(problem.pop("$defs", {}))
    # What problem_response() always sends. The rest is left out when empty, never null.
    problem["required"] = ["type", "title", "status", "detail"]
    schemas["Problem"] = problem
    schemas["ProblemError"]["required"] = ["msg"]
    for schema in (problem, schemas["ProblemError"]):
        for name, value in schema["properties"].items():
            schema["properties"][name] = _without_null(value)


def _without_null(schema):
    """``schema`` minus its ``{"type": "null"}`` alternative, if it has one."""
    options = schema.get("anyOf")
    if not options or {"type": "null"} not in options:
        return schema
    rest = [option for option in options if option != {"type": "null"}]
    result = {key: value for key, value in schema.items() if key != "anyOf"}
    if len(rest) == 1:
        result.update(rest[0])
    else:
        result["anyOf"] = rest
    if result.get("default", ...) is None:
        del result["default"]
    return result


def tidy_parameters(document):
    for operations in document["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                # A parameter is left out, never sent as null.
                schema = _without_null(parameter["schema"])
                if parameter["in"] == "query" and parameter["name"] == "limit":
                    schema.setdefault("minimum", 1)
                    schema.setdefault("maximum", LIMIT_MAX)
                    if "description" not in parameter:
                        parameter["description"] = f"How many items, at most {LIMIT_MAX}."
                if parameter["in"] == "query" and parameter["name"] == "offset":
                    schema.setdefault("minimum", 0)
                    schema.setdefault("maximum", MAX_INTEGER)
                parameter["schema"] = schema


def drop_defaults_beside_refs(node):
    if isinstance(node, dict):
        all_of = node.get("allOf")
        if "default" in node and ("$ref" in node or all_of):
            del node["default"]
        if all_of and len(all_of) == 1 and set(node) <= {"allOf", "description", "title"}:
            node.update(all_of[0])
            del node["allOf"]
        for value in node.values():
            drop_defaults_beside_refs(value)
    elif isinstance(node, list):
        for value in node:
            drop_defaults_beside_refs(value)


def _resolve(schemas, node):
    ref = node.get("$ref", "")
    return schemas.get(ref.rsplit("/", 1)[-1]) if ref else node


def _discriminator_for(schemas, members):
    resolved = [_resolve(schemas, member) for member in members]
    if not all(member and "$ref" in ref for member, ref in zip(resolved, members, strict=True)):
        return None
    candidates = set.intersection(*(set(member.get("required", ())) for member in resolved))
    for name in sorted(candidates, key=lambda name: (name != "type", name)):
        values = [member["properties"].get(name, {}).get("const") for member in resolved]
        if all(isinstance(value, str) for value in values) and len(set(values)) == len(values):
            mapping = {value: member["$ref"] for value, member in zip(values, members, strict=True)}
            return {"propertyName": name, "mapping": mapping}
    return None


def add_discriminators(document, schemas):
    def visit(node):
        if isinstance(node, dict):
            members = node.get("oneOf")
            if members and "discriminator" not in node:
                discriminator = _discriminator_for(schemas, members)
                if discriminator:
                    node["discriminator"] = discriminator
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(document["paths"])
    visit(schemas)


def _refs(node, found):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            found.add(ref.rsplit("/", 1)[-1])
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)
    return found


def _reachable(schemas, roots):
    seen, queue = set(), list(roots)
    while queue:
        name = queue.pop()
        if name in seen or name not in schemas:
            continue
        seen.add(name)
        queue.extend(_refs(schemas[name], set()))
    return seen


def _matches(pattern, name):
    return name.endswith(pattern[1:]) if pattern.startswith("*") else name == pattern


def _accepts_none(annotation):
    try:
        TypeAdapter(annotation).validate_python(None)
    except ValidationError:
        return False
    return True


def model_field_nullability():
    """{schema name: {property: nullable}} for read schemas built from models.

    Wagtail's generator and django-ninja type a model field ``X | None``
    when it is ``blank``, and every computed field (``ComputedField``) as
    nullable; a stored object's value is null only if its column allows it,
    and a computed value only if its declared ``schema`` does.
    """
    from wagtail.api.v3.registry import registry

    from cms.api.fields import ComputedField

    pairs = dict(MODEL_SCHEMAS)
    for summary in registry.list_content_types():
        registration = registry.get(summary.name)
        if registration.read_schema is not None:
            pairs[registration.read_schema.__name__] = apps.get_model(summary.name)
    result = {}
    for name, model in pairs.items():
        nullability = {}
        for field in getattr(model, "api_fields", ()):
            if isinstance(field, ComputedField):
                nullability[field.name] = _accepts_none(field.schema)
        for field in model._meta.get_fields():
            if getattr(field, "concrete", False):
                nullability.setdefault(field.name, field.null)
                nullability.setdefault(field.attname, field.null)
        nullability.setdefault("id", False)
        result[name] = nullability
    return result


def require_response_properties(document, schemas):
    """Every property of a schema only responses use is required, and null only if it can be."""
    nullability = model_field_nullability()
    response_roots, request_roots = set(), set()
    for operations in document["paths"].values():
        for operation in operations.values():
            for response in operation["responses"].values():
                _refs(response, response_roots)
            _refs(operation.get("requestBody", {}), request_roots)
            _refs(operation.get("parameters", []), request_roots)
    requests = _reachable(schemas, request_roots)
    problems = _reachable(schemas, {"Problem"})
    for name in _reachable(schemas, response_roots) - requests - problems:
        schema = schemas[name]
        properties = schema.get("properties")
        if not properties:
            continue
        schema["required"] = [key for key in properties if key not in OMITTABLE]
        for key, value in list(properties.items()):
            never_null = nullability.get(name, {}).get(key) is False or any(
                _matches(pattern, name) and key == prop for pattern, prop in NEVER_NULL
            )
            if never_null:
                properties[key] = _without_null(deepcopy(value))
