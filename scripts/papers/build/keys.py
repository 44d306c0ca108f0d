"""A page's key: a text that changes whenever anything the page shows changes.

A page is rendered from its template, the settings, a few context values every page may
show (setting ``INCREMENTAL_WRITER_GLOBALS``) and its *render arguments* (``day=``,
``article=``…).  The writer covers the first three with the build fingerprint and derives
the rest of the key from the render arguments themselves, so no generator writes a key by
hand.  Each object passed to a page says what a page may show of it, with a class
attribute ``__shown__``:

- a tuple of attribute paths (``("iso", "articles", "previous.url")``): the page may read
  those and only those, and the key holds their values (``page_state``);
- the name of one attribute (``"page_state"``) whose value changes whenever anything
  reachable from the object changes (a paper's catalogue entry: a digest of its file, its
  theme matches and the code that reads it): the page may read anything of it.

Texts, numbers, dates, None and containers of them are their own state.  Any other object
is refused (``TypeError``): a value the key cannot see would let pages go stale.  The test
``tests/site/test_page_keys.py`` renders every template of a real build with a recording
environment and fails when a template reads a name or an attribute its key does not cover.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

PRIMITIVES = frozenset({str, int, float, bool, bytes, type(None)})
MAX_DEPTH = 6


def shown_paths(kind: type) -> tuple[str, ...] | str | None:
    """What ``kind``'s ``__shown__`` declares (paths, or one attribute's name), or None."""
    return getattr(kind, "__shown__", None)


def resolve(value, path: str):
    """``value.a.b`` for the path ``"a.b"``; None when a link on the way is None."""
    for name in path.split("."):
        if value is None:
            return None
        value = getattr(value, name)
    return value


def page_state(value, memo: dict | None = None):
    """What a page shows of ``value``, as texts, numbers and containers (see the module
    docstring); ``TypeError`` for an object that does not say.  ``memo`` keeps the state
    of each object with ``__shown__`` paths across the pages of one build (a day is shown
    by its page, the home page, the archives, the sitemap and the daily feed)."""
    kind = type(value)
    if kind in PRIMITIVES:
        return value
    shown = shown_paths(kind)
    if isinstance(shown, str):
        return getattr(value, shown)
    if shown is not None:
        known = memo.get(id(value)) if memo is not None else None
        if known is not None and known[0] is value:
            return known[1]
        state = tuple(page_state(resolve(value, path), memo) for path in shown)
        if memo is not None:
            memo[id(value)] = (value, state)  # the object kept alive: its id stays its own
        return state
    if isinstance(value, (list, tuple)):
        return [page_state(v, memo) for v in value]
    if isinstance(value, dict):
        return {k: page_state(v, memo) for k, v in value.items()}
    if isinstance(value, str):  # markup and other str subclasses: the text
        return str(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    raise TypeError(f"a {kind.__qualname__} was passed to a page, but it does not say what a page shows of it (__shown__)")


def stable_repr(value, _depth: int = 0) -> str:
    """A text that changes when ``value``'s content changes, and is the same across runs
    (settings and context values for the build fingerprint).

    Containers and objects are followed ``MAX_DEPTH`` levels deep (deeper: a marker), so a
    cycle cannot recurse forever; dataclass fields declared ``repr=False`` are not content.
    Other objects fall back to ``repr``: when that holds a memory address, every page is
    simply rendered again.
    """
    kind = type(value)
    if kind in PRIMITIVES:
        return repr(value)
    if isinstance(value, str):
        return kind.__qualname__ + str.__repr__(value)
    if _depth >= MAX_DEPTH:
        return f"<{kind.__qualname__}>"
    _depth += 1
    if isinstance(value, (list, tuple)):
        if PRIMITIVES.issuperset(map(type, value)):
            return repr(list(value))
        return "[" + ",".join([stable_repr(v, _depth) for v in value]) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(stable_repr(v, _depth) for v in value)) + "}"
    if isinstance(value, dict):
        return "{" + ",".join(sorted(f"{stable_repr(k, _depth)}:{stable_repr(v, _depth)}" for k, v in value.items())) + "}"
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if dataclasses.is_dataclass(kind):
        fields = [f.name for f in dataclasses.fields(kind) if f.repr]
        return f"{kind.__qualname__}({','.join([f'{name}={stable_repr(getattr(value, name), _depth)}' for name in fields])})"
    if callable(value) and hasattr(value, "__qualname__"):  # a filter or function in settings
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    if hasattr(value, "__dict__"):
        return kind.__qualname__ + stable_repr(vars(value), _depth)
    return repr(value)


def digest(*parts: str) -> str:
    return hashlib.sha1("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def render_key(render_args: dict, memo: dict | None = None) -> str:
    """The part of a page's key that its render arguments make.  A state is made of texts,
    numbers, None and containers only, so its ``repr`` is stable across runs."""
    states = {name: page_state(value, memo) for name, value in render_args.items()}
    if all(type(state) is str and "\0" not in state for state in states.values()):
        # A paper page: its entry's and its related papers' digests (kept quick: a build
        # keys every paper's page).  Names are identifiers, so no two argument sets join
        # alike, nor like a repr (which starts with "{").
        return "\0".join(f"{name}={state}" for name, state in states.items())
    return repr(states)


def page_key(fingerprint: str, template_name: str, name: str, url, relative_urls: bool, render_args: dict, memo: dict | None = None) -> str:
    """The key of the page written to ``name``: the build, its template, where it goes,
    and what its render arguments show."""
    return digest(fingerprint, template_name, name, str(url), str(relative_urls), render_key(render_args, memo))
