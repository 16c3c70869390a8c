"""Whether make-brief's exit without interpreter teardown (os._exit in pipeline.cli.run) pays.

    python benchmarks/exit_teardown.py [--rounds N] [--json PATH]

Run it with the interpreter of the environment make-brief is installed in (a venv's
``bin/python``). It times two commands on the seed project, each as a whole process:

* ``with``: the environment's ``make-brief`` console script, whose ``run()`` flushes the output
  and ends the process with ``os._exit``;
* ``without``: the same console script calling ``pipeline.cli.main`` instead, the ordinary
  click entry point, which exits through ``SystemExit`` and so tears the interpreter down
  (atexit handlers, module and object freeing).

Each is timed building the seed project cold (an empty output folder each time) and rebuilding
it with nothing changed, both with ``--quiet``: N rounds, the two commands taking turns to go
first, as medians of wall and CPU time (``measure.py``).
"""

from __future__ import annotations

import argparse
import inspect
import json
import statistics
import sys
import tempfile
from pathlib import Path

import run as bench

from pipeline import cli

ROUNDS = 10

#: The console script without the early exit: what ``run()`` reduces to without ``os._exit``.
WITHOUT_EXIT = """\
{shebang}
import sys
from pipeline.cli import main
if __name__ == "__main__":
    sys.exit(main(prog_name="make-brief"))
"""


def commands(work: Path) -> dict[str, list[str]]:
    """The two make-brief commands to compare, by name."""
    (script,) = bench.make_brief_command()
    text = Path(script).read_text(encoding="utf-8")
    if "from pipeline.cli import run" not in text or "os._exit" not in inspect.getsource(cli.run):
        raise SystemExit(f"{script} does not end with os._exit: there is nothing to compare")
    without = work / "make-brief-without-os-exit"
    without.write_text(WITHOUT_EXIT.format(shebang=text.splitlines()[0]), encoding="utf-8")
    without.chmod(0o755)
    return {"with": [script], "without": [str(without)]}


def measure(rounds: int, work: Path) -> dict[str, dict[str, dict[str, float]]]:
    """Median seconds (wall and CPU) of each command, cold and with nothing changed."""
    variants = commands(work)
    runs: dict[str, dict[str, list[bench.ProcessRun]]] = {"cold": {}, "no-change": {}}
    cold_outs = (work / f"cold-{number}" for number in range(2 * rounds))

    def argv(name: str, out: Path) -> list[str]:
        return [*variants[name], "--project", str(bench.REPO), "--quiet", "--out", str(out)]

    def build(kind: str, name: str, out: Path) -> None:
        runs[kind].setdefault(name, []).append(bench.run_process(argv(name, out), bench.REPO))

    # Each command once, untimed: the output the no-change builds find, and warm file caches.
    for name in variants:
        bench.run_process(argv(name, work / f"warm-{name}"), bench.REPO)
    cold = {name: lambda name=name: build("cold", name, next(cold_outs)) for name in variants}
    bench.interleaved(cold, rounds)
    no_change = {
        name: lambda name=name: build("no-change", name, work / f"warm-{name}") for name in variants
    }
    bench.interleaved(no_change, rounds)
    return {
        kind: {
            name: {
                "seconds": statistics.median(r.seconds for r in samples),
                "cpu_seconds": statistics.median(r.cpu_seconds for r in samples),
                "runs": len(samples),
            }
            for name, samples in by_name.items()
        }
        for kind, by_name in runs.items()
    }


def table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    """The medians side by side, with what the early exit saves."""
    lines = [
        "| build | with os._exit | without | saved (wall) | CPU with | CPU without |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind, by_name in results.items():
        with_, without = by_name["with"], by_name["without"]
        saved = without["seconds"] - with_["seconds"]
        lines.append(
            f"| {kind} | {with_['seconds'] * 1000:.0f} ms | {without['seconds'] * 1000:.0f} ms"
            f" | {saved * 1000:+.0f} ms ({saved / without['seconds']:+.1%})"
            f" | {with_['cpu_seconds'] * 1000:.0f} ms | {without['cpu_seconds'] * 1000:.0f} ms |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="runs of each command")
    parser.add_argument("--json", type=Path, help="also write the medians here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="make-brief-exit-") as tmp:
        results = measure(args.rounds, Path(tmp))
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
