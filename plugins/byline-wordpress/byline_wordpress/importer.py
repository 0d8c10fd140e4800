"""The import: two streaming passes over a WXR export.

Pass 1 reads the site, users, categories, Co-Authors Plus guest authors and
attachments (so a post's featured image and co-authors exist whatever their
order in the file); pass 2 imports posts and pages, each with its comments
and old addresses in one transaction, so a failure leaves no half post.
Every object is recorded in `ImportedObject`, so a second run updates in place.
"""

import resource
import sys
from contextlib import contextmanager, nullcontext, suppress
from datetime import datetime
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import reset_queries, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import DraftStateMixin, PageViewRestriction, Site

from authors.models import Author
from news.models import ArticleAuthor, ArticlePage, NewsImage, NewsIndexPage

from . import bodies, discussion, media, people, redirects
from .models import ImportedObject, WordPressKind
from .report import ImportReport
from .wxr import Author as WxrAuthor
from .wxr import ExportError, Item, Term, read_export
from .wxr import Site as WxrSite

ARTICLE_TYPES = {"post": WordPressKind.POST, "page": WordPressKind.PAGE}
SKIPPED_STATUSES = {"trash", "auto-draft", "inherit"}
DEFAULT_SECTION = "news"
PAGES_KEY = "@pages"
FALLBACK_KEY = "*"
PROGRESS_EVERY = 100


class SectionMapError(ValueError):
    pass


def read_section_map(path):
    """{wordpress category slug: section slug} from lines "category = section".

    `@pages = about` puts WordPress pages in a section; `* = news` is for posts
    without a category. Blank lines and lines starting with # are ignored.
    """
    mapping = {}
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
            if not line:
                continue
            category, sep, section = (part.strip() for part in line.partition("="))
            if not sep or not category or not slugify(section):
                raise SectionMapError(
                    f"{path}, line {number}: expected “wordpress-category = section-slug”, "
                    f"found {line!r}"
                )
            mapping[category] = slugify(section, allow_unicode=True)
    return mapping


