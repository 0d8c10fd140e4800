"""``?search=`` in API v2 and v3: the search page's search_articles() behind every endpoint.

Ranking (headline above body), filters, ``order``, limit/offset with totals,
privacy and query counts, on each article search URL; and the generic pages
search, where sections match by title.
"""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

#: Every article search: v2 articles, v2 pages of the article type, v3 articles.
ARTICLE_SEARCHES = [
    "/api/v2/articles/?",
    "/api/v2/pages/?type=news.ArticlePage&",
    "/api/v3/articles/?",
]
#: The generic pages searches (every page type).
PAGE_SEARCHES = ["/api/v2/pages/?", "/api/v3/pages/?"]


def paragraph(text):
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:500])
    return response.json()


def ids_and_total(client, url):
    data = get(client, url)
    total = data["meta"]["total_count"] if "meta" in data else data["count"]
    return [item["id"] for item in data["items"]], total


@pytest.fixture
def newsroom():
    now = timezone.now()
    politics = make_section("Politics", slug="politics")
    science = make_section("Science", slug="science")
    ada = make_author("Ada Quill")
    ben = make_author("Ben Ledger")
    return {
        "politics": politics,
        "science": science,
        # Oldest, but the word is in its headline.
        "headline": make_article(
            politics,
            title="Harbour dredging plan approved",
            standfirst="The board voted on Tuesday.",
            body=[paragraph("Members argued for an hour before the vote.")],
            authors=[ada],
            tags=["harbour"],
            publication_date=now - timedelta(days=3),
        ),
        # Newest, with the word in its body only.
        "body": make_article(
            politics,
            title="Council meeting runs late",
            standfirst="Councillors sat until midnight.",
            body=[paragraph("Among other things they discussed dredging the channel.")],
            authors=[ben],
            tags=["council"],
            publication_date=now - timedelta(days=1),
        ),
        "standfirst": make_article(
            science,
            title="Silt samples from the estuary",
            standfirst="What the dredging will bring up, according to the lab.",
            body=[paragraph("Samples were taken at low tide.")],
            authors=[ada, ben],
            tags=["harbour", "environment"],
            publication_date=now - timedelta(days=2),
        ),
        "unrelated": make_article(
            science, title="Comet seen over the valley", publication_date=now - timedelta(hours=1)
        ),
    }


def test_headline_match_outranks_body_only_match(client, newsroom):
    headline, body = newsroom["headline"].pk, newsroom["body"].pk
    for base in ARTICLE_SEARCHES + PAGE_SEARCHES:
        ids, total = ids_and_total(client, base + "search=dredging")
        assert total == 3, base
        assert set(ids) == {headline, body, newsroom["standfirst"].pk}, base
        # The body-only match is the newest, and still comes after the headline match.
        assert ids.index(headline) < ids.index(body), base


def test_every_word_must_match_and_quotes_make_a_phrase(client, newsroom):
    for base in ARTICLE_SEARCHES:
        assert ids_and_total(client, base + "search=dredging+channel")[0] == [newsroom["body"].pk]
        phrase = base + "search=%22channel+the+dredging%22"
        assert ids_and_total(client, phrase) == ([], 0), base
        # Only punctuation: nothing to look for, no error.
        assert ids_and_total(client, base + "search=%28%2A%29") == ([], 0), base


def test_search_combines_with_every_filter(client, newsroom):
    moment = quote((timezone.now() - timedelta(days=2, hours=12)).isoformat())
    cases = [
        ("section=politics", {"headline", "body"}),
        (f"section={newsroom['science'].pk}", {"standfirst"}),
        ("author=ben-ledger", {"body", "standfirst"}),
        ("tag=harbour", {"headline", "standfirst"}),
        ("tag=harbour&author=ben-ledger", {"standfirst"}),
        (f"published_after={moment}", {"body", "standfirst"}),
        (f"published_before={moment}", {"headline"}),
        ("section=nowhere", set()),
    ]
    for base in ARTICLE_SEARCHES:
        for query, names in cases:
            ids, total = ids_and_total(client, f"{base}search=dredging&{query}")
            assert set(ids) == {newsroom[name].pk for name in names}, (base, query)
            assert total == len(names), (base, query)


