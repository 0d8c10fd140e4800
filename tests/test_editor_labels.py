"""Human labels in the admin: web addresses, alt text and captions say what they are."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from authors.blocks import ProfileLinkBlock
from news.blocks import QuotationBlock
from news.models import NewsImage
from tests.factories import make_article, make_author, make_image

pytestmark = pytest.mark.django_db


def test_block_fields_are_labelled_for_people():
    assert ProfileLinkBlock().child_blocks["url"].label == "Web address"
    assert QuotationBlock().child_blocks["source_url"].label == "Source web address"


def test_the_image_form_calls_alt_text_alt_text(admin_client):
    image = make_image("Ferry at dusk")
    page = admin_client.get(reverse("wagtailimages:edit", args=[image.pk]))
    soup = BeautifulSoup(page.content, "html.parser")
    label = soup.select_one("label[for=id_description]")
    assert " ".join(label.get_text(" ", strip=True).split()).startswith(
        "Alt text (describe the image for people who cannot see it)"
    )
    assert "Description" not in label.get_text()
    assert (
        soup.select_one("label[for=id_default_caption]").get_text(strip=True).startswith("Caption")
    )
    assert NewsImage._meta.get_field("description").help_text.startswith("What the image shows")


def test_the_comment_queue_names_its_spam_column_plainly(admin_client):
    from tests.comment_support import CommentStatus, make_comment

    make_comment(make_article(authors=[make_author()]), status=CommentStatus.PENDING)
    page = admin_client.get(reverse("byline_comments_comment:list"))
    headings = [
        " ".join(th.get_text(" ", strip=True).split())
        for th in BeautifulSoup(page.content, "html.parser").select("table thead th")
    ]
    assert "Spam check result" in headings
    assert "Strictest check" not in headings
