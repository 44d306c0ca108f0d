"""What a day's email digest lists: its top papers by upvotes, then the others grouped
by paper theme, optionally only those of some paper themes.

Made from the build's catalogue (a ``DigestDay`` and its ``PaperEntry`` objects), with
absolute links: an email is read away from the site.  The lists are capped so that a
900-paper arXiv day stays an email a reader can scan and that Gmail does not clip (it cuts
messages over 102 KB): ``EMAIL_TOP_PAPERS`` on top, then at most ``EMAIL_PAPERS_PER_THEME``
a theme and ``EMAIL_MAX_PAPERS`` in all, shared evenly between the themes; each cut group
ends with a link to the rest on the day's page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from papers.catalog.days import by_upvotes, group_by_paper_theme

DEFAULT_TOP_PAPERS = 10
DEFAULT_PAPERS_PER_THEME = 8
DEFAULT_MAX_PAPERS = 60
MAX_SUBJECT_TITLE = 70  # characters of the top paper's title in the subject


@dataclass(frozen=True)
class MailPaper:
    """One paper as the email shows it: plain text only (no MathML: mail clients drop it)."""

    title: str
    url: str
    authors: str
    summary: str
    upvotes: int | None
    themes: tuple[str, ...]


@dataclass
class MailGroup:
    """The day's other papers under one paper theme, most upvoted first."""

    name: str
    url: str  # the paper theme's page
    papers: list[MailPaper]
    more: int = 0  # papers of the group left out of the email
    more_url: str = ""  # where they are: the day's page, filtered to the theme


@dataclass
class DayDigest:
    site_name: str
    site_url: str
    day: str  # YYYY-MM-DD
    day_title: str  # "Friday 21 August 2026"
    day_url: str
    paper_count: int  # papers of the day it is about (after the theme filter)
    top: list[MailPaper] = field(default_factory=list)
    groups: list[MailGroup] = field(default_factory=list)
    chosen_themes: tuple[str, ...] = ()  # names of the paper themes asked for; () is all

    @property
    def subject(self) -> str:
        """One line: the site, the day, how many papers and the top one's title."""
        count = f"{self.paper_count} paper{'s' if self.paper_count != 1 else ''}"
        subject = f"{self.site_name}: {count} of {self.day_title.split(' ', 1)[1]}"
        lead = self.top[0].title if self.top else (self.groups[0].papers[0].title if self.groups else "")
        if lead:
            if len(lead) > MAX_SUBJECT_TITLE:
                lead = lead[: MAX_SUBJECT_TITLE - 1].rstrip() + "…"
            subject += f" · {lead}"
        return " ".join(subject.split())


def mail_paper(entry, site_url: str) -> MailPaper:
    return MailPaper(
        title=entry.title_text, url=entry.link(site_url), authors=entry.authors_short, summary=entry.summary_text,
        upvotes=entry.upvotes, themes=tuple(t.name for t in entry.themes),
    )


def day_digest(day, settings: dict, paper_themes: list, themes: frozenset[str] | None = None) -> DayDigest:
    """The digest of ``day`` (a ``DigestDay``); ``themes``: slugs of the only paper
    themes wanted (None: all).  A paper is listed once: among the top papers, or under its
    best paper theme of those wanted."""
    site_url = settings["SITEURL"]
    top_count = int(settings.get("EMAIL_TOP_PAPERS", DEFAULT_TOP_PAPERS))
    per_theme = int(settings.get("EMAIL_PAPERS_PER_THEME", DEFAULT_PAPERS_PER_THEME))
    max_papers = int(settings.get("EMAIL_MAX_PAPERS", DEFAULT_MAX_PAPERS))
    wanted = [a for a in day.articles if themes is None or any(t.slug in themes for t in a.themes)]
    ranked = sorted(wanted, key=by_upvotes)
    top = [a for a in ranked if (a.upvotes or 0) > 0][:top_count]
    on_top = {a.arxiv_id for a in top}
    grouped = group_by_paper_theme([a for a in ranked if a.arxiv_id not in on_top], paper_themes, themes)
    groups = []
    # Every theme shows at least one paper; the rest of the budget is shared evenly.
    quota = min(per_theme, max(1, (max_papers - len(top)) // max(len(grouped), 1)))
    for group in grouped:
        slug, entries = group.paper_theme.slug, group.articles
        groups.append(
            MailGroup(
                name=group.paper_theme.name, url=f"{site_url}/themes/{slug}/",
                papers=[mail_paper(e, site_url) for e in entries[:quota]],
                more=max(len(entries) - quota, 0), more_url=f"{site_url}/{day.url}#theme={slug}",
            )
        )
    chosen = () if themes is None else tuple(t.name for t in paper_themes if t.slug in themes)
    return DayDigest(
        site_name=settings["SITENAME"], site_url=site_url, day=day.iso, day_title=day.date.strftime("%A %-d %B %Y"),
        day_url=f"{site_url}/{day.url}", paper_count=len(wanted),
        top=[mail_paper(a, site_url) for a in top], groups=groups, chosen_themes=chosen,
    )
