"""``invoke websub-ping`` (scripts/websub_ping.py): one publish request naming every feed
of the site's OPML, replayed with ``responses``."""

from __future__ import annotations

import urllib.parse

import pytest
import responses
from papers.sources.http import PoliteClient

from tests.helpers import FakeClock, script

websub_ping = script("websub_ping")

HUB = "https://hub.example.org/"
SITEURL = "https://digest.example.org/sub"


@pytest.fixture
def opml(built_site_published):
    return built_site_published / "feeds" / "feeds.opml"


@pytest.fixture(scope="module")
def built_site_published(replayed_content, tmp_path_factory):
    from tests.helpers import build_site

    return build_site(replayed_content, tmp_path_factory.mktemp("ping") / "output", "publishconf.py", SITEURL=SITEURL)


def client() -> PoliteClient:
    fake = FakeClock()
    return PoliteClient(retries=2, clock=fake.clock, sleep=fake.sleep)


@responses.activate
def test_every_feed_is_named_once_in_one_publish_request(opml, capsys):
    responses.post(HUB, status=204)
    assert websub_ping.main(["--opml", str(opml), "--hub", HUB], client=client()) == 0
    [call] = responses.calls
    form = urllib.parse.parse_qs(call.request.body)
    assert form["hub.mode"] == ["publish"]
    urls = form["hub.url"]
    assert len(urls) == len(set(urls)) > 10
    assert f"{SITEURL}/feeds/daily.atom.xml" in urls and all(u.startswith(f"{SITEURL}/feeds/") for u in urls)
    assert f"told {HUB} of {len(urls)} feeds" in capsys.readouterr().out


@responses.activate
def test_the_live_opml_is_read_from_its_url_and_a_refusing_hub_fails(opml, capsys):
    responses.get(f"{SITEURL}/feeds/feeds.opml", body=opml.read_bytes())
    responses.post(HUB, status=400)
    assert websub_ping.main(["--opml", f"{SITEURL}/feeds/feeds.opml", "--hub", HUB], client=client()) == 1
    assert "the hub refused or did not answer" in capsys.readouterr().err


@responses.activate
def test_a_busy_hub_is_retried(opml):
    responses.post(HUB, status=503)
    responses.post(HUB, status=204)
    assert websub_ping.main(["--opml", str(opml), "--hub", HUB], client=client()) == 0
    assert len(responses.calls) == 2


def test_no_hub_no_ping_and_a_bad_opml_is_named(tmp_path, capsys):
    from tests.helpers import ROOT

    assert websub_ping.main(["--settings", str(ROOT / "pelicanconf.py")]) == 0
    assert "no hub configured" in capsys.readouterr().out
    bad = tmp_path / "feeds.opml"
    bad.write_text('<!DOCTYPE x [<!ENTITY a "aaaa">]><opml>&a;</opml>', encoding="utf-8")
    assert websub_ping.main(["--opml", str(bad), "--hub", HUB]) == 2
    assert f"cannot read the feeds' list {bad}" in capsys.readouterr().err
    assert websub_ping.main(["--opml", str(bad), "--hub", "javascript:alert(1)"]) == 1
