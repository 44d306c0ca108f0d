"""The daily GitHub Actions workflow and the tasks it runs: actionlint, the structure it
promises, the same task sequence in a temporary clone, freshness, the shrink guard, and a
Pelican cache that survives a checkout (which resets every modification time)."""

from __future__ import annotations

import http.server
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

import tasks
from tests.helpers import FIXTURES, ROOT, build_site, replay, script

build_info = script("build_info")
freshness = script("freshness")

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
DAILY = ROOT / ".github" / "workflows" / "daily.yml"
# requirements-dev.txt installs actionlint where its wheel exists (x86-64 Linux/Windows).
ACTIONLINT = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
ACTIONLINT_PLATFORM = platform.machine() in ("x86_64", "AMD64")


def load_workflow(path: Path = DAILY) -> dict:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def steps(job: dict) -> list[dict]:
    return job["steps"]


# --- actionlint ---------------------------------------------------------------------------


def actionlint(*paths: Path) -> subprocess.CompletedProcess:
    if ACTIONLINT is None:
        if ACTIONLINT_PLATFORM:
            pytest.fail("actionlint is missing: `pip install -r requirements-dev.txt` installs it")
        pytest.skip(f"no actionlint wheel for {platform.machine()}")
    return subprocess.run([ACTIONLINT, "-no-color", *map(str, paths)], capture_output=True, text=True, cwd=ROOT)


def test_there_is_a_workflow():
    assert DAILY in WORKFLOWS


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_actionlint_passes(workflow):
    result = actionlint(workflow)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_mistakes(tmp_path):
    """The lint is real: a misspelt permission and an unknown input are reported."""
    broken = tmp_path / "broken.yml"
    text = DAILY.read_text(encoding="utf-8").replace("pages: read", "pagez: read").replace("inputs.since", "inputs.sinc")
    broken.write_text(text, encoding="utf-8")
    result = actionlint(broken)
    assert result.returncode == 1
    assert 'unknown permission scope "pagez"' in result.stdout
    assert "inputs.sinc" in result.stdout


# --- what the workflow promises -----------------------------------------------------------


def test_triggers_daily_after_the_sources_publish_and_by_hand_with_a_range():
    on = load_workflow()["on"]
    (schedule,) = on["schedule"]
    minute, hour, *rest = schedule["cron"].split()
    assert rest == ["*", "*", "*"]  # every day
    # After arXiv's announcement (00:00/01:00 UTC), and not on the busy top of the hour.
    assert 2 <= int(hour) <= 6 and int(minute) != 0
    inputs = on["workflow_dispatch"]["inputs"]
    assert set(inputs) == {"since", "until"}
    assert not any(i.get("required") for i in inputs.values())


def test_least_permissions_per_job_and_one_run_at_a_time():
    workflow = load_workflow()
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "write", "pages": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["keepalive"]["permissions"] == {"contents": "read", "actions": "write"}
    assert jobs["deploy"]["needs"] == "build"
    assert jobs["deploy"]["environment"]["name"] == "github-pages"
    assert workflow["concurrency"]["group"]
    assert workflow["concurrency"]["cancel-in-progress"] is False
    assert all(job.get("timeout-minutes") for job in jobs.values())


def test_every_action_is_pinned_to_a_commit_with_its_version():
    uses = re.findall(r"uses:\s*(\S+)(.*)", DAILY.read_text(encoding="utf-8"))
    assert len(uses) >= 7
    for ref, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), ref
        assert re.fullmatch(r"\s*# v\d+\.\d+\.\d+", comment), (ref, comment)


def test_every_run_step_is_a_project_task():
    """The workflow is glue: each `run` is one make target or invoke task that exists."""
    jobs = load_workflow()["jobs"]
    task_names = {name.replace("_", "-") for name, obj in vars(tasks).items() if hasattr(obj, "body")}
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for job in jobs.values():
        for step in steps(job):
            if "run" not in step:
                continue
            command = step["run"].strip()
            assert "\n" not in command, command
            tool, name = command.split()[:2]
            if tool == "make":
                assert re.search(rf"^{re.escape(name)}:", makefile, re.M), name
            else:
                assert tool == ".venv/bin/invoke" and name in task_names, command


