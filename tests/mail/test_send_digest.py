"""``invoke email-digest`` (scripts/email_digest.py) against a real SMTP server (aiosmtpd
on 127.0.0.1): what arrives, once per recipient and day, with failures named."""

from __future__ import annotations

import email
import email.policy
import json
import re

from bs4 import BeautifulSoup

from tests.helpers import script
from tests.mail.conftest import DAY, SITEURL

email_digest = script("email_digest")

RECIPIENTS = """
- email: ada@example.org
- email: grace@example.org
  themes: [agents]
"""


def smtp_env(port: int, recipients: str = RECIPIENTS, **extra) -> dict:
    return {
        "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port), "SMTP_SECURITY": "none",
        "SMTP_FROM": "Paper Digest <digest@example.org>", "EMAIL_RECIPIENTS": recipients, **extra,
    }


class Sleeps(list):
    def __call__(self, seconds):
        self.append(seconds)


def send(settings_file, tmp_path, env, *more, sleep=None):
    argv = ["--settings", str(settings_file), "--state", str(tmp_path / "state.json"), "--pause", "0.5", *more]
    return email_digest.main(argv, env=env, sleep=sleep if sleep is not None else Sleeps())


def parts(message):
    assert message.get_content_type() == "multipart/alternative"
    plain, html = message.get_body(("plain",)), message.get_body(("html",))
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    return plain.get_content(), html.get_content()


def paper_links(html: str) -> set[str]:
    soup = BeautifulSoup(html, "html.parser")
    return {a["href"] for a in soup.find_all("a", href=True) if "/papers/" in a["href"]}


def test_a_day_to_two_recipients_one_with_a_theme_filter(settings_file, tmp_path, server, bundled_catalog, capsys):
    handler, port = server
    sleeps = Sleeps()
    assert send(settings_file, tmp_path, smtp_env(port), sleep=sleeps) == 0
    assert "Email digest of 2026-08-21: 2 sent, 0 already sent" in capsys.readouterr().out
    assert sleeps == [0.5]  # one pause between the two messages, no retry
    (ada,), (grace,) = handler.to("ada@example.org"), handler.to("grace@example.org")
    day = bundled_catalog.last_digest_day
    assert day.iso == DAY

    for message, address in ((ada, "ada@example.org"), (grace, "grace@example.org")):
        assert message["To"] == address
        assert message["From"] == "Paper Digest <digest@example.org>"
        assert message["List-Id"] == "Paper Digest daily digest <daily.papers-site.digest.example.org>"
        assert message["List-Unsubscribe"] == "<mailto:digest@example.org?subject=unsubscribe>"
        assert message["Subject"].startswith("Paper Digest: ") and "21 August 2026" in message["Subject"]
        text, html = parts(message)
        assert address in text and address in html  # the footer says why they got it
        assert "unsubscribe" in text.lower() and "unsubscribe" in html.lower()
        soup = BeautifulSoup(html, "html.parser")
        hrefs = [a["href"] for a in soup.find_all("a", href=True)]
        assert hrefs and all(h.startswith((SITEURL + "/", "mailto:")) for h in hrefs)
        # Every link of the HTML part is written out in the plain text too.
        assert {h for h in hrefs if "/papers/" in h} <= set(re.findall(r"https://\S+", text))

    text, html = parts(ada)
    everyone = {f"{SITEURL}/{a.url}" for a in day.articles}
    assert paper_links(html) == everyone  # 17 papers: none cut
    top = sorted((a for a in day.articles if a.upvotes), key=lambda a: -a.upvotes)[0]
    position = {a: text.index(f"{SITEURL}/{a.url}") for a in day.articles}  # titles are wrapped: their links are not
    assert position[top] == min(position.values())
    assert "TOP PAPERS" in text

    text, html = parts(grace)
    agents = {f"{SITEURL}/{a.url}" for a in day.articles if "agents" in {t.slug for t in a.themes}}
    assert 0 < len(agents) < len(everyone)
    assert paper_links(html) == agents == {u for u in re.findall(r"https://\S+", text) if "/papers/" in u}
    assert f"Paper Digest: {len(agents)} papers of 21 August 2026" in grace["Subject"]  # only her papers counted
    assert "Agents and tool use" in text.splitlines()[1]


