"""Print how papers spread over the paper themes of ``themes.yml``, to tune it.

Run it after editing ``themes.yml`` (``invoke themes-report``).  It reads either the shared
archive of Hugging Face Daily Papers (a ``.jsonl.gz`` of ``{"date", "response"}`` lines,
parsed exactly as the fetch script parses a day) or a content directory, matches every
paper, and prints per theme its paper count, share and the titles that match it best; the
catch-all share; how many papers got one, two or three themes; and what to edit next
(``papers.themes.suggestions``, ``--suggestions N`` lines each, 0 for none): the phrases
frequent among "Other papers", and the phrases matches most often rest on alone.

With ``--labels`` (``invoke themes-report`` gives the committed evaluation set,
tests/fixtures/theme_labels/evaluation_set.jsonl), it then scores the themes against papers
labelled by hand (``papers.themes.evaluation``): precision, recall and coverage for the
``tune`` and ``test`` splits, per theme, and the worst mistakes with the reasons they were
made.  Tune the rules on the ``tune`` split's mistakes only: the ``test`` split judges them.

Exit status: 0 when the targets hold (at least 90% of papers in a real theme, none over 25%
of all papers; with labels, on the test split: precision at least 90%, recall at least 85%,
at least 95% of arXiv-only papers in a real theme), 1 when they do not, 2 when the input
cannot be read.  So it is also a check.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from papers.corpus import DEFAULT_CORPUS, arxiv_listing_feed, is_arxiv_listing, read_days
from papers.errors import PaperThemesError
from papers.sources.arxiv_feeds import parse_response
from papers.sources.hf import parse_entries
from papers.store import ContentStore
from papers.themes import load_paper_themes, match_paper_themes
from papers.themes.evaluation import SPLITS, evaluate, read_labelled
from papers.themes.suggestions import ABSTRACT_WEIGHT, DISTINCTIVE, candidate_themes, single_phrase_matches

ROOT = Path(__file__).resolve().parents[1]



def read_archive(path: Path) -> list:
    """Every paper of an archive (Hugging Face's or arXiv's listings), one record per paper
    (days merged), each day read by its source's own parser (``papers.corpus``)."""
    papers: dict = {}
    for day in read_days(path):
        if is_arxiv_listing(day):
            found = [entry.paper for entry in parse_response(arxiv_listing_feed(day["papers"]), day["date"]).entries]
        else:
            found = parse_entries(day["response"], day["date"])[0]
        for paper in found:
            known = papers.get(paper.arxiv_id)
            papers[paper.arxiv_id] = known.merged_with(paper) if known else paper
    return list(papers.values())


def read_content(path: Path) -> list:
    store = ContentStore(path)
    return [store.load(arxiv_id) for arxiv_id in store.ids()]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help="a daily-papers archive (.jsonl.gz) or a content directory (default: %(default)s)",
    )
    parser.add_argument("--themes", type=Path, default=ROOT / "themes.yml", help="paper themes file (default: %(default)s)")
    parser.add_argument("--examples", type=int, default=3, help="example titles per theme (default: %(default)s)")
    parser.add_argument(
        "--min-real-share",
        type=float,
        default=0.90,
        help="least share of papers in a real theme, not the catch-all (default: %(default)s)",
    )
    parser.add_argument(
        "--max-theme-share", type=float, default=0.25, help="largest share one theme may hold (default: %(default)s)"
    )
    parser.add_argument("--labels", type=Path, help="an evaluation set of papers labelled by hand (.jsonl) to score the themes against")
    parser.add_argument("--mistakes", type=int, default=15, help="mistakes listed per split (default: %(default)s)")
    parser.add_argument(
        "--suggestions",
        type=int,
        default=15,
        help="lines of each list of suggestions: phrases frequent in Other papers, phrases that alone file papers; 0 for none (default: %(default)s)",
    )
    args = parser.parse_args(argv)

    try:
        paper_themes = load_paper_themes(args.themes)
    except PaperThemesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        papers = read_content(args.corpus) if args.corpus.is_dir() else read_archive(args.corpus)
    except (OSError, ValueError) as exc:
        print(f"error: cannot read {args.corpus}: {exc}", file=sys.stderr)
        return 2
    if not papers:
        print(f"error: no papers in {args.corpus}", file=sys.stderr)
        return 2

    started = time.perf_counter()
    matches = {paper.arxiv_id: match_paper_themes(paper, paper_themes) for paper in papers}
    elapsed = time.perf_counter() - started

    members = defaultdict(list)  # slug -> [(score, title)]
    first = Counter()
    per_paper = Counter()
    for paper in papers:
        paper_matches = matches[paper.arxiv_id]
        first[paper_matches[0].theme.slug] += 1
        per_paper[0 if paper_matches[0].theme.is_catch_all else len(paper_matches)] += 1
        for match in paper_matches:
            members[match.theme.slug].append((match.score, paper.title))

    total = len(papers)
    print(f"{total} papers from {args.corpus}, {len(paper_themes) - 1} themes from {args.themes}")
    print(f"matched in {elapsed:.2f} s\n")
    print(f"{'theme':<28} {'papers':>6} {'share':>6} {'first':>6}")
    failures = []
    for theme in paper_themes:
        listed = members[theme.slug]
        share = len(listed) / total
        print(f"{theme.slug:<28} {len(listed):>6} {share:>6.1%} {first[theme.slug]:>6}")
        for _, title in sorted(listed, key=lambda m: -m[0])[: args.examples]:
            print(f"    {title[:100]}")
        if not theme.is_catch_all and share > args.max_theme_share:
            failures.append(f"theme {theme.slug!r} holds {share:.1%} of papers (limit {args.max_theme_share:.0%})")
    real_share = 1 - per_paper[0] / total
    print(f"\nin a real theme: {real_share:.1%} (target at least {args.min_real_share:.0%})")
    print(f"catch-all:       {per_paper[0] / total:.1%}")
    for count in (1, 2, 3):
        print(f"{count} theme{'s' if count > 1 else ' '}:        {per_paper[count]:>6} ({per_paper[count] / total:.1%})")
    if real_share < args.min_real_share:
        failures.append(f"only {real_share:.1%} of papers are in a real theme (target {args.min_real_share:.0%})")
    if args.suggestions > 0:
        report_suggestions([(paper, matches[paper.arxiv_id]) for paper in papers], args.suggestions)
    if args.labels:
        try:
            labelled = read_labelled(args.labels)
        except (OSError, ValueError) as exc:
            print(f"error: cannot read {args.labels}: {exc}", file=sys.stderr)
            return 2
        failures += report_labelled(labelled, paper_themes, args.labels, args.mistakes)
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


