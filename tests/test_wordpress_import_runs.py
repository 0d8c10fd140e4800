"""Moving from WordPress, runs of their own: re-import, dry run, bad files and options,
the section map, missing media, the comments plugin off, and memory while streaming.

(tests/test_wordpress_import.py checks one shared import of the fixture export.)
"""

import shutil
import tracemalloc
from pathlib import Path

import pytest
from byline_comments.models import Comment
from byline_wordpress.models import ImportedObject
from byline_wordpress.sample import write_sample_export
from byline_wordpress.wxr import Item, read_export
from django.core.management import CommandError, call_command
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction, Revision

from authors.models import Author
from news.models import ArticlePage, NewsImage, NewsIndexPage
from tests.wordpress_support import EXPORT, MEDIA, run_import

pytestmark = pytest.mark.django_db


def article(slug):
    return ArticlePage.objects.get(slug=slug)


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            ArticlePage,
            NewsIndexPage,
            Author,
            NewsImage,
            Comment,
            Redirect,
            Tag,
            ImportedObject,
            Revision,
            PageViewRestriction,
        )
    }


def test_reimport_updates_in_place(tmp_path):
    run_import(str(EXPORT), "--media-dir", str(MEDIA))
    before = counts()
    dredging = article("harbour-dredging-vote")
    comment = Comment.objects.get(author_name="Waiting Reader")

    changed = tmp_path / "export.xml"
    text = EXPORT.read_text(encoding="utf-8")
    text = text.replace(
        "<title>Harbour board votes to dredge in spring</title>",
        "<title>Harbour board votes to dredge in April</title>",
    )
    text = text.replace(
        "<![CDATA[Is this still on the agenda?]]></wp:comment_content>\n"
        "\t\t\t<wp:comment_approved><![CDATA[0]]>",
        "<![CDATA[Is this still on the agenda?]]></wp:comment_content>\n"
        "\t\t\t<wp:comment_approved><![CDATA[1]]>",
    )
    changed.write_text(text, encoding="utf-8")
    output, _error = run_import(str(changed), "--media-dir", str(MEDIA))

    after = counts()
    # No duplicates: the same rows, plus one revision per imported article.
    assert {k: v for k, v in after.items() if k != "Revision"} == {
        k: v for k, v in before.items() if k != "Revision"
    }
    assert article("harbour-dredging-vote").pk == dredging.pk
    assert article("harbour-dredging-vote").title == "Harbour board votes to dredge in April"
    comment.refresh_from_db()
    assert comment.status == "approved"
    assert "posts                 0        8" in output
    assert "comments              0        8" in output


def test_dry_run_writes_nothing(settings):
    before = counts()
    output, error = run_import(str(EXPORT), "--media-dir", str(MEDIA), "--dry-run")
    assert counts() == before
    assert "Dry run summary (nothing was written):" in output
    assert "posts                 8        0" in output  # what it would have done
    media_root = Path(settings.MEDIA_ROOT)
    assert (
        not any(path.is_file() for path in media_root.rglob("*")) if media_root.exists() else True
    )


def test_malformed_xml_stops_with_the_position_and_keeps_what_came_before(tmp_path):
    text = EXPORT.read_text(encoding="utf-8")
    cut = text.index("<title>Ferry timetable for the summer</title>")
    broken = tmp_path / "broken.xml"
    broken.write_text(text[:cut] + "<title>Unclosed & broken</title>", encoding="utf-8")
    output, error = run_import(str(broken), "--media-dir", str(MEDIA))
    assert "the XML is malformed at line" in error
    assert "repair the file" in error
    assert "Summary:" in output
    # What came before the damage is imported whole, posts included.
    assert Author.objects.filter(slug="jdoe").exists()
    assert NewsImage.objects.count() == 2
    assert sorted(ArticlePage.objects.values_list("slug", flat=True)) == [
        "harbour-dredging-vote",
        "tide-gauge-readings",
    ]


def test_a_dtd_or_entities_are_refused(tmp_path):
    hostile = tmp_path / "hostile.xml"
    hostile.write_text(
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY boom "boom">]>'
        "<rss><channel><title>&boom;</title></channel></rss>",
        encoding="utf-8",
    )
    _output, error = run_import(str(hostile))
    assert "declares a DTD or entities" in error
    assert ArticlePage.objects.count() == 0


def test_not_an_export(tmp_path):
    other = tmp_path / "other.xml"
    other.write_text("<html><body>hello</body></html>", encoding="utf-8")
    _output, error = run_import(str(other))
    assert "no RSS <channel>" in error


