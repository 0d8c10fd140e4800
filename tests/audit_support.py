"""Figures for ``make audit``: what the hardening tests tried and what they found.

A test opts in with one fixture argument and one call per figure::

    def test_no_leaks(client, audit_figures):
        ...
        audit_figures.add("probes", len(urls))
        audit_figures.add("leaks", len(leaked))  # record 0 too: a zero is a result

Figures are summed over the run and printed as a table at the end of pytest's
output (any run, not only the audit). When AUDIT_FIGURES_FILE names a file,
each figure is also appended to it as a JSON line, so tests/audit.py can add
them up across pytest runs (SQLite and PostgreSQL) and print one summary.
"""

import json
import os
from collections import Counter

import pytest

#: Pairs printed side by side: what was tried, and what went wrong.
PAIRS = [
    ("probes", "leaks"),
    ("fuzz cases", "fuzz 5xx"),
    ("payloads", "escapes"),
    ("faults injected", "data lost"),
]

_totals = Counter()


class AuditFigures:
    def __init__(self, nodeid):
        self.nodeid = nodeid

    def add(self, name, count=1):
        """Add ``count`` to the figure ``name`` (``count=0`` records that it was measured)."""
        _totals[name] += count
        path = os.environ.get("AUDIT_FIGURES_FILE")
        if path:
            # One JSON line per call: appends from several processes do not interleave.
            with open(path, "a", encoding="utf-8") as file:
                file.write(json.dumps({"figure": name, "count": count, "test": self.nodeid}) + "\n")


@pytest.fixture
def audit_figures(request):
    """Record figures for the audit summary: ``audit_figures.add("probes", 12)``."""
    return AuditFigures(request.node.nodeid)


def format_table(totals):
    """The summary's lines: known pairs first, then any other figure."""
    lines = []
    shown = set()
    for tried, found in PAIRS:
        if tried in totals or found in totals:
            tried_n, found_n = totals.get(tried, 0), totals.get(found, 0)
            lines.append(f"  {tried:>16}: {tried_n:>7}   {found:>10}: {found_n}")
            shown.update((tried, found))
    for name in sorted(set(totals) - shown):
        lines.append(f"  {name:>16}: {totals[name]:>7}")
    return lines


def pytest_terminal_summary(terminalreporter):
    if _totals:
        terminalreporter.write_sep("=", "audit figures")
        for line in format_table(_totals):
            terminalreporter.write_line(line)