def test_build_job_order_cache_and_site_url():
    build = steps(load_workflow()["jobs"]["build"])
    order = [step.get("run", step.get("uses", "")).split("@")[0] for step in build]
    wanted = [
        "actions/checkout",
        "actions/setup-python",
        "make install",
        ".venv/bin/invoke ci-fetch",
        ".venv/bin/invoke ci-commit",
        "actions/configure-pages",
        "actions/cache",
        "make publish",
        ".venv/bin/invoke check",
        "actions/upload-pages-artifact",
    ]
    positions = [next(i for i, step in enumerate(order) if step.startswith(w)) for w in wanted]
    assert positions == sorted(positions)
    by_action = {step["uses"].split("@")[0]: step for step in build if "uses" in step}
    assert by_action["actions/setup-python"]["with"]["cache"] == "pip"
    cache = by_action["actions/cache"]["with"]
    assert cache["path"] == "cache"
    # Pelican keeps cached reader output across code changes: the key must cover the code.
    code_hash = "hashFiles('requirements.txt', '*conf.py', 'plugins/**/*.py', 'scripts/papers/**/*.py')"
    assert cache["key"] == f"pelican-${{{{ {code_hash} }}}}-${{{{ github.run_id }}}}"
    assert cache["restore-keys"] == f"pelican-${{{{ {code_hash} }}}}-"
    assert by_action["actions/upload-pages-artifact"]["with"]["path"] == "output"
    publish = next(step for step in build if step.get("run") == "make publish")
    assert publish["env"]["SITEURL"] == "${{ steps.pages.outputs.base_url }}"
    check = next(step for step in build if step.get("run", "").startswith(".venv/bin/invoke check"))
    assert '--previous "$SITEURL/build-info.json"' in check["run"]
    # Backfill inputs reach the shell through the environment, never spliced into the script.
    fetch = next(step for step in build if "ci-fetch" in step.get("run", ""))
    assert "${{" not in fetch["run"] and fetch["env"] == {"SINCE": "${{ inputs.since }}", "UNTIL": "${{ inputs.until }}"}


def test_deploy_job_uses_the_official_pages_action():
    (step,) = steps(load_workflow()["jobs"]["deploy"])
    assert step["uses"].startswith("actions/deploy-pages@") and step["id"] == "deployment"


def test_announce_job_pings_and_mails_after_the_deploy_and_never_blocks_it():
    jobs = load_workflow()["jobs"]
    announce = jobs["announce"]
    assert announce["needs"] == ["build", "deploy"] and announce["permissions"] == {"contents": "read"}
    assert jobs["build"]["outputs"]["siteurl"] == "${{ steps.pages.outputs.base_url }}"
    assert announce["env"] == {"SITEURL": "${{ needs.build.outputs.siteurl }}", "SMTP_HOST": "${{ secrets.SMTP_HOST }}"}
    by_name = {step.get("name"): step for step in steps(announce)}
    ping = by_name["Ping the WebSub hub"]
    assert ping["continue-on-error"] is True and ping["run"].startswith(".venv/bin/invoke websub-ping")
    send = by_name["Send the email digest"]
    assert send["if"] == "env.SMTP_HOST != ''" and send["run"] == ".venv/bin/invoke email-digest --state cache/email-state.json"
    # The secrets reach the sending step only, through its environment.
    assert set(send["env"]) >= {"SMTP_PORT", "SMTP_USERNAME", "SMTP_PASSWORD", "SMTP_FROM", "SMTP_SECURITY", "EMAIL_RECIPIENTS"}
    assert all(v == f"${{{{ secrets.{k} }}}}" for k, v in send["env"].items() if k.startswith(("SMTP_", "EMAIL_RECIPIENTS")))
    assert not any("secrets." in str(step.get("env", "")) for name, step in by_name.items() if name != "Send the email digest")
    # The sent state is restored before and saved after, even after a failed send.
    restore, save = by_name["Restore the email state"], by_name["Save the email state"]
    assert restore["uses"].startswith("actions/cache/restore@") and save["uses"].startswith("actions/cache/save@")
    assert restore["with"]["path"] == save["with"]["path"] == "cache/email-state.json"
    assert save["if"] == "always() && env.SMTP_HOST != ''"
    order = list(by_name)
    assert order.index("Restore the email state") < order.index("Send the email digest") < order.index("Save the email state")


# --- the same task sequence, in a temporary clone -------------------------------------------

