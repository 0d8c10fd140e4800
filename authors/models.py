"""The Author snippet: the people in bylines and author boxes."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PublishingPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model_string
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from cms.api.fields import ModelAPIFields
from cms.visibility import is_snippet_visible

from .blocks import ProfileLinkBlock


class Author(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    models.Model,
):
    """A journalist. Drafts stay private: readers see an author only once published.

    Wagtail's snippet machinery gives authors what pages have: "Save draft"
    and autosave write revisions, "Publish" (or a schedule) makes the
    published version the one readers see (``cms.visibility``), and the admin
    offers locking, revisions with compare and revert, and workflows.
    """

    name = models.CharField(max_length=120)
    slug = models.SlugField(
        "web address",
        max_length=120,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="The last part of the author page's address. Leave blank to make it "
        "from the name.",
    )
    role = models.CharField(
        max_length=160,
        blank=True,
        help_text='A line under the name, e.g. "Editor of the science desk".',
    )
    short_bio = models.TextField(
        max_length=600, blank=True, help_text="Two or three sentences for the author box."
    )
    long_bio = RichTextField(
        blank=True,
        features=["bold", "italic", "link", "document-link", "ol", "ul"],
        help_text="The full biography on the author's page.",
    )
    portrait = models.ForeignKey(
        get_image_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    profile_links = StreamField(
        [("link", ProfileLinkBlock())], blank=True, help_text="Mastodon, Bluesky, website..."
    )
    email = models.EmailField(blank=True, help_text="Private: never shown to readers.")

    # Wagtail's draft-state and locking flags, redeclared with database
    # defaults: during a rolling deploy the previous release's INSERTs leave
    # them out (tests/test_migrations_safe.py). An author made in code is live.
    live = models.BooleanField("live", default=True, db_default=True, editable=False)
    has_unpublished_changes = models.BooleanField(
        "has unpublished changes", default=False, db_default=False, editable=False
    )
    expired = models.BooleanField("expired", default=False, db_default=False, editable=False)
    locked = models.BooleanField("locked", default=False, db_default=False, editable=False)

    # As Wagtail advises for snippets with revisions and workflows: deleting
    # an author deletes its revisions and workflow states too.
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="author")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="author",
        for_concrete_model=False,
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("slug"), FieldPanel("role")], heading="Identity"
        ),
        FieldPanel("portrait"),
        FieldPanel("short_bio"),
        FieldPanel("long_bio"),
        FieldPanel("profile_links"),
        FieldPanel("email"),
        # The "Set schedule" dialog: go-live and expiry times.
        PublishingPanel(),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("role"),
        index.AutocompleteField("role"),
        index.SearchField("short_bio"),
        index.FilterField("slug"),
        # Searches of published authors only (cms.visibility) filter on these.
        index.FilterField("live"),
        index.FilterField("go_live_at"),
        index.FilterField("expire_at"),
    ]

    # What the API shows (never the email); see authors/api/fields.py.
    api_fields = ModelAPIFields("authors.api.fields.author_api_fields")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.available_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("author_detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        # Filled in here as well as in save(): the admin preview validates the
        # form without saving, and its author page link needs a slug.
        if not self.slug:
            self.slug = self.available_slug()

    def available_slug(self):
        """A slug from the name, numbered when another author already has it."""
        base = slugify(self.name, allow_unicode=True)[:110] or "author"
        taken = set(
            Author.objects.exclude(pk=self.pk)
            .filter(slug__startswith=base)
            .values_list("slug", flat=True)
        )
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        return slug

    @property
    def is_visible(self):
        """Whether readers may see this author now (published, inside its schedule)."""
        return is_snippet_visible(self)

    @property
    def revisions(self):
        return self._revisions

    @property
    def url(self):
        return self.get_absolute_url()

    def get_preview_template(self, request, mode_name):
        return "authors/author_preview.html"

    def get_preview_context(self, request, mode_name):
        return {"author": self, "page_title": self.name}

    @property
    def mastodon_link(self):
        return next(
            (link.value for link in self.profile_links if link.value.get("service") == "mastodon"),
            None,
        )
