"""The editor's day in a real browser (Playwright driving Debian's Chromium).

A writer signs in, opens the block picker of an article body and the author
form; a half-typed author autosaved in the browser (the indicator reports it
saved) never reaches readers; the admin pages used pass axe-core without
serious violations, Wagtail's tag and rich text widgets included (named by
news/static/news/admin/accessible_widgets.js).
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from authors.models import Author
from tests.browser_support import wait_until
from tests.factories import make_author, make_section
from tests.test_accessibility import only_local_requests, serious

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TIMEOUT_MS = 60_000

# Wagtail's unsaved-changes watcher takes its snapshot of the form two seconds
# after the page starts (UnsavedController.initialDelayValue): what is typed
# before then counts as the form's initial state, and autosave never sees an
# edit. The writer starts typing once the watcher reports it is watching.
WATCH_EDITS = (
    "document.addEventListener('w-unsaved:watch-edits', "
    "() => { window.bylineWatchingEdits = true; });"
)
AUTOSAVE_STATE = (
    "document.getElementById('w-autosave-indicator')?.getAttribute('data-w-autosave-state-value')"
)
PASSWORD = "writer-pass-1234"


def writer():
    user = get_user_model().objects.create_user(
        "writer", password=PASSWORD, first_name="Wren", last_name="Writer"
    )
    user.groups.add(Group.objects.get(name="Writer"))
    return user


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/", timeout=TIMEOUT_MS)


def test_a_writer_drafts_and_nothing_half_typed_reaches_readers(browser, live_server):
    from axe_playwright_python.sync_playwright import Axe

    section = make_section("City")
    make_author("Ada Reporter")
    writer()
    axe = Axe()
    page = browser.new_page()
    page.route("**/*", only_local_requests(live_server.url))
    page.on("dialog", lambda dialog: dialog.accept())  # leaving the unsaved new article
    found = {}
    try:
        sign_in(page, live_server, "writer")

        # The body's block picker offers the blocks, never the placeholder for a
        # switched-off plugin's blocks (no plugin is off here).
        page.goto(f"{live_server.url}/admin/pages/add/news/articlepage/{section.pk}/")
        page.locator("button[title='Insert a block']").filter(visible=True).first.click()
        options = page.locator("[role=option]")
        options.first.wait_for(timeout=TIMEOUT_MS)
        labels = [text.strip() for text in options.all_inner_texts()]
        assert "Paragraph" in " ".join(labels)
        assert not any("Unavailable" in label for label in labels), labels
        # A paragraph (Draftail's editable area) and the tag field (tag-it) are on
        # the page axe checks: both are named by their labels (accessible_widgets.js).
        options.filter(has_text="Paragraph").first.click()
        area = page.locator("[contenteditable=true][role=textbox]").first
        area.wait_for(timeout=TIMEOUT_MS)
        assert area.get_attribute("aria-labelledby") or area.get_attribute("aria-label")
        assert page.locator("ul.tagit input").get_attribute("aria-labelledby") == "id_tags-label"
        found["add article"] = serious(axe, page)

        # A half-typed author: autosave stores it as a private draft, readers never see it.
        page.add_init_script(WATCH_EDITS)
        page.goto(f"{live_server.url}/admin/snippets/authors/author/add/")
        found["add author"] = serious(axe, page)
        wait_until(page, "window.bylineWatchingEdits === true", timeout_ms=TIMEOUT_MS)
        page.fill("input[name=name]", "Halftyped Quennell")
        # The indicator reports the draft saved; then the tab is closed.
        wait_until(page, f"{AUTOSAVE_STATE} === 'saved'", timeout_ms=TIMEOUT_MS)
        assert "autosaved" in page.locator("#w-autosave-indicator").get_attribute(
            "data-w-tooltip-content-value"
        )
    finally:
        page.close()
    assert {name: problems for name, problems in found.items() if problems} == {}

    author = Author.objects.get(name="Halftyped Quennell")  # autosaved: a private draft
    assert not author.live
    reader = browser.new_page()
    try:
        for url in ("/authors/", "/api/v2/authors/", "/api/v3/authors/"):
            reader.goto(live_server.url + url)
            assert "Halftyped" not in reader.content(), url
        response = reader.goto(f"{live_server.url}/authors/{author.slug}/")
        assert response.status == 404
    finally:
        reader.close()