def test_order_sorts_the_matches(client, newsroom):
    newest_first = [newsroom[name].pk for name in ("body", "standfirst", "headline")]
    by_title = [newsroom[name].pk for name in ("body", "headline", "standfirst")]
    for base in ARTICLE_SEARCHES:
        ids, _ = ids_and_total(client, base + "search=dredging&order=-publication_date")
        assert ids == newest_first, base
        ids, _ = ids_and_total(client, base + "search=dredging&order=publication_date")
        assert ids == newest_first[::-1], base
        assert ids_and_total(client, base + "search=dredging&order=title")[0] == by_title, base


def test_limit_and_offset_page_through_ranked_results_with_the_total(client, newsroom):
    for base in ARTICLE_SEARCHES + PAGE_SEARCHES:
        everything, total = ids_and_total(client, base + "search=dredging")
        pages = [
            ids_and_total(client, f"{base}search=dredging&limit=2&offset={offset}")
            for offset in (0, 2, 4)
        ]
        assert [ids for ids, _ in pages] == [everything[:2], everything[2:], []], base
        assert {count for _, count in pages} == {total} == {3}, base
        ordered = ids_and_total(client, base + "search=dredging&order=title&limit=1&offset=1")
        assert ordered == ([newsroom["headline"].pk], 3), base


def test_generic_page_search_finds_sections_by_title_and_articles_by_text(client, newsroom):
    politics = newsroom["politics"].pk
    for base in PAGE_SEARCHES:
        ids, total = ids_and_total(client, base + "search=politics")
        assert ids == [politics] and total == 1, base
        # "council" is in an article's headline and tag, and in no section's title.
        assert ids_and_total(client, base + "search=council")[0] == [newsroom["body"].pk], base
    harbour = make_article(newsroom["politics"], title="Politics of the harbour")
    for base in PAGE_SEARCHES:
        # Relevance: sections (title matches) first, then the ranked articles.
        assert ids_and_total(client, base + "search=politics") == ([politics, harbour.pk], 2)
        # With an order, everything is sorted together.
        ordered = ids_and_total(client, base + "search=politics&order=-title")
        assert ordered == ([harbour.pk, politics], 2), base
        assert ids_and_total(client, base + "search=politics&limit=1&offset=1") == (
            [harbour.pk],
            2,
        )


def test_private_draft_and_expired_articles_never_match(client, newsroom):
    secret = make_section("Secret", slug="secret")
    PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    hidden = [
        make_article(newsroom["politics"], title="Dredging draft", publish=False),
        make_article(secret, title="Dredging behind a password"),
        make_article(newsroom["politics"], title="Dredging, expired"),
    ]
    hidden[2].expire_at = timezone.now() - timedelta(minutes=5)
    hidden[2].save(update_fields=["expire_at"])
    for base in ARTICLE_SEARCHES + PAGE_SEARCHES:
        for query in ("search=dredging", "search=dredging&order=-first_published_at"):
            ids, total = ids_and_total(client, base + query)
            assert total == 3 and not {page.pk for page in hidden} & set(ids), (base, query)
    # Nor does a restricted section's title.
    for base in PAGE_SEARCHES:
        assert ids_and_total(client, base + "search=secret") == ([], 0), base


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(queries)


def test_search_costs_a_fixed_number_of_queries(client, newsroom):
    urls = [
        f"{base}search=dredging{extra}"
        for base in ARTICLE_SEARCHES + PAGE_SEARCHES
        for extra in ("", "&order=-first_published_at", "&author=ada-quill")
        if not (extra.startswith("&author") and base in PAGE_SEARCHES)
    ]
    before = {url: count_queries(client, url) for url in urls}
    author = make_author("Cy Penn")
    for n in range(8):
        make_article(
            newsroom["politics"],
            title=f"Dredging update {n}",
            body=[paragraph("More on the dredging.")],
            authors=[author],
            tags=[f"tag-{n}", "harbour"],
        )
    after = {url: count_queries(client, url) for url in urls}
    assert after == before
