"""The email digest's pieces (papers.mail): what it lists and cuts, its size on an
arXiv-sized day, header checks, the list's identity, the sent state and the recipients."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json

import jinja2
import pytest
from bs4 import BeautifulSoup
from papers.errors import ConfigError
from papers.mail.digest import day_digest
from papers.mail.message import HeaderRefused, digest_message, list_domain, unsubscribe_link
from papers.mail.recipients import read_recipients
from papers.mail.render import DigestRenderer, Recipient, plain_text
from papers.mail.sending import sender_address
from papers.mail.sent_state import SentState
from papers.themes import load_paper_themes

from tests.helpers import ROOT, arxiv_day

SITE = {"SITENAME": "Paper Digest", "SITEURL": "https://me.github.io/digest", "DEFAULT_LANG": "en", "EMAIL_TOP_PAPERS": 10, "EMAIL_PAPERS_PER_THEME": 8}
THEMES = load_paper_themes(ROOT / "themes.yml")  # as arxiv_day's
SENDER = sender_address("Paper Digest <digest@example.org>")


def renderer() -> DigestRenderer:
    return DigestRenderer(jinja2.FileSystemLoader(str(ROOT / "theme" / "templates")), SITE)


def test_a_900_paper_day_is_cut_to_an_email_gmail_does_not_clip():
    day = arxiv_day(900)
    digest = day_digest(day, SITE, THEMES)
    assert [p.upvotes for p in digest.top] == list(range(14, 4, -1))  # the ten most upvoted, best first
    assert all(1 <= len(g.papers) <= 8 for g in digest.groups)
    assert len(digest.top) + sum(len(g.papers) for g in digest.groups) <= 60
    listed = len(digest.top) + sum(len(g.papers) + g.more for g in digest.groups)
    assert listed == 900 and digest.paper_count == 900  # every paper is in the email or counted in a "more" link
    assert all(g.more_url.startswith(f"{SITE['SITEURL']}/2026/09/01/#theme=") for g in digest.groups if g.more)
    html = renderer().document(digest, Recipient("ada@example.org"), "mailto:digest@example.org")
    assert len(html.encode()) < 102_000, len(html.encode())
    assert len(plain_text(digest).encode()) < 102_000


def test_a_theme_filter_lists_only_its_papers_under_the_themes_asked_for():
    day = arxiv_day(60)
    wanted = frozenset({THEMES[1].slug, THEMES[2].slug})
    digest = day_digest(day, SITE, THEMES, wanted)
    expected = {e.arxiv_id for e in day.articles if wanted & {t.slug for t in e.themes}}
    shown = [p.url.rstrip("/").rsplit("/", 1)[1] for p in digest.top + [p for g in digest.groups for p in g.papers]]
    assert set(shown) == expected and len(shown) == len(expected) == digest.paper_count  # each once
    assert {g.name for g in digest.groups} <= {THEMES[1].name, THEMES[2].name}
    assert digest.chosen_themes == (THEMES[1].name, THEMES[2].name)


def test_header_values_with_line_breaks_are_refused():
    day = arxiv_day(3)
    digest = day_digest(day, SITE, THEMES)
    base = dict(sender=SENDER, to="ada@example.org", subject=digest.subject, text="t", html="<p>h</p>", site_name="Paper Digest",
                site_url=SITE["SITEURL"], unsubscribe="mailto:digest@example.org", day="2026-09-01")
    message = digest_message(**base)
    assert message["Subject"] == digest.subject
    for field, value in [("subject", "Papers\r\nBcc: everyone@example.org"), ("site_name", "Digest\nX-Injected: 1"),
                         ("to", "ada@example.org\nBcc: x@example.org"), ("unsubscribe", "mailto:a@b.org\r\nX: y")]:
        with pytest.raises(HeaderRefused, match="line break or control character"):
            digest_message(**{**base, field: value})
    with pytest.raises(ConfigError):
        sender_address("Digest <digest@example.org>\r\nBcc: x@example.org")


def test_a_title_with_markup_and_line_breaks_stays_inert_in_both_parts():
    day = arxiv_day(2)
    day.articles[0].title_text = "<script>alert(1)</script> <a href=\"javascript:alert(2)\">x</a> \\textbf{bold}"
    digest = day_digest(day, SITE, THEMES)
    html = renderer().document(digest)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None and soup.find_all("a", href=lambda h: not h.startswith(SITE["SITEURL"] + "/")) == []
    link = soup.select_one(f'p.title a[href="{SITE["SITEURL"]}/{day.articles[0].url}"]')
    assert link.get_text() == day.articles[0].title_text  # shown as the text it is
    text = plain_text(digest)
    assert "<script>alert(1)</script>" in text  # plain text shows it as the text it is
    message = digest_message(sender=SENDER, to="a@example.org", subject=digest.subject, text=text, html=html, site_name="P",
                             site_url=SITE["SITEURL"], unsubscribe="mailto:d@example.org", day="2026-09-01")
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert parsed["Subject"] == digest.subject and "\n" not in parsed["Subject"]
    assert sorted(parsed.keys()) == sorted(["From", "To", "Subject", "Date", "Message-ID", "List-Id", "List-Unsubscribe", "Auto-Submitted", "MIME-Version", "Content-Type"])


def test_list_id_and_unsubscribe():
    assert list_domain("https://me.github.io/paper-digest") == "paper-digest.me.github.io"
    assert list_domain("https://digest.example.org/") == "digest.example.org"
    assert list_domain("https://Example.org/a b/c_d/") == "c-d.a-b.example.org"
    assert unsubscribe_link({}, SENDER) == "mailto:digest@example.org?subject=unsubscribe"
    assert unsubscribe_link({"EMAIL_UNSUBSCRIBE_URL": "https://buttondown.com/unsubscribe"}, SENDER) == "https://buttondown.com/unsubscribe"
    for bad in ("javascript:alert(1)", "http://plain.example.org/", "mailto:"):
        with pytest.raises(ConfigError, match="EMAIL_UNSUBSCRIBE_URL"):
            unsubscribe_link({"EMAIL_UNSUBSCRIBE_URL": bad}, SENDER)


def test_the_sent_state_records_each_send_at_once_and_forgets_old_days(tmp_path):
    path = tmp_path / "state.json"
    state = SentState(path)
    state.record("2026-01-01", "Ada@Example.org", dt.datetime(2026, 1, 1, 3, tzinfo=dt.timezone.utc))
    assert SentState(path).was_sent("2026-01-01", "ada@example.org")  # on disk already, whatever the case
    assert not SentState(path).was_sent("2026-01-02", "ada@example.org")
    state.record("2026-06-01", "ada@example.org", dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc))
    assert list(json.loads(path.read_text())["days"]) == ["2026-06-01"]  # older than 120 days: dropped
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a readable email state"):
        SentState(path)


def test_recipients_bare_addresses_themes_and_blank():
    recipients, problems = read_recipients("- alan@example.org\n- email: Grace@Example.org\n  themes: [agents]\n", ["agents"])
    assert recipients == [Recipient("alan@example.org"), Recipient("Grace@example.org", frozenset({"agents"}))]
    assert problems == []
    assert read_recipients("", []) == ([], []) and read_recipients(None, []) == ([], [])

