"""Fetching days of papers into a content store: what ``scripts/fetch.py`` runs.

For each source and day the whole response is fetched (or replayed from a saved body) and
parsed into a ``Batch`` before anything is written, so a source that fails leaves the
content exactly as it was; then each paper is merged into the store (``ContentStore.save``)
and a ``DayResult`` says what happened, as one summary line.  The benchmark imports the
archive through the same ``fetch_day``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from dataclasses import dataclass, field

from papers.cleaning import utc_timestamp
from papers.errors import Rejected, SourceError
from papers.model import Paper
from papers.sources import arxiv, hf, hf_paper
from papers.sources.config import SourcesConfig
from papers.store import ContentStore

log = logging.getLogger(__name__)

SOURCE_NAMES = {hf.SOURCE: "Hugging Face Daily Papers", arxiv.SOURCE: "arXiv"}
# A day's list still changes (late submissions, upvotes) for a while; a range run re-fetches
# days that were last fetched sooner than this after them, and skips the others.
SETTLED_AFTER_DAYS = 2


@dataclass
class Batch:
    """What one source gave for one day, parsed and filtered, before anything is written."""

    papers: list[Paper] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    left_out: int = 0  # arXiv papers sources.yml does not keep
    # Set when arXiv announced nothing for the day: "" or a parenthesised explanation.
    no_announcement: str | None = None
    completion_failure: str | None = None  # the API could not complete the records


@dataclass
class DayResult:
    day: str
    source: str
    counts: dict = field(default_factory=lambda: dict.fromkeys(("new", "updated", "unchanged", "rejected"), 0))
    failure: str | None = None
    empty: bool = False
    left_out: int = 0
    no_announcement: str | None = None
    completion_failure: str | None = None
    stored_ids: list[str] = field(default_factory=list)

    @property
    def status(self) -> int:
        if self.failure:
            return 2
        return 1 if self.counts["rejected"] or self.completion_failure else 0

    def summary(self) -> str:
        head = f"{self.day} {self.source}:"
        if self.failure:
            return f"{head} FAILED, nothing written: {self.failure}"
        if self.no_announcement is not None:
            return f"{head} no announcement for {self.day}{self.no_announcement}"
        if self.empty:
            return f"{head} no papers on {SOURCE_NAMES[self.source]} for {self.day}"
        c = self.counts
        line = (
            f"{head} {c['new']} new, {c['updated']} updated, "
            f"{c['unchanged']} unchanged, {c['rejected']} rejected"
        )
        if self.left_out:
            line += f", {self.left_out} left out by sources.yml"
        if self.completion_failure:
            line += f" (not completed from the arXiv API: {self.completion_failure})"
        return line


def input_source(text: str) -> str:
    """Which source a saved response came from: XML is arXiv, anything else is taken for
    Hugging Face's JSON (so that ``null`` or ``42`` is reported as the wrong JSON)."""
    return arxiv.SOURCE if text.lstrip()[:1] == "<" else hf.SOURCE


def collect_hf(day: str, *, client=None, input_text=None, paper_links: bool = False) -> Batch:
    """Hugging Face's papers for ``day``.  A saved response carries no time of its own: it
    counts as made at the start of its day, older than any live fetch of that day or later.
    Live, with ``paper_links``, each paper then gets its linked repos (``hf_paper.collect_paper_links``);
    a replay never asks the network."""
    if input_text is not None:
        entries, as_of = hf.decode_response(input_text), f"{day}T00:00:00Z"
    else:
        entries, as_of = hf.fetch_day(client, day)
    papers, rejected, warnings = hf.parse_entries(entries, day, as_of)
    if paper_links and input_text is None:
        papers, link_warnings = hf_paper.collect_paper_links(client, papers)
        warnings += link_warnings
    return Batch(papers, rejected, warnings)