def report_suggestions(matched, limit: int) -> None:
    """Print what to look at in themes.yml next (``papers.themes.suggestions``)."""
    print(f"\ncandidate themes: the n-grams most frequent in Other papers, at least {DISTINCTIVE} times as frequent there as elsewhere")
    print(f"(papers with it in the title or keywords, plus {ABSTRACT_WEIGHT:g} for each with it in the abstract only)")
    for candidate in candidate_themes(matched, limit):
        print(f"{candidate.papers:>6g}  {candidate.phrase}")
    print("\ncandidate exclusions or supporting-only phrases: the phrases matches most often rest on alone")
    for single in single_phrase_matches(matched, limit):
        print(f"{single.matches:>6}  {single.phrase}  ({single.slug})")


# The targets on the test split (issue 15).
MIN_PRECISION, MIN_RECALL, MIN_ARXIV_COVERAGE = 0.90, 0.85, 0.95


def report_labelled(labelled, paper_themes, path, mistakes: int) -> list[str]:
    """Print the scores against the labels; the targets the test split misses."""
    print(f"\nagainst {len(labelled)} papers labelled by hand ({path})")
    print(f"{'split':<6} {'papers':>6} {'precision':>9} {'recall':>7} {'coverage':>8} {'arXiv-only covered':>19}")
    scores = {split: evaluate([item for item in labelled if item.split == split], paper_themes) for split in SPLITS}
    for split, s in scores.items():
        print(f"{split:<6} {s.papers:>6} {s.precision:>9.1%} {s.recall:>7.1%} {s.coverage:>8.1%} {s.arxiv_coverage:>19.1%}")
    everything = evaluate(labelled, paper_themes)
    print(f"\n{'theme (both splits)':<28} {'given':>5} {'right':>5} {'labelled':>8} {'precision':>9} {'recall':>7}")
    for slug, counts in sorted(everything.per_theme.items()):
        given, right, expected = counts["given"], counts["right"], counts["labelled"]
        precision = f"{right / given:.0%}" if given else "-"
        recall = f"{right / expected:.0%}" if expected else "-"
        print(f"{slug:<28} {given:>5} {right:>5} {expected:>8} {precision:>9} {recall:>7}")
    tune = scores["tune"]
    for kind, heading in (("wrong", "given but not labelled"), ("missed", "labelled but not given")):
        listed = [m for m in tune.mistakes if m.kind == kind]
        print(f"\ntune split, {heading} ({len(listed)}; the test split's are not shown):")
        for mistake in listed[:mistakes]:
            print(f"  {mistake.arxiv_id} {mistake.slug}: {mistake.title[:70]}  [{'; '.join(mistake.reasons)[:90]}]")
    test = scores["test"]
    failures = []
    for name, value, target in (("precision", test.precision, MIN_PRECISION), ("recall", test.recall, MIN_RECALL),
                                ("arXiv-only papers in a real theme", test.arxiv_coverage, MIN_ARXIV_COVERAGE)):
        if value < target:
            failures.append(f"test split: {name} {value:.1%} (target at least {target:.0%})")
    return failures


if __name__ == "__main__":
    sys.exit(main())
