"""The article editor in a real browser (Playwright driving Debian's Chromium):
the search and social preview follows what the editor types, the word count and
reading time follow the body, and the edit page passes axe-core."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from news.reading import WORDS_PER_MINUTE
from tests.browser_support import wait_until
from tests.factories import make_article, make_author, make_section
from tests.test_accessibility import only_local_requests, serious

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TIMEOUT_MS = 60_000
PASSWORD = "editor-pass-1234"


def editor():
    user = get_user_model().objects.create_user(
        "editor", password=PASSWORD, first_name="Eda", last_name="Editor"
    )
    user.groups.add(Group.objects.get(name="Editor"))
    return user


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/", timeout=TIMEOUT_MS)


def inner_text(page, selector):
    return page.locator(selector).first.inner_text().strip()


def test_preview_and_word_count_follow_the_editor(browser, live_server):
    from axe_playwright_python.sync_playwright import Axe

    section = make_section("Coast")
    article = make_article(
        section,
        title="Ferry timetable changes",
        slug="ferry-timetable-changes",
        standfirst="Winter sailings start early.",  # 4 words
        authors=[make_author("Nia Berg")],
        body=[("paragraph", "<p>The ferry company published its timetable.</p>")],  # 6 words
    )
    editor()
    axe = Axe()
    page = browser.new_page()
    page.route("**/*", only_local_requests(live_server.url))
    found = {}
    try:
        sign_in(page, live_server)
        page.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")

        # The word count: standfirst and body, at the site's reading speed.
        count = "[data-byline-word-count-output]"
        wait_until(page, f"!!document.querySelector('{count}')")
        assert inner_text(page, count) == "10 words · 1 min read"
        found["edit article"] = serious(axe, page)

        body = page.locator("[data-byline-word-count] [contenteditable=true]").first
        body.click()
        page.keyboard.press("End")
        page.keyboard.type(" Fares rise in March.")
        wait_until(page, f"document.querySelector('{count}').dataset.words === '14'")
        assert inner_text(page, count) == "14 words · 1 min read"

        # A long body: the reading time follows the same words per minute as the site.
        page.keyboard.type(" " + "word " * WORDS_PER_MINUTE, delay=0)
        minutes = -(-(14 + WORDS_PER_MINUTE) // WORDS_PER_MINUTE)
        wait_until(
            page,
            f"document.querySelector('{count}').dataset.words === '{14 + WORDS_PER_MINUTE}'",
        )
        assert inner_text(page, count) == f"{14 + WORDS_PER_MINUTE} words · {minutes} min read"

        # The standfirst counts too: 6 words now instead of 4.
        page.fill("textarea[name=standfirst]", "Winter sailings start a week early.")
        wait_until(
            page,
            f"document.querySelector('{count}').dataset.words === '{16 + WORDS_PER_MINUTE}'",
        )

        # The search and social preview, in the SEO & social tab.
        page.get_by_role("tab", name="SEO & social").click()
        preview = "[data-byline-preview]"
        page.locator(preview).wait_for(state="visible", timeout=TIMEOUT_MS)
        titles = f"{preview} [data-byline-preview-target=title]"
        descriptions = f"{preview} [data-byline-preview-target=description]"
        assert inner_text(page, titles) == "Ferry timetable changes"
        assert inner_text(page, descriptions) == "Winter sailings start a week early."
        found["SEO tab"] = serious(axe, page)

        page.fill("input[name=seo_title]", "Ferries: the new winter timetable")
        page.fill("textarea[name=search_description]", "Every sailing, port by port.")
        wait_until(
            page,
            f"document.querySelector('{titles}').textContent === "
            "'Ferries: the new winter timetable'",
        )
        texts = page.locator(f"{preview} [data-byline-preview-target]").all_inner_texts()
        assert texts.count("Ferries: the new winter timetable") == 2  # search result and card
        assert texts.count("Every sailing, port by port.") == 2

        page.fill("input[name=slug]", "winter-ferries")
        wait_until(
            page,
            f"document.querySelector('{preview} [data-byline-preview-target=address]')"
            ".textContent.endsWith('/coast/winter-ferries/')",
        )

        # Clearing the SEO title falls back to the headline, as the page's metadata do.
        page.fill("input[name=seo_title]", "")
        wait_until(
            page,
            f"document.querySelector('{titles}').textContent === 'Ferry timetable changes'",
        )
    finally:
        page.close()
    assert {name: problems for name, problems in found.items() if problems} == {}
