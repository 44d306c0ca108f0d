"""Argument types the scripts' command lines share (``argparse`` ``type=`` callables)."""

from __future__ import annotations

import argparse

from papers.cleaning import FIRST_YEAR, LAST_YEAR, valid_day


def iso_date(text: str) -> str:
    """A day the archive can hold (``valid_day``: 1991 to 2100), as YYYY-MM-DD."""
    if not valid_day(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a YYYY-MM-DD day from {FIRST_YEAR} to {LAST_YEAR}")
    return text