def collect_arxiv(
    day: str, config: SourcesConfig, *, client=None, input_text=None, today: str | None = None, complete_ids=()
) -> Batch:
    """arXiv's papers for ``day``: a replayed response, today's RSS feeds, or the API.

    Papers announced in several categories are merged; the announcement types and keywords
    of ``sources.yml`` decide which are kept.  Live, the kept papers and ``complete_ids``
    (the day's Hugging Face papers) are then completed from the API.
    """
    settings = config.arxiv
    if input_text is not None:
        feeds = [arxiv.parse_response(input_text, day, settings.announce_types)]
    elif day == today:
        feeds = [arxiv.fetch_rss(client, category, settings.announce_types) for category in settings.categories]
    else:
        feeds = [arxiv.fetch_announced(client, day, settings.categories)]
    batch = Batch(rejected=[r for feed in feeds for r in feed.rejected], warnings=[w for feed in feeds for w in feed.warnings])
    feed_days = {feed.day for feed in feeds if feed.kind == "rss" and (feed.entries or feed.skipped)}
    if feed_days and feed_days != {day}:
        batch.no_announcement = f" (the feed is for {', '.join(sorted(feed_days))}; replay it with --date)"
        return batch
    skipped = {arxiv_id for feed in feeds for arxiv_id in feed.skipped}
    if not any(feed.entries for feed in feeds):
        if not batch.rejected and not skipped:
            batch.no_announcement = ""  # a weekend or a holiday: nothing to explain
        batch.left_out = len(skipped)
        return batch

    papers: dict[str, Paper] = {}
    types: dict[str, set[str]] = {}
    for feed in feeds:
        for entry in arxiv.classify(feed.entries, settings.categories):
            paper = entry.paper
            papers[paper.arxiv_id] = papers[paper.arxiv_id].merged_with(paper) if paper.arxiv_id in papers else paper
            types.setdefault(paper.arxiv_id, set()).add(entry.announce_type)
    batch.left_out = len(skipped - set(papers))
    for arxiv_id, paper in papers.items():
        if types[arxiv_id] & set(settings.announce_types) and settings.keeps(paper):
            batch.papers.append(paper)
        else:
            batch.left_out += 1

    if input_text is None and settings.complete:
        wanted = [p.arxiv_id for p in batch.papers] + [i for i in complete_ids if i not in papers]
        try:
            completion = arxiv.fetch_by_ids(client, wanted)
            records = {e.paper.arxiv_id: e.paper for e in completion.entries}
            batch.warnings += completion.warnings
        except SourceError as exc:
            batch.completion_failure = str(exc)
            records = {}
        batch.papers = [p.merged_with(records.pop(p.arxiv_id)) if p.arxiv_id in records else p for p in batch.papers]
        # The other ids are papers Hugging Face featured today: these records are not
        # featured by arXiv (no day) and only complete the stored files.
        batch.papers += records.values()
    return batch


