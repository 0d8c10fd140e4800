"""Article listing filters, one definition for API v2 and v3.

=====================  ====================================================
``section``            a section's id or slug
``tag``                tag slugs, comma-separated or repeated: articles with
                       any of them
``author``             author slugs, comma-separated or repeated: articles
                       by any of them
``published_after``    ISO 8601 date or date-time: published at or after it
``published_before``   ISO 8601 date or date-time: published before it
``breaking``           ``true`` or ``false``: flagged as breaking news or not
``order``              ``publication_date``, ``first_published_at``,
                       ``title`` or ``id``, ``-`` for descending,
                       comma-separated; newest first by default
=====================  ====================================================

A date without a time means midnight in the newsroom's time zone, so
``published_after=2024-01-01&published_before=2024-02-01`` is January 2024.
Every filter works together with ``search`` (each only uses indexed fields).
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from cms.api.params import InvalidParameter
from cms.visibility import snippet_visible_q

FILTER_PARAMETERS = {
    "section": "A section's id or slug.",
    "tag": "Tag slugs, comma-separated or repeated: articles with any of them.",
    "author": "Author slugs, comma-separated or repeated: articles by any of them.",
    "published_after": "ISO 8601 date or date-time: articles published at or after it.",
    "published_before": "ISO 8601 date or date-time: articles published before it.",
    "breaking": "true or false: articles flagged as breaking news, or those not flagged.",
}
ORDER_FIELDS = ("publication_date", "first_published_at", "title", "id")
DEFAULT_ORDER = ("-publication_date", "-id")


@dataclass
class ArticleFilters:
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    published_after: datetime.datetime | None = None
    published_before: datetime.datetime | None = None
    breaking: bool | None = None

    @classmethod
    def from_query(cls, query):
        """Read the filters from a QueryDict; raises InvalidParameter for bad values."""
        sections = _values(query, "section")
        if len(sections) > 1:
            raise InvalidParameter("section", "give one section")
        return cls(
            section=sections[0] if sections else None,
            tags=_values(query, "tag"),
            authors=_values(query, "author"),
            published_after=_moment(query, "published_after"),
            published_before=_moment(query, "published_before"),
            breaking=_boolean(query, "breaking"),
        )

    @property
    def active(self):
        return bool(
            self.section
            or self.tags
            or self.authors
            or self.published_after
            or self.published_before
            or self.breaking is not None
        )

    def apply(self, queryset):
        """Filter an ArticlePage queryset (one extra query when a section is given)."""
        from ..models import ArticleAuthor, ArticlePageTag, NewsIndexPage

        if self.section is not None:
            numeric = self.section.isascii() and self.section.isdigit()
            lookup = {"pk": int(self.section)} if numeric else {"slug": self.section}
            sections = list(NewsIndexPage.objects.filter(**lookup).values_list("path", "depth"))
            if not sections:
                return queryset.none()
            # path and depth are indexed for search, unlike a parent relation.
            queryset = queryset.filter(path__startswith=sections[0][0], depth=sections[0][1] + 1)
        if self.tags:
            tagged = ArticlePageTag.objects.filter(tag__slug__in=self.tags)
            queryset = queryset.filter(pk__in=tagged.values("content_object_id"))
        if self.authors:
            bylines = ArticleAuthor.objects.filter(
                snippet_visible_q("author__"), author__slug__in=self.authors
            )
            queryset = queryset.filter(pk__in=bylines.values("page_id"))
        if self.published_after is not None:
            queryset = queryset.filter(publication_date__gte=self.published_after)
        if self.published_before is not None:
            queryset = queryset.filter(publication_date__lt=self.published_before)
        if self.breaking is not None:
            queryset = queryset.filter(breaking=self.breaking)
        return queryset


def parse_order(value):
    """``-publication_date,title`` as order_by() arguments; newest first when empty."""
    if not value:
        return DEFAULT_ORDER
    ordering = []
    for item in value.split(","):
        name = item.strip().removeprefix("-")
        if name not in ORDER_FIELDS:
            allowed = ", ".join(ORDER_FIELDS)
            raise InvalidParameter("order", f"cannot order by {item!r} (one of {allowed})")
        ordering.append(item.strip())
    return tuple(ordering) + ("-id",)


def _values(query, name):
    values = []
    for raw in query.getlist(name):
        for value in raw.split(","):
            value = value.strip()
            if not value:
                raise InvalidParameter(name, "must not be empty")
            values.append(value)
    return values


_BOOLEANS = {"true": True, "false": False}


def _boolean(query, name):
    values = _values(query, name)
    if not values:
        return None
    if len(values) > 1 or values[0] not in _BOOLEANS:
        raise InvalidParameter(name, "must be true or false")
    return _BOOLEANS[values[0]]


def _moment(query, name):
    values = _values(query, name)
    if not values:
        return None
    if len(values) > 1:
        raise InvalidParameter(name, "give one date or date-time")
    value = values[0]
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is None:
                raise ValueError
            moment = datetime.datetime.combine(day, datetime.time.min)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        # Far-off dates must still convert to UTC for the database.
        moment.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        raise InvalidParameter(
            name, f"{value!r} is not an ISO 8601 date or date-time, e.g. 2024-05-01"
        ) from None
    return moment