# Loaded by every Python process started with this directory on PYTHONPATH: the fetch goes
# through scripts/fetch.py and the polite requests client as in CI, and `responses` answers
# the Hugging Face API from the recorded fixtures (or, with HF_MOCK=broken, with garbage).
HF_MOCK = r'''
import json, os, re, urllib.parse
from pathlib import Path
import responses

FIXTURES = Path(os.environ["HF_FIXTURES"])

def daily_papers(request):
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.url).query)
    if os.environ.get("HF_MOCK") == "broken":
        return (200, {}, "<html>upstream error</html>")
    path = FIXTURES / f"{query['date'][0]}.json"
    entries = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
    page, limit = int(query.get("p", ["0"])[0]), int(query["limit"][0])
    return (200, {"Content-Type": "application/json"}, json.dumps(entries[page * limit:(page + 1) * limit]))

_mock = responses.RequestsMock(assert_all_requests_are_fired=False)
_mock.add_callback(responses.GET, re.compile(r"https://huggingface\.co/api/daily_papers"), callback=daily_papers)
# No recorded per-paper responses (linked models, datasets, Spaces): the papers are stored without.
_mock.add(responses.GET, re.compile(r"https://huggingface\.co/api/papers/"), status=404, json={"error": "not recorded"})
_mock.start()
'''

GIT_USER = ["-c", "user.name=Test", "-c", "user.email=test@example.test"]


class Clone:
    """A clone of the repository's HEAD with a bare 'origin', running tasks as CI does."""

    BRANCH = "workflow-test"

    def __init__(self, tmp_path: Path):
        self.origin = tmp_path / "origin.git"
        self.path = tmp_path / "clone"
        self.mock = tmp_path / "mock"
        self.mock.mkdir()
        (self.mock / "sitecustomize.py").write_text(HF_MOCK, encoding="utf-8")
        subprocess.run(["git", "clone", "-q", "--bare", "--single-branch", f"file://{ROOT}", str(self.origin)], check=True)
        subprocess.run(["git", "clone", "-q", str(self.origin), str(self.path)], check=True)
        # A branch of its own: the checkout may be a detached HEAD, and pushes go to it.
        self.git("checkout", "-q", "-B", self.BRANCH)
        self.env = {
            **os.environ,
            "PYTHONPATH": str(self.mock),
            "HF_FIXTURES": str(FIXTURES / "hf_daily_papers"),
            "SITEURL": "https://example.test/digest",
        }

    def git(self, *args: str) -> str:
        return subprocess.run(["git", *GIT_USER, *args], cwd=self.path, check=True, capture_output=True, text=True).stdout

    def invoke(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "invoke", *args], cwd=self.path, env={**self.env, **env}, capture_output=True, text=True
        )

    def papers(self) -> set[str]:
        return {p.stem for p in (self.path / "content" / "papers").rglob("*.md")}

    def output_files(self) -> dict[str, bytes]:
        out = self.path / "output"
        return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.fixture
