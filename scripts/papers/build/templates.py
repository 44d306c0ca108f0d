"""Compiled templates kept between builds, in ``CACHE_PATH/jinja``.

Pelican compiles every template again in every build (a tenth of a day's rebuild); Jinja's
bytecode cache, checked against each template's source, keeps the compiled code instead.
"""

from __future__ import annotations

import os

import jinja2


def keep_compiled_templates(generator) -> None:
    """A ``generator_init`` receiver: the generator's Jinja environment caches bytecode."""
    path = os.path.join(generator.settings["CACHE_PATH"], "jinja")
    os.makedirs(path, exist_ok=True)
    generator.env.bytecode_cache = jinja2.FileSystemBytecodeCache(path)
