"""The two-year archive of Hugging Face Daily Papers used for scale work (themes report,
benchmark, search measurements).  It lives beside the repository, in
``../shared/corpus/``, and is never committed: one line a day,
``{"date": "YYYY-MM-DD", "response": [...the API's entries...]}``.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "hf_daily_papers_archive.jsonl.gz"


def read_days(path: Path | str = DEFAULT_CORPUS) -> list[dict]:
    """The archive's days, oldest first."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return sorted((json.loads(line) for line in lines if line.strip()), key=lambda day: day["date"])
