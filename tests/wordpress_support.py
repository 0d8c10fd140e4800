"""Shared by the WordPress import tests: the fixture export and running the command."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

FIXTURES = Path(__file__).parent / "fixtures" / "wordpress"
EXPORT = FIXTURES / "export.xml"
MEDIA = FIXTURES / "media"


def run_import(*args, expect_errors=True):
    """Run the command; return (output, error). The fixture export's malformed items end
    it with an error after everything else was imported."""
    out = io.StringIO()
    if expect_errors:
        with pytest.raises(CommandError) as failure:
            call_command("import_wordpress", *args, stdout=out)
        return out.getvalue(), str(failure.value)
    call_command("import_wordpress", *args, stdout=out)
    return out.getvalue(), ""
