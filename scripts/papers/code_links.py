"""A paper's code links: the repositories its record points to, and where each was found.

Hugging Face gives a code link (``github_repo``) for the papers it features only; most
papers arXiv announces say where their code is in their own words instead ("Code is
available at https://github.com/…", ``\\url{…}`` in a comment, a dataset on Hugging Face
in the abstract).  ``code_links`` reads those links out of the paper's fields, turns each
into its repository's URL (no deep link, no trailing dot from the sentence) and says where
it came from, so a page can show every repository once and a reader can see whether
Hugging Face or the authors' text named it.

Every field is untrusted text: anything that is not plainly a repository on GitHub, GitLab
or Hugging Face is left out, and every URL returned is made here, ``https://`` on one of
those hosts, from path segments of safe characters only.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from papers.cleaning import clean_url


class CodeLink(NamedTuple):
    url: str  # https://<host>/<repository path>
    label: str  # "GitHub owner/repo", "Hugging Face dataset owner/name", …
    source: str  # HUGGING_FACE, ARXIV_COMMENT or ABSTRACT


HUGGING_FACE, ARXIV_COMMENT, ABSTRACT = "Hugging Face", "arXiv comment", "abstract"
MAX_LINKS = 5  # a paper naming more is a list of resources; its first few are its own

# How a host is written -> the host a link goes to (hf.co is Hugging Face's short domain).
HOSTS = {"github.com": "github.com", "gitlab.com": "gitlab.com", "huggingface.co": "huggingface.co", "hf.co": "huggingface.co"}
# First path segments that are GitHub's own pages, not an owner of repositories.
GITHUB_NOT_OWNERS = frozenset("""
    about apps collections contact customer-stories enterprise events explore features join login
    marketplace new notifications orgs organizations pricing pulls issues readme search security
    settings site sponsors topics trending user-attachments users advisories codespaces solutions
""".split())
# First path segments that are GitLab's own pages, not a group.
GITLAB_NOT_GROUPS = frozenset("- admin api dashboard explore groups help oauth profile projects search snippets users".split())
# Old-style GitLab deep links (before the /-/ separator): the project's path ends before these.
GITLAB_DEEP_LINK_WORDS = frozenset("""
    activity archive blame blob branches commit commits compare environments forks graphs issues
    jobs merge_requests milestones network pipelines raw releases snippets tags tree wikis
""".split())
# First path segments on Hugging Face: the kind of repository they hold, or none.
HF_REPOSITORY_KINDS = {"datasets": "dataset", "spaces": "Space"}  # any other owner: a model
HF_NOT_OWNERS = frozenset("""
    api blog chat collections datasets docs enterprise join learn login models new organizations
    papers posts pricing search settings spaces tasks