def test_a_rerun_sends_nothing_and_a_new_recipient_only_to_them(settings_file, tmp_path, server, capsys):
    handler, port = server
    assert send(settings_file, tmp_path, smtp_env(port)) == 0
    assert send(settings_file, tmp_path, smtp_env(port)) == 0
    assert len(handler.received) == 2
    assert "0 sent, 2 already sent" in capsys.readouterr().out
    state = json.loads((tmp_path / "state.json").read_text())
    assert len(state["days"][DAY]) == 2
    assert "ada@example.org" not in json.dumps(state)  # hashes, not addresses
    assert send(settings_file, tmp_path, smtp_env(port, RECIPIENTS + "- email: alan@example.org\n")) == 0
    assert [rcpt for _, rcpt, _ in handler.received][-1] == ["alan@example.org"] and len(handler.received) == 3


def test_a_refused_recipient_is_named_and_the_others_are_sent(settings_file, tmp_path, server, capsys):
    handler, port = server
    handler.refused.add("grace@example.org")
    recipients = RECIPIENTS + "- email: alan@example.org\n"
    assert send(settings_file, tmp_path, smtp_env(port, recipients)) == 1
    out, err = capsys.readouterr()
    assert "failed: recipient 2 <grace@example.org>: 550 5.1.1 No such user here (permanent: not retried)" in err
    assert "2 sent, 0 already sent, 0 with no paper in their themes, 1 failed" in out
    assert sorted(r for _, rcpt, _ in handler.received for r in rcpt) == ["ada@example.org", "alan@example.org"]
    assert handler.attempts.count("grace@example.org") == 1  # a 5xx is not retried
    # Once the address works, a rerun sends to her alone.
    handler.refused.clear()
    assert send(settings_file, tmp_path, smtp_env(port, recipients)) == 0
    assert [rcpt for _, rcpt, _ in handler.received][-1] == ["grace@example.org"] and len(handler.received) == 3


def test_a_temporary_failure_is_retried_with_backoff(settings_file, tmp_path, server, capsys):
    handler, port = server
    handler.deferred["ada@example.org"] = 2
    sleeps = Sleeps()
    assert send(settings_file, tmp_path, smtp_env(port), sleep=sleeps) == 0
    assert handler.attempts.count("ada@example.org") == 3
    assert len(handler.to("ada@example.org")) == 1
    assert sleeps[:2] == [10.0, 20.0]  # backoff doubles; then the pause before grace's
    assert "2 sent" in capsys.readouterr().out


def test_a_recipient_deferred_past_every_retry_fails_visibly(settings_file, tmp_path, server, capsys):
    handler, port = server
    handler.deferred["ada@example.org"] = 99
    assert send(settings_file, tmp_path, smtp_env(port)) == 1
    err = capsys.readouterr().err
    assert "recipient 1 <ada@example.org>: 451 4.7.1 Greylisted, try again later (temporary, still refused after 4 attempts)" in err
    assert len(handler.to("grace@example.org")) == 1


def test_dry_run_writes_eml_files_and_sends_nothing(settings_file, tmp_path, server):
    handler, port = server
    eml_dir = tmp_path / "eml"
    assert send(settings_file, tmp_path, smtp_env(port), "--dry-run", "--eml-dir", str(eml_dir), "--day", DAY) == 0
    files = sorted(eml_dir.glob("*.eml"))
    assert [f.name for f in files] == [f"{DAY}-001.eml", f"{DAY}-002.eml"]
    message = email.message_from_bytes(files[1].read_bytes(), policy=email.policy.default)
    assert message["To"] == "grace@example.org"
    parts(message)
    assert handler.received == [] and handler.attempts == []
    assert not (tmp_path / "state.json").exists()  # a dry run records nothing


def test_a_bad_address_is_named_without_the_others_and_the_rest_is_sent(settings_file, tmp_path, server, capsys):
    handler, port = server
    recipients = "- email: ada@example.org\n- email: 'not an address@'\n- email: grace@example.org\n  themes: [no-such-theme]\n"
    assert send(settings_file, tmp_path, smtp_env(port, recipients)) == 1
    err = capsys.readouterr().err
    assert "EMAIL_RECIPIENTS:2: item 2.email: 'not an address@' is not a valid email address" in err
    assert "EMAIL_RECIPIENTS:4: item 3.themes: 'no-such-theme' is not a paper theme slug" in err
    assert "ada@example.org" not in err and "grace@example.org" not in err
    assert [rcpt for _, rcpt, _ in handler.received] == [["ada@example.org"]]


