"""Every error the library raises on purpose, in one hierarchy.

A command or a build catches ``PaperDigestError`` (or one branch of it) and reports its
message, which always names what was refused: the file, line and key of a configuration
mistake, the entry or file of a rejected paper, the URL of a failed request.
"""

from __future__ import annotations


class PaperDigestError(Exception):
    """Base of the library's errors: its message says what was refused and why."""


class Rejected(PaperDigestError, ValueError):
    """An input (a fetched entry, a paper file, a value in one) that cannot be used."""


class ConfigError(PaperDigestError, ValueError):
    """A maintainer's YAML file (``sources.yml``) that cannot be used: ``file:line: key``."""


class PaperThemesError(ConfigError):
    """A paper themes file (``themes.yml``) that cannot be used: ``file:line: key``."""


class SourceError(PaperDigestError, RuntimeError):
    """A source's response that cannot be used: broken, unsafe or not what was asked for."""


class FetchError(SourceError):
    """A request that failed: no answer, or an error status after every retry."""
