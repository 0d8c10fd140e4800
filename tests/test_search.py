"""Search: the shared search_articles() and the /search/ page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from news.search import search_articles, search_terms
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def paragraph(text):
    return ("paragraph", f"<p>{text}</p>")


def titles(results):
    return [article.title for article in results]


@pytest.fixture
def newsroom():
    """Two sections, two authors, a handful of articles about the harbour."""
    now = timezone.now()
    politics = make_section("Politics")
    science = make_section("Science")
    ada = make_author("Ada Quill")
    ben = make_author("Ben Ledger")
    articles = {
        "headline_match": make_article(
            politics,
            title="Harbour dredging plan approved",
            standfirst="The board voted on Tuesday.",
            body=[paragraph("Members argued for an hour before the vote.")],
            authors=[ada],
            tags=["harbour"],
            publication_date=now - timedelta(days=3),
        ),
        "body_match": make_article(
            politics,
            title="Council meeting runs late",
            standfirst="Councillors sat until midnight.",
            body=[paragraph("Among other things they discussed dredging the channel.")],
            authors=[ben],
            tags=["council"],
            publication_date=now - timedelta(days=1),
        ),
        "standfirst_match": make_article(
            science,
            title="Silt samples from the estuary",
            standfirst="What the dredging will bring up, according to the lab.",
            body=[paragraph("Samples were taken at low tide.")],
            authors=[ada, ben],
            tags=["harbour", "environment"],
            publication_date=now - timedelta(days=2),
        ),
    }
    return {"politics": politics, "science": science, "ada": ada, "ben": ben, **articles}


# search_articles() ----------------------------------------------------------------


def test_headline_match_outranks_body_only_match(newsroom):
    ranked = titles(search_articles("dredging"))
    assert sorted(ranked) == [
        "Council meeting runs late",
        "Harbour dredging plan approved",
        "Silt samples from the estuary",
    ]
    # The body-only match is the newest article, and still comes after.
    assert ranked.index("Harbour dredging plan approved") < ranked.index(
        "Council meeting runs late"
    )


def test_headline_match_outranks_body_matches_of_the_same_word(newsroom):
    make_article(
        newsroom["politics"],
        title="Ferry timetable changes",
        standfirst="New times from May.",
        body=[paragraph("The ferry leaves earlier. The ferry returns later. Ferry fares rise.")],
    )
    make_article(newsroom["politics"], title="Ferry fares rise", standfirst="From May.")
    assert titles(search_articles("fares"))[0] == "Ferry fares rise"


def test_searches_standfirst_body_authors_and_tags(newsroom):
    assert titles(search_articles("midnight")) == ["Council meeting runs late"]
    assert titles(search_articles("tide")) == ["Silt samples from the estuary"]
    assert set(titles(search_articles("Quill"))) == {
        "Harbour dredging plan approved",
        "Silt samples from the estuary",
    }
    assert set(titles(search_articles("environment"))) == {"Silt samples from the estuary"}


def test_every_word_must_match_and_quotes_make_a_phrase(newsroom):
    assert titles(search_articles("dredging channel")) == ["Council meeting runs late"]
    assert titles(search_articles('"dredging the channel"')) == ["Council meeting runs late"]
    assert titles(search_articles('"channel the dredging"')) == []


def test_search_is_case_insensitive(newsroom):
    assert titles(search_articles("HARBOUR DREDGING"))[0] == "Harbour dredging plan approved"


def test_date_order_is_newest_first(newsroom):
    assert titles(search_articles("dredging", order="date")) == [
        "Council meeting runs late",
        "Silt samples from the estuary",
        "Harbour dredging plan approved",
    ]


def test_filters_by_section_author_and_tag(newsroom):
    assert set(titles(search_articles("dredging", section="politics"))) == {
        "Harbour dredging plan approved",
        "Council meeting runs late",
    }
    assert titles(search_articles("dredging", section=newsroom["science"])) == [
        "Silt samples from the estuary"
    ]
    assert set(titles(search_articles("dredging", author="ada-quill"))) == {
        "Harbour dredging plan approved",
        "Silt samples from the estuary",
    }
    assert titles(search_articles("dredging", author=newsroom["ben"], tag="harbour")) == [
        "Silt samples from the estuary"
    ]


def test_unknown_filters_match_nothing(newsroom):
    assert list(search_articles("dredging", section="no-such-section")) == []
    assert list(search_articles("dredging", author="nobody")) == []
    assert list(search_articles("dredging", tag="no-such-tag")) == []


def test_drafts_and_private_articles_are_not_found(newsroom):
    make_article(newsroom["politics"], title="Dredging draft", publish=False)
    private = make_article(newsroom["politics"], title="Dredging for subscribers")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    found = titles(search_articles("dredging"))
    assert "Dredging draft" not in found
    assert "Dredging for subscribers" not in found


def test_results_count_and_slice_like_a_queryset(newsroom):
    for order in ("relevance", "date"):
        results = search_articles("dredging", order=order)
        assert results.count() == 3
        assert len(results[1:3]) == 2
        assert titles(results[0:1]) == titles(results)[:1]
        assert list(results[5:9]) == []


def test_query_syntax_is_neutralised():
    assert search_terms('harbour "dredging  plan" -tide NEAR(a b) x* col:val') == [
        ("harbour",),
        ("dredging", "plan"),
        ("tide",),
        ("NEAR",),
        ("a",),
        ("b",),
        ("x",),
        ("col",),
        ("val",),
    ]
    assert search_terms('"') == []
    assert search_terms("   ") == []
    assert search_terms("word " * 100) == [("word",)] * 16


def test_unknown_order_is_an_error():
    with pytest.raises(ValueError):
        search_articles("harbour", order="popularity")


# The search page ------------------------------------------------------------------


def test_search_page_lists_results_best_first(client, newsroom):
    response = client.get("/search/", {"q": "dredging"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 articles for “dredging”" in html
    positions = [
        html.index(title)
        for title in ("Harbour dredging plan approved", "Council meeting runs late")
    ]
    assert positions == sorted(positions)
    assert 'name="robots" content="noindex, follow"' in html


def test_search_page_filters_and_orders(client, newsroom):
    response = client.get("/search/", {"q": "dredging", "section": "science"})
    assert [a.title for a in response.context["results"].object_list] == [
        "Silt samples from the estuary"
    ]
    response = client.get("/search/", {"q": "dredging", "order": "date", "author": "ada-quill"})
    assert [a.title for a in response.context["results"].object_list] == [
        "Silt samples from the estuary",
        "Harbour dredging plan approved",
    ]
    assert "Only articles by <bdi>Ada Quill</bdi>" in response.content.decode()
    response = client.get("/search/", {"q": "dredging", "tag": "council"})
    assert [a.title for a in response.context["results"].object_list] == [
        "Council meeting runs late"
    ]


def test_search_page_paginates_and_keeps_the_query(client, monkeypatch):
    monkeypatch.setattr("news.views.SEARCH_RESULTS_PER_PAGE", 2)
    section = make_section("Local")
    for n in range(5):
        make_article(section, title=f"Lighthouse report {n}")
    response = client.get("/search/", {"q": "lighthouse", "order": "date"})
    results = response.context["results"]
    assert results.paginator.count == 5
    assert len(results.object_list) == 2
    assert 'href="?q=lighthouse&amp;order=date&amp;page=2"' in response.content.decode()
    last = client.get("/search/", {"q": "lighthouse", "order": "date", "page": "3"})
    assert [a.title for a in last.context["results"].object_list] == ["Lighthouse report 0"]
    assert 'href="?q=lighthouse&amp;order=date&amp;page=2"' in last.content.decode()
    # Relevance order pages through every match once.
    seen = []
    for page in ("1", "2", "3"):
        response = client.get("/search/", {"q": "lighthouse", "page": page})
        seen += [a.title for a in response.context["results"].object_list]
    assert sorted(seen) == [f"Lighthouse report {n}" for n in range(5)]
    # A page number that is not one falls back instead of failing.
    assert client.get("/search/", {"q": "lighthouse", "page": "x"}).status_code == 200
    assert client.get("/search/", {"q": "lighthouse", "page": "999"}).status_code == 200


def test_empty_and_no_result_states(client, newsroom):
    empty = client.get("/search/")
    assert empty.status_code == 200
    assert empty.context["results"] is None
    assert "Search headlines, standfirsts" in empty.content.decode()

    nothing = client.get("/search/", {"q": "zeppelin"})
    assert nothing.status_code == 200
    assert "No articles found for “zeppelin”" in nothing.content.decode()
    assert "Nothing matched every word" in nothing.content.decode()


def test_query_is_echoed_escaped(client, newsroom):
    response = client.get("/search/", {"q": '<script>alert("x")</script>'})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "query",
    [
        '"',
        'harbour"',
        "'",
        "\\",
        "*",
        "dredg*",
        "NEAR(harbour dredging)",
        "harbour AND",
        "OR",
        "NOT harbour",
        "-harbour",
        "title:harbour",
        "{title}: harbour",
        "^harbour",
        "((((",
        "harbour & dredging | plan",
        "🚢 harbour",
        "港口",
        "a" * 200,
        "the",  # a stop word alone: an empty query for PostgreSQL
        "and or not",
    ],
)
def test_odd_queries_never_fail(client, newsroom, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "params, message",
    [
        ({"q": "harbour", "order": "popular"}, "Select a valid choice"),
        ({"q": "harbour", "section": "nowhere"}, "Select a valid choice"),
        ({"q": "harbour", "author": "nobody"}, "There is no author at this address"),
        ({"q": "harbour", "tag": "no-such-tag"}, "There is no tag at this address"),
        ({"q": "harbour", "author": "not a slug"}, "Enter a valid"),
        ({"q": "x" * 201}, "at most 200 characters"),
        ({"q": "harbour\x00"}, "Null characters are not allowed"),
    ],
)
def test_bad_parameters_answer_400_with_a_message(client, newsroom, params, message):
    response = client.get("/search/", params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_every_page_has_a_labelled_search_form(client, newsroom):
    html = client.get(newsroom["headline_match"].url).content.decode()
    assert '<form class="site-search" role="search" aria-label="Site search"' in html
    assert '<label for="site-search-q">' in html
    assert 'action="/search/"' in html


def test_search_page_query_count_does_not_grow_with_results(client, newsroom):
    def queries(q):
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/search/", {"q": q})
        assert response.status_code == 200
        return len(captured)

    queries("midnight")  # fill the caches (site root paths, content types)
    one = queries("midnight")
    section = newsroom["politics"]
    author = make_author("Cy Column")
    for n in range(3):
        make_article(section, title=f"Midnight bulletin {n}", authors=[author], tags=["night"])
    # A kept search reads nothing: its matches and its run of cards are kept. The new
    # articles purge the kept matches (news.search.kept_search): they are found and ranked
    # again once (two queries), the page's rows read by key with their bylines (two), and
    # the new results' cards made once, their authors and renditions loaded for all of
    # them at once (one query each). Then all are kept again.
    assert one == 0
    assert queries("midnight") <= one + 6
    assert queries("midnight") == one


@pytest.mark.django_db
@pytest.mark.parametrize("order", ["relevance", "date"])
def test_searching_an_empty_queryset_gives_no_results(order):
    from news.models import ArticlePage
    from news.search import search_articles

    make_article(title="Harbour dredging resumes")
    results = search_articles("harbour", queryset=ArticlePage.objects.none(), order=order)
    assert list(results) == []
    assert results.count() == 0


def test_a_search_returns_the_newest_matches_up_to_its_limit(client, settings):
    """More matches than BYLINE_SEARCH_MAX_RESULTS: the newest that many, ranked or
    dated, counted as that many, in the page and both APIs."""
    settings.BYLINE_SEARCH_MAX_RESULTS = 3
    section = make_section("Coast")
    now = timezone.now()
    # The oldest has the word in its headline: the best match, but not among the newest 3.
    make_article(
        section, title="Lighthouse keepers retire", publication_date=now - timedelta(days=9)
    )
    for days, title in [
        (4, "Ferry timetable"),
        (3, "Pier repairs"),
        (2, "Dune walk"),
        (1, "Tide tables"),
    ]:
        make_article(
            section,
            title=title,
            body=[paragraph("The old lighthouse stands above the bay.")],
            publication_date=now - timedelta(days=days),
        )

    assert titles(search_articles("lighthouse", order="date")) == [
        "Tide tables",
        "Dune walk",
        "Pier repairs",
    ]
    ranked = search_articles("lighthouse")
    assert ranked.count() == 3
    assert sorted(titles(ranked)) == ["Dune walk", "Pier repairs", "Tide tables"]
    assert search_articles("keepers").count() == 1  # fewer matches: every one

    page = client.get("/search/?q=lighthouse").content.decode()
    assert "3 articles for" in page and "Lighthouse keepers retire" not in page
    assert "These are the newest 3 matches" in page
    assert "These are the newest" not in client.get("/search/?q=keepers").content.decode()
    assert client.get("/api/v2/articles/?search=lighthouse").json()["meta"]["total_count"] == 3
    assert client.get("/api/v3/articles/?search=lighthouse").json()["count"] == 3


@pytest.mark.parametrize("common", [True, False], ids=["walking the newest", "matching first"])
def test_postgres_finds_the_same_articles_either_way(newsroom, settings, monkeypatch, common):
    """PostgreSQL walks the newest articles for a common word and matches through the GIN
    indexes for a rare one (news.search._is_common); both give the same answers."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's two ways of matching")
    from news import search

    monkeypatch.setattr(search, "_is_common", lambda entries, query: common)
    assert titles(search_articles("harbour"))[0] == "Harbour dredging plan approved"
    assert set(titles(search_articles("harbour"))) == set(
        titles(search_articles("harbour", order="date"))
    )
    assert search_articles("harbour").count() == len(titles(search_articles("harbour")))
    assert titles(search_articles("zebra crossing")) == []
    settings.BYLINE_SEARCH_MAX_RESULTS = 1
    newest = titles(search_articles("harbour", order="date"))
    assert len(newest) == 1 and titles(search_articles("harbour")) == newest


