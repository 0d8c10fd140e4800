"""Writer, Editor and Moderator roles and the "Editorial review" workflow (news migration 0005)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.text import slugify
from wagtail.models import (
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowContentType,
    WorkflowState,
)
from wagtail.test.utils.form_data import inline_formset

from news.models import ArticlePage
from tests.api_support import token_for
from tests.factories import make_article, make_author, make_section
from tests.factories import make_member as member
from tests.test_admin import article_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom():
    section = make_section("City")
    return {"section": section, "author": make_author("Ada Reporter")}


def create_article(client, section, author, title, **actions):
    url = reverse("wagtailadmin_pages:add", args=["news", "articlepage", section.pk])
    return client.post(url, article_form(author, title=title, slug=slugify(title), **actions))


def test_the_migration_creates_three_groups_and_the_review_workflow():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Writer", "Editor", "Moderator"} <= names
    root = Page.objects.get(depth=1)
    rights = {
        (p.group.name, p.permission.codename)
        for p in GroupPagePermission.objects.filter(page=root).select_related("group", "permission")
    }
    assert ("Writer", "add_page") in rights and ("Writer", "publish_page") not in rights
    assert {("Editor", f"{kind}_page") for kind in ("add", "change", "publish")} <= rights
    assert not any(group == "Moderator" for group, _ in rights)
    workflow = Workflow.objects.get(name="Editorial review")
    task = workflow.tasks.get().specific
    assert task.name == "Editorial review"
    assert list(task.groups.values_list("name", flat=True)) == ["Editor"]
    assert root.get_workflow() == workflow
    author_type = WorkflowContentType.objects.get(content_type__model="author")
    assert author_type.workflow == workflow


def test_a_writer_drafts_and_submits_but_cannot_publish(client, newsroom):
    client.force_login(member("Writer"))
    create_article(
        client, newsroom["section"], newsroom["author"], "Tram fares", **{"action-publish": "1"}
    )
    article = ArticlePage.objects.get(title="Tram fares")
    assert not article.live and article.first_published_at is None
    assert client.get(article.url or "/none/").status_code == 404

    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    byline = article.article_authors.get()
    form = article_form(
        newsroom["author"],
        title="Tram fares",
        slug="tram-fares",
        article_authors=inline_formset(
            [{"id": byline.pk, "author": newsroom["author"].pk}], initial=1
        ),
        **{"action-submit": "1"},
    )
    assert client.post(edit_url, form).status_code == 302
    state = WorkflowState.objects.get(object_id=str(article.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "Editorial review"
    article.refresh_from_db()
    assert not article.live
    # The writer cannot approve their own submission.
    approve = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[article.pk, "approve", state.current_task_state.pk],
    )
    assert client.post(approve, {"comment": "Fine by me"}).status_code in (302, 403)
    article.refresh_from_db()
    assert not article.live


def test_an_editor_reviews_with_a_comment_and_the_article_goes_live(client, newsroom):
    writer, editor = member("Writer"), member("Editor")
    client.force_login(writer)
    create_article(
        client, newsroom["section"], newsroom["author"], "Bridge works", **{"action-submit": "1"}
    )
    article = ArticlePage.objects.get(title="Bridge works")
    state = WorkflowState.objects.get(object_id=str(article.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    client.force_login(editor)
    approve = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[article.pk, "approve", state.current_task_state.pk],
    )
    response = client.post(approve, {"comment": "Checked the figures with the council."})
    assert response.status_code in (200, 302)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    task_state = state.task_states.get()
    assert task_state.comment == "Checked the figures with the council."
    assert task_state.finished_by == editor
    article.refresh_from_db()
    assert article.live
    assert "Bridge works" in client.get(article.url).content.decode()


def test_publishing_through_api_v3_needs_the_editor_role(client, newsroom):
    article = make_article(newsroom["section"], title="Harbour dues", publish=False)
    article.save_revision()
    url = f"/api/v3/pages/{article.pk}/actions/publish/"
    writer_token = token_for(member("Writer"))
    response = client.post(url, headers={"authorization": f"Bearer {writer_token}"})
    assert response.status_code == 403
    article.refresh_from_db()
    assert not article.live

    editor_token = token_for(member("Editor"))
    response = client.post(url, headers={"authorization": f"Bearer {editor_token}"})
    assert response.status_code == 200, response.content
    article.refresh_from_db()
    assert article.live


def test_per_section_permissions_keep_a_writer_to_their_section(client, newsroom):
    from django.contrib.auth.models import Permission

    sport = make_section("Sport")
    sport_writers = Group.objects.create(name="Sport writers")
    sport_writers.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=sport_writers, page=sport, permission=Permission.objects.get(codename="add_page")
    )
    user = get_user_model().objects.create_user("sportswriter", first_name="S", last_name="W")
    user.groups.add(sport_writers)
    client.force_login(user)
    create_article(client, sport, newsroom["author"], "Derby day")
    assert ArticlePage.objects.filter(title="Derby day").exists()
    response = create_article(client, newsroom["section"], newsroom["author"], "City hall")
    assert response.status_code in (302, 403)
    assert not ArticlePage.objects.filter(title="City hall").exists()


def test_a_moderator_signs_in_but_cannot_edit_or_publish_pages(client, newsroom):
    article = make_article(newsroom["section"], title="Moderated story")
    client.force_login(member("Moderator"))
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    assert edit.status_code in (302, 403)
    response = create_article(client, newsroom["section"], newsroom["author"], "Sneaky")
    assert response.status_code in (302, 403)
    assert not ArticlePage.objects.filter(title="Sneaky").exists()
    authors = client.get(reverse("wagtailsnippets_authors_author:add"))
    assert authors.status_code in (302, 403)


def test_a_writer_cannot_publish_an_author(client):
    client.force_login(member("Writer"))
    from tests.test_admin import author_form

    client.post(
        reverse("wagtailsnippets_authors_author:add"), author_form(**{"action-publish": "1"})
    )
    from authors.models import Author

    author = Author.objects.get(name="Ines Duarte")
    assert not author.live
    assert client.get("/authors/ines-duarte/").status_code == 404


def test_a_moderator_moderates_reader_comments_and_a_writer_does_not(client):
    # The comments plugin's own migration gives Moderator (and Editor) the comment
    # permissions; core names no plugin.
    queue = reverse("byline_comments_comment:list")
    client.force_login(member("Moderator"))
    assert client.get(queue).status_code == 200
    client.force_login(member("Writer"))
    assert client.get(queue).status_code in (302, 403)
