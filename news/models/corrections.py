"""Corrections and updates: the dated notes an article carries once it has changed.

Editors add them in the article's editor (an inline list, Wagtail's Orderable);
they are published with the article, shown to readers at the top of the page,
given to API clients and to search engines (schema.org ``correction``), and
the newest one dates the article's last change (``news.seo.article_modified_time``).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from ..dates import format_publication_datetime, machine_datetime

NOTE_MAX_LENGTH = 1000


class ArticleCorrection(Orderable):
    """One dated correction or update note on an article."""

    CORRECTION = "correction"
    UPDATE = "update"
    KIND_CHOICES = [
        (CORRECTION, "Correction: the article got something wrong"),
        (UPDATE, "Update: the story has moved on"),
    ]

    page = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="corrections")
    noted_at = models.DateTimeField(
        "date and time",
        default=timezone.now,
        help_text="When the change was made. Shown to readers next to the note.",
    )
    kind = models.CharField(max_length=20, choices=KIND_CHOICES, default=CORRECTION)
    note = models.TextField(
        max_length=NOTE_MAX_LENGTH,
        # A TextField's max_length only limits the form: the API and code are held to it too.
        validators=[MaxLengthValidator(NOTE_MAX_LENGTH)],
        help_text="What changed, in a sentence or two, e.g. “An earlier version of this "
        "article gave the wrong date for the vote.”",
    )

    panels = [FieldPanel("kind"), FieldPanel("noted_at"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = "correction or update"
        verbose_name_plural = "corrections and updates"

    def __str__(self):
        return f"{self.label} {self.noted_at:%Y-%m-%d}"

    def clean(self):
        super().clean()
        if self.noted_at is not None and self.noted_at > timezone.now():
            raise ValidationError(
                {"noted_at": "A correction cannot be dated in the future: use today's date."}
            )

    @property
    def label(self):
        """'Correction' or 'Update', as readers see it."""
        return "Update" if self.kind == self.UPDATE else "Correction"

    @property
    def noted_display(self):
        return format_publication_datetime(self.noted_at)

    @property
    def noted_iso(self):
        return machine_datetime(self.noted_at)


def newest_first(corrections):
    """`corrections` (loaded already, or an article's in-memory preview rows) newest first."""
    return sorted(
        (c for c in corrections if c.noted_at is not None),
        key=lambda c: (c.noted_at, c.pk or 0),
        reverse=True,
    )