def test_the_search_page_ranks_a_query_once_and_follows_articles_authors_and_restrictions(
    client, newsroom
):
    """The page keeps its matches' ids in order (news.search.kept_search): asked again,
    the index is not read; an article published, unpublished or made private, and an
    author withdrawn, show at once."""
    import re

    def found(params):
        html = client.get("/search/", params).content.decode()
        return re.findall(r'class="p-name u-url" href="[^"]*">([^<]*)<', html)

    assert found({"q": "dredging"}) == titles(search_articles("dredging"))
    with CaptureQueriesContext(connection) as queries:
        assert len(found({"q": "dredging"})) == 3
    assert not [q for q in queries if "wagtailsearch_indexentry" in q["sql"]]

    fresh = make_article(newsroom["science"], title="Dredging halted by storm")
    assert found({"q": "dredging"})[0] == "Dredging halted by storm"
    fresh.unpublish()
    assert "Dredging halted by storm" not in found({"q": "dredging"})

    assert sorted(found({"q": "dredging", "author": newsroom["ben"].slug})) == [
        "Council meeting runs late",
        "Silt samples from the estuary",
    ]
    PageViewRestriction.objects.create(page=newsroom["science"], restriction_type="login")
    assert sorted(found({"q": "dredging"})) == [
        "Council meeting runs late",
        "Harbour dredging plan approved",
    ]
    assert found({"q": "dredging", "author": newsroom["ben"].slug}) == ["Council meeting runs late"]
    newsroom["ben"].unpublish()
    assert (
        client.get("/search/", {"q": "dredging", "author": newsroom["ben"].slug}).status_code == 400
    )
