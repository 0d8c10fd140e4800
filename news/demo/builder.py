"""Puts the curated demo site in the database, keeping whatever is already there.

Everything is found by its slug (sections, authors, articles), tag name or
image title before anything is made, so a second run adds nothing, and an
editor's changes to demo content are never overwritten: an item that exists
is left exactly as it is. Pages go through Wagtail's own `add_child()` and
`publish()`, so they have revisions and log entries like pages made in the
admin; search and reference indexing happen once per object at the end.
"""

import uuid

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from taggit.models import Tag

from authors.models import Author
from home.models import HomePage
from news.models import ArticleAuthor, ArticleCorrection, ArticlePage, NewsIndexPage

from . import content
from .indexing import index_objects, indexing_paused
from .library import ImageLibrary
from .signals import demo_site_built


def ensure_tags(names, tally):
    """`{name: Tag}` for `names`, matching existing tags whatever their case."""
    matches = Q()
    for name in names:
        matches |= Q(name__iexact=name)
    existing = {tag.name.lower(): tag for tag in Tag.objects.filter(matches)} if names else {}
    tags = {}
    for name in names:
        tag = existing.get(name.lower())
        if tag is None:
            tag = Tag.objects.create(name=name)
            tally.created("tags")
        else:
            tally.kept("tags")
        tags[name] = tag
    return tags


class DemoSiteBuilder:
    def __init__(self, home, tally, *, now=None):
        self.home = home
        self.tally = tally
        self.now = now or timezone.now()
        self.created_objects = []

    def build(self):
        """Build (or complete) the demo site in one transaction; returns the
        demo articles by slug, whether made now or found."""
        with transaction.atomic():
            with indexing_paused():
                self.images = ImageLibrary(self.tally)
                sections = self._sections()
                authors = self._authors()
                tags = ensure_tags(content.TAG_VOCABULARY, self.tally)
                articles = self._articles(sections, authors, tags)
                self._home_page(articles)
                demo_site_built.send(
                    sender=type(self),
                    articles=articles,
                    lead_slug=content.LEAD_STORY_SLUG,
                    now=self.now,
                    tally=self.tally,
                )
            index_objects(self.images.created + self.created_objects)
        return articles

    # Sections ---------------------------------------------------------------------

    def _sections(self):
        children = list(self.home.get_children().specific())
        by_slug = {page.slug: page for page in children}
        # An editor may have changed a demo section's slug: its title still matches.
        by_title = {
            page.title.casefold(): page for page in children if isinstance(page, NewsIndexPage)
        }
        sections = {}
        for spec in content.SECTIONS:
            page = by_slug.get(spec.slug) or by_title.get(spec.title.casefold())
            if page is None:
                page = NewsIndexPage(
                    title=spec.title, slug=spec.slug, introduction=spec.introduction
                )
                self.home.add_child(instance=page)
                page.save_revision().publish()
                self.created_objects.append(page)
                self.tally.created("sections")
            elif isinstance(page, NewsIndexPage):
                self.tally.kept("sections")
            else:
                self.tally.note(
                    f"Section “{spec.title}” and its articles were skipped: the address "
                    f"/{spec.slug}/ belongs to the page “{page.title}”."
                )
                continue
            sections[spec.slug] = page
        return sections

    # Authors ----------------------------------------------------------------------

    def _authors(self):
        existing = Author.objects.in_bulk([w.slug for w in content.WRITERS], field_name="slug")
        authors = {}
        for writer in content.WRITERS:
            # By slug, or by name if an editor changed the slug.
            author = (
                existing.get(writer.slug)
                or Author.objects.filter(name__iexact=writer.name).order_by("pk").first()
            )
            if author is not None:
                self.tally.kept("authors")
            else:
                author = Author(
                    name=writer.name,
                    slug=writer.slug,
                    role=writer.role,
                    short_bio=writer.short_bio,
                    long_bio=writer.long_bio,
                    email=writer.email,
                    portrait=self.images.portrait(writer),
                    profile_links=[
                        {"type": "link", "value": {"service": link.service, "url": link.url}}
                        for link in writer.links
                    ],
                )
                author.save()
                author.save_revision()
                self.created_objects.append(author)
                self.tally.created("authors")
            authors[writer.slug] = author
        return authors

    # Articles ---------------------------------------------------------------------

    def _articles(self, sections, authors, tags):
        articles = {}
        # Found anywhere on the site: an editor may have moved a demo article.
        for page in (
            ArticlePage.objects.descendant_of(self.home)
            .filter(slug__in=[story.slug for story in content.STORIES])
            .order_by("path")
        ):
            articles.setdefault(page.slug, page)
        for story in content.STORIES:
            if story.slug in articles:
                self.tally.kept("articles")
                continue
            section = sections.get(story.section)
            if section is None:
                continue
            articles[story.slug] = self._create_article(story, section, authors, tags, articles)
            self.tally.created("articles")
        return articles

    def _create_article(self, story, section, authors, tags, articles):
        published = self.now - story.age
        article = ArticlePage(
            title=story.title,
            slug=story.slug,
            standfirst=story.standfirst,
            publication_date=published,
            first_published_at=published,
            search_description=story.search_description,
            lead_image=self.images.illustration(story.lead_image),
            lead_image_caption=story.lead_image_caption,
            body=self._stream_data(story.body, articles),
            article_authors=[
                ArticleAuthor(author=authors[slug], sort_order=position)
                for position, slug in enumerate(story.authors)
            ],
        )
        article.corrections = [
            ArticleCorrection(kind=kind, noted_at=self.now - age, note=note, sort_order=position)
            for position, (kind, age, note) in enumerate(story.corrections)
        ]
        article.tags.add(*(tags[name] for name in story.tags))
        section.add_child(instance=article)
        article.save_revision().publish()
        self.created_objects.append(article)
        return article

    def _stream_data(self, blocks, articles):
        """The raw StreamField data of a body, with images and related articles as ids."""
        data = []
        for block_type, value in blocks:
            if block_type == "image":
                value = {**value, "image": self.images.illustration(value["image"]).pk}
            elif block_type == "related_article":
                target = articles.get(value["article"])
                if target is None:
                    continue
                value = {**value, "article": target.pk}
            data.append({"type": block_type, "value": value, "id": str(uuid.uuid4())})
        return data

    # Home page --------------------------------------------------------------------

    def _home_page(self, articles):
        home = HomePage.objects.get(pk=self.home.pk)
        changes = {}
        if not home.tagline:
            changes["tagline"] = content.SITE_TAGLINE
        lead = articles.get(content.LEAD_STORY_SLUG)
        if home.lead_story_id is None and lead is not None:
            changes["lead_story"] = lead
        if not changes:
            self.tally.kept("home page settings")
            return
        if home.has_unpublished_changes:
            self.tally.kept("home page settings")
            self.tally.note(
                "The home page has unpublished changes, so its tagline and lead story were "
                "left alone."
            )
            return
        for name, value in changes.items():
            setattr(home, name, value)
        home.save_revision().publish()
        self.created_objects.append(home)
        self.tally.created("home page settings")
