"""Synthetic articles for scale work: thousands of real, live, publishable pages.

They are spread over every section under the home page, the demo authors
and the tag vocabulary, dated between four weeks and three years ago (so the
curated stories stay on the front page), and share a small pool of images
whose renditions are made once.
"""

import random
import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from authors.models import Author
from news.models import ArticleAuthor, ArticlePage, ArticlePageTag, NewsIndexPage

from . import content
from .builder import ensure_tags
from .bulk import insert_live_articles
from .library import ImageLibrary
from .spec import Illustration
from .synthetic_text import synthetic_article

OLDEST = timedelta(days=3 * 365)
NEWEST = timedelta(days=28)

# Three archive illustrations per section: a small pool, so renditions are made once.
POOL_MOTIFS = {
    "world": ("waves", "route", "grid"),
    "politics": ("bars", "skyline", "columns"),
    "science": ("rings", "stars", "hills"),
    "culture": ("pages", "stage", "columns"),
}
MOTIF_WORDS = {
    "waves": "layered waves",
    "route": "a winding route with stops",
    "grid": "a grid of dots",
    "bars": "a bar chart",
    "skyline": "a city skyline",
    "columns": "a row of receding columns",
    "rings": "concentric rings",
    "stars": "a field of stars",
    "hills": "rolling hills",
    "pages": "overlapping pages",
    "stage": "stage lights",
}


def image_pool():
    """`{section slug: [Illustration]}` for the archive illustrations."""
    return {
        section.slug: [
            Illustration(
                title=f"Archive illustration: {MOTIF_WORDS[motif]} ({section.title})",
                alt=f"Abstract illustration of {MOTIF_WORDS[motif]} in the colours of the "
                f"{section.title} section.",
                caption="From the Courier's archive of illustrations.",
                motif=motif,
                palette=section.palette,
            )
            for motif in POOL_MOTIFS[section.slug]
        ]
        for section in content.SECTIONS
    }


class SyntheticArticles:
    """Adds `count` synthetic articles under `home`, in batches of `batch_size`."""

    def __init__(self, home, *, tally, progress=None, batch_size=500, now=None):
        self.home = home
        self.tally = tally
        self.progress = progress or (lambda done, total, elapsed: None)
        self.batch_size = batch_size
        self.now = now or timezone.now()

    def _sections(self):
        sections = list(NewsIndexPage.objects.child_of(self.home).order_by("path"))
        if not sections:
            raise LookupError("no sections")
        return sections

    def _authors(self):
        demo = list(Author.objects.filter(slug__in=[w.slug for w in content.WRITERS]))
        return demo or list(Author.objects.order_by("pk")[:50])

    def run(self, count):
        sections = self._sections()
        authors = self._authors()
        if not authors:
            raise LookupError("no authors")
        with transaction.atomic():
            tags = ensure_tags(content.TAG_VOCABULARY, self.tally)
            library = ImageLibrary(self.tally, count_kept=False)
            pool = {
                slug: [library.illustration(spec) for spec in specs]
                for slug, specs in image_pool().items()
            }
        everything = [image for images in pool.values() for image in images]
        # Sections an editor added get pictures from the whole pool.
        pictures = {section.pk: pool.get(section.slug) or everything for section in sections}

        serial = ArticlePage.objects.count() + 1
        rng = random.Random(serial)
        taken = {
            section.pk: set(section.get_children().values_list("slug", flat=True))
            for section in sections
        }
        started = time.monotonic()
        done = 0
        while done < count:
            size = min(self.batch_size, count - done)
            by_section = {}
            for _ in range(size):
                section = sections[serial % len(sections)]
                draft = self._draft(
                    rng, section, serial, authors, tags, pictures[section.pk], taken[section.pk]
                )
                by_section.setdefault(section, []).append(draft)
                serial += 1
            with transaction.atomic():
                for section, drafts in by_section.items():
                    insert_live_articles(section, drafts)
            done += size
            self.tally.created("synthetic articles", size)
            self.progress(done, count, time.monotonic() - started)
        return done

    def _draft(self, rng, section, serial, authors, tags, pictures, taken):
        words = synthetic_article(rng, section.slug)
        slug = f"{slugify(words['title'])[:70].rstrip('-')}-{serial}"
        while slug in taken:
            slug += "-x"
        taken.add(slug)
        published = self.now - timedelta(
            seconds=rng.uniform(NEWEST.total_seconds(), OLDEST.total_seconds())
        )
        byline = rng.sample(authors, 2 if len(authors) > 1 and rng.random() < 0.25 else 1)
        return ArticlePage(
            title=words["title"],
            slug=slug,
            standfirst=words["standfirst"],
            publication_date=published,
            lead_image=rng.choice(pictures),
            body=words["body"],
            article_authors=[
                ArticleAuthor(author=author, sort_order=position)
                for position, author in enumerate(byline)
            ],
            tagged_items=[ArticlePageTag(tag=tags[name]) for name in words["tags"]],
        )
