"""Hostile input never answers 500: the outside tester's cases, then property-based tests.

Every reproducible 500 the tester found has a regression test here; the
hypothesis tests then throw numbers in every notation, unicode (astral
characters, NUL) and huge values at every listing parameter of API v2 and v3
and at the reader site's query strings and archive paths, asserting that the
answer is below 500 and that a 400 says what is wrong. Examples are generated
deterministically (``derandomize=True``) so the module is fast and repeatable.
"""

import json
import string
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Site

from tests.api_support import build_story, token_for
from tests.comment_support import aged_token, relaxed_settings
from tests.factories import make_article

pytestmark = pytest.mark.django_db

ORIGIN = "https://frontend.example"
HUGE = 2**63  # one more than a 64-bit column holds
ARABIC_INDIC = str.maketrans(string.digits, "٠١٢٣٤٥٦٧٨٩")
FULLWIDTH = str.maketrans(string.digits, "０１２３４５６７８９")
DEVANAGARI = str.maketrans(string.digits, "०१२३४५६७८९")

HUGE_OFFSETS = [
    f"+{HUGE}",
    f"{HUGE:_}",
    str(HUGE).translate(ARABIC_INDIC),
    str(HUGE).translate(FULLWIDTH),
    f" {HUGE} ",
    f"{HUGE}.0",
    f"-{HUGE:_}",
]
LISTINGS = ["pages/", "articles/", "images/", "documents/", "authors/", "tags/", "comments/"]


def problem(response):
    """The error text of a v2 (``message``) or v3 (problem ``detail``) answer."""
    data = response.json()
    return data.get("message") or data.get("detail") or ""


def send_json(client, method, url, body, headers):
    """`body` as a JSON request to `url`."""
    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json", **headers
    )


def listing_url(version, listing, query, article_id):
    url = f"/api/{version}/{listing}?{query}"
    return url + f"&article={article_id}" if listing == "comments/" else url


# Out-of-range offsets, written any way int() or pydantic would read ----------------


@pytest.mark.parametrize("offset", HUGE_OFFSETS)
@pytest.mark.parametrize("version", ["v2", "v3"])
def test_out_of_range_offsets_in_any_notation_are_400s(client, version, offset):
    article = make_article()
    for listing in LISTINGS:
        response = client.get(listing_url(version, listing, f"offset={quote(offset)}", article.pk))
        if version == "v2" and listing == "comments/":
            # The plugin's v2 view slices a Python list, which no offset can overflow.
            assert response.status_code in (200, 400), response.content[:300]
            assert response.status_code == 400 or response.json()["items"] == []
            continue
        assert response.status_code == 400, (listing, response.content[:300])
        assert "offset" in problem(response), listing


@pytest.mark.parametrize("offset", ["+1", "1_0", "١", "１", " 2 ", "0.0"])
def test_small_offsets_in_other_notations_still_work(client, offset):
    """The range check reads numbers the way the parsers do; it refuses nothing in range."""
    for version in ("v2", "v3"):
        response = client.get(f"/api/{version}/pages/?offset={quote(offset)}")
        assert response.status_code in (200, 400), response.content[:300]
        if response.status_code == 400:  # e.g. DRF refusing "0.0": never the range check
            assert "out of range" not in problem(response)


def test_find_with_a_non_numeric_id_is_a_400(client):
    response = client.get("/api/v2/pages/find/?id=abc")
    assert response.status_code == 400
    assert "id" in problem(response)


@pytest.mark.parametrize(
    "url", ["/api/v3/images/", "/api/v3/documents/", "/api/v2/images/", "/api/v2/documents/"]
)
@pytest.mark.parametrize("spaces", ["%20", "%20%20%20", "%09", "+"])
def test_a_search_for_whitespace_only_is_a_400(client, url, spaces):
    response = client.get(f"{url}?search={spaces}")
    assert response.status_code == 400, response.content[:300]
    assert "search" in problem(response) and "empty" in problem(response)


# Long searches: Wagtail's PostgreSQL search recursed until RecursionError ---------

SEARCH_URLS = [
    "/api/v2/pages/?search=",
    "/api/v2/pages/?search_operator=or&search=",
    "/api/v2/articles/?search=",
    "/api/v2/images/?search=",
    "/api/v2/documents/?search=",
    "/api/v2/tags/?search=",
    "/api/v3/pages/?search=",
    "/api/v3/pages/?search_operator=or&search=",
    "/api/v3/articles/?search=",
    "/api/v3/images/?search=",
    "/api/v3/documents/?search=",
]


def words(count):
    return "+".join(string.ascii_lowercase[n % 26] for n in range(count))


