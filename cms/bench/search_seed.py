"""Grow a PostgreSQL benchmark database to N articles in SQL, for search at scale.

`load_demo_content --articles N` writes every article through Python (text,
StreamField, revision, search and reference index): about 1,000 articles a
minute on an idle 2-core machine, under a tenth of that on a loaded one. To
reach 100,000 articles for `manage.py bench_search --grow-to 100000`, the
articles already there (written by `load_demo_content`) are copied inside
PostgreSQL, in rounds, until the database holds N:

- each copy is a real live page under its original's section: a treebeard
  path after the section's last child, its depth and `url_path`, a slug of
  its own (`<slug>-c<id>`), a new translation key, the section's
  `numchild` raised;
- its `news_articlepage` row (standfirst, body, images), a publication date
  drawn anew between four weeks and three years ago, its bylines and tags;
- its search index entry: the original's tsvectors and texts under the new
  id, so it matches, ranks and filters exactly as a page indexed by Wagtail.

Left out, as nothing a reader or the search sees depends on them: revisions
(a copy has none; the admin edits it from its page row) and reference index
rows (the admin's "usage" counts). Copies are filler for measuring; nothing
signals their publication.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from wagtail.models import Page
from wagtail.search.models import IndexEntry

from news.models import ArticleAuthor, ArticlePage, ArticlePageTag

# The synthetic articles' dates (news.demo.synthetic): the curated demo stories,
# dated more recently, are never copied.
OLDEST_DAYS = 3 * 365
NEWEST_DAYS = 28

# treebeard's base-36 step of four characters, as Page._int2str writes it.
_BASE36_SQL = """
CREATE OR REPLACE FUNCTION pg_temp.byline_step(n bigint) RETURNS text AS $$
DECLARE
  digits text := '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  result text := '';
BEGIN
  LOOP
    result := substr(digits, (n % 36)::int + 1, 1) || result;
    n := n / 36;
    EXIT WHEN n = 0;
  END LOOP;
  RETURN lpad(result, 4, '0');
END $$ LANGUAGE plpgsql IMMUTABLE;
CREATE OR REPLACE FUNCTION pg_temp.byline_unstep(step text) RETURNS bigint AS $$
  SELECT sum((strpos('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', substr(step, i, 1)) - 1)
             * power(36, length(step) - i))::bigint
  FROM generate_series(1, length(step)) i
$$ LANGUAGE sql IMMUTABLE
"""


def live_articles():
    return ArticlePage.objects.live().count()


def _columns(model, overrides):
    """(column list, select list) of `model`'s own table, `overrides` by column."""
    names = [field.column for field in model._meta.local_concrete_fields]
    selects = [overrides.get(name, f"src.{name}") for name in names]
    return ", ".join(names), ", ".join(selects)


