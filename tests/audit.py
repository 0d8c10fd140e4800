"""`make audit`: the hardening checks with a larger (still bounded) budget, and their figures.

Runs the hardening modules (fuzzing, tests/test_hardening_*.py with the upload
and database fault drills, the leak matrix, the injection corpus, the security
headers; a missing one is named, not an error) in one pytest run, with
AUDIT_EXAMPLES examples per fuzzed operation (default 20) and
AUDIT_FIGURES_FILE set, then prints what
the tests recorded with the ``audit_figures`` fixture (tests/audit_support.py):
probes and leaks, fuzz cases and 5xx, payloads and escapes, faults injected
and data lost. Exits with pytest's status. Extra arguments go to pytest.

    .venv/bin/python tests/audit.py [-x] [-k leak]
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make `tests.audit_support` importable

from tests.audit_support import PAIRS, format_table  # noqa: E402

MODULES = [
    "tests/test_fuzz_api.py",
    "tests/test_hardening_*.py",
    "tests/test_leak_matrix.py",
    "tests/test_injection_corpus.py",
    "tests/test_security_headers.py",
]
DEFAULT_EXAMPLES = "20"


def audit_files():
    found, missing = [], []
    for pattern in MODULES:
        matches = sorted(str(path.relative_to(ROOT)) for path in ROOT.glob(pattern))
        (found.extend(matches) if matches else missing.append(pattern))
    return found, missing


def read_figures(path):
    totals = Counter()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            totals[record["figure"]] += record["count"]
    return totals


def main(argv):
    files, missing = audit_files()
    with tempfile.TemporaryDirectory(prefix="byline-audit-") as folder:
        figures_file = os.path.join(folder, "figures.jsonl")
        Path(figures_file).touch()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "AUDIT_EXAMPLES": os.environ.get("AUDIT_EXAMPLES") or DEFAULT_EXAMPLES,
            "AUDIT_FIGURES_FILE": figures_file,
        }
        started = time.monotonic()
        command = [sys.executable, "-m", "pytest", "-q", *files, *argv]
        status = subprocess.run(command, cwd=ROOT, env=env).returncode
        elapsed = time.monotonic() - started
        totals = read_figures(figures_file)

    print("\n== audit summary ==")
    absent = f"; not there yet: {', '.join(missing)}" if missing else ""
    print(f"  modules: {len(files)} run{absent}")
    print(f"  examples per fuzzed operation: {env['AUDIT_EXAMPLES']}")
    # Every pair is printed, a missing one as "-": an absent figure is not a zero.
    for tried, found in PAIRS:
        totals.setdefault(tried, None)
        totals.setdefault(found, None)
    lines = format_table({k: ("-" if v is None else v) for k, v in totals.items()})
    print("\n".join(lines))
    print(f"  time: {elapsed:.0f} s; pytest exit status {status}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
