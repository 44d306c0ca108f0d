"""The day's email on the published site (``YYYY/MM/DD/email.html``), the Subscribe page,
and the WebSub hub the feeds name."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from tests.helpers import build_site, soup_of

SITEURL = "https://digest.example.org/sub"
HUB = "https://pubsubhubbub.appspot.com/"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def published(replayed_content, tmp_path_factory):
    return build_site(replayed_content, tmp_path_factory.mktemp("published") / "output", "publishconf.py", SITEURL=SITEURL)


def digest_days(site):
    return sorted(p.parent for p in site.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/index.html"))


def test_every_day_publishes_its_email_as_mail_clients_need_it(published):
    days = digest_days(published)
    assert len(days) > 5
    for folder in days:
        html = (folder / "email.html").read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        day_page = soup_of(published, f"{folder.relative_to(published).as_posix()}/index.html")
        # The day's papers, linked absolutely; on a big day, the cut ones counted and linked.
        papers = {a["href"] for a in day_page.select("main .paper-title a")}
        shown = {a["href"] for a in soup.select("a[href*='/papers/']")}
        more = [int(p.get_text().split()[0]) for p in soup.select("p.more")]
        assert shown <= papers and len(shown) + sum(more) == len(papers)
        assert all(a["href"].startswith(f"{SITEURL}/{folder.relative_to(published).as_posix()}/") for a in soup.select("p.more a"))
        assert soup.find_all(["script", "style"]) == [] and [link["rel"] for link in soup.find_all("link")] == [["canonical"]]
        for tag in soup.find_all(href=True) + soup.find_all(src=True):
            assert (tag.get("href") or tag.get("src")).startswith(SITEURL + "/"), tag
        # Styles are inline (css-inline), laid out in tables.
        assert soup.select_one("table.container")["style"].startswith("width: 100%;max-width: 600px")
        assert all(p.get("style") for p in soup.select("p.title"))
        assert soup.select_one('meta[name="robots"]')["content"] == "noindex"  # the day's page is the one to find
        assert soup.select_one('link[rel="canonical"]')["href"] == f"{SITEURL}/{folder.relative_to(published).as_posix()}/"


def test_the_email_ranks_the_top_papers_first(published):
    soup = BeautifulSoup((published / "2026/08/21/email.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.find("h2").get_text() == "Top papers"
    first_rows = soup.find("h2").find_next("table").select("p.title")
    upvotes = [int(p.select_one(".upvotes").get_text().split()[-1]) for p in first_rows]
    assert upvotes == sorted(upvotes, reverse=True) and upvotes[0] == 163


def test_the_subscribe_page_lists_every_channel(published):
    soup = soup_of(published, "subscribe/index.html")
    main = soup.select_one("main")
    hrefs = {a["href"] for a in main.find_all("a", href=True)}
    assert {f"{SITEURL}/feeds/daily.atom.xml", f"{SITEURL}/feeds/all.atom.xml", f"{SITEURL}/feeds/all.rss.xml", f"{SITEURL}/feeds/feeds.opml"} <= hrefs
    # No newsletter configured: no form, a how-to for an RSS-to-email service and the latest email.
    assert main.find("form") is None
    assert "RSS-to-email" in main.get_text() and f"{SITEURL}/2026/08/21/email.html" in hrefs
    # Each feed's address is shown in full, with a copy button for JavaScript to show.
    daily = main.select_one("#feed-daily")
    assert daily.get_text() == daily["href"] == f"{SITEURL}/feeds/daily.atom.xml"
    assert main.select_one('button[data-copy="feed-daily"]').has_attr("hidden")
    assert "WebSub" in main.get_text()


def test_a_configured_newsletter_gets_a_form_and_a_bad_one_none(replayed_content, tmp_path, caplog):
    endpoint = "https://buttondown.com/api/emails/embed-subscribe/paperdigest"
    site = build_site(replayed_content, tmp_path / "a", "publishconf.py", SITEURL=SITEURL, NEWSLETTER_SUBSCRIBE_URL=endpoint)
    form = soup_of(site, "subscribe/index.html").select_one("main form")
    assert form["action"] == endpoint and form["method"] == "post"
    field = form.select_one('input[type="email"][name="email"]')
    assert field.has_attr("required") and form.select_one(f'label[for="{field["id"]}"]')
    assert "buttondown.com" in soup_of(site, "subscribe/index.html").select_one("main").get_text()

    with caplog.at_level(logging.ERROR):
        site = build_site(replayed_content, tmp_path / "b", "publishconf.py", SITEURL=SITEURL, NEWSLETTER_SUBSCRIBE_URL="javascript:alert(1)")
    assert soup_of(site, "subscribe/index.html").select_one("main form") is None
    assert "NEWSLETTER_SUBSCRIBE_URL 'javascript:alert(1)' is not an http(s) URL" in caplog.text


def feed_hubs(site):
    hubs = {}
    for path in (site / "feeds").rglob("*.xml"):
        root = ET.parse(path).getroot()
        links = root.findall(f"{ATOM}link") + root.findall(f"channel/{ATOM}link")
        hubs[path.name] = [link.get("href") for link in links if link.get("rel") == "hub"]
    return hubs


def test_published_feeds_name_the_websub_hub_and_local_ones_none(published, built_site):
    hubs = feed_hubs(published)
    assert len(hubs) > 10 and all(found == [HUB] for found in hubs.values()), hubs
    assert all(found == [] for found in feed_hubs(built_site).values())
