"""The logo, favicon set and web app manifest: linked from every page and served where asked."""

import io
import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from PIL import Image

from tests.factories import make_section

pytestmark = pytest.mark.django_db


def static_bytes(url):
    found = finders.find(url.removeprefix("/static/"))
    assert found, url
    with open(found, "rb") as file:
        return file.read()


def test_favicon_ico_is_served_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    with Image.open(io.BytesIO(response.content)) as icon:
        assert icon.format == "ICO"
        assert {(16, 16), (32, 32), (48, 48)} <= set(icon.info["sizes"])
    assert client.post("/favicon.ico").status_code == 405


def test_web_app_manifest(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "The Byline Courier"
    assert manifest["start_url"] == "/"
    assert manifest["theme_color"] == "#8a1c1c"
    icons = {icon["sizes"]: icon for icon in manifest["icons"]}
    for size in ("192x192", "512x512"):
        with Image.open(io.BytesIO(static_bytes(icons[size]["src"]))) as image:
            assert f"{image.width}x{image.height}" == size
            assert icons[size]["type"] == "image/png"
    svg = static_bytes(icons["any"]["src"]).decode()
    assert icons["any"]["type"] == "image/svg+xml" and svg.startswith("<svg")


def test_every_page_links_the_icons_and_shows_the_logo(client):
    make_section("Politics")
    for url in ("/", "/politics/", "/no/such/page/"):
        page = BeautifulSoup(client.get(url).content, "html.parser")
        links = {(tuple(link["rel"]), link["href"]) for link in page.select("head link[href]")}
        assert (("icon",), "/favicon.ico") in links
        assert (("icon",), "/static/icons/logo.svg") in links
        assert (("apple-touch-icon",), "/static/icons/apple-touch-icon.png") in links
        assert (("manifest",), "/manifest.webmanifest") in links
        logo = page.select_one(".masthead__title a img.masthead__logo")
        assert logo["src"] == "/static/icons/logo.svg" and logo["alt"] == ""
        # The touch icon is opaque and 180 px square, as iOS expects.
        with Image.open(io.BytesIO(static_bytes("/static/icons/apple-touch-icon.png"))) as icon:
            assert icon.size == (180, 180) and icon.mode == "RGB"
