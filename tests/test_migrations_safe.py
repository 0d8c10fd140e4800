"""Migrations are safe to run while the previous release still serves (README "Deployment").

In a rolling deploy, `migrate` runs first and the old code keeps answering on the
new schema until every server has restarted. django-migration-linter reads the SQL
of every migration of Byline's own apps and plugins and fails on what breaks the
old code: dropping or renaming a column or table, or adding a NOT NULL column
without a database default (the old code's INSERTs leave it out). Such a change
ships in two releases instead (README "Zero-downtime deploys").
"""

import pytest
from django.apps import apps
from django.conf import settings
from django_migration_linter import MigrationLinter

# Migrations released before this check, each unsafe for a rolling deploy across it
# (a NOT NULL column with only a Django-side default). Never add to this list: write
# the migration in two steps, or give the column a `db_default`.
RELEASED_BEFORE_THE_CHECK = {
    ("news", "0002_seo_fields"),
    ("byline_mentions", "0002_queue_bookkeeping"),
}


def byline_apps():
    """Labels of the apps whose code lives in this repository (not in site-packages)."""
    root = str(settings.BASE_DIR)
    return sorted(
        config.label
        for config in apps.get_app_configs()
        if config.path.startswith(root) and "site-packages" not in config.path
    )


# serialized_rollback: a plain transactional test's flush re-creates content types with
# new ids, which the serialized-rollback tests after it cannot load over.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_migration_is_safe_for_a_rolling_deploy(capsys):
    from django.db import connection

    if connection.vendor != "postgresql":
        # Rolling deploys are the scaled-out layout's, on PostgreSQL (CI runs this there);
        # SQLite rebuilds the table for any new column, so a db_default reads as unsafe.
        pytest.skip("rolling deploys run on PostgreSQL (the suite's PostgreSQL run checks)")
    linter = MigrationLinter(
        include_apps=byline_apps(),
        ignore_name=[name for _, name in RELEASED_BEFORE_THE_CHECK],
        no_cache=True,
        # Creating tables is always safe: the old code does not know them.
        ignore_initial_migrations=True,
    )
    linter.lint_all_migrations()
    report = capsys.readouterr().out
    assert linter.nb_erroneous == 0, report
    assert linter.nb_total > 10, "the linter saw Byline's migrations"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_linter_catches_a_column_drop_and_a_not_null_column(capsys):
    """The check can fail: the released migrations it waives are unsafe, as it says."""
    linter = MigrationLinter(
        include_apps=sorted({app for app, _ in RELEASED_BEFORE_THE_CHECK}),
        include_name=[name for _, name in RELEASED_BEFORE_THE_CHECK],
        no_cache=True,
    )
    linter.lint_all_migrations()
    report = capsys.readouterr().out
    assert linter.nb_erroneous == len(RELEASED_BEFORE_THE_CHECK), report
    assert "NOT NULL constraint on columns" in report


def test_the_waived_migrations_exist():
    """A renamed or squashed migration must leave this list, not linger in it."""
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    assert known >= RELEASED_BEFORE_THE_CHECK