def test_a_400_word_search_is_a_clear_400(client):
    build_story()
    for url in SEARCH_URLS:
        response = client.get(url + words(400))
        assert response.status_code == 400, (url, response.content[:300])
        assert "search" in problem(response) and "at most 32 words" in problem(response), url
    assert client.get("/search/?q=" + words(400)).status_code < 500


def test_a_search_of_32_words_still_runs(client, django_user_model):
    """The bound sits where Wagtail's own search (tokens, images) still works on PostgreSQL."""
    build_story()
    token = token_for(django_user_model.objects.create_superuser("ed", "ed@example.com", "pw"))
    for url in SEARCH_URLS:
        assert client.get(url + words(32)).status_code == 200, url
    response = client.get(
        "/api/v3/pages/?search=" + words(32), HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200


# Comment posts holding huge numbers ------------------------------------------------


def comment_body(target, /, **raw_fields):
    """A comment's JSON with some values written as raw JSON text (numbers JSON allows)."""
    fields = {
        "author_name": '"Ola"',
        "author_email": '"ola@example.org"',
        "body": '"Will the trams run at night?"',
        "form_token": json.dumps(aged_token(target.pk, origin=ORIGIN)),
        "article": str(target.pk),
        **raw_fields,
    }
    return ("{" + ", ".join(f'"{name}": {value}' for name, value in fields.items()) + "}").encode()


HUGE_NUMBERS = [
    ({"article": "1e400"}, "article"),
    ({"article": "1" + "0" * 400}, "article"),
    ({"article": "1" + "0" * 5000}, "too long"),
    ({"article": "-1e400"}, "article"),
    ({"article": "NaN"}, "article"),
    ({"parent": "99999999999999999999999"}, "parent"),
    ({"parent": "-99999999999999999999999"}, "parent"),
    ({"parent": "1e400"}, "parent"),
    ({"parent": "9" * 5000}, "too long"),
]


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("prefix", ["/api/v2/comments/", "/api/v3/comments/"])
def test_comment_posts_with_huge_numbers_are_400s(settings, prefix, debug):
    settings.DEBUG = debug
    relaxed_settings(api_allowed_origins=ORIGIN)
    article = make_article()
    client = Client(raise_request_exception=False)
    for raw_fields, words_expected in HUGE_NUMBERS:
        response = client.generic(
            "POST",
            prefix,
            comment_body(article, **raw_fields),
            content_type="application/json",
            HTTP_ORIGIN=ORIGIN,
        )
        assert response.status_code == 400, (raw_fields, response.content[:300])
        text = response.content.decode()
        assert words_expected in text, (raw_fields, text)
        assert "Traceback" not in text
        if prefix.startswith("/api/v3/"):
            assert response["Content-Type"] == "application/problem+json"


# Writes and site-less requests with a token ---------------------------------------


@pytest.fixture
def admin_token(django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    return {"HTTP_AUTHORIZATION": f"Bearer {token_for(user)}"}


@pytest.mark.parametrize(
    "action,body",
    [
        ("copy", {}),
        ("copy", {"destination_id": "home"}),
        ("create_alias", {}),
        ("create_alias", {"destination_id": "home"}),
        ("move", {"destination_id": "home"}),
        ("move", {"destination_id": 1}),
    ],
)
def test_copying_aliasing_or_moving_the_root_page_is_refused(client, admin_token, action, body):
    home = Site.objects.get(is_default_site=True).root_page
    body = {k: home.pk if v == "home" else v for k, v in body.items()}
    response = send_json(client, "post", f"/api/v3/pages/1/actions/{action}/", body, admin_token)
    assert response.status_code == 403, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    assert "root page" in problem(response)


@pytest.mark.parametrize("position", [None, "left", "right", "first-sibling", "last-sibling"])
def test_moving_a_page_beside_the_root_page_is_a_400(client, admin_token, position):
    """Found by the audit's fuzzing: beside the root means under its parent, which is
    none (Wagtail's move action failed with AttributeError, a 500)."""
    section = build_story()["section"]
    body = {"destination_id": 1, **({"position": position} if position else {})}
    response = send_json(
        client, "post", f"/api/v3/pages/{section.pk}/actions/move/", body, admin_token
    )
    assert response.status_code == 400, response.content[:300]
    assert "beside it" in problem(response)
    section.refresh_from_db()
    assert section.depth == 3  # not moved


def test_the_same_actions_still_work_below_the_root(client, admin_token):
    section = build_story()["section"]
    response = client.post(
        f"/api/v3/pages/{section.pk}/actions/copy/",
        json.dumps({"slug": "science-copy"}),
        content_type="application/json",
        **admin_token,
    )
    assert response.status_code == 201, response.content[:300]


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
@pytest.mark.parametrize("pk", ["abc", "1.5", "%F0%9F%98%80"])
def test_a_snippet_id_that_is_not_a_key_is_a_400(client, admin_token, method, pk):
    response = getattr(client, method)(
        f"/api/v3/snippets/authors.Author/{pk}/", content_type="application/json", **admin_token
    )
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["loc"] == ["path", "pk"]


BAD_BODIES = [
    ([[None], [{}, 3]], ["body"]),  # found by the audit's fuzzing: items that are lists
    ("not a list", ["body"]),
    ([{"type": "paragraph"}], ["body", 0]),  # no value
    ([{"value": "<p>x</p>"}], ["body", 0]),  # no type
    ([{"type": "heading", "value": ["text", "h2"]}], ["body", 0, "value"]),  # struct as list
    ([{"type": "list", "value": {"style": "ordered", "items": "one"}}], ["body", 0, "value"]),
    ([{"type": "related_article", "value": {"article": [1], "label": ""}}], ["body", 0]),
]


@pytest.mark.parametrize("value,where", BAD_BODIES)
def test_a_body_of_the_wrong_shape_is_a_422_that_says_where(client, admin_token, value, where):
    article = build_story()["article"]
    before = article.body.get_prep_value()
    payload = {"body": value}
    response = send_json(client, "patch", f"/api/v3/pages/{article.pk}/", payload, admin_token)
    assert response.status_code == 422, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert all(error["loc"][1 : 1 + len(where)] == where for error in errors), errors
    assert "wrong shape" in problem(response)
    article.refresh_from_db()
    assert article.body.get_prep_value() == before  # nothing written


def test_a_new_page_with_a_body_of_the_wrong_shape_is_a_422(client, admin_token):
    section = build_story()["section"]
    payload = {
        "meta": {"type": "news.ArticlePage", "parent_id": section.pk},
        "title": "Shapeless",
        "body": [["paragraph", "<p>x</p>"]],
    }
    response = send_json(client, "post", "/api/v3/pages/", payload, admin_token)
    assert response.status_code == 422, response.content[:300]
    assert response.json()["errors"][0]["loc"] == ["body", "body", 0]
    assert not section.get_children().filter(title="Shapeless").exists()


def test_a_body_of_the_right_shape_is_still_written(client, admin_token):
    article = build_story()["article"]
    body = [
        {"type": "paragraph", "value": "<p>Fresh words.</p>"},
        {"type": "heading", "value": {"text": "A heading", "level": "h2"}},
        {"type": "list", "value": {"style": "ordered", "items": ["one", "two"]}},
    ]
    response = client.patch(
        f"/api/v3/pages/{article.pk}/",
        json.dumps({"body": body}),
        content_type="application/json",
        **admin_token,
    )
    assert response.status_code == 200, response.content[:500]
    article.refresh_from_db()
    draft = article.get_latest_revision_as_object()
    assert [child.block_type for child in draft.body] == ["paragraph", "heading", "list"]


@pytest.mark.parametrize("url", ["/api/v3/images/", "/api/v3/documents/"])
@pytest.mark.parametrize("body", [b"--x\r\n", b"garbage"])
def test_a_multipart_upload_without_a_boundary_is_a_400(client, admin_token, url, body):
    response = client.generic("POST", url, body, content_type="multipart/form-data", **admin_token)
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    assert "boundary" in problem(response)


SITELESS_URLS = [
    "/api/v2/pages/?child_of=root",
    "/api/v2/pages/?descendant_of=root",
    "/api/v2/pages/?search=bridge",
    "/api/v2/articles/?search=bridge",
    "/api/v3/pages/?child_of=root",
    "/api/v3/pages/?descendant_of=root",
    "/api/v3/pages/?search=bridge",
    "/api/v3/articles/?search=bridge",
    "/api/v3/pages/?site=nowhere.example&child_of=root",
    "/api/v3/pages/?site=nowhere.example&search=bridge",
    "/api/v3/pages/find/?html_path=/science/",
]


@pytest.mark.parametrize("with_token", [False, True])
def test_requests_no_site_serves_are_never_500s(client, admin_token, with_token):
    build_story()
    Site.objects.update(is_default_site=False)
    headers = admin_token if with_token else {}
    for url in SITELESS_URLS:
        response = client.get(url, HTTP_HOST="nowhere.example", **headers)
        assert response.status_code in (200, 400, 404), (url, response.content[:300])
        if response.status_code == 200:
            data = response.json()
            # Nothing public is served to a host no Site serves (a token sees its pages).
            assert with_token or data["items"] == [], url
        else:
            assert problem(response), url
            if url.startswith("/api/v3/"):
                assert response["Content-Type"] == "application/problem+json"


# Property-based: every listing parameter, every notation ---------------------------

HYPOTHESIS = settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Unicode without surrogates (a URL cannot carry them), astral characters and NUL included.
unicode_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)


@st.composite
def notated_numbers(draw):
    """An integer or float written the many ways a parser might read it."""
    number = draw(
        st.one_of(
            st.integers(-(2**70), 2**70),
            st.sampled_from([0, 1, -1, 2**31, 2**63 - 1, 2**63, 2**64, 10**400]),
        )
    )
    text = str(abs(number))
    notation = draw(
        st.sampled_from(["plain", "plus", "underscores", "arabic", "fullwidth", "devanagari"])
    )
    if notation == "underscores":
        text = f"{abs(number):_}"
    elif notation == "arabic":
        text = text.translate(ARABIC_INDIC)
    elif notation == "fullwidth":
        text = text.translate(FULLWIDTH)
    elif notation == "devanagari":
        text = text.translate(DEVANAGARI)
    sign = "-" if number < 0 else ("+" if notation == "plus" else "")
    suffix = draw(st.sampled_from(["", "", ".0", ".5", "e3", "e400", "E-2", " "]))
    return sign + text + suffix


values = st.one_of(
    notated_numbers(),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["NaN", "nan", "inf", "-Infinity", "1e400", "-0", "0x10", "root", "*"]),
    st.sampled_from(["-title", "title,-id", "news.ArticlePage", "news.Nope", "world"]),
    st.sampled_from(["2024-01-01", "2024-13-45", "0001-01-01T00:00:00+14:00", "9999-12-31"]),
    unicode_text,
)
V2_PARAMETERS = [
    "limit",
    "offset",
    "order",
    "search",
    "section",
    "tag",
    "author",
    "published_after",
    "published_before",
    "fields",
    "type",
    "child_of",
    "descendant_of",
    "search_operator",
    "id",
]
V3_PARAMETERS = [p for p in V2_PARAMETERS if p != "fields"] + ["rich_text_format", "site"]
parameters = st.dictionaries(st.sampled_from(V2_PARAMETERS), values, min_size=1, max_size=2)
v3_parameters = st.dictionaries(st.sampled_from(V3_PARAMETERS), values, min_size=1, max_size=2)


