"""Schemathesis fuzzes every operation of API v3 from its own OpenAPI document.

The document is the one the app serves (``test_fuzzed_document_is_the_served_one``
holds the two together); it is built from the API object at import, without the
database, so each operation is its own pytest test. Requests go through Django's
WSGI handler in this process, so they read and write the test database, which
is rolled back after each case.

Every GET and every public write (a reader's comment) runs anonymously; every
operation that takes a token (writes, the token-only reads, and the public
reads, which show more to a token) runs again with a superuser's bearer token.
Checks: no 5xx, answers match their documented schema, status code and content
type. Nothing is exempt: the bugs it found in Wagtail's v3 routers are fixed in
cms/api/v3/ and each is pinned by tests/test_api_v3_validation.py.

Bounded and reproducible: Hypothesis is derandomized (the same cases every run)
and each operation gets FUZZ_EXAMPLES examples (10 by default; ``make audit``
sets AUDIT_EXAMPLES for a larger budget).
"""

import json
import os

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.serializers.json import DjangoJSONEncoder
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cms.api.v3 import api as api_v3
from tests.api_support import build_story, token_for

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("AUDIT_EXAMPLES") or os.environ.get("FUZZ_EXAMPLES") or 10)
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]
BOUNDED = settings(
    max_examples=EXAMPLES,
    # The same cases on every run and every machine: a red run is reproducible.
    derandomize=True,
    database=None,
    deadline=None,
    # No shrinking: a failing case is reported as generated (still reproducible
    # thanks to derandomize), and a known failure does not cost minutes each run.
    phases=[Phase.explicit, Phase.generate],
    # The content fixture is made once per operation and shared by its examples
    # on purpose (a write may change it; the next example sees that).
    suppress_health_check=list(HealthCheck),
)

# As served: through JSON (the built document holds lazy translation strings).
DOCUMENT = json.loads(json.dumps(api_v3.get_openapi_schema(), cls=DjangoJSONEncoder))


def _operations():
    for path, methods in DOCUMENT["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def _takes_token(operation):
    return any("BearerTokenAuth" in requirement for requirement in operation.get("security") or [])


def _unreachable(operation):
    """Wagtail documents a snippet action's ``type`` path parameter as ``const: ""`` when
    no registered snippet model supports the action: no request can reach it."""
    return any(
        p["name"] == "type" and p["schema"].get("const") == "" for p in operation["parameters"]
    )


#: Operations no request can reach, left out (they are fuzzed as soon as a snippet
#: model supports them, e.g. publishing once Author has drafts).
UNREACHABLE = {op["operationId"] for _, _, op in _operations() if _unreachable(op)}

READS = sorted(op["operationId"] for _, method, op in _operations() if method == "get")
TOKEN_OPERATIONS = sorted(
    op["operationId"]
    for _, _, op in _operations()
    if _takes_token(op) and op["operationId"] not in UNREACHABLE
)

#: Writes anyone may send (a reader's comment): fuzzed without a token.
PUBLIC_WRITES = sorted(
    op["operationId"]
    for _, method, op in _operations()
    if method != "get" and not _takes_token(op) and op["operationId"] not in UNREACHABLE
)

schema = schemathesis.openapi.from_dict(DOCUMENT)
# Calls go straight to Django's handler (no server, no network), as from_wsgi would do.
schema.app = WSGIHandler()


#: Which content a generated path parameter is swapped for, when ``real`` is drawn:
#: random ids are almost always 404s, so half the cases aim at a real object.
REAL_IDS = {
    "page_id": lambda c: c["article"].pk,
    "article_id": lambda c: c["article"].pk,
    "image_id": lambda c: c["lead"].pk,
    "author_id": lambda c: c["authors"][0].pk,
    "tag_id": lambda c: c["tag"].pk,
    "document_id": lambda c: c["document"].pk,
    "redirect_id": lambda c: c["redirect"].pk,
    "site_id": lambda c: c["site"].pk,
    "locale_id": lambda c: c["locale"].pk,
}


@pytest.fixture
def content():
    from django.core.files.base import ContentFile
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.documents import get_document_model
    from wagtail.models import Locale, Site

    story = build_story()
    article = story["article"]
    return {
        **story,
        "tag": article.tags.order_by("name").first(),
        "document": get_document_model().objects.create(
            title="Council minutes",
            file=ContentFile(b"Minutes of the meeting.", name="minutes.txt"),
        ),
        "redirect": Redirect.objects.create(old_path="/old-bridge-story", redirect_page=article),
        "site": Site.objects.get(is_default_site=True),
        "locale": Locale.get_default(),
    }


@pytest.fixture
def superuser_token(django_user_model):
    user = django_user_model.objects.create_superuser("fuzz-admin", "fuzz@example.com", "x")
    return token_for(user)


def _aim(case, content, real):
    if real:
        for name in case.path_parameters or {}:
            if name in REAL_IDS:
                case.path_parameters[name] = REAL_IDS[name](content)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calls go to Django's handler directly, which closes "old" connections as each
    request starts; in a test transaction that would be the test's own connection
    (on PostgreSQL). Django's test client disconnects the same handler."""
    signals.request_started.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)


def _run(case, figures, headers=None):
    # Schemathesis' WSGI client asks for gzip but does not undo it (GZipMiddleware).
    headers = {"Accept-Encoding": "identity", **(headers or {})}
    # Each case in its own savepoint, rolled back after: the cases share the test's
    # transaction, and on PostgreSQL one failed statement would abort it for the rest.
    savepoint = transaction.savepoint()
    try:
        response = case.call(headers=headers)
    finally:
        transaction.savepoint_rollback(savepoint)
    figures.add("fuzz cases")
    figures.add("fuzz 5xx", int(response.status_code >= 500))
    case.validate_response(response, checks=CHECKS, headers=headers)


@pytest.fixture
def fuzzed(audit_figures):
    """The figures, counting the operation: one test per operation."""
    audit_figures.add("fuzz operations")
    return audit_figures


@schema.include(operation_id=READS).parametrize()
@schema.given(real=st.booleans())
@BOUNDED
def test_reads_anonymously(case, real, content, fuzzed):
    _aim(case, content, real)
    # Generated security headers would make this an authenticated call.
    (case.headers or {}).pop("Authorization", None)
    _run(case, fuzzed)


@schema.include(operation_id=PUBLIC_WRITES).parametrize()
@schema.given(real=st.booleans())
@BOUNDED
def test_public_writes_anonymously(case, real, content, fuzzed):
    _aim(case, content, real)
    (case.headers or {}).pop("Authorization", None)
    _run(case, fuzzed)


@schema.include(operation_id=TOKEN_OPERATIONS).parametrize()
@schema.given(real=st.booleans())
@BOUNDED
def test_operations_with_superuser_token(case, real, content, superuser_token, fuzzed):
    _aim(case, content, real)
    _run(case, fuzzed, headers={"Authorization": f"Bearer {superuser_token}"})


def test_fuzzed_document_is_the_served_one(client):
    assert client.get("/api/v3/openapi.json").json() == DOCUMENT


def test_only_snippet_actions_no_model_supports_are_left_out():
    assert UNREACHABLE.issubset(
        {
            "snippets_actions_publish",
            "snippets_actions_unpublish",
            "snippets_actions_copy_for_translation",
        }
    )
    fuzzed = set(READS) | set(TOKEN_OPERATIONS) | set(PUBLIC_WRITES)
    every = {op["operationId"] for _, _, op in _operations()}
    assert fuzzed == every - UNREACHABLE
