"""What the store leaves on disk: modes the umask gives, no temporary file after a failed
write, leftovers of killed runs removed, git-ignored and never read by the build; stored
files that cannot be read are rejected by name and left exactly as they are."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
from papers.catalog.cache import paper_files
from papers.errors import Rejected
from papers.layout import PAPER_GLOB, PAPERS_DIR
from papers.model import Paper
from papers.paperfile import dump_paper
from papers.store import TEMPORARY_RE, ContentStore, atomic_write

from tests.helpers import ROOT, build_site, hf_fixture, replay

DAY = "2026-08-20"
ID = "2608.13558"  # featured on 2026-08-14 too
PAPER_FILE = f"papers/2026/08/20/{ID}.md"


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def a_paper(arxiv_id: str = "2608.00001", title: str = "T") -> Paper:
    return Paper(arxiv_id, title, ["A"], "x", ["2026-08-13"], ["hf"])


@pytest.fixture(params=[0o022, 0o027], ids=["umask022", "umask027"])
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


# --- modes --------------------------------------------------------------------------------


def test_new_files_get_the_mode_the_umask_gives(tmp_path, umask):
    target = tmp_path / "search" / "manifest.json"
    atomic_write(target, "{}")
    ContentStore(tmp_path / "content").save(a_paper())
    expected = 0o666 & ~umask
    assert mode(target) == expected
    assert mode(tmp_path / "content/papers/2026/08/13/2608.00001.md") == expected


@pytest.mark.parametrize("umask_text, expected", [("022", 0o644), ("027", 0o640)])
def test_the_fetch_script_writes_paper_files_with_the_umask_mode(tmp_path, umask_text, expected):
    content = tmp_path / "content"
    command = [sys.executable, str(ROOT / "scripts/fetch.py"), "--source", "hf", "--date", DAY, "--input", str(hf_fixture(DAY)), "--content", str(content)]
    subprocess.run(["sh", "-c", f'umask {umask_text} && exec "$@"', "sh", *command], check=True, capture_output=True)
    files = sorted((content / PAPERS_DIR).glob(PAPER_GLOB))
    assert len(files) == 15
    assert {mode(f) for f in files} == {expected}


@pytest.mark.parametrize("old_mode", [0o600, 0o664])
def test_a_replaced_file_keeps_its_mode(tmp_path, umask, old_mode):
    target = tmp_path / "f.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(old_mode)
    atomic_write(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert mode(target) == old_mode


# --- no temporary file after a failed write -----------------------------------------------


def raising(exc):
    def fail(*args, **kwargs):
        raise exc

    return fail


@pytest.mark.parametrize("where", ["fsync", "replace"])
@pytest.mark.parametrize("exc", [OSError("disk full"), KeyboardInterrupt()], ids=["OSError", "KeyboardInterrupt"])
@pytest.mark.parametrize("existing", [True, False], ids=["replacing", "new"])
def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, where, exc, existing):
    target = tmp_path / "manifest.json"
    if existing:
        target.write_bytes(b"old")
    monkeypatch.setattr(os, where, raising(exc))
    with pytest.raises(type(exc)):
        atomic_write(target, "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == (["manifest.json"] if existing else [])
    if existing:
        assert target.read_bytes() == b"old"


# --- leftovers of killed runs -------------------------------------------------------------


def temporary_name(tmp_path, monkeypatch, target_name: str) -> str:
    """The name of the temporary file ``atomic_write`` really uses for ``target_name``."""
    names = []
    real_replace = os.replace

    def replace(src, dst):
        names.append(os.path.basename(src))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    atomic_write(tmp_path / target_name, "x")
    monkeypatch.setattr(os, "replace", real_replace)
    [name] = names
    assert TEMPORARY_RE.match(name)
    return name


def leftovers(content):
    """Temporary files as a killed run leaves them (beside a paper file and the fetch state,
    and one named as ``tempfile.mkstemp`` named them before), holding a paper's text."""
    text = dump_paper(a_paper("2608.99999", "Leaked temporary paper"))
    paths = [
        content / "papers/2026/08/20/.2608.99999.md.3fa9c01b.tmp",
        content / "papers/2026/08/20/.2608.13558.md.k3_x9abz.tmp",
        content / ".fetch-state.json.0011aaff.tmp",
        content / "pages/.about.md.00ff00ff.tmp",
    ]
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text if path.name.startswith(".2608") else "Title: Leaked temporary page\n\nLeaked\n", encoding="utf-8")
    return paths


def test_leftover_temporaries_are_git_ignored(tmp_path, monkeypatch):
    """The repository's own .gitignore: `git add content` (ci-commit) never adds one."""
    names = [
        f"content/papers/2026/08/20/{temporary_name(tmp_path, monkeypatch, f'{ID}.md')}",
        f"content/{temporary_name(tmp_path, monkeypatch, '.fetch-state.json')}",
        "content/papers/2026/08/20/.2608.13558.md.k3_x9abz.tmp",
        "content/.fetch.lock",
    ]
    ignored = subprocess.run(["git", "check-ignore", "--no-index", "--stdin"], check=False, input="\n".join(names), capture_output=True, text=True, cwd=ROOT)
    assert ignored.stdout.splitlines() == names
    for kept in ["content/papers/2026/08/20/2608.13558.md", "content/.fetch-state.json"]:
        assert subprocess.run(["git", "check-ignore", "--no-index", "-q", kept], check=False, cwd=ROOT).returncode == 1, kept


