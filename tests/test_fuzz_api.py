"""Schemathesis fuzzes every operation of API v3 from its own OpenAPI document.

The document is the one the app serves (``test_fuzzed_document_is_the_served_one``
holds the two together); it is built from the API object at import, without the
database, so each operation is its own pytest test and one known bug can be
marked xfail without hiding the others. Requests go through Django's WSGI
handler in this process, so they read and write the test database, which is
rolled back after each operation.

Every GET runs anonymously; every operation that takes a token (writes, the
token-only reads, and the public reads, which show more to a token) runs again
with a superuser's bearer token. Checks: no 5xx, answers match their documented
schema, status code and content type.

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


#: Operations no request can reach, left out: Wagtail documents their ``type`` path
#: parameter as ``const: ""`` when no registered snippet model supports the action,
#: so there is nothing to generate (``test_unreachable_operations_stay_unreachable``
#: says when one becomes reachable and should be fuzzed).
UNREACHABLE = {
    "snippets_actions_publish",
    "snippets_actions_unpublish",
    "snippets_actions_copy_for_translation",
}

READS = sorted(op["operationId"] for _, method, op in _operations() if method == "get")
TOKEN_OPERATIONS = sorted(
    op["operationId"]
    for _, _, op in _operations()
    if _takes_token(op) and op["operationId"] not in UNREACHABLE
)

schema = schemathesis.openapi.from_dict(DOCUMENT)
# Calls go straight to Django's handler (no server, no network), as from_wsgi would do.
schema.app = WSGIHandler()


def _not_int(value):
    try:
        int(str(value))
    except ValueError:
        return True
    return False


def _path(case, name):
    return (case.path_parameters or {}).get(name)


def _query(case, name):
    return (case.query or {}).get(name)


#: Real bugs the fuzzer finds, each matched narrowly (operation, input, status) so
#: every other answer of the same operation is still checked. A matching answer
#: is counted ("known bugs") instead of failing the run; each bug is pinned below
#: by a strict xfail test with one exact request, which starts to XPASS (and so
#: fails) once it is fixed: then delete its entry here and the pin.
REVISION_DATE_FILTERS = (
    "created_at_from",
    "created_at_to",
    "approved_go_live_at_from",
    "approved_go_live_at_to",
)

KNOWN_BUGS = {
    "query errors answer 422": lambda case, status: case.method == "GET" and status == 422,
    "unknown site filter is a 404": lambda case, status: (
        status == 404 and case.path == "/api/v3/pages/" and _query(case, "site") is not None
    ),
    "non-integer snippet pk is a 500": lambda case, status: (
        status == 500 and case.path.startswith("/api/v3/snippets/") and _not_int(_path(case, "pk"))
    ),
    "non-integer page_id in PATCH is a 500": lambda case, status: (
        status == 500 and case.method == "PATCH" and _not_int(_path(case, "page_id"))
    ),
    # PostgreSQL refuses time-zone offsets beyond ±15:59 (Python allows ±23:59) in
    # Wagtail's revision date filters; SQLite compares the text.
    "revision date filter with an offset PostgreSQL refuses is a 500": lambda case, status: (
        status == 500
        and case.path == "/api/v3/pages/{page_id}/revisions/"
        and any(_query(case, name) is not None for name in REVISION_DATE_FILTERS)
    ),
    "non-integer revisions user_id is a 500": lambda case, status: (
        status == 500
        and case.path == "/api/v3/pages/{page_id}/revisions/"
        and _not_int(_query(case, "user_id"))
    ),
}

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
    if response.status_code >= 500:
        figures.add("fuzz 5xx")
    if any(matches(case, response.status_code) for matches in KNOWN_BUGS.values()):
        figures.add("known bugs")
        return
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


@schema.include(operation_id=TOKEN_OPERATIONS).parametrize()
@schema.given(real=st.booleans())
@BOUNDED
def test_operations_with_superuser_token(case, real, content, superuser_token, fuzzed):
    _aim(case, content, real)
    _run(case, fuzzed, headers={"Authorization": f"Bearer {superuser_token}"})


def test_fuzzed_document_is_the_served_one(client):
    assert client.get("/api/v3/openapi.json").json() == DOCUMENT


def test_unreachable_operations_stay_unreachable():
    unreachable = {
        op["operationId"]
        for _, _, op in _operations()
        if any(p["name"] == "type" and p["schema"].get("const") == "" for p in op["parameters"])
    }
    assert unreachable == UNREACHABLE


# Each known bug, pinned by one exact request ----------------------------------


def _bug(name, reason):
    assert name in KNOWN_BUGS
    return pytest.mark.xfail(strict=True, reason=f"{name}: {reason}")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v3/images/?order=nope",
        "/api/v3/pages/?order=random&offset=1",
        "/api/v3/pages/?translation_of=999999",
    ],
)
@_bug(
    "query errors answer 422",
    "Wagtail's query schemas raise validation errors with loc [] or without 'query'; "
    "validation_error_handler (cms/api/v3/api.py) sends those to 422, undocumented for a GET "
    "(README: bad query parameters are 400s)",
)
def test_bad_query_is_a_400(client, content, url):
    assert client.get(url).status_code == 400


@_bug(
    "unknown site filter is a 404",
    "pages_list looks the site up with get_object_or_404; 404 is undocumented for a listing "
    "(README: a bad query parameter is a 400 naming it)",
)
def test_unknown_site_filter_is_a_400(client, content):
    assert client.get("/api/v3/pages/?site=nowhere.example").status_code == 400


@pytest.fixture
def token_client(client, superuser_token):
    client.raise_request_exception = False
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {superuser_token}"
    return client


@_bug(
    "non-integer snippet pk is a 500",
    "wagtail/snippets/api/v3/router.py get_snippet filters pk=<str> on an integer key: ValueError",
)
def test_non_integer_snippet_pk_is_not_a_500(token_client, content):
    assert token_client.get("/api/v3/snippets/authors.Author/locale/").status_code == 404


@_bug(
    "non-integer page_id in PATCH is a 500",
    "wagtail/api/v3/schemas/pages.py get_meta_type reads the page by the raw path value "
    "before django-ninja validates it: ValueError",
)
def test_non_integer_page_id_in_patch_is_not_a_500(token_client, content):
    response = token_client.patch("/api/v3/pages/1.5/", {}, content_type="application/json")
    assert response.status_code < 500


@_bug(
    "non-integer revisions user_id is a 500",
    "wagtail/api/v3/routers/pages.py list_page_revisions filters user_id=<str>: ValueError",
)
def test_non_integer_revisions_user_id_is_a_400(token_client, content):
    url = f"/api/v3/pages/{content['article'].pk}/revisions/?user_id=x"
    assert token_client.get(url).status_code == 400
