"""A page's key covers everything its template reads (``papers.build.keys``).

A real build of the recorded days renders every page in this process with a recording
environment: each name a template resolves from the page's context, and each attribute it
reads of an object passed to the page, is checked against what the page's key is made of:
the settings and ``INCREMENTAL_WRITER_GLOBALS`` (the build fingerprint), the template's
globals, and the render arguments with what each object's ``__shown__`` declares.  A
template that read anything else could go stale without anything noticing.
"""

from __future__ import annotations

from jinja2.runtime import Context
from pelican import signals

from paper_feeds.feeds import FeedTemplate
from papers.build.keys import PRIMITIVES, shown_paths
from papers.build.writer import IncrementalWriter
from papers.catalog.days import DigestDay
from tests.helpers import build_site

FULL = object()  # "everything the object's own __shown__ declares"
ALL = object()  # "anything": an opaque object, or a value that is its own state
# Pelican's Writer adds these for every page, from the page's name and URL (in its key).
WRITER_NAMES = frozenset({"output_file", "localsiteurl"})


class PageRecorder:
    """Records what the page being rendered reads that its key does not cover."""

    def __init__(self):
        self.page = None
        self.allowed_names: frozenset = frozenset()
        self.objects: dict[int, tuple[object, frozenset, str]] = {}
        self.violations: list[str] = []
        self.pages = 0

    def begin(self, name: str, render_args: dict, settings: dict, env_globals) -> None:
        self.page, self.objects, self.pages = name, {}, self.pages + 1
        declared = settings.get("INCREMENTAL_WRITER_GLOBALS", ())
        self.allowed_names = frozenset(settings) | frozenset(declared) | frozenset(env_globals) | WRITER_NAMES | frozenset(render_args)
        for arg, value in render_args.items():
            self.register(value, FULL, arg)

    def register(self, value, allowed, where: str) -> None:
        if value is None or type(value) in PRIMITIVES or allowed is ALL:
            return
        if isinstance(value, (list, tuple)):
            for item in value:
                self.register(item, allowed, f"{where}[]")
            return
        if allowed is FULL:
            shown = shown_paths(type(value))
            if not isinstance(shown, tuple):
                return  # opaque (one attribute stands for it all) or its own state
            allowed = frozenset(shown)
        self.objects[id(value)] = (value, allowed, where)

    def read_attribute(self, obj, attribute: str, value) -> None:
        known = self.objects.get(id(obj))
        if known is None or known[0] is not obj or not isinstance(attribute, str):
            return
        _, allowed, where = known
        below = frozenset(path[len(attribute) + 1 :] for path in allowed if path.startswith(attribute + "."))
        if attribute in allowed:
            self.register(value, FULL, f"{where}.{attribute}")
        elif below:
            self.register(value, below, f"{where}.{attribute}")
        else:
            self.violations.append(f"{self.page}: reads {where}.{attribute}, which {type(obj).__qualname__}.__shown__ does not cover")

    def resolve_name(self, key: str, found_in_page_context: bool) -> None:
        if self.page is not None and found_in_page_context and key not in self.allowed_names:
            self.violations.append(f"{self.page}: reads {key!r} from the context, which its key does not cover")


def record_build(replayed_content, tmp_path, monkeypatch) -> PageRecorder:
    """Build the recorded days in this process, recording what every page reads."""
    recorder = PageRecorder()

    class RecordingContext(Context):
        def resolve_or_missing(self, key):
            if key not in self.vars:
                recorder.resolve_name(key, key in self.parent)
            return super().resolve_or_missing(key)

    def record_environment(generator):
        env = generator.env
        plain_getattr = env.getattr

        def getattr_recorded(obj, attribute):
            value = plain_getattr(obj, attribute)
            recorder.read_attribute(obj, attribute, value)
            return value

        env.getattr = getattr_recorded
        env.context_class = RecordingContext

    plain_render = IncrementalWriter._render

    def render_recorded(writer, name, template, context, options):
        render_args = {k: v for k, v in options.items() if k not in ("relative_urls", "url")}
        env_globals = getattr(getattr(template, "environment", None), "globals", {})
        recorder.begin(name, render_args, writer.settings, env_globals)
        if isinstance(template, FeedTemplate):  # Python, not Jinja: what it takes is declared
            recorder.allowed_names |= frozenset(template.template_variables)
            for argument in template._arguments:
                if argument in context and argument not in render_args:
                    recorder.violations.append(f"{name}: the feed takes {argument!r} from the context")
        try:
            plain_render(writer, name, template, context, options)
        finally:
            recorder.page = None

    monkeypatch.setattr(IncrementalWriter, "_render", render_recorded)
    with signals.generator_init.connected_to(record_environment):
        build_site(replayed_content, tmp_path / "output", BUILD_PROCESSES=1)
    return recorder


def test_every_template_reads_only_what_its_page_key_covers(replayed_content, tmp_path, monkeypatch):
    recorder = record_build(replayed_content, tmp_path, monkeypatch)
    assert recorder.pages > 300  # every paper page, listing and feed was rendered here
    assert recorder.violations == []


def test_a_template_reading_what_the_key_leaves_out_is_found(replayed_content, tmp_path, monkeypatch):
    """The check above can fail: a day that no longer declares its ranked papers, which
    every day page shows, is reported page by page."""
    monkeypatch.setattr(DigestDay, "__shown__", tuple(p for p in DigestDay.__shown__ if p != "ranked"))
    recorder = record_build(replayed_content, tmp_path, monkeypatch)
    assert any(v.endswith("reads day.ranked, which DigestDay.__shown__ does not cover") for v in recorder.violations)