def fetch_day(
    store: ContentStore,
    source: str,
    day: str,
    *,
    config: SourcesConfig,
    client=None,
    input_text=None,
    today: str | None = None,
    complete_ids=(),
    paper_links: bool = False,
) -> DayResult:
    """Fetch (or replay ``input_text`` for) one day of one source into the store.

    Everything is fetched and parsed before the first write: a source that fails leaves
    the content exactly as it was, whatever the other sources do.  No response can crash
    the run: one the parsers did not foresee fails its day, with the error logged.
    ``paper_links``: a live Hugging Face day also asks for each paper's linked repos.
    """
    result = DayResult(day, source)
    try:
        if source == hf.SOURCE:
            batch = collect_hf(day, client=client, input_text=input_text, paper_links=paper_links)
        else:
            batch = collect_arxiv(day, config, client=client, input_text=input_text, today=today, complete_ids=complete_ids)
    except SourceError as exc:
        result.failure = str(exc)
        return result
    except Exception as exc:  # a parser bug must cost one day, not the run
        log.exception("%s %s: unexpected error reading the response", day, source)
        result.failure = f"unexpected {type(exc).__name__} reading the response (a bug: please report it)"
        return result
    for message in batch.warnings:
        log.warning("%s %s: %s", day, source, message)
    for message in batch.rejected:
        log.warning("%s %s: rejected %s", day, source, message)
    result.counts["rejected"] = len(batch.rejected)
    result.left_out = batch.left_out
    result.no_announcement = batch.no_announcement
    result.completion_failure = batch.completion_failure
    result.empty = not batch.papers and not batch.rejected and not batch.left_out
    # A response dated in the future (a wrong clock, a hostile feed) would keep its values
    # from ever being updated: no data is newer than now.
    now = utc_timestamp(dt.datetime.now(dt.timezone.utc))
    for paper in batch.papers:
        if any(when > now for when in paper.fetched.values()):
            paper = dataclasses.replace(paper, fetched={source: min(when, now) for source, when in paper.fetched.items()})
        try:
            if not paper.featured and store.load(paper.arxiv_id) is None:
                continue  # a completion record for a paper that was not stored after all
            result.counts[store.save(paper)] += 1
            result.stored_ids.append(paper.arxiv_id)
        except Rejected as exc:
            log.warning("%s %s: rejected %s", day, source, exc)
            result.counts["rejected"] += 1
        except (ValueError, TypeError, UnicodeError) as exc:  # a value no check foresaw: a bug
            log.exception("%s %s: rejected %s: unexpected %s storing it", day, source, paper.arxiv_id, type(exc).__name__)
            result.counts["rejected"] += 1
    if not batch.papers and batch.rejected and not batch.left_out:
        result.failure = f"all {len(batch.rejected)} entries rejected"
    return result


def days_between(since: str, until: str) -> list[str]:
    start, end = dt.date.fromisoformat(since), dt.date.fromisoformat(until)
    return [(start + dt.timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]


def is_settled(store: ContentStore, source: str, day: str) -> bool:
    fetched_on = store.fetch_state().get(source, {}).get(day)
    if not fetched_on:
        return False
    return dt.date.fromisoformat(fetched_on) >= dt.date.fromisoformat(day) + dt.timedelta(SETTLED_AFTER_DAYS)




def exit_status(statuses: list[int]) -> int:
    """0 when every day went well, 2 when every one failed, else 1 (see ``fetch.py``)."""
    if not statuses:
        return 0
    if all(s == 2 for s in statuses):
        return 2
    return max(statuses) and 1


def replay_day(store: ContentStore, source: str | None, day: str, text: str, *, config: SourcesConfig, today: str) -> DayResult:
    """One day from a saved response body; ``source`` None: recognised from the body."""
    return fetch_day(store, source or input_source(text), day, config=config, input_text=text, today=today)


def fetch_days(store: ContentStore, sources: list[str], days: list[str], *, config: SourcesConfig, clients: dict, today: str, refetch: bool = False, paper_links: bool = False, report=print) -> int:
    """Fetch every day of ``days`` from every source, reporting one line per source and day;
    the exit status (``exit_status``).  In a range of days, a day already fetched at least
    ``SETTLED_AFTER_DAYS`` after it is skipped unless ``refetch``.  ``paper_links``: each
    Hugging Face paper also gets its linked repos (``hf_paper.collect_paper_links``)."""
    # Hugging Face first, so that arXiv can complete the records of its papers of the day.
    sources = sorted(sources, key=lambda source: source != hf.SOURCE)
    statuses = []
    ranged = len(days) > 1
    for n, day in enumerate(days, 1):
        prefix = f"[{n}/{len(days)}] " if ranged else ""
        hf_ids: list[str] = []  # the day's Hugging Face papers, for arXiv to complete
        for source in sources:
            if ranged and not refetch and is_settled(store, source, day):
                report(f"{prefix}{day} {source}: already complete, skipped")
                continue
            result = fetch_day(store, source, day, config=config, client=clients[source], today=today, complete_ids=hf_ids, paper_links=paper_links)
            if source == hf.SOURCE:
                hf_ids += result.stored_ids
            if result.status < 2:
                store.record_fetch(source, day, today)
            report(prefix + result.summary())
            statuses.append(result.status)
    return exit_status(statuses)