def encode(params):
    return "&".join(f"{quote(name)}={quote(value, safe='')}" for name, value in params.items())


def assert_answered(response, url):
    assert response.status_code < 500, (url, response.content[:500])
    if response.status_code == 400:
        assert problem(response).strip(), (url, response.content[:300])


@pytest.fixture
def story():
    return build_story()


@HYPOTHESIS
@given(listing=st.sampled_from(LISTINGS), params=parameters)
def test_v2_listing_parameters_never_fail(client, story, listing, params):
    url = listing_url("v2", listing, encode(params), story["article"].pk)
    assert_answered(client.get(url), url)


@HYPOTHESIS
@given(listing=st.sampled_from(LISTINGS), params=v3_parameters)
def test_v3_listing_parameters_never_fail(client, story, listing, params):
    url = listing_url("v3", listing, encode(params), story["article"].pk)
    assert_answered(client.get(url), url)


@settings(HYPOTHESIS, max_examples=150)
@given(
    path=st.sampled_from(
        ["/", "/science/", "/search/", "/tags/bridges/", "/authors/ada-reporter/"]
    ),
    params=st.dictionaries(
        st.sampled_from(["page", "q", "order", "section", "author", "tag"]),
        values,
        min_size=1,
        max_size=3,
    ),
)
def test_reader_site_query_strings_never_fail(client, story, path, params):
    url = f"{path}?{encode(params)}"
    response = client.get(url)
    assert response.status_code < 500, (url, response.content[:300])
    if response.status_code == 400:
        assert response.content.strip()


@settings(HYPOTHESIS, max_examples=100)
@given(year=st.integers(0, 9999), month=st.one_of(st.integers(0, 99), st.none()))
def test_archive_paths_never_fail(client, story, year, month):
    url = f"/{year:04d}/" if month is None else f"/{year:04d}/{month:02d}/"
    response = client.get(url)
    assert response.status_code in (200, 301, 302, 404), (url, response.content[:300])


def test_moving_a_page_under_the_root_page_is_answered_not_failed(client, admin_token):
    section = build_story()["section"]
    response = client.post(
        f"/api/v3/pages/{section.pk}/actions/move/",
        json.dumps({"destination_id": 1, "position": "last-child"}),
        content_type="application/json",
        **admin_token,
    )
    assert response.status_code in (200, 400, 403, 422), response.content[:300]