def test_bad_arguments_say_what_to_do(tmp_path):
    with pytest.raises(CommandError, match="no such file. Export it from WordPress"):
        call_command("import_wordpress", str(tmp_path / "nope.xml"))
    with pytest.raises(CommandError, match="--media-dir .*: no such directory"):
        call_command("import_wordpress", str(EXPORT), "--media-dir", str(tmp_path / "nope"))
    bad_map = tmp_path / "map.txt"
    bad_map.write_text("local-politics politics\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 1: expected “wordpress-category = section-slug”"):
        call_command("import_wordpress", str(EXPORT), "--section-map", str(bad_map))


def test_section_map(tmp_path):
    mapping = tmp_path / "sections.txt"
    mapping.write_text(
        "# WordPress category = Byline section\n"
        "local-politics = politics\n"
        "uncategorized = news\n"
        "@pages = about-us\n",
        encoding="utf-8",
    )
    run_import(str(EXPORT), "--media-dir", str(MEDIA), "--section-map", str(mapping))
    assert article("harbour-dredging-vote").url == "/politics/harbour-dredging-vote/"
    assert article("new-rota").get_parent().slug == "news"
    assert article("about").get_parent().slug == "about-us"
    assert sorted(NewsIndexPage.objects.values_list("slug", flat=True)) == [
        "about-us",
        "news",
        "politics",
        "science",
    ]


def test_missing_media_directory_reports_every_image(tmp_path):
    output, _error = run_import(str(EXPORT))
    assert NewsImage.objects.count() == 0
    assert "(no --media-dir given)" in output
    assert article("harbour-dredging-vote").lead_image is None
    assert "its featured image (attachment 10) was not imported" in output


def test_media_dir_can_be_the_uploads_folder(tmp_path):
    uploads = tmp_path / "uploads"
    shutil.copytree(MEDIA / "wp-content" / "uploads", uploads)
    run_import(str(EXPORT), "--media-dir", str(uploads))
    assert NewsImage.objects.count() == 2


def test_without_the_comments_plugin_comments_are_reported_not_lost(monkeypatch):
    from byline_wordpress import discussion

    monkeypatch.setattr(discussion, "comments_enabled", lambda: False)
    output, _error = run_import(str(EXPORT), "--media-dir", str(MEDIA))
    assert Comment.objects.count() == 0
    assert "8 comment(s) left out: the comments plugin (byline-comments) is off" in output
    assert article("harbour-dredging-vote").live


# Streaming -----------------------------------------------------------------------------


def peak_while_reading(path):
    """Peak memory Python allocates while the export is read item by item."""
    tracemalloc.start()
    try:
        items = sum(1 for part in read_export(str(path)) if isinstance(part, Item))
        return items, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_reading_an_export_streams(tmp_path):
    """Ten times the posts, about the same memory: items are not kept once read.
    (The whole import of 1,000 and 10,000 posts is measured in the README.)"""
    small, large = tmp_path / "small.xml", tmp_path / "large.xml"
    with open(small, "w", encoding="utf-8") as handle:
        write_sample_export(handle, 30)
    with open(large, "w", encoding="utf-8") as handle:
        write_sample_export(handle, 300)
    assert large.stat().st_size > 9 * small.stat().st_size
    small_items, small_peak = peak_while_reading(small)
    large_items, large_peak = peak_while_reading(large)
    assert (small_items, large_items) == (30, 300)
    assert large_peak < 1.5 * small_peak + 64 * 1024
    # A whole-file parse would hold every post: far above the streaming peak.
    assert large_peak < large.stat().st_size / 4


# The README --------------------------------------------------------------------------


def readme_import_commands():
    """The `manage.py import_wordpress` commands of the README's WordPress section."""
    import shlex

    from tests.readme_support import fenced_blocks, read_readme

    commands = []
    for block in fenced_blocks(read_readme()):
        if block.section == "Moving from WordPress" and block.language == "sh":
            for line in block.text.replace("\\\n", " ").splitlines():
                words = shlex.split(line, comments=True)
                if words[:3] == ["python", "manage.py", "import_wordpress"]:
                    commands.append(words[3:])
    return commands


def test_readme_example_runs_as_written():
    examples = [args for args in readme_import_commands() if "tests/fixtures" in args[0]]
    assert examples, "the README's WordPress section shows no import of the test export"
    for args in examples:
        before = counts()
        output, error = run_import(*args)
        assert "Dry run summary (nothing was written):" in output
        assert "posts                 8        0        1" in output
        assert "comments              8        0" in output
        assert "2 item(s) could not be imported" in error
        assert counts() == before
