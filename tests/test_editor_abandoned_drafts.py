"""Abandoned "add page" attempts (autosaved drafts) are listed and cleaned up, nothing else."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

from news.abandoned_drafts import abandoned_drafts
from news.models import ArticlePage
from news.tasks import delete_abandoned_drafts
from tests.factories import make_article, make_author, make_section
from tests.test_admin import article_form

pytestmark = pytest.mark.django_db


def autosave_new_article(admin_client, section, author, title):
    """What Wagtail 8's autosave sends from the "add article" form: it creates a draft page."""
    url = reverse("wagtailadmin_pages:add", args=["news", "articlepage", section.pk])
    form = article_form(author, title=title, slug=slugify(title))
    response = admin_client.post(url, form, headers={"accept": "application/json"})
    assert response.status_code == 200, response.content
    assert response.json()["success"] is True
    return ArticlePage.objects.get(title=title)


@pytest.fixture
def newsroom(admin_client):
    section = make_section("City")
    author = make_author("Ada Reporter")
    return {"section": section, "author": author}


def test_an_autosaved_new_page_is_a_private_draft_that_is_cleaned_after_two_weeks(
    admin_client, client, newsroom, settings
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        abandoned = autosave_new_article(
            admin_client, newsroom["section"], newsroom["author"], "Half a headl"
        )
    assert not abandoned.live
    assert client.get(abandoned.url or "/nothing/").status_code == 404

    kept_title = "Ferry strike talks"
    with time_machine.travel(start, tick=False):
        kept = autosave_new_article(
            admin_client, newsroom["section"], newsroom["author"], kept_title
        )
    # The editor came back to this one two days later.
    with time_machine.travel(start + timedelta(days=2), tick=False):
        kept.save_revision()
    published = make_article(newsroom["section"], title="Published story")
    in_review = make_article(newsroom["section"], title="In review", publish=False)
    with time_machine.travel(start, tick=False):
        in_review.save_revision()
    workflow = Workflow.objects.create(name="Check", active=True)
    task = GroupApprovalTask.objects.create(name="Review")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    workflow.start(in_review, user=None)

    assert list(abandoned_drafts(start + timedelta(days=13))) == []
    found = list(abandoned_drafts(start + timedelta(days=15)))
    assert [page.pk for page in found] == [abandoned.pk]

    # The report lists what the job would delete (the bound shortened to now:
    # a signed-in session does not survive a fortnight's time travel).
    settings.BYLINE_ABANDONED_DRAFT_DAYS = 0
    report = admin_client.get(reverse("news_abandoned_drafts"))
    assert report.status_code == 200, report.status_code
    rows = BeautifulSoup(report.content, "html.parser").select("table tbody tr")
    assert len(rows) == 1
    assert " ".join(rows[0].get_text(" ", strip=True).split()).startswith("Half a headl")
    settings.BYLINE_ABANDONED_DRAFT_DAYS = 14

    with time_machine.travel(start + timedelta(days=15), tick=False):
        assert delete_abandoned_drafts.call() == 1

    assert not ArticlePage.objects.filter(pk=abandoned.pk).exists()
    remaining = set(ArticlePage.objects.values_list("title", flat=True))
    assert remaining == {kept_title, "Published story", "In review"}
    assert published.live


def test_the_job_is_scheduled_and_the_report_is_in_the_menu(admin_client):
    from cms.plugins.registries import PeriodicJobRegistry

    jobs = {job.name: job for job in PeriodicJobRegistry().jobs()}
    assert jobs["delete_abandoned_drafts"].schedule == "20 3 * * *"
    home = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("news_abandoned_drafts") in home