""".split())
MAX_GITLAB_DEPTH = 20  # GitLab nests subgroups at most 20 deep
# Owners and names authors write before the repository exists (github.com/xxxx/xxx,
# github.com/anonymous/Tool, github.com/to/be/released): seen in the arXiv corpus.
PLACEHOLDER_OWNER_RE = re.compile(
    r"x+|anonymous|user(name)?|your[-_]?(user(name)?|name|repo(sitory)?|org(anization)?|account|id)"
    r"|to|repo(sitory)?|owner|name|link|tbd|todo|example|placeholder",
    re.IGNORECASE,
)
PLACEHOLDER_NAME_RE = re.compile(r"x+", re.IGNORECASE)

# TeX escapes authors write inside URLs (\_ in \url{…} or plain text), read as the character.
TEX_ESCAPE_RE = re.compile(r"\\([_#%&~])")
# A host after a scheme (even glued to the word before, "athttps://", or mistyped,
# "https: //", "https:/"), or without one when not inside another name (api.github.com,
# someone@github.com, a URL in another's path); then its path of safe characters.
LINK_RE = re.compile(
    r"(?:https?:\s{0,3}//?|(?<![A-Za-z0-9.@/_-]))(?:www\.)?(?P<host>github\.com|gitlab\.com|huggingface\.co|hf\.co)"
    r"(?P<path>(?:/[A-Za-z0-9_.-]*)*)",
    # ASCII case only: with Unicode's, "GİTHUB.com" would match and name no host.
    re.IGNORECASE | re.ASCII,
)
# Whether a text names a host at all: most do not, and this is twenty times quicker.
HOST_HINT_RE = re.compile(r"github\.com|gitlab\.com|huggingface\.co|hf\.co", re.IGNORECASE | re.ASCII)
SEGMENT_RE = re.compile(r"[A-Za-z0-9_.-]+")
# A path cut short by a character it cannot hold (bär, 100%, x@y): not the link it says.
CUT_SHORT = frozenset("%@+=~$")
# A name ending in a hyphen, then a space or line break and more of it ("KVQE-\nChallenge",
# "E- LDA"): a word the text broke, so the link as written is not the repository.
BROKEN_AT_HYPHEN_RE = re.compile(r"\s+[A-Za-z0-9]")


def code_links(paper) -> list[CodeLink]:
    """The paper's repositories, once each: Hugging Face's, then the arXiv comment's, then
    the abstract's, in the order they appear, at most ``MAX_LINKS``.  Never raises."""
    found: dict[str, CodeLink] = {}
    for source, text, limit in (
        (HUGGING_FACE, getattr(paper, "github_repo", None), 1),  # one link, as Hugging Face means it
        (ARXIV_COMMENT, getattr(paper, "arxiv_comment", None), None),
        (ABSTRACT, getattr(paper, "abstract", None), None),
    ):
        for count, link in enumerate(links_in(text, source), 1):
            found.setdefault(link.url.lower(), link)  # the same repository again keeps its first source
            if len(found) >= MAX_LINKS:
                return list(found.values())
            if count == limit:
                break
    return list(found.values())


def links_in(text, source: str):
    """The repository links in ``text``, in order (a generator: read only as far as needed)."""
    if not isinstance(text, str) or not HOST_HINT_RE.search(text):
        return
    text = TEX_ESCAPE_RE.sub(r"\1", text)
    for match in LINK_RE.finditer(text):
        segments = match["path"].split("/")[1:]
        following = text[match.end() : match.end() + 1]
        cut_short = following and (following.isalnum() or following in CUT_SHORT)
        broken = match["path"].endswith("-") and BROKEN_AT_HYPHEN_RE.match(text, match.end())
        if segments and (cut_short or broken):
            segments[-1] = "%"  # a segment cut short: a repository path that needs it is refused
        link = repository_link(HOSTS[match["host"].lower()], segments, source)
        if link is not None:
            yield link


def repository_link(host: str, segments: list[str], source: str) -> CodeLink | None:
    """The repository a link's path names on ``host``, or None when it names none."""
    if host == "github.com":
        path = owner_and_name(segments[:2], GITHUB_NOT_OWNERS)
        label = f"GitHub {path}"
    elif host == "gitlab.com":
        kept = []
        for segment in segments[:MAX_GITLAB_DEPTH]:
            if segment in ("", "-") or (len(kept) >= 2 and segment in GITLAB_DEEP_LINK_WORDS):
                break
            kept.append(segment)
        path = owner_and_name(kept, GITLAB_NOT_GROUPS)
        label = f"GitLab {path}"
    else:
        kind = HF_REPOSITORY_KINDS.get(segments[0].lower() if segments else "")
        path = owner_and_name(segments[1:3] if kind else segments[:2], HF_NOT_OWNERS)
        label = f"Hugging Face {kind or 'model'} {path}"
        if kind and path:
            path = f"{segments[0].lower()}/{path}"
    url = clean_url(f"https://{host}/{path}") if path else None
    return CodeLink(url, label, source) if url else None


def owner_and_name(segments: list[str], not_owners: frozenset) -> str | None:
    """``owner/…/name`` from at least two segments of safe characters (the last without a
    sentence's trailing dot or ``.git``), or None."""
    if len(segments) < 2 or segments[0].lower() in not_owners or PLACEHOLDER_OWNER_RE.fullmatch(segments[0]):
        return None
    *owners, name = segments
    name = name.rstrip(".")
    if name.lower().endswith(".git"):
        name = name[:-4].rstrip(".")
    parts = [*owners, name]
    if PLACEHOLDER_NAME_RE.fullmatch(name) or not all(SEGMENT_RE.fullmatch(part) and part not in (".", "..") for part in parts):
        return None
    return "/".join(parts)
