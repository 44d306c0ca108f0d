"""Who gets the email digest: the YAML text of ``EMAIL_RECIPIENTS`` (a repository
secret in the daily workflow, never a committed file)::

    - email: ada@example.org
    - email: grace@example.org
      themes: [agents, vision]     # paper theme slugs of themes.yml; absent: all of them

A bare address (``- alan@example.org``) is a recipient of every theme.  Each address is
checked for form (``email-validator``, no DNS lookup) and each theme against themes.yml.
A bad item is named by its line and position, with its own value only, never the others,
and left out; the others still get the digest.
"""

from __future__ import annotations

import yaml
from email_validator import EmailNotValidError, validate_email

from papers.errors import ConfigError
from papers.mail.render import Recipient
from papers.yaml_config import STR_TAG, NodeReader

SOURCE_NAME = "EMAIL_RECIPIENTS"
KEYS = ("email", "themes")


class RecipientsError(ConfigError):
    """``EMAIL_RECIPIENTS`` as a whole cannot be read (not YAML, not a list)."""


class _RecipientsReader(NodeReader):
    error_class = RecipientsError

    def __init__(self, text: str, theme_slugs: list[str]):
        super().__init__(SOURCE_NAME)
        self.source_text = text
        self.theme_slugs = theme_slugs

    def read(self) -> yaml.Node | None:
        try:
            return yaml.compose(self.source_text, Loader=yaml.CSafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"{SOURCE_NAME}:{mark.line + 1}" if mark else SOURCE_NAME
            problem = getattr(exc, 'problem', None) or 'unreadable'
            raise RecipientsError(f"{where}: not valid YAML: {problem}; the invalid YAML is on this line or above it") from None

    def check_theme(self, slug: str) -> str | None:
        if slug in self.theme_slugs:
            return None
        return f"is not a paper theme slug of themes.yml (one of: {', '.join(self.theme_slugs)})"

    def recipient(self, node: yaml.Node, key: str) -> Recipient:
        if isinstance(node, yaml.ScalarNode) and node.tag == STR_TAG:
            fields = {"email": (node, key)}
        else:
            fields = self.mapping(node, key, KEYS, required=("email",))
        address_node, address_key = fields["email"]
        address = self.text(address_node, address_key)
        try:
            address = validate_email(address, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            raise self.error(address_node, address_key, f"{address!r} is not a valid email address: {exc}") from None
        themes = None
        if "themes" in fields:
            themes = frozenset(self.texts(*fields["themes"], check=self.check_theme))
        return Recipient(address, themes)


def read_recipients(text: str | None, theme_slugs: list[str]) -> tuple[list[Recipient], list[str]]:
    """The recipients of ``text``, and what was wrong with each item left out.
    ``RecipientsError`` when the text as a whole is not a YAML list."""
    reader = _RecipientsReader(text or "", theme_slugs)
    root = reader.read()
    if root is None:
        return [], []
    items = reader.sequence(root, "", allow_empty=True)
    recipients, problems, seen = [], [], set()
    for number, node in enumerate(items, 1):
        try:
            recipient = reader.recipient(node, f"item {number}")
        except RecipientsError as exc:
            problems.append(str(exc))
            continue
        if recipient.address.casefold() in seen:
            problems.append(f"{SOURCE_NAME}:{node.start_mark.line + 1}: item {number}: {recipient.address!r} is listed twice")
            continue
        seen.add(recipient.address.casefold())
        recipients.append(recipient)
    return recipients, problems