def clone(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout to clone")
    return Clone(tmp_path)


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_the_workflow_task_sequence_in_a_clone(clone):
    """ci-fetch, ci-commit, publish, check: a lost day comes back, is committed and pushed as
    the bot naming the day, the site builds with publish settings and passes the checks."""
    bundled = clone.papers()
    lost_day = clone.path / "content" / "papers" / "2026" / "08" / "21"
    lost = {p.stem for p in lost_day.glob("*.md")}
    assert lost
    clone.git("rm", "-q", "-r", str(lost_day))
    clone.git("commit", "-q", "-m", "Lose a day")

    ok(clone.invoke("ci-fetch", "--source", "hf", "--until", "2026-08-21"))
    assert clone.papers() == bundled
    out = ok(clone.invoke("ci-commit"))
    assert "Papers 2026-08-21: " in out
    author, subject = clone.git("log", "-1", "--format=%an <%ae>%n%s").splitlines()
    assert author == f"{tasks.BOT_NAME} <{tasks.BOT_EMAIL}>"
    assert subject.startswith("Papers 2026-08-21: ") and f"{len(lost)} new" in subject
    pushed = subprocess.run(["git", "rev-parse", f"refs/heads/{clone.BRANCH}"], cwd=clone.origin, capture_output=True, text=True).stdout
    assert pushed == clone.git("rev-parse", "HEAD")

    # A second run finds nothing new: no commit.
    ok(clone.invoke("ci-fetch", "--source", "hf", "--until", "2026-08-21"))
    head = clone.git("rev-parse", "HEAD")
    assert "content/ unchanged" in ok(clone.invoke("ci-commit"))
    assert clone.git("rev-parse", "HEAD") == head

    ok(clone.invoke("publish"))
    record = json.loads((clone.path / "output" / "build-info.json").read_text(encoding="utf-8"))
    assert record == {"papers": len(bundled), "newest_day": "2026-08-21", "commit": head.strip()}
    index = (clone.path / "output" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://example.test/digest/' in index  # publishconf.py: absolute URLs
    live = clone.path.parent / "live-build-info.json"
    shutil.copy(clone.path / "output" / "build-info.json", live)
    assert "deployable" in ok(clone.invoke("check", "--today", "2026-08-24", "--previous", str(live)))
    # The first deploy has no live record.
    assert "first deploy" in ok(clone.invoke("check", "--today", "2026-08-24", "--previous", str(live) + ".absent"))

    # Stale: a week and a half without a new digest fails the check.
    stale = clone.invoke("check", "--today", "2026-09-02", "--previous", str(live))
    assert stale.returncode == 1
    assert "STALE: the newest digest is 2026-08-21, 8 weekdays before 2026-09-02" in stale.stderr


def test_a_failed_fetch_changes_nothing_and_a_shrunk_site_is_refused(clone):
    ok(clone.invoke("publish"))
    live = clone.path.parent / "live-build-info.json"
    shutil.copy(clone.path / "output" / "build-info.json", live)
    published = clone.output_files()
    head = clone.git("rev-parse", "HEAD")

    failed = clone.invoke("ci-fetch", "--source", "hf", "--until", "2026-08-21", HF_MOCK="broken")
    assert failed.returncode == 2
    assert "nothing could be fetched" in failed.stderr
    assert clone.git("status", "--porcelain") == ""  # content/ exactly as it was
    # The workflow stops at the failed step: nothing is committed, built or deployed.
    assert "content/ unchanged" in ok(clone.invoke("ci-commit"))
    assert clone.git("rev-parse", "HEAD") == head
    assert clone.output_files() == published

    # Were papers lost anyway (a broken fetch or build), the check refuses to deploy.
    for path in list((clone.path / "content" / "papers" / "2026" / "08" / "10").glob("*.md"))[:3]:
        path.unlink()
    ok(clone.invoke("publish"))
    refused = clone.invoke("check", "--today", "2026-08-24", "--previous", str(live))
    assert refused.returncode == 1
    expected = json.loads(live.read_text(encoding="utf-8"))["papers"]
    assert f"the new build has {expected - 3} paper pages, the live site {expected}" in refused.stderr


# --- freshness --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, today, weekdays",
    [
        ("2026-08-21", "2026-08-21", 0),  # same day
        ("2026-08-21", "2026-08-23", 0),  # Friday to Sunday: no weekday passed
        ("2026-08-21", "2026-08-24", 1),  # Friday to Monday
        ("2026-08-21", "2026-08-27", 4),  # Friday to Thursday
        ("2026-08-19", "2026-09-02", 10),  # two weeks
    ],
)
def test_weekdays_after(day, today, weekdays):
    assert freshness.weekdays_after(day, today) == weekdays


def test_staleness_both_ways():
    assert freshness.staleness("2026-08-21", "2026-08-26", 3) is None  # Mon, Tue, Wed
    problem = freshness.staleness("2026-08-21", "2026-08-27", 3)
    assert problem.startswith("the newest digest is 2026-08-21, 4 weekdays before 2026-08-27 (allowed: 3")
    assert freshness.staleness(None, "2026-08-27", 3).startswith("no papers at all")


def test_newest_digest_day_is_the_latest_featured_day(content):
    assert freshness.newest_digest_day(content) is None
    replay(content, "2026-08-19")
    replay(content, "2026-08-12")
    assert freshness.newest_digest_day(content) == "2026-08-19"


def test_freshness_command_reads_the_setting_and_its_overrides(content, tmp_path, monkeypatch, capsys):
    replay(content, "2026-08-14")
    settings = tmp_path / "settings.py"
    settings.write_text("FRESHNESS_MAX_WEEKDAYS = 5\n", encoding="utf-8")
    monkeypatch.delenv(freshness.SETTING, raising=False)
    common = ["--content", str(content), "--settings", str(settings)]
    assert freshness.main([*common, "--today", "2026-08-21"]) == 0  # 5 weekdays: allowed
    assert freshness.main([*common, "--today", "2026-08-24"]) == 1  # 6
    assert "STALE: the newest digest is 2026-08-14, 6 weekdays" in capsys.readouterr().err
    monkeypatch.setenv(freshness.SETTING, "6")
    assert freshness.main([*common, "--today", "2026-08-24"]) == 0
    assert freshness.main([*common, "--today", "2026-08-24", "--max-weekdays", "2"]) == 1
    # The project's own setting is a small number of weekdays.
    monkeypatch.delenv(freshness.SETTING)
    assert 1 <= freshness.configured_max_weekdays(ROOT / "pelicanconf.py") <= 5


# --- build-info.json and the shrink guard -------------------------------------------------------


def test_regression_rules():
    live = {"papers": 100, "newest_day": "2026-08-21", "commit": "abc"}
    assert build_info.regression(None, {"papers": 1, "newest_day": "2026-08-21"}) is None
    assert build_info.regression(live, {"papers": 100, "newest_day": "2026-08-21"}) is None
    assert build_info.regression(live, {"papers": 130, "newest_day": "2026-08-24"}) is None
    assert "99 paper pages, the live site 100 (built from abc)" in build_info.regression(live, {"papers": 99, "newest_day": "2026-08-24"})
    assert "older than the live site's 2026-08-21" in build_info.regression(live, {"papers": 100, "newest_day": "2026-08-20"})


@pytest.fixture
def live_site():
    """A loopback web server: /build-info.json as set in ``.record``, /broken answers 500."""

    class Handler(http.server.BaseHTTPRequestHandler):
        record = None

        def do_GET(self):
            if self.path == "/build-info.json" and Handler.record is not None:
                body = json.dumps(Handler.record).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)
            else:
                self.send_error(500 if self.path == "/broken" else 404)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Handler, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join()