def _copy_round(wanted):
    """Copy up to `wanted` articles once; returns how many were copied."""
    page = Page._meta.db_table
    article = ArticlePage._meta.db_table
    article_type = ContentType.objects.get_for_model(ArticlePage).pk
    with connection.cursor() as cursor:
        cursor.execute(_BASE36_SQL)
        cursor.execute("DROP TABLE IF EXISTS byline_clone_map, byline_clone_parents")
        # Originals: synthetic articles (not copies), in path order per section.
        cursor.execute(
            f"""
            CREATE TEMP TABLE byline_clone_map ON COMMIT DROP AS
            SELECT p.id AS old_id,
                   nextval(pg_get_serial_sequence('{page}', 'id')) AS new_id,
                   substr(p.path, 1, length(p.path) - 4) AS parent_path,
                   row_number() OVER (
                       PARTITION BY substr(p.path, 1, length(p.path) - 4) ORDER BY p.path
                   ) AS position
            FROM {page} p JOIN {article} a ON a.page_ptr_id = p.id
            WHERE p.live AND p.content_type_id = %s
              AND a.publication_date < now() - interval '{NEWEST_DAYS - 1} days'
              AND p.slug !~ '-c[0-9]+$'
            ORDER BY random()
            LIMIT %s
            """,
            [article_type, wanted],
        )
        cursor.execute("SELECT count(*) FROM byline_clone_map")
        copied = cursor.fetchone()[0]
        if not copied:
            return 0
        cursor.execute(
            """
            ALTER TABLE byline_clone_map ADD COLUMN parent_id integer,
                ADD COLUMN parent_url text, ADD COLUMN first_step bigint
            """
        )
        cursor.execute(
            f"""
            UPDATE byline_clone_map m SET parent_id = s.id, parent_url = s.url_path
            FROM {page} s WHERE s.path = m.parent_path
            """
        )
        # The next free step after each section's last child (a range on the
        # path index per section, computed once per section).
        cursor.execute(
            """
            CREATE TEMP TABLE byline_clone_parents ON COMMIT DROP AS
            SELECT DISTINCT parent_path, 0::bigint AS step FROM byline_clone_map
            """
        )
        cursor.execute("SELECT parent_path FROM byline_clone_parents")
        for (parent_path,) in cursor.fetchall():
            cursor.execute(
                f"""
                UPDATE byline_clone_parents SET step = coalesce(pg_temp.byline_unstep(right((
                    SELECT max(path) FROM {page}
                    WHERE path BETWEEN %s AND %s AND depth = %s
                ), 4)), 0)
                WHERE parent_path = %s
                """,
                [f"{parent_path}0000", f"{parent_path}ZZZZ", len(parent_path) // 4 + 1]
                + [parent_path],
            )
        cursor.execute(
            """
            UPDATE byline_clone_map m SET first_step = p.step
            FROM byline_clone_parents p WHERE p.parent_path = m.parent_path
            """
        )
        cursor.execute("SELECT max(first_step + position) FROM byline_clone_map")
        if cursor.fetchone()[0] >= 36**4:
            raise RuntimeError("A section has no room left for more pages (36^4 children).")

        new_slug = "src.slug || '-c' || m.new_id"
        columns, selects = _columns(
            Page,
            {
                "id": "m.new_id",
                "path": "m.parent_path || pg_temp.byline_step(m.first_step + m.position)",
                "numchild": "0",
                "slug": new_slug,
                "url_path": f"m.parent_url || {new_slug} || '/'",
                "translation_key": "gen_random_uuid()",
                "live_revision_id": "NULL",
                "latest_revision_id": "NULL",
                "locked": "false",
                "locked_at": "NULL",
                "locked_by_id": "NULL",
                "alias_of_id": "NULL",
            },
        )
        cursor.execute(
            f"INSERT INTO {page} ({columns}) SELECT {selects} "
            f"FROM byline_clone_map m JOIN {page} src ON src.id = m.old_id"
        )
        columns, selects = _columns(
            ArticlePage,
            {
                "page_ptr_id": "m.new_id",
                "publication_date": (
                    f"now() - interval '{NEWEST_DAYS} days' - random() * "
                    f"interval '{OLDEST_DAYS - NEWEST_DAYS} days'"
                ),
            },
        )
        cursor.execute(
            f"INSERT INTO {article} ({columns}) SELECT {selects} "
            f"FROM byline_clone_map m JOIN {article} src ON src.page_ptr_id = m.old_id"
        )
        # Publishing times follow the new publication date, as the seeding sets them.
        cursor.execute(
            f"""
            UPDATE {page} p SET first_published_at = a.publication_date,
                last_published_at = a.publication_date,
                latest_revision_created_at = a.publication_date
            FROM byline_clone_map m JOIN {article} a ON a.page_ptr_id = m.new_id
            WHERE p.id = m.new_id
            """
        )
        for model, key in ((ArticleAuthor, "page_id"), (ArticlePageTag, "content_object_id")):
            table = model._meta.db_table
            names = [
                field.column for field in model._meta.local_concrete_fields if not field.primary_key
            ]
            selects = ", ".join("m.new_id" if name == key else f"src.{name}" for name in names)
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(names)}) SELECT {selects} "
                f"FROM byline_clone_map m JOIN {table} src ON src.{key} = m.old_id"
            )
        entries = IndexEntry._meta.db_table
        cursor.execute(
            f"""
            INSERT INTO {entries} (content_type_id, object_id, title_norm, autocomplete,
                                   title, body, title_text, body_text)
            SELECT src.content_type_id, m.new_id::text, src.title_norm, src.autocomplete,
                   src.title, src.body, src.title_text, src.body_text
            FROM byline_clone_map m JOIN {entries} src
              ON src.content_type_id = %s AND src.object_id = m.old_id::text
            """,
            [article_type],
        )
        cursor.execute(
            f"""
            UPDATE {page} s SET numchild = s.numchild + n.added
            FROM (SELECT parent_id, count(*) AS added FROM byline_clone_map
                  GROUP BY parent_id) n
            WHERE s.id = n.parent_id
            """
        )
    return copied


def grow_articles(target, progress=print):
    """Copy articles in SQL until `target` live articles exist; returns the count."""
    if connection.vendor != "postgresql":
        raise RuntimeError("Growing by copies is for PostgreSQL benchmark databases only.")
    current = live_articles()
    round_number = 1
    while current < target:
        with transaction.atomic():
            copied = _copy_round(min(target - current, 20_000))
        if not copied:
            raise RuntimeError(
                "No synthetic article to copy: run `manage.py load_demo_content "
                "--articles 1000` (or more) first."
            )
        current = live_articles()
        progress(f"  copied {copied} articles (round {round_number}): {current} live articles")
        round_number += 1
    if round_number > 1:
        # Fresh statistics: planned with the old ones, counting the grown archive's
        # matches took over 20 minutes instead of a fraction of a second.
        progress("  analysing the tables (ANALYZE)")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return current
