"""Values derived from papers, kept between site builds so a rebuild computes them only for
papers that changed.

The plugins derive per-paper data on every build (paper theme matches, MathML titles,
BibTeX): a few hundred microseconds a paper, seconds for the archive, the same result
every time for a paper that did not change.  A ``DerivedCache`` is a JSON file in Pelican's
``CACHE_PATH`` mapping a digest of what a value was derived from to the value.  It is valid
while the code and data files it was made with are unchanged (``sources``): any change
there starts it afresh.  Values must be JSON (text, numbers, lists, mappings).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .store import atomic_write


def digest(value) -> str:
    """A key for ``value`` (anything JSON can hold)."""
    return hashlib.sha1(json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8", "surrogatepass")).hexdigest()


class DerivedCache:
    """``get(key, compute)``: the value stored for ``key`` or ``compute()``'s; ``save()``
    keeps only the keys used in this build (entries of papers gone are dropped)."""

    def __init__(self, cache_dir: Path | str, name: str, sources: list[Path | str], extra: str = ""):
        self.path = Path(cache_dir) / f"{name}.json"
        version = hashlib.sha1(extra.encode())
        for source in sources:
            version.update(Path(source).read_bytes())
        self.version = version.hexdigest()
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = {}
        self.stored = stored.get("values", {}) if stored.get("version") == self.version else {}
        self.used: dict[str, object] = {}

    def get(self, key: str, compute):
        value = self.stored[key] if key in self.stored else compute()
        self.used[key] = value
        return value

    def save(self) -> None:
        if self.used != self.stored:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, json.dumps({"version": self.version, "values": self.used}, ensure_ascii=False))
