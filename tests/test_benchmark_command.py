"""`manage.py benchmark`: it measures every reader page and API endpoint it names."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factories import make_article, make_author, make_section


@pytest.mark.django_db
def test_benchmark_reports_time_and_queries_for_each_url():
    section = make_section("Harbour")
    author = make_author("Lena Brook")
    for n in range(3):
        make_article(section, title=f"Tide report {n}", authors=[author], tags=["tides"])
    out = StringIO()
    call_command("benchmark", "--requests", "2", stdout=out, stderr=StringIO())
    lines = out.getvalue().splitlines()
    assert lines[0] == "3 live articles; 2 requests per URL after one warm-up."
    rows = {
        line.split()[0]: line.split()[1:]
        for line in lines[2:-1]
        if re.match(r"^/\S*\s+\d{3}\s", line)
    }
    assert {"/", "/harbour/", "/tags/tides/", "/authors/lena-brook/", "/feed/"} <= set(rows)
    assert all(values[0] == "200" for values in rows.values()), rows
    # status, median ms, p95 ms, queries: all numbers, queries per request > 0
    assert all(float(values[3]) > 0 for values in rows.values())
    assert lines[-1] == f"Measured {len(rows)} URLs."


@pytest.mark.django_db
def test_benchmark_without_content_says_what_to_do():
    with pytest.raises(CommandError, match="Run `python manage.py load_demo_content` first"):
        call_command("benchmark", stdout=StringIO())