def test_a_recipient_whose_themes_have_no_paper_gets_nothing(settings_file, tmp_path, server, bundled_catalog, capsys):
    handler, port = server
    day = bundled_catalog.last_digest_day
    used = {t.slug for a in day.articles for t in a.themes}
    unused = next(t.slug for t in bundled_catalog.paper_themes if t.slug not in used)
    assert send(settings_file, tmp_path, smtp_env(port, f"- email: ada@example.org\n  themes: [{unused}]\n")) == 0
    assert handler.received == []
    assert "0 sent, 0 already sent, 1 with no paper in their themes, 0 failed" in capsys.readouterr().out


def test_configuration_mistakes_stop_before_anything_is_sent(settings_file, tmp_path, server, capsys):
    handler, port = server
    cases = {
        "SMTP_SECURITY": ("tls13", "SMTP_SECURITY must be one of starttls, ssl, none"),
        "SMTP_FROM": ("nobody", "SMTP_FROM: 'nobody' is not a valid email address"),
        "SMTP_USERNAME": ("user", "SMTP_USERNAME and SMTP_PASSWORD go together"),
        "EMAIL_RECIPIENTS": ("- [unclosed", "not valid YAML"),
    }
    plain_remote = {"SMTP_HOST": "smtp.example.org", "SMTP_USERNAME": "u", "SMTP_PASSWORD": "p"}
    assert send(settings_file, tmp_path, smtp_env(port, **plain_remote)) == 2
    assert "SMTP_SECURITY none would send the password to smtp.example.org unencrypted" in capsys.readouterr().err
    for name, (value, message) in cases.items():
        assert send(settings_file, tmp_path, smtp_env(port, **{name: value})) == 2, name
        assert message in capsys.readouterr().err
    assert send(settings_file, tmp_path, smtp_env(port), "--day", "2026-01-01") == 2
    assert "no digest for 2026-01-01" in capsys.readouterr().err
    assert handler.received == []


def test_a_relative_siteurl_is_refused(tmp_path, server, capsys):
    from tests.helpers import ROOT

    handler, port = server
    assert email_digest.main(["--settings", str(ROOT / "pelicanconf.py"), "--state", str(tmp_path / "s.json")], env=smtp_env(port)) == 2
    assert "an email's links must be absolute" in capsys.readouterr().err
    assert handler.received == []


def test_in_github_actions_every_address_is_masked_before_anything_is_printed(settings_file, tmp_path, server, capsys):
    handler, port = server
    recipients = RECIPIENTS + "- email: 'typo@@example.org'\n"
    assert send(settings_file, tmp_path, smtp_env(port, recipients, GITHUB_ACTIONS="true")) == 1
    out, err = capsys.readouterr()
    masks = [line for line in out.splitlines() if line.startswith("::add-mask::")]
    assert sorted(masks) == ["::add-mask::ada@example.org", "::add-mask::grace@example.org", "::add-mask::typo@@example.org"]
    assert out.index("::add-mask::") == 0  # before any line that could name one


def test_hostile_data_stays_inert_in_both_parts(hostile_settings_file, tmp_path, server):
    """A recorded day whose entries carry markup, a javascript: link, a front-matter
    breaker with line breaks in the title (tests.helpers.hostile_day), sent for real."""
    handler, port = server
    assert send(hostile_settings_file, tmp_path, smtp_env(port, "- email: ada@example.org\n")) == 0
    [(_, _, message)] = handler.received
    text, html = parts(message)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find_all(["script", "img", "iframe", "style", "link"]) == []
    assert not any(attr.lower().startswith("on") for tag in soup.find_all(True) for attr in tag.attrs)
    assert all(a["href"].startswith((SITEURL + "/", "mailto:")) for a in soup.find_all("a", href=True))
    assert "<script>alert(1)</script>" in soup.get_text()  # the title, shown as the text it is
    assert "<script>alert(1)</script>" in text and "javascript:" not in text.replace("[x](javascript:alert(1))", "")
    # The title's line breaks and "save_as:" never became headers: one line of subject.
    assert "save_as" not in message.keys() and "status" not in {k.lower() for k in message.keys()}
    assert "\n" not in message["Subject"] and message["Subject"].startswith("Paper Digest: ")
