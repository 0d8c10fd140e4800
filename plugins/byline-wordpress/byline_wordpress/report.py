"""What an import did: counts per kind, warnings and errors naming the item."""

from collections import Counter, defaultdict

ACTIONS = ("created", "updated", "skipped")


class ImportReport:
    def __init__(self, write=None):
        self.counts = defaultdict(Counter)
        self.warnings = []  # (kind, message)
        self.errors = []  # (kind, message)
        self.write = write or (lambda message: None)

    def count(self, kind, action):
        self.counts[kind][action] += 1

    def warn(self, kind, message):
        self.counts[kind]["warnings"] += 1
        self.warnings.append((kind, message))
        self.write(f"  warning: {message}")

    def error(self, kind, message):
        self.counts[kind]["errors"] += 1
        self.errors.append((kind, message))
        self.write(f"  ERROR: {message}")

    def summary_lines(self):
        lines = [f"{'':14}{'created':>9}{'updated':>9}{'skipped':>9}{'warnings':>10}{'errors':>8}"]
        for kind in sorted(self.counts):
            counts = self.counts[kind]
            lines.append(
                f"{kind:14}"
                + "".join(f"{counts[action]:>9}" for action in ACTIONS)
                + f"{counts['warnings']:>10}{counts['errors']:>8}"
            )
        return lines
