"""What a run of the demo loader created, and what it found already there."""

from collections import Counter


class Tally:
    def __init__(self):
        self._created = Counter()
        self._kept = Counter()
        self._order = []
        self.notes = []

    def _see(self, kind):
        if kind not in self._order:
            self._order.append(kind)

    def created(self, kind, count=1):
        self._see(kind)
        self._created[kind] += count

    def kept(self, kind, count=1):
        self._see(kind)
        self._kept[kind] += count

    def note(self, message):
        """Something the person running the command should know (a skipped item...)."""
        self.notes.append(message)

    def created_count(self, kind):
        return self._created[kind]

    def kept_count(self, kind):
        return self._kept[kind]

    def lines(self, order=()):
        """One line per kind, kinds in `order` first."""
        kinds = [kind for kind in order if kind in self._order]
        kinds += [kind for kind in self._order if kind not in kinds]
        return [f"{kind}: {self._created[kind]} created, {self._kept[kind]} kept" for kind in kinds]
