"""The Pelican API the build framework (``papers.build``) and the plugins rely on, checked
against the pinned Pelican: a Pelican upgrade that changes any of it fails here first."""

from __future__ import annotations

import inspect
import re

import pelican
from pelican import Pelican, signals
from pelican.generators import Generator
from pelican.writers import Writer

from tests.helpers import ROOT


def test_the_pinned_pelican_is_the_one_installed():
    pinned = re.search(r"^pelican==(\S+)$", (ROOT / "requirements.txt").read_text(encoding="utf-8"), re.M)[1]
    assert pelican.__version__ == pinned


def test_the_signals_the_build_connects_to_exist_with_the_arguments_it_expects():
    # IncrementalPelican: get_writer (returns a Writer class), generator_init (a generator,
    # its .env and shared .context), all_generators_finalized (the generators), finalized
    # (the Pelican object); the writer skips nothing while content_written has receivers.
    for name in ("get_writer", "generator_init", "all_generators_finalized", "finalized", "get_generators", "content_written"):
        assert isinstance(getattr(signals, name), type(signals.finalized)), name
    source = inspect.getsource(Pelican)
    assert "signals.get_writer.send(self)" in source and "isinstance(w, type)" in source
    assert "signals.all_generators_finalized.send(generators)" in source and "signals.finalized.send(self)" in source
    assert "signals.generator_init.send(self)" in inspect.getsource(Generator.__init__)


def test_writer_write_file_takes_what_the_incremental_writer_passes():
    parameters = inspect.signature(Writer.write_file).parameters
    assert list(parameters)[:4] == ["self", "name", "template", "context"]
    for name in ("relative_urls", "paginated", "template_name", "override_output", "url"):
        assert name in parameters
    assert any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())  # render arguments


def test_the_settings_name_the_pelican_class_itself():
    """Pelican's string form of PELICAN_CLASS imports top-level modules only, so the
    settings hold the class (``get_instance`` uses any non-string as the class)."""
    from pelican.settings import read_settings

    from papers.build.incremental import IncrementalPelican

    assert read_settings(str(ROOT / "pelicanconf.py"))["PELICAN_CLASS"] is IncrementalPelican
    assert "isinstance(cls, str)" in inspect.getsource(pelican.get_instance)