def test_the_next_fetch_run_removes_leftover_temporaries_and_nothing_else(content, caplog):
    planted = leftovers(content)
    keep = [content / "papers/2026/08/20/notes.tmp", content / "papers/2026/08/20/.x.md.short.tmp"]
    for path in keep:
        path.write_text("mine", encoding="utf-8")
    assert ContentStore(content).remove_temporaries() == sorted(p.resolve() for p in planted)
    assert all(p.exists() for p in keep) and not any(p.exists() for p in planted)

    planted = leftovers(content)
    assert replay(content, DAY) == 0
    assert not any(p.exists() for p in planted)
    assert all(f"removed {p.resolve()}, left by an interrupted run" in caplog.text for p in planted)


def test_leftover_temporaries_are_never_read_as_papers_or_pages(content, tmp_path):
    assert replay(content, DAY) == 0
    leftovers(content)
    assert len(sorted((content / PAPERS_DIR).glob(PAPER_GLOB))) == 15
    assert "2608.99999" not in ContentStore(content).ids()
    assert not any(".tmp" in path for path, *_ in paper_files(str(content)))
    out = build_site(content, tmp_path / "output")
    assert (out / "papers" / ID / "index.html").is_file()
    assert not (out / "papers/2608.99999").exists()
    built = [p for p in out.rglob("*") if p.is_file()]
    assert not any(p.name.endswith(".tmp") or p.stem == "about" for p in built)
    assert not any(b"Leaked temporary" in p.read_bytes() for p in built)


# --- stored files that cannot be read -----------------------------------------------------


def corruptions(good: bytes) -> dict[str, tuple[bytes, str]]:
    """Broken copies of a real paper file, each with what its rejection must say."""
    return {
        "not-utf8": (good[:17] + b"\xff" + good[17:], "not UTF-8 (byte 0xff at 17)"),
        "broken-yaml": (b"---\narxiv_id: '2608.13558'\ntitle: [unclosed\n---\nx\n", "invalid metadata"),
        "title-123": (b"\n".join(b"title: 123" if line.startswith(b"title:") else line for line in good.split(b"\n")), "title is a number"),
        "truncated": (good[: len(good) // 3], "the metadata block is not closed"),
        "empty": (b"", "does not start with a '---' metadata block"),
        "other-paper": (good.replace(b"arxiv_id: '2608.13558'", b"arxiv_id: '2608.13947'"), "holds arxiv_id '2608.13947', not the '2608.13558' of its name"),
    }


@pytest.fixture(scope="module")
def good_file(tmp_path_factory) -> bytes:
    content = tmp_path_factory.mktemp("good")
    assert replay(content, DAY) == 0
    return (content / PAPER_FILE).read_bytes()


CASES = ["not-utf8", "broken-yaml", "title-123", "truncated", "empty", "other-paper"]


@pytest.mark.parametrize("case", CASES)
def test_load_and_save_reject_a_broken_stored_file_by_name_and_leave_it(tmp_path, good_file, case):
    data, problem = corruptions(good_file)[case]
    path = tmp_path / "content" / PAPER_FILE
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    store = ContentStore(tmp_path / "content")
    fetched = Paper(ID, "Fetched", ["A"], "x", [DAY], ["hf"])
    for call in (lambda: store.load(ID), lambda: store.save(fetched)):
        with pytest.raises(Rejected) as raised:
            call()
        assert str(raised.value).startswith(f"{path}: ") and problem in str(raised.value)
    assert path.read_bytes() == data
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_the_message_names_the_file_as_the_content_folder_was_given(tmp_path, monkeypatch, good_file):
    monkeypatch.chdir(tmp_path)
    data, _ = corruptions(good_file)["not-utf8"]
    (tmp_path / "content" / PAPER_FILE).parent.mkdir(parents=True)
    (tmp_path / "content" / PAPER_FILE).write_bytes(data)
    with pytest.raises(Rejected, match=rf"^content/{PAPER_FILE}: not UTF-8 \(byte 0xff at 17\)$"):
        ContentStore("content").load(ID)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("stored_day", ["2026/08/20", "2026/08/14"], ids=["same-day", "earlier-day"])
def test_a_fetch_rejects_a_broken_stored_file_by_name_and_writes_the_rest_of_the_day(content, good_file, capsys, caplog, case, stored_day):
    """Stored on an earlier day, the file would otherwise be merged and moved (removed)."""
    data, problem = corruptions(good_file)[case]
    path = content / f"papers/{stored_day}/{ID}.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    assert replay(content, DAY) == 1
    assert f"{DAY} hf: 14 new, 0 updated, 0 unchanged, 1 rejected" in capsys.readouterr().out
    assert f"{DAY} hf: rejected {path}: " in caplog.text and problem in caplog.text
    assert path.read_bytes() == data
    store = ContentStore(content)
    others = [i for i in store.ids() if i != ID]
    assert len(others) == 14 and all(store.load(i).featured == [DAY] for i in others)
    assert sorted(p.relative_to(content).as_posix() for p in content.rglob(f"*{ID}*")) == [f"papers/{stored_day}/{ID}.md"]
