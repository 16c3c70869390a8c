"""The scheduled rebuild splits a large project across runners and merges the parts.

actionlint (tests/test_build_workflow.py) checks the syntax; these tests check what the jobs do:
the plan step's script is run as the runner runs it, and the shard and merge jobs are read for
the commands and settings a correct split needs.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import yaml

from .read import REPO

WORKFLOW = REPO / ".github" / "workflows" / "rebuild-briefs.yml"


def workflow() -> dict[str, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def step(job: dict[str, Any], text: str) -> dict[str, Any]:
    """The first step of ``job`` whose name, uses or run mentions ``text``."""
    for item in job["steps"]:
        if any(text in str(item.get(key, "")) for key in ("name", "uses", "run")):
            return item  # type: ignore[no-any-return]
    raise AssertionError(f"no step mentions {text!r}")


def plan_outputs(tmp_path: Path, shards: str) -> dict[str, str]:
    """Run the plan job's script as a runner would, with the dispatch input ``shards``."""
    script = workflow()["jobs"]["plan"]["steps"][0]["run"]
    output = tmp_path / "github_output"
    output.write_text("", encoding="utf-8")
    env = {**os.environ, "SHARDS": shards, "GITHUB_OUTPUT": str(output)}
    subprocess.run(["bash", "-eo", "pipefail", "-c", script], env=env, check=True)
    lines = output.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines)


def test_the_shard_count_is_a_dispatch_input_and_one_runner_by_default(tmp_path: Path) -> None:
    triggers = workflow().get("on", workflow().get(True))
    shards = triggers["workflow_dispatch"]["inputs"]["shards"]
    assert shards["default"] == "1" and "1" in shards["options"]
    plan = workflow()["jobs"]["plan"]
    assert "inputs.shards || 1" in plan["steps"][0]["env"]["SHARDS"]
    assert plan_outputs(tmp_path, "1") == {"shards": "1", "parts": "[1]"}
    assert plan_outputs(tmp_path, "4") == {"shards": "4", "parts": "[1, 2, 3, 4]"}
    assert json.loads(plan_outputs(tmp_path, "16")["parts"]) == list(range(1, 17))


def test_one_runner_or_a_matrix_of_parts_then_a_merge() -> None:
    jobs = workflow()["jobs"]
    assert jobs["rebuild"]["if"] == "needs.plan.outputs.shards == '1'"
    assert jobs["shard"]["if"] == "needs.plan.outputs.shards != '1'"
    assert (
        jobs["shard"]["strategy"]["matrix"]["part"] == "${{ fromJSON(needs.plan.outputs.parts) }}"
    )
    assert set(jobs["merge"]["needs"]) == {"plan", "shard"}
    assert jobs["merge"]["if"] == jobs["shard"]["if"]


def test_each_part_builds_its_share_reproducibly_and_keeps_its_state() -> None:
    job = workflow()["jobs"]["shard"]
    build = step(job, "make-brief --shard")
    install = step(job, "pip install")
    assert job["steps"].index(install) < job["steps"].index(build)
    assert "-c constraints.txt" in install["run"]
    assert build["env"]["PART"] == "${{ matrix.part }}/${{ needs.plan.outputs.shards }}"
    assert 'SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"' in build["run"]
    assert 'make-brief --shard "$PART" --out part' in build["run"]
    upload = step(job, "actions/upload-artifact@")
    assert upload["with"]["path"] == "part"
    # The merge needs each part's build state (.make-brief-state.json), a hidden file.
    assert upload["with"]["include-hidden-files"] is True
    assert upload["with"]["name"] == "part-${{ matrix.part }}"


def test_the_merge_downloads_every_part_and_publishes_one_set() -> None:
    job = workflow()["jobs"]["merge"]
    # A merge refuses parts built with other packages (they change the briefs): install the
    # same pins, fonts included (they come with make-brief: no system package).
    install = step(job, "pip install")["run"]
    assert install == step(workflow()["jobs"]["shard"], "pip install")["run"]
    assert "apt-get" not in yaml.safe_dump(workflow())
    download = step(job, "actions/download-artifact@")
    assert download["with"] == {"pattern": "part-*", "path": "parts"}
    merge = step(job, "make-brief merge")
    assert 'SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"' in merge["run"]
    assert "make-brief merge parts/part-* --out build" in merge["run"]
    upload = job["steps"][-1]
    assert upload["uses"].startswith("actions/upload-artifact@")
    assert upload["with"]["name"] == "briefs"
    paths = set(str(upload["with"]["path"]).split())
    assert {"build/*/*.pdf", "build/*/*.html", "build/index.html", "build/manifest.json"} <= paths