def test_load_previous_over_http(live_site):
    handler, url = live_site
    assert build_info.load_previous(f"{url}/build-info.json") is None  # first deploy: 404
    handler.record = {"papers": 7, "newest_day": "2026-08-21", "commit": None}
    assert build_info.load_previous(f"{url}/build-info.json") == handler.record
    with pytest.raises(build_info.PreviousUnreadable, match="500"):
        build_info.load_previous(f"{url}/broken")


def test_compare_command(live_site, tmp_path, capsys):
    handler, url = live_site
    output = tmp_path / "output"
    output.mkdir()
    (output / "build-info.json").write_text(json.dumps({"papers": 10, "newest_day": "2026-08-21", "commit": "c"}))
    args = ["compare", "--output", str(output), "--previous", f"{url}/build-info.json"]
    assert build_info.main(args) == 0
    handler.record = {"papers": 11, "newest_day": "2026-08-21", "commit": "b"}
    assert build_info.main(args) == 1
    assert "REFUSED: the new build has 10 paper pages, the live site 11" in capsys.readouterr().err
    assert build_info.main(["compare", "--output", str(output), "--previous", f"{url}/broken"]) == 2


# --- commit messages --------------------------------------------------------------------------


def test_content_commit_message_names_the_days():
    lines = [
        "A\tcontent/papers/2026/08/21/2608.00001.md",
        "A\tcontent/papers/2026/08/21/2608.00002.md",
        "M\tcontent/papers/2026/08/19/2608.00003.md",
        "R100\tcontent/papers/2026/08/20/2608.00004.md\tcontent/papers/2026/08/18/2608.00004.md",
        "M\tcontent/.fetch-state.json",
    ]
    assert tasks.content_commit_message(lines) == "Papers 2026-08-18, 2026-08-19, 2026-08-20, 2026-08-21: 2 new, 2 updated"
    assert tasks.content_commit_message(["M\tcontent/.fetch-state.json"]) == "Content: fetch state"
    many = [f"A\tcontent/papers/2026/08/{d:02}/2608.000{d:02}.md" for d in range(1, 11)]
    assert tasks.content_commit_message(many) == "Papers 2026-08-01 … 2026-08-10 (10 days): 10 new, 0 updated"


# --- the paper catalogue's cache does not depend on modification times ----------------------


def test_cache_survives_new_mtimes_and_notices_new_content(content, tmp_path, count_paper_reads):
    """A checkout gives every file a new mtime: the cache must still be used (sha1), and a
    changed file must still be parsed again."""
    for day in ("2026-08-19", "2026-08-20"):
        replay(content, day)
    files = sorted(content.rglob("*.md"))
    calls = count_paper_reads
    output = tmp_path / "output"
    build_site(content, output)
    assert sorted(calls) == [str(f) for f in files]

    for n, path in enumerate(files):
        os.utime(path, (1_000_000_000 + n, 1_000_000_000 + n))
    calls.clear()
    build_site(content, output)
    assert calls == []

    changed = files[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "A corrected abstract.\n", encoding="utf-8")
    os.utime(changed, (1_000_000_000, 1_000_000_000))  # the old mtime: only the content differs
    calls.clear()
    build_site(content, output)
    assert calls == [str(changed)]


