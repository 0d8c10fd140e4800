"""Feed URLs: each scope's feed at `<scope>/feed/` (RSS), `feed/atom/` and `feed/json/`.

Sections use `sections/<slug>/feed/` rather than the section page's own URL
plus `feed/`: a route under a section's address would shadow an article whose
slug is "feed", and serving it from the page would need a Wagtail route on
the page model. The prefix matches `authors/<slug>/` and `tags/<slug>/`.
"""

from django.urls import path

from .formats import FEED_FORMATS
from .views import AuthorFeed, SectionFeed, SiteFeed, TagFeed

app_name = "feeds"

SCOPES = (
    ("site", "", SiteFeed),
    ("section", "sections/<str:slug>/", SectionFeed),
    ("author", "authors/<str:slug>/", AuthorFeed),
    ("tag", "tags/<str:slug>/", TagFeed),
)

urlpatterns = [
    path(f"{prefix}feed/{fmt.path}", feed_class(fmt.generator), name=f"{scope}_{fmt.name}")
    for scope, prefix, feed_class in SCOPES
    for fmt in FEED_FORMATS
]
