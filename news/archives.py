"""Articles by date: /YYYY/ and /YYYY/MM/, in the newsroom's time zone.

A period that cannot exist (month 13, year 0000) or holds no articles answers
404; the links between periods skip empty months and years, so following
them never leads to one.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from . import seo
from .models import ArticlePage
from .models.pages import attach_sections, paginate

# Outside these years a local midnight may not convert to UTC; no newsroom
# publishes there anyway.
FIRST_YEAR = 1000
LAST_YEAR = 9998


@dataclass(frozen=True)
class ArchiveLink:
    label: str
    url: str
    count: int = 0


def month_url(year, month):
    return reverse("archive_month", kwargs={"year": f"{year:04d}", "month": f"{month:02d}"})


def year_url(year):
    return reverse("archive_year", kwargs={"year": f"{year:04d}"})


def _local_midnight(year, month):
    return timezone.make_aware(datetime(year, month, 1))


def period_bounds(year, month=None):
    """`(start, end)` of a year or month as aware datetimes; Http404 if it cannot exist."""
    if not FIRST_YEAR <= year <= LAST_YEAR or (month is not None and not 1 <= month <= 12):
        raise Http404("No such date")
    if month is None:
        return _local_midnight(year, 1), _local_midnight(year + 1, 1)
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    return _local_midnight(year, month), _local_midnight(next_year, next_month)


def _neighbour_dates(published, start, end):
    """Local publication dates of the nearest articles before `start` and from `end` on."""
    before = (
        published.filter(publication_date__lt=start)
        .order_by("-publication_date")
        .values_list("publication_date", flat=True)
        .first()
    )
    after = (
        published.filter(publication_date__gte=end)
        .order_by("publication_date")
        .values_list("publication_date", flat=True)
        .first()
    )
    return (
        timezone.localtime(before) if before else None,
        timezone.localtime(after) if after else None,
    )


def _render_archive(request, *, published, start, end, heading, path, extra):
    articles = paginate(
        request, published.filter(publication_date__gte=start, publication_date__lt=end)
    )
    if not articles.paginator.count:
        raise Http404("No articles in this period")
    attach_sections(articles.object_list)
    context = {
        "heading": heading,
        "articles": articles,
        "page_title": heading,
        "seo": seo.listing_metadata(
            request,
            heading,
            f"{heading}: every article {seo.site_name()} published, newest first.",
            path,
            articles,
        ),
        **extra,
    }
    return render(request, "news/archive_page.html", context)


def month_archive(request, year, month):
    year, month = int(year), int(month)
    start, end = period_bounds(year, month)
    published = ArticlePage.objects.for_listing()
    before, after = _neighbour_dates(published, start, end)
    label = date_format(start, "F Y")
    return _render_archive(
        request,
        published=published,
        start=start,
        end=end,
        heading=f"Articles from {label}",
        path=month_url(year, month),
        extra={
            "up": ArchiveLink(f"All of {year}", year_url(year)),
            "previous": before
            and ArchiveLink(date_format(before, "F Y"), month_url(before.year, before.month)),
            "next": after
            and ArchiveLink(date_format(after, "F Y"), month_url(after.year, after.month)),
        },
    )


def year_archive(request, year):
    year = int(year)
    start, end = period_bounds(year)
    published = ArticlePage.objects.for_listing()
    before, after = _neighbour_dates(published, start, end)
    counts = (
        published.filter(publication_date__gte=start, publication_date__lt=end)
        .annotate(month=TruncMonth("publication_date"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("month")
    )
    months = [
        ArchiveLink(
            date_format(row["month"], "F"),
            month_url(row["month"].year, row["month"].month),
            row["count"],
        )
        for row in counts
    ]
    return _render_archive(
        request,
        published=published,
        start=start,
        end=end,
        heading=f"Articles from {year}",
        path=year_url(year),
        extra={
            "months": months,
            "previous": before and ArchiveLink(str(before.year), year_url(before.year)),
            "next": after and ArchiveLink(str(after.year), year_url(after.year)),
        },
    )