# --- the workflow installs requirements.txt only ------------------------------------------------


def distributions_needed_by(requirements: Path) -> set[str]:
    """The distributions ``pip install -r requirements`` brings: the pins and their dependencies."""
    from importlib.metadata import PackageNotFoundError, requires

    from packaging.requirements import Requirement

    pending = [Requirement(line).name for line in requirements.read_text(encoding="utf-8").splitlines() if line and not line.startswith(("#", "-"))]
    seen: set[str] = set()
    while pending:
        name = pending.pop().lower().replace("_", "-")
        if name in seen:
            continue
        seen.add(name)
        try:
            pending += [Requirement(r).name for r in requires(name) or () if "extra ==" not in r]
        except PackageNotFoundError:
            pass
    return seen


@pytest.mark.parametrize("script", ["build_info.py", "check_site.py", "fetch.py", "freshness.py"])
def test_the_scripts_the_workflow_runs_need_only_the_runtime_requirements(script):
    """CI's `make install` installs requirements.txt, not the dev requirements: every
    third-party module these scripts import must come from it."""
    import ast
    from importlib.metadata import packages_distributions

    tree = ast.parse((ROOT / "scripts" / script).read_text(encoding="utf-8"))
    modules = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module and not node.level}
    providers = packages_distributions()
    # `make install` installs requirements.txt and the project itself (the paper library).
    runtime = distributions_needed_by(ROOT / "requirements.txt") | {"paper-digest"}
    for module in sorted(modules):
        for dist in providers.get(module, []):
            assert dist.lower().replace("_", "-") in runtime, f"scripts/{script} imports {module} ({dist}), which requirements.txt does not install"


TESTS = ROOT / ".github" / "workflows" / "test.yml"


def test_tests_run_on_every_push_and_pull_request_with_a_read_only_token():
    """test.yml: every push and pull request (any branch, forks too) runs `make test`, with
    a token that can only read, every action pinned to a commit, and actionlint clean."""
    workflow = load_workflow(TESTS)
    on = workflow["on"]
    triggers = set(on) if isinstance(on, (list, dict)) else {on}
    assert {"push", "pull_request"} <= triggers
    if isinstance(on, dict):  # no branch or path filter: every branch is tested
        for trigger in ("push", "pull_request"):
            assert not set(on[trigger] or {}) & {"branches", "branches-ignore", "paths", "paths-ignore"}
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["group"] and workflow["concurrency"]["cancel-in-progress"] is True
    jobs = workflow["jobs"]
    assert all(job.get("timeout-minutes") and "permissions" not in job for job in jobs.values())
    runs = [step["run"].strip() for job in jobs.values() for step in steps(job) if "run" in step]
    assert "make test" in runs
    by_action = {step["uses"].split("@")[0]: step for job in jobs.values() for step in steps(job) if "uses" in step}
    assert by_action["actions/checkout"]["with"]["persist-credentials"] is False
    python = by_action["actions/setup-python"]["with"]
    assert python["python-version"] == "3.11" and python["cache"] == "pip"
    assert "requirements*.txt" in python["cache-dependency-path"].split()
    uses = re.findall(r"uses:\s*(\S+)(.*)", TESTS.read_text(encoding="utf-8"))
    assert uses
    for ref, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), ref
        assert re.fullmatch(r"\s*# v\d+\.\d+\.\d+", comment), (ref, comment)
    # The same pin of an action in both workflows: one verified commit per action.
    daily = dict(re.findall(r"uses:\s*([\w./-]+)@([0-9a-f]{40})", DAILY.read_text(encoding="utf-8")))
    for action, sha in re.findall(r"uses:\s*([\w./-]+)@([0-9a-f]{40})", TESTS.read_text(encoding="utf-8")):
        assert daily.get(action, sha) == sha, action
    result = actionlint(TESTS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_invoke_fetch_lets_only_a_source_name_and_days_reach_the_shell():
    from invoke import Exit

    assert tasks.source_name("hf") == "hf"
    for bad in ("hf; rm -rf /", "evil", ""):
        with pytest.raises(Exit):
            tasks.source_name(bad)
    with pytest.raises(ValueError):
        tasks.iso_day("2026-08-21; echo pwned")