def peak_memory_mb():
    """Peak resident memory of this process so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


@contextmanager
def articles_not_announced():
    """Imported articles are not announced to plugins as they are published: the
    webmention/pingback plugin would notify every page that thousands of old posts
    link to, and webhooks would fire once per post."""
    from wagtail.signals import page_published

    from news.events import connect_article_events

    page_published.disconnect(sender=ArticlePage, dispatch_uid="byline-pub")
    try:
        yield
    finally:
        connect_article_events()


class DryRunRollback(Exception):
    pass


class WordPressImporter:
    def __init__(self, path, *, media_dir=None, dry_run=False, section_map=None, write=None):
        self.path = path
        self.media_dir = media_dir
        self.dry_run = dry_run
        self.section_map = section_map or {}
        self.write = write or (lambda message: None)
        self.report = ImportReport(self.write)
        self.site = WxrSite()
        self.categories = {}  # term id -> slug, and slug -> name
        self.category_names = {}
        self.sticky = []  # (publication date, article id)
        self.skipped_types = {}
        self.articles_read = 0
        self.saved_files = []  # files a dry run wrote, removed at the end
        self.embed_finders = None
        self.home = None

    # Entry point ----------------------------------------------------------------

    def run(self):
        default_site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if default_site is None:
            raise ExportError("there is no default site: run `manage.py migrate` first")
        self.home = default_site.root_page.specific
        with articles_not_announced():
            try:
                # A dry run is one transaction, rolled back; a real import commits
                # each user, image and post on its own (see _guarded).
                with transaction.atomic() if self.dry_run else nullcontext():
                    self._passes()
                    if self.dry_run:
                        raise DryRunRollback
            except DryRunRollback:
                pass
            finally:
                if self.dry_run:
                    self._remove_saved_files()
        return self.report

    def _passes(self):
        self.write("Pass 1 of 2: users, categories and attachments")
        damage = self._read(self._first_pass)
        self.write("Pass 2 of 2: posts and pages, with their comments")
        # Malformed XML stops both passes at the same place: what came before it
        # is imported whole, posts included.
        damage = self._read(self._second_pass) or damage
        for post_type, number in sorted(self.skipped_types.items()):
            self.report.count("other items", "skipped")
            self.report.warn(
                "other items",
                f"{number} item(s) of type {post_type!r} skipped: Byline has no equivalent",
            )
        self.choose_lead_story()
        if damage is not None:
            raise damage

    def _read(self, handle):
        try:
            for part in read_export(self.path):
                handle(part)
                # With DEBUG on, Django keeps the last 9,000 queries: not an import's worth.
                reset_queries()
        except ExportError as exc:
            return exc
        return None

    def _first_pass(self, part):
        if isinstance(part, WxrSite):
            self.site = part
        elif isinstance(part, WxrAuthor):
            self._guarded("users", f"user {part.login!r}", self.import_user, part)
        elif isinstance(part, Term):
            self.note_term(part)
        elif isinstance(part, Item) and part.post_type == "attachment":
            self._guarded("attachments", part.label, self.import_attachment, part)
        elif isinstance(part, Item) and part.post_type == "guest-author":
            self._guarded("users", part.label, self.import_guest_author, part)

    def _second_pass(self, part):
        if not isinstance(part, Item):
            return
        if part.post_type in ARTICLE_TYPES:
            self._guarded("posts", part.label, self.import_article, part)
            self.articles_read += 1
            if self.articles_read % PROGRESS_EVERY == 0:
                self.write(
                    f"  {self.articles_read} posts and pages read "
                    f"(peak memory {peak_memory_mb():.0f} MB)"
                )
        elif part.post_type not in {"attachment", "guest-author"}:
            self.skipped_types[part.post_type] = self.skipped_types.get(part.post_type, 0) + 1

    def _guarded(self, kind, label, function, part):
        """One item in its own transaction: an error is reported and the import goes on."""
        try:
            with transaction.atomic():
                function(part)
        except (ValidationError, ValueError, LookupError, OSError) as exc:
            message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            self.report.error(
                kind, f"{label}: {message}. Fix it in WordPress or in the file and run again."
            )

    # Helpers ----------------------------------------------------------------------

    def mapping(self, kind, wordpress_id):
        return ImportedObject.objects.filter(
            source=self.site.source, kind=kind, wordpress_id=wordpress_id
        ).first()

    def remember(self, kind, wordpress_id, obj, **fields):
        ImportedObject.objects.update_or_create(
            source=self.site.source,
            kind=kind,
            wordpress_id=wordpress_id,
            defaults={"object_id": obj.pk, **fields},
        )

    def parse_date(self, gmt, local):
        """A WordPress date: the GMT column when set, else local time in the site's zone."""
        for value, zone in ((gmt, ZoneInfo("UTC")), (local, ZoneInfo(settings.TIME_ZONE))):
            if not value or value.startswith("0000"):
                continue
            try:
                naive = datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
            except ValueError:
                continue
            return timezone.make_aware(naive, zone)
        return None

    def _remove_saved_files(self):
        for storage, name in self.saved_files:
            with suppress(OSError):
                storage.delete(name)

    # Users ----------------------------------------------------------------------

    def import_user(self, author):
        if not author.id.isdigit() and not author.login:
            raise ValueError("the user has neither wp:author_id nor wp:author_login")
        fields = people.author_fields(author.display_name, author.login, author.email, author.meta)
        self.upsert_author(WordPressKind.USER, author.id or author.login, author.login, fields)
        self.add_author_redirect(author.login)

    def import_guest_author(self, item):
        meta = item.meta
        login = meta.get("cap-user_login") or item.slug.removeprefix("cap-")
        fields = people.author_fields(
            meta.get("cap-display_name") or item.title, login, meta.get("cap-user_email", ""), meta
        )
        self.upsert_author(WordPressKind.GUEST_AUTHOR, item.post_id, login, fields)
        self.add_author_redirect(login)

    def upsert_author(self, kind, wordpress_id, login, fields):
        row = self.mapping(kind, wordpress_id)
        author = Author.objects.filter(pk=row.object_id).first() if row else None
        created = author is None
        author = author or Author()
        for name, value in fields.items():
            setattr(author, name, value)
        if created and login:
            author.slug = ""
            author.slug = (
                people.author_slug(login)
                if not Author.objects.filter(slug=people.author_slug(login)).exists()
                else author.available_slug()
            )
        author.save()
        if isinstance(author, DraftStateMixin):
            author.save_revision().publish()  # readers see published authors only
        self.remember(kind, wordpress_id, author, lookup=(login or "")[:300])
        self.report.count("users", "created" if created else "updated")
        return author

    def add_author_redirect(self, login):
        row = ImportedObject.objects.filter(
            source=self.site.source,
            kind__in=[WordPressKind.USER, WordPressKind.GUEST_AUTHOR],
            lookup=login,
        ).first()
        author = Author.objects.filter(pk=row.object_id).first() if row else None
        if author is None:
            return
        slug = people.author_slug(login)
        redirects.point(f"/author/{slug}/", link=author.url)
        redirects.point(f"/author/{slug}/feed/", link=f"{author.url}feed/")

    def authors_of(self, item):
        """The post's authors in order: Co-Authors Plus terms, else dc:creator."""
        logins = [term.slug.removeprefix("cap-") for term in item.terms_in("author")]
        logins = logins or [item.creator]
        authors = []
        for login in logins:
            if not login:
                continue
            row = ImportedObject.objects.filter(
                source=self.site.source,
                kind__in=[WordPressKind.USER, WordPressKind.GUEST_AUTHOR],
                lookup__in={login, unquote(login)},
            ).first()
            author = Author.objects.filter(pk=row.object_id).first() if row else None
            if author is None:
                self.report.warn(
                    "posts",
                    f"{item.label}: author {login!r} is not among the export's users; an "
                    "author of that name was created (complete it under Snippets > Authors)",
                )
                fields = people.author_fields(login, login, "", {})
                author = self.upsert_author(WordPressKind.USER, f"login:{login}", login, fields)
            if author not in authors:
                authors.append(author)
        return authors

    # Categories and tags ----------------------------------------------------------

    def note_term(self, term):
        if term.taxonomy == "category" and term.slug:
            self.categories[term.term_id] = term.slug
            self.category_names[term.slug] = term.name

    def section_slug(self, item):
        if item.post_type == "page":
            return self.section_map.get(PAGES_KEY, "pages"), "Pages"
        categories = item.terms_in("category")
        primary = self.categories.get(item.meta.get("_yoast_wpseo_primary_category", ""))
        if primary is None and categories:
            primary = categories[0].slug
        if primary is None:
            return self.section_map.get(FALLBACK_KEY, DEFAULT_SECTION), "News"
        name = next((c.name for c in categories if c.slug == primary), "")
        name = name or self.category_names.get(primary, primary)
        return self.section_map.get(primary, slugify(unquote(primary), allow_unicode=True)), name

    def section_for(self, item):
        slug, title = self.section_slug(item)
        slug = slug or DEFAULT_SECTION
        if slug.isdigit():  # /2024/ is the year archive
            slug = f"section-{slug}"
        section = NewsIndexPage.objects.child_of(self.home).filter(slug=slug).first()
        if section is None:
            section = NewsIndexPage(
                title=title or slug.replace("-", " ").title(),
                slug=slug,
                show_in_menus=item.post_type != "page",
            )
            self.home.add_child(instance=section)
            section.save_revision().publish()
            self.report.count("sections", "created")
        if item.post_type == "post":
            for category in item.terms_in("category"):
                if self.section_map.get(category.slug, slugify(category.slug)) == slug:
                    redirects.point(f"/category/{category.slug}/", page=section)
                    redirects.point(
                        f"/category/{category.slug}/feed/", link=f"/sections/{section.slug}/feed/"
                    )
        return section

    def tags_for(self, item, section):
        """Tags, and the categories that did not become the section (as tags)."""
        terms = item.terms_in("post_tag") + [
            term
            for term in item.terms_in("category")
            if slugify(self.section_map.get(term.slug, term.slug)) != section.slug
        ]
        tags = []
        for term in terms:
            name = (term.name or term.slug)[:100]
            slug = slugify(unquote(term.slug or name), allow_unicode=True)[:100] or slugify(name)
            tag = Tag.objects.filter(slug=slug).first() or Tag.objects.filter(name=name).first()
            if tag is None:
                tag = Tag.objects.create(name=name, slug=slug)
                self.report.count("tags", "created")
            prefix = "tag" if term.domain == "post_tag" else "category"
            redirects.point(f"/{prefix}/{term.slug}/", link=f"/tags/{tag.slug}/")
            redirects.point(f"/{prefix}/{term.slug}/feed/", link=f"/tags/{tag.slug}/feed/")
            if tag not in tags:
                tags.append(tag)
        return tags

    # Attachments ------------------------------------------------------------------

    def import_attachment(self, item):
        if not item.post_id.isdigit():
            raise ValueError("the attachment has no numeric wp:post_id")
        if not media.is_image(item):
            self.report.count("attachments", "skipped")
            self.report.warn(
                "attachments",
                f"{item.label}: {item.attachment_url} is not an image; only images are "
                "imported (upload it under Documents if it is still needed)",
            )
            return
        row = self.mapping(WordPressKind.ATTACHMENT, item.post_id)
        image = NewsImage.objects.filter(pk=row.object_id).first() if row else None
        path = media.find_file(
            self.media_dir, item.attachment_url, item.meta.get("_wp_attached_file", "")
        )
        if path is None:
            self.report.count("attachments", "skipped")
            where = f"in {self.media_dir}" if self.media_dir else "(no --media-dir given)"
            self.report.warn(
                "attachments",
                f"{item.label}: file {media.upload_path(item.attachment_url)} not found {where}; "
                "copy wp-content/uploads there and run the import again",
            )
            return
        media.check_image(path)
        created = image is None
        image = image or NewsImage()
        for name, value in media.attachment_metadata(item).items():
            setattr(image, name, value)
        new_hash = media.file_hash(path)
        if created or image.file_hash != new_hash:
            if not created:
                image.file.delete(save=False)
            image.file = media.image_file(path)
            image.file_hash = new_hash
            image.file_size = None
            image.width = image.height = None
            image.save()
            image.file.close()
            if self.dry_run:
                self.saved_files.append((image.file.storage, image.file.name))
        else:
            image.save()
        self.remember(
            WordPressKind.ATTACHMENT,
            item.post_id,
            image,
            lookup=media.lookup_key(item.attachment_url),
            parent_wordpress_id=item.post_parent if item.post_parent != "0" else "",
            old_url=redirects.path_of(item.link)[:500],
        )
        # The attachment page: to its post once that is imported, else to the file.
        if item.post_parent in {"", "0"}:
            for old_path in (redirects.path_of(item.link), f"/?attachment_id={item.post_id}"):
                redirects.point(old_path, link=image.file.url)
        self.report.count("attachments", "created" if created else "updated")

    def resolve_image(self, attachment_id, url):
        rows = ImportedObject.objects.filter(source=self.site.source, kind=WordPressKind.ATTACHMENT)
        row = rows.filter(wordpress_id=attachment_id).first() if attachment_id else None
        if row is None and url:
            row = rows.filter(lookup=media.lookup_key(url)).first()
        if row is None or not NewsImage.objects.filter(pk=row.object_id).exists():
            return None
        return row.object_id

    def accepts_embed(self, url):
        from wagtail.embeds.finders import get_finders

        if self.embed_finders is None:
            self.embed_finders = get_finders()
        return any(finder.accept(url) for finder in self.embed_finders)

    # Posts and pages -----------------------------------------------------------

    def body_context(self, item):
        stream_block = ArticlePage._meta.get_field("body").stream_block
        names = set(stream_block.child_blocks)
        separator = None
        if "separator" in names:
            block = stream_block.child_blocks["separator"]
            separator = block.get_prep_value(block.get_default())
        return bodies.BodyContext(
            resolve_image=self.resolve_image,
            accepts_embed=self.accepts_embed,
            warn=lambda message: self.report.warn("posts", f"{item.label}: {message}"),
            block_names=names,
            separator_value=separator,
        )

    def import_article(self, item):
        if not item.post_id.isdigit():
            raise ValueError("the item has no numeric wp:post_id")
        if item.status in SKIPPED_STATUSES:
            self.report.count("posts", "skipped")
            return
        publication_date = self.parse_date(item.post_date_gmt, item.post_date)
        if publication_date is None:
            raise ValueError(f"no readable date (wp:post_date {item.post_date!r})")
        if not item.title.strip():
            raise ValueError("it has no title; give it one in WordPress")
        kind = ARTICLE_TYPES[item.post_type]
        row = self.mapping(kind, item.post_id)
        page = ArticlePage.objects.filter(pk=row.object_id).first() if row else None
        created = page is None
        section = self.section_for(item)
        blocks = bodies.convert_body(item.content, self.body_context(item))
        excerpt = " ".join(discussion.plain_text(item.excerpt).split())
        if len(excerpt) > 400:
            self.report.warn("posts", f"{item.label}: the excerpt was shortened to 400 characters")
            excerpt = excerpt[:399].rsplit(" ", 1)[0] + "…"
        standfirst = excerpt or bodies.plain_text(blocks, 400) or item.title[:400]

        slug = slugify(unquote(item.slug or item.title), allow_unicode=True)[:255] or "article"
        siblings = ArticlePage.objects.child_of(section)
        if page is not None:
            siblings = siblings.exclude(pk=page.pk)
        if siblings.filter(slug=slug).exists():
            base, number = slug[:245], 2
            while siblings.filter(slug=f"{base}-{number}").exists():
                number += 1
            self.report.warn(
                "posts",
                f"{item.label}: slug {slug!r} is taken in {section.title}; it became "
                f"{base}-{number}",
            )
            slug = f"{base}-{number}"

        page = page or ArticlePage(live=False)
        page.title = item.title.strip()[:255]
        page.slug = slug
        page.standfirst = standfirst
        page.publication_date = publication_date
        page.body = blocks
        page.lead_image_id = self.lead_image_id(item)
        page.article_authors = [
            ArticleAuthor(author=author, sort_order=position)
            for position, author in enumerate(self.authors_of(item))
        ]
        page.tags.set(self.tags_for(item, section))
        if created:
            section.add_child(instance=page)
            self.remember(kind, item.post_id, page)
        elif page.get_parent().pk != section.pk:
            page.save_revision()
            page.move(section, pos="last-child")
            page = ArticlePage.objects.get(pk=page.pk)
        self.publish(item, page)
        for old_path in redirects.article_paths(item, self.parse_date("", item.post_date)):
            redirects.point(old_path, page=page)
        self.attachment_redirects(item, page)
        self.import_comments(item, page)
        if item.sticky and item.status == "publish" and item.post_type == "post":
            self.sticky.append((publication_date, page.pk))
        self.report.count("posts", "created" if created else "updated")

    def lead_image_id(self, item):
        thumbnail = item.meta.get("_thumbnail_id", "")
        if not thumbnail:
            return None
        image_id = self.resolve_image(thumbnail, "")
        if image_id is None:
            self.report.warn(
                "posts",
                f"{item.label}: its featured image (attachment {thumbnail}) was not imported; "
                "it has no lead image",
            )
        return image_id

    def publish(self, item, page):
        revision = page.save_revision(log_action=True)
        PageViewRestriction.objects.filter(page=page).delete()
        status = item.status
        if status in {"publish", "future", "private"}:
            revision.publish(log_action=True)
            if status == "private":
                PageViewRestriction.objects.create(
                    page=page, restriction_type=PageViewRestriction.LOGIN
                )
            elif item.password:
                PageViewRestriction.objects.create(
                    page=page, restriction_type=PageViewRestriction.PASSWORD, password=item.password
                )
            return
        if page.live:
            page.unpublish()
        if status == "pending":
            workflow = page.get_workflow()
            if workflow is None:
                self.report.warn(
                    "posts",
                    f"{item.label}: pending review in WordPress, but no moderation workflow "
                    "covers it here; it was saved as a draft",
                )
            elif not page.workflow_in_progress:
                workflow.start(page, None)
        elif status != "draft":
            self.report.warn(
                "posts", f"{item.label}: unknown status {status!r}; it was saved as a draft"
            )

    def attachment_redirects(self, item, page):
        rows = ImportedObject.objects.filter(
            source=self.site.source,
            kind=WordPressKind.ATTACHMENT,
            parent_wordpress_id=item.post_id,
        )
        for row in rows:
            redirects.point(row.old_url, page=page)
            redirects.point(f"/?attachment_id={row.wordpress_id}", page=page)

    def import_comments(self, item, page):
        if not item.comments:
            return
        if not discussion.comments_enabled():
            for _comment in item.comments:
                self.report.count("comments", "skipped")
            self.report.warn(
                "comments",
                f"{item.label}: {len(item.comments)} comment(s) left out: the comments "
                "plugin (byline-comments) is off. Enable it and run the import again.",
            )
            return
        discussion.import_comments(item, page, self.site.source, self.parse_date, self.report)

    # The front page ---------------------------------------------------------------

    def choose_lead_story(self):
        if not self.sticky:
            return
        self.sticky.sort()
        _date, article_id = self.sticky[-1]
        home = type(self.home).objects.get(pk=self.home.pk)
        if not hasattr(home, "lead_story_id"):
            self.report.warn("posts", "the site's root page has no lead story; sticky ignored")
            return
        if home.lead_story_id != article_id:
            home.lead_story_id = article_id
            home.save_revision().publish()
        if len(self.sticky) > 1:
            self.report.warn(
                "posts",
                f"{len(self.sticky)} sticky posts: the newest leads the front page, the others "
                "are ordinary articles",
            )
