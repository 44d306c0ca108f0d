"""Checks of a fetch run and of the store: each returns the problems it found (an empty
list: all is well)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import yaml
from papers.model import Paper
from papers.paperfile import dump_paper, read_paper

from tests.site.fuzz.inputs import Body, body_is_list


@dataclasses.dataclass
class FetchRun:
    day: str
    body: Body
    status: int
    stdout: str
    stderr: str
    records: list  # (levelname, message, traceback) of everything logged
    before: dict  # the content tree before the run
    after: dict




SUMMARY_RE = re.compile(r"^(?P<day>\d{4}-\d{2}-\d{2}) hf: (?P<rest>.*)$")
COUNTS_RE = re.compile(r"^(?P<new>\d+) new, (?P<updated>\d+) updated, (?P<unchanged>\d+) unchanged, (?P<rejected>\d+) rejected$")
ID_RE = re.compile(r"^(?P<id>[0-9]{4}\.[0-9]{4,5})(?:v[0-9]+)?$")
# What a rejection can be about: the entry itself, or one of the fields it has.
REJECTION_SUBJECT = re.compile(
    r"'paper' object|\b(id|title|authors?|author name|abstract|summary|ai_summary|ai_keywords|keyword|organization|"
    r"upvotes|numComments|githubStars|publishedAt|githubRepo|projectPage|thumbnail)\b"
)
PAPER_FILE_RE = re.compile(r"^papers/(\d{4})/(\d{2})/(\d{2})/([0-9]{4}\.[0-9]{4,5})\.md$")


def check_rejections(where: str, rejections: list[str], count: int, entries: list) -> tuple[set[int], list[str]]:
    """The entry positions the rejection warnings name, and the problems with them: there
    must be ``count``, each naming an entry (its position) or a paper, and what was wrong."""
    problems = []
    if len(rejections) != count:
        problems.append(f"{where}: the summary says {count} rejected, the log names {len(rejections)}: {rejections}")
    positions: set[int] = set()
    for reason in rejections:
        named = re.match(r"^entry (\d+): (.+)$", reason, re.DOTALL)
        if named:
            position = int(named[1])
            if not 1 <= position <= len(entries) or position in positions:
                problems.append(f"{where}: rejection names entry {position} of {len(entries)} (or twice): {reason!r}")
            positions.add(position)
            reason = named[2]
        elif not re.match(r"^\S*[0-9]{4}\.[0-9]{4,5}\S*: ", reason):
            problems.append(f"{where}: rejection names neither an entry nor a paper: {reason!r}")
        if not REJECTION_SUBJECT.search(reason):
            problems.append(f"{where}: rejection does not say which field or why: {reason!r}")
    return positions, problems


def check_fetch_run(run: FetchRun, content: Path) -> list[str]:
    where = f"{run.day} ({run.body.how})"
    problems = []
    lines = [line for line in run.stdout.splitlines() if line.strip()]
    summaries = [m for m in map(SUMMARY_RE.match, lines) if m]
    if len(summaries) != 1 or len(lines) != 1 or summaries[0]["day"] != run.day:
        return [f"{where}: expected one summary line for the day, got stdout {run.stdout!r}"]
    rest = summaries[0]["rest"]
    if run.status not in (0, 1, 2):
        problems.append(f"{where}: exit status {run.status!r}")
    for level, message, trace in run.records:
        if level in ("ERROR", "CRITICAL") or "unexpected" in message:
            problems.append(f"{where}: logged {level} {message!r} (the fetcher's bug path){chr(10) + trace if trace else ''}")
    if "unexpected" in rest or "a bug" in rest:
        problems.append(f"{where}: {rest!r}")
    entries = run.body.entries or []
    prefix = f"{run.day} hf: rejected "
    rejections = [m[len(prefix) :] for level, m, _ in run.records if level == "WARNING" and m.startswith(prefix)]
    if rest.startswith("FAILED, nothing written: "):
        if run.status != 2:
            problems.append(f"{where}: FAILED but exit status {run.status}")
        if run.after != run.before:
            problems.append(f"{where}: FAILED but content changed: {sorted(set(run.after) ^ set(run.before))}")
        all_rejected = re.fullmatch(r"FAILED, nothing written: all (\d+) entries rejected", rest)
        if all_rejected:
            positions, named = check_rejections(where, rejections, int(all_rejected[1]), entries)
            problems += named
            if positions != set(range(1, len(entries) + 1)):
                problems.append(f"{where}: all entries rejected, but the log names entries {sorted(positions)} of {len(entries)}")
        elif body_is_list(run.body) and run.body.data.decode("utf-8").strip() != "[]":
            problems.append(f"{where}: a list of entries FAILED: {rest!r}")
        return problems
    if not body_is_list(run.body):
        problems.append(f"{where}: a body that is not a JSON list was not FAILED: {rest!r}")
    if rest == f"no papers on Hugging Face Daily Papers for {run.day}":
        if run.status != 0 or run.after != run.before or entries:
            problems.append(f"{where}: no papers, but exit {run.status}, {len(entries)} entries, or content changed")
        return problems
    counts = COUNTS_RE.match(rest)
    if not counts:
        return problems + [f"{where}: unknown summary {rest!r}"]
    new, updated, unchanged, rejected = (int(counts[k]) for k in ("new", "updated", "unchanged", "rejected"))
    if run.status != (1 if rejected else 0):
        problems.append(f"{where}: exit status {run.status} with {rejected} rejected")

    # Every rejection is named: one warning per rejection, naming the entry or the paper.
    rejected_positions, named = check_rejections(where, rejections, rejected, entries)
    problems += named

    # Every entry not rejected is stored (entries with the same id are one paper).
    stored_ids = {PAPER_FILE_RE.match(k)[4] for k in run.after if PAPER_FILE_RE.match(k)}
    fetched_ids = set()
    for position, entry in enumerate(entries, 1):
        if position in rejected_positions:
            continue
        raw_id = entry.get("paper", {}).get("id") if isinstance(entry, dict) and isinstance(entry.get("paper"), dict) else None
        match = ID_RE.match(raw_id.strip()) if isinstance(raw_id, str) else None
        if not match:
            problems.append(f"{where}: entry {position} (id {raw_id!r}) was neither rejected nor stored")
            continue
        fetched_ids.add(match["id"])
        if match["id"] not in stored_ids:
            problems.append(f"{where}: entry {position} ({match['id']}) was not rejected, but no file holds it")
    store_rejections = len(rejections) - len(rejected_positions)
    if new + updated + unchanged + store_rejections != len(fetched_ids):
        problems.append(
            f"{where}: {new} new + {updated} updated + {unchanged} unchanged + {store_rejections} rejected by the store, but {len(fetched_ids)} papers parsed"
        )
    before_ids = {PAPER_FILE_RE.match(k)[4] for k in run.before if PAPER_FILE_RE.match(k)}
    if len(stored_ids - before_ids) != new:
        problems.append(f"{where}: {new} new, but {len(stored_ids - before_ids)} new files")
    if before_ids - stored_ids:
        problems.append(f"{where}: stored papers disappeared: {sorted(before_ids - stored_ids)}")
    return problems


EXPECTED_KEYS = [f.name for f in dataclasses.fields(Paper) if f.name != "abstract"]
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def check_store(content: Path) -> list[str]:
    """content/ holds paper files only, each readable, rewritten to itself, with known keys
    one a line, and no control or bidi character in its text."""
    problems = []
    for path in sorted(content.rglob("*")):
        rel = path.relative_to(content).as_posix()
        if path.is_symlink() or (path.is_file() and not PAPER_FILE_RE.match(rel)):
            problems.append(f"content/{rel}: not a paper file")
        if not path.is_file() or not PAPER_FILE_RE.match(rel):
            continue
        text = path.read_bytes().decode("utf-8", "replace")
        try:
            paper = read_paper(path)
        except Exception as exc:  # noqa: BLE001 (any failure to read back is the finding)
            problems.append(f"content/{rel}: stored but unreadable: {type(exc).__name__}: {exc}")
            continue
        if paper.arxiv_id != path.stem or paper.first_featured != "-".join(PAPER_FILE_RE.match(rel).groups()[:3]):
            problems.append(f"content/{rel}: holds {paper.arxiv_id} first featured {paper.first_featured}")
        if dump_paper(paper) != text:
            problems.append(f"content/{rel}: does not rewrite to itself")
        head, sep, _body = text[4:].partition("\n---\n")
        if not text.startswith("---\n") or not sep:
            problems.append(f"content/{rel}: no metadata block")
            continue
        keys = [line.split(":", 1)[0] for line in head.split("\n") if not line.startswith("- ")]
        if keys != [k for k in EXPECTED_KEYS if k in paper.to_dict()] or set(yaml.safe_load(head)) != set(paper.to_dict()):
            problems.append(f"content/{rel}: metadata lines {keys}, expected the keys of the paper {list(paper.to_dict())}")
        if CONTROL_RE.search(text):
            problems.append(f"content/{rel}: holds a control or bidi character {CONTROL_RE.search(text)[0]!r}")
    return problems


# Attributes whose value is a URL; what they may be: an http(s) URL or a fragment.


def check_text_chars(text: str, where: str) -> list[str]:
    bad = CONTROL_RE.search(text)
    return [f"{where}: holds the control or bidi character {bad[0]!r} at {bad.start()}: {text[max(bad.start() - 60, 0) : bad.start() + 60]!r}"] if bad else []
