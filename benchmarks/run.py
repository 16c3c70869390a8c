"""make-brief's speed and memory, side by side with the floor, as a table and as JSON.

    python benchmarks/run.py            # the full run: about 9 minutes on 2 cores
    python benchmarks/run.py --smoke    # every measurement once, on tiny inputs: seconds

Run it with the interpreter of the environment make-brief is installed in (a venv's
``bin/python``, not a pyenv shim, whose own start-up would be counted). Every figure is measured
in the same run as its floor and given as a ratio to it:

* a brief in-process (emphasis and rendering, sources already read), PDF and HTML, for the seed
  article and for an article 50 times longer; the floor is ``benchmarks/floor.py`` typesetting
  the same text with the same font files, and markdown-it plus a one-line Jinja2 template;
* peak memory of one brief (tracemalloc) and of each process (peak RSS);
* the default build of the seed project as a process, cold (empty output folder) and with nothing
  changed; the floors are ``floor.py`` making one PDF as a process and
  ``python -c "import click, yaml"``;
* a generated corpus of 10, 100 and 1,000 articles built at ``--jobs 1`` and ``--jobs 2``,
  in artifacts per second; the floor is the in-process floors summed over the same artifacts.

Timings are medians of interleaved runs, so a busy machine slows each side alike. The JSON goes
to ``benchmarks/results/<mode>-<timestamp>.json`` (git-ignored) unless ``--json`` says otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import floor  # noqa: E402  (benchmarks/ is not a package; these sit beside this file)
import make_corpus  # noqa: E402

SEED_SLUG = "us-north-korea"
#: SOURCE_DATE_EPOCH for every process run, so builds are reproducible and comparable.
EPOCH = "1700000000"
#: Modules a no-change rebuild must not import: they mean rendering or parsing happened.
HEAVY_MODULES = (
    "reportlab",
    "jinja2",
    "markdown_it",
    "pipeline.render.pdf",
    "pipeline.render.html",
)


@dataclass(frozen=True)
class Plan:
    """How much to measure: the full run, or the smoke run CI uses to check the harness."""

    smoke: bool
    #: In-process samples per brief kind (seed), and for the long article.
    brief_repeats: int
    long_repeats: int
    #: Interleaved rounds of the process measurements.
    process_rounds: int
    corpus_sizes: tuple[int, ...]
    #: The long article repeats the seed's sections this many times.
    long_factor: int
    jobs: tuple[int, ...] = (1, 2)

    @classmethod
    def choose(cls, smoke: bool) -> Plan:
        if smoke:
            return cls(True, 2, 1, process_rounds=1, corpus_sizes=(2,), long_factor=3)
        return cls(False, 24, 3, process_rounds=7, corpus_sizes=(10, 100, 1000), long_factor=50)


# --- measuring --------------------------------------------------------------------------------


def median_seconds(work: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``repeats`` calls of ``work``."""
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def interleaved(works: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median wall time of each of ``works``, run in turn so load affects every one alike."""
    samples: dict[str, list[float]] = {name: [] for name in works}
    names = list(works)
    for round_ in range(repeats):
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            started = time.perf_counter()
            works[name]()
            samples[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in samples.items()}


def traced_peak(work: Callable[[], object]) -> int:
    """Peak bytes Python allocated while ``work`` ran (tracemalloc)."""
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@dataclass
class ProcessRun:
    """One process as it ran: wall time, peak memory of it and of its worker processes."""

    seconds: float
    #: CPU time of the process and of the processes it waited for (its workers).
    cpu_seconds: float
    #: Peak resident set of the process or any process it waited for, in bytes.
    peak_rss: int
    #: Highest peak resident set among its child processes (workers), in bytes; 0 if none.
    worker_peak_rss: int = 0
    stderr: str = ""


class _TreeWatch(threading.Thread):
    """Polls the high-water mark of a process and its descendants (Linux /proc)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peaks: dict[int, int] = {}
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(0.05):
            for pid in self._tree(self.pid):
                hwm = _vm_hwm(pid)
                if hwm:
                    self.peaks[pid] = max(self.peaks.get(pid, 0), hwm)

    def _tree(self, pid: int) -> Iterator[int]:
        yield pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return
        for child in children:
            yield from self._tree(int(child))


def _vm_hwm(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
    return int(match.group(1)) * 1024 if match else 0


def run_process(
    argv: Sequence[str], cwd: Path, watch: bool = False, extra_env: dict[str, str] | None = None
) -> ProcessRun:
    """Run ``argv`` through ``measure.py``; stop the benchmark if it fails (no figure then).

    With ``watch``, also poll the peak memory of the worker processes it starts.
    """
    # As an installed package runs: with bytecode caches (a shell may have turned them off).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["SOURCE_DATE_EPOCH"] = EPOCH
    env.update(extra_env or {})
    launcher = [sys.executable, str(HERE / "measure.py"), *argv]
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(launcher, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=err)
        watcher = _TreeWatch(process.pid) if watch else None
        if watcher:
            watcher.start()
        stdout, _ = process.communicate()
        if watcher:
            watcher.stopping.set()
            watcher.join()
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise SystemExit(
            f"benchmark step failed ({process.returncode}): {' '.join(argv)}\n{stderr}"
        )
    measured = json.loads(stdout)
    workers = 0
    if watcher:
        workers = max(
            (
                hwm
                for pid, hwm in watcher.peaks.items()
                if pid not in (process.pid, measured["pid"])
            ),
            default=0,
        )
    return ProcessRun(
        measured["seconds"], measured["cpu_seconds"], measured["peak_rss"], workers, stderr
    )


# --- inputs -----------------------------------------------------------------------------------


def make_brief_command() -> list[str]:
    """The console script of this interpreter's environment, as a user would run it."""
    script = Path(sys.executable).parent / "make-brief"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "pipeline"]


def supports_jobs(command: list[str]) -> bool:
    """Whether this make-brief has ``--jobs`` (parallel builds)."""
    result = subprocess.run([*command, "--help"], capture_output=True, text=True, check=True)
    return "--jobs" in result.stdout


def split_article(text: str) -> tuple[str, str, list[str]]:
    """Front matter, lede, and the ``## `` sections of an article's text."""
    _, front, body = text.split("---\n", 2)
    parts = re.split(r"(?m)^(?=## )", body)
    return front, parts[0], [p.rstrip() + "\n" for p in parts[1:]]


def longer_article(text: str, factor: int) -> str:
    """The article with every section repeated ``factor`` times, each copy numbered."""
    front, lede, sections = split_article(text)
    copies = []
    for round_ in range(1, factor + 1):
        for section in sections:
            heading, _, rest = section.partition("\n")
            copies.append(f"{heading} ({round_})\n{rest}")
    return f"---\n{front}---\n{lede}" + "\n".join(copies)


def make_project(root: Path, articles: dict[str, str]) -> Path:
    """A brief project with the seed's authors, focuses and templates and the given articles."""
    shutil.copytree(REPO / "sources" / "authors", root / "sources" / "authors")
    shutil.copy(REPO / "sources" / "focuses.yaml", root / "sources" / "focuses.yaml")
    (root / "sources" / "articles").mkdir(parents=True)
    for slug, text in articles.items():
        (root / "sources" / "articles" / f"{slug}.md").write_text(text, encoding="utf-8")
    return root


# --- in-process -------------------------------------------------------------------------------


@dataclass
class InProcess:
    """A project read into memory, ready to brief and render any of its editions."""

    root: Path

    def __post_init__(self) -> None:
        from pipeline.build import brief_date, resolve_editions
        from pipeline.render import RenderContext
        from pipeline.sources import Project, read_project
        from pipeline.sources.theme import load_theme

        project = Project.at(self.root)
        sources = read_project(project, [])
        self.article = sources.articles[0]
        self.focuses = tuple(sources.focuses.values())
        self.editions = resolve_editions(("all",), sources.focuses)
        self.theme = load_theme(project.templates_dir)
        self.context = RenderContext(
            theme=self.theme, template_dirs=tuple(d for d in self.theme.search_dirs if d.is_dir())
        )
        self.date = brief_date(self.article, {"SOURCE_DATE_EPOCH": EPOCH})
        self._turn = 0

    def brief(self, index: int) -> Any:
        from pipeline.emphasis import emphasise

        return emphasise(
            self.article, self.editions[index % len(self.editions)], self.focuses, self.date
        )

    def make(self, fmt: str) -> bytes:
        """One brief from the article to bytes, each call the next edition in turn."""
        from pipeline.render import renderer

        self._turn += 1
        return renderer(fmt).render(self.brief(self._turn), self.context)

    def floor_spec(self) -> dict[str, Any]:
        """The general edition's text and the theme's font files, as ``floor.py`` reads them."""
        from reportlab.lib.units import mm
        from reportlab.pdfbase import pdfmetrics

        from pipeline.render.pdf import fonts_for

        body, heading, mono = fonts_for(self.theme)
        names = {
            "body": body.regular, "body-bold": body.bold, "body-italic": body.italic,
            "body-bold-italic": body.bold_italic, "heading": heading.regular,
            "heading-bold": heading.bold, "heading-italic": heading.italic,
            "heading-bold-italic": heading.bold_italic, "mono": mono.regular,
        }  # fmt: skip
        brief = self.brief(0)
        author, edition = brief.author, brief.edition
        blocks = [
            ["label", "Policy Brief"],
            ["label", edition.title],
            ["title", brief.article.title],
        ]
        if brief.article.summary:
            blocks.append(["byline", brief.article.summary])
        blocks += [
            ["byline", f"By {author.name} · {brief.date.isoformat()}"],
            ["heading", "Key takeaways"],
        ]
        blocks += [["body", sentence] for sentence in brief.takeaways]
        blocks += [["body", item.block.text] for item in brief.lede]
        for section in brief.sections:
            blocks.append(["heading", section.title])
            blocks += [
                ["code" if i.block.kind == "code" else "body", i.block.text] for i in section.blocks
            ]
        blocks += [["heading", "About the author"], ["author", author.name]]
        blocks += [["body", block.text] for block in author.bio]
        return {
            "title": brief.article.title,
            "footer": f"{brief.article.title} · {edition.title}",
            "page": [v * mm for v in self.theme.page_size_mm],
            "margins": [v * mm for v in self.theme.margins_mm],
            "sizes": dict(self.theme.sizes),
            "fonts": {role: pdfmetrics.getFont(name).face.filename for role, name in names.items()},
            "blocks": blocks,
        }


def html_floor(article_path: Path) -> Callable[[], str]:
    """The HTML floor: markdown-it renders the body, a one-line Jinja2 template wraps it."""
    import jinja2
    from markdown_it import MarkdownIt

    text = article_path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    title = re.search(r"(?m)^title: (.*)$", front)
    parser = MarkdownIt("commonmark", {"html": False})
    template = jinja2.Environment(autoescape=True).from_string(
        "<!DOCTYPE html><html lang=en><title>{{ title }}</title><main>{{ body | safe }}</main>"
    )
    return lambda: template.render(title=title.group(1) if title else "", body=parser.render(body))


# --- the run ----------------------------------------------------------------------------------


@dataclass
class Figure:
    """One measured figure, its floor, and the target it is held to."""

    name: str
    value: float
    unit: str
    floor: float | None = None
    floor_name: str = ""
    target: str = ""
    met: bool | None = None
    note: str = ""
    #: For processes: CPU seconds (with workers) of the figure and of its floor, which a busy
    #: machine disturbs less than wall time.
    cpu: float | None = None
    floor_cpu: float | None = None

    @property
    def ratio(self) -> float | None:
        return self.value / self.floor if self.floor else None


def speedup_figure(name: str, speedup: float, what: str) -> Figure:
    """How many times faster ``what`` is than --jobs 1, against the 2x two cores allow."""
    return Figure(
        name,
        speedup,
        "x",
        2.0,
        "ideal on 2 cores",
        ">= 1.7x",
        speedup >= 1.7,
        f"{what} vs --jobs 1",
    )


@dataclass
class Report:
    """Everything one run measured."""

    plan: Plan
    figures: list[Figure] = field(default_factory=list)
    corpus: list[dict[str, Any]] = field(default_factory=list)
    checks: dict[str, Any] = field(default_factory=dict)

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        return figure

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": 1,
            "smoke": self.plan.smoke,
            "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "plan": asdict(self.plan),
            "figures": {f.name: {**asdict(f), "ratio": f.ratio} for f in self.figures},
            "corpus": self.corpus,
            "checks": self.checks,
            "targets": {f.name: f.met for f in self.figures if f.met is not None},
        }


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    from importlib.metadata import version

    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "versions": {
            name: version(name)
            for name in ("make-brief", "reportlab", "jinja2", "markdown-it-py", "click", "pyyaml")
        },
    }


def measure_briefs(report: Report, plan: Plan, work: Path) -> dict[str, Any]:
    """Briefs in-process: our PDF and HTML against the floor, seed and long article."""
    factor = plan.long_factor
    seed = InProcess(REPO)
    seed_text = (REPO / "sources" / "articles" / f"{SEED_SLUG}.md").read_text(encoding="utf-8")
    long_root = make_project(
        work / "long", {f"{SEED_SLUG}-x{factor}": longer_article(seed_text, factor)}
    )
    long = InProcess(long_root)
    specs = {"seed": seed.floor_spec(), "long": long.floor_spec()}
    floor.register_fonts(specs["seed"]["fonts"])
    html_floors = {"seed": html_floor(seed.article.path), "long": html_floor(long.article.path)}
    results: dict[str, dict[str, float]] = {}
    for label, subject, repeats in (
        ("seed", seed, plan.brief_repeats),
        ("long", long, plan.long_repeats),
    ):
        for fmt in ("pdf", "html"):
            subject.make(fmt)  # warm: imports, fonts, templates, compiled patterns
        floor.render(specs[label])
        html_floors[label]()
        results[label] = interleaved(
            {
                "pdf": lambda s=subject: s.make("pdf"),
                "pdf-floor": lambda sp=specs[label]: floor.render(sp),
                "html": lambda s=subject: s.make("html"),
                "html-floor": html_floors[label],
            },
            max(repeats, 1),
        )
    s, lg = results["seed"], results["long"]
    report.add(
        Figure(
            "pdf_brief_seed",
            s["pdf"] * 1e3,
            "ms",
            s["pdf-floor"] * 1e3,
            "floor.py in-process",
            "<= 1.3x floor",
            s["pdf"] <= 1.3 * s["pdf-floor"],
        )
    )
    report.add(
        Figure(
            "html_brief_seed",
            s["html"] * 1e3,
            "ms",
            s["html-floor"] * 1e3,
            "markdown-it + Jinja2",
            "< 2 ms",
            s["html"] < 0.002,
        )
    )
    report.add(
        Figure(
            "pdf_brief_long",
            lg["pdf"] * 1e3,
            "ms",
            lg["pdf-floor"] * 1e3,
            "floor.py in-process",
            f"<= {factor}x seed",
            lg["pdf"] <= factor * s["pdf"],
            f"{lg['pdf'] / s['pdf']:.1f}x the seed's brief for {factor}x the text",
        )
    )
    report.add(
        Figure(
            "html_brief_long",
            lg["html"] * 1e3,
            "ms",
            lg["html-floor"] * 1e3,
            "markdown-it + Jinja2",
            f"<= {factor}x seed",
            lg["html"] <= factor * s["html"],
            f"{lg['html'] / s['html']:.1f}x the seed's brief for {factor}x the text",
        )
    )
    for label, subject in (("seed", seed), ("long", long)):
        ours = traced_peak(lambda s=subject: s.make("pdf"))
        theirs = traced_peak(lambda sp=specs[label]: floor.render(sp))
        report.add(
            Figure(
                f"pdf_brief_{label}_peak_alloc",
                ours / 2**20,
                "MiB",
                theirs / 2**20,
                "floor.py in-process",
                note="tracemalloc peak while rendering one brief",
            )
        )
    return specs["seed"]


def measure_processes(report: Report, plan: Plan, work: Path, spec: dict[str, Any]) -> None:
    """Whole processes: cold and no-change builds of the seed project against their floors."""
    command = make_brief_command()
    spec_file = work / "floor.json"
    spec_file.write_text(json.dumps(spec), encoding="utf-8")
    warm_out, full_out = work / "warm", work / "warm-full"
    seed = [*command, "--project", str(REPO), "-q", "--out"]
    for out in (warm_out, full_out):
        run_process([*seed, str(out)], REPO)
    # A no-change rebuild replays the stamp an earlier no-change rebuild recorded, once what it
    # wrote is older than the racy window (pipeline/build/stamp.py): wait it out, then record.
    from pipeline.build.stamp import RACY_NS, STAMP_FILE

    time.sleep(RACY_NS / 1e9 + 0.2)
    run_process([*seed, str(warm_out)], REPO)
    time.sleep(RACY_NS / 1e9 + 0.2)
    run_process([*seed, str(warm_out)], REPO)
    cold_outs = (work / f"cold-{i}" for i in range(plan.process_rounds * 2))
    runs: dict[str, list[ProcessRun]] = {}

    def keep(name: str, argv: Callable[[], list[str]]) -> Callable[[], None]:
        return lambda: runs.setdefault(name, []).append(run_process(argv(), REPO))

    def without_stamp() -> list[str]:
        (full_out / STAMP_FILE).unlink(missing_ok=True)
        return [*seed, str(full_out)]

    works = {
        "cold": keep("cold", lambda: [*seed, str(next(cold_outs))]),
        "nochange": keep("nochange", lambda: [*seed, str(warm_out)]),
        "nochange-full": keep("nochange-full", without_stamp),
        "floor": keep(
            "floor",
            lambda: [
                sys.executable,
                str(HERE / "floor.py"),
                str(spec_file),
                str(work / "floor.pdf"),
            ],
        ),
        "click-yaml": keep("click-yaml", lambda: [sys.executable, "-c", "import click, yaml"]),
        "python": keep("python", lambda: [sys.executable, "-c", "pass"]),
    }
    interleaved(works, plan.process_rounds)
    wall = {name: statistics.median(r.seconds for r in items) for name, items in runs.items()}
    cpu = {name: statistics.median(r.cpu_seconds for r in items) for name, items in runs.items()}
    rss = {name: max(r.peak_rss for r in items) for name, items in runs.items()}
    report.add(
        Figure(
            "cold_build_seed",
            wall["cold"],
            "s",
            wall["floor"],
            "floor.py, 1 PDF, as a process",
            "<= 1.5x floor",
            wall["cold"] <= 1.5 * wall["floor"],
            "4 editions x 2 formats",
            cpu["cold"],
            cpu["floor"],
        )
    )
    report.add(
        Figure(
            "nochange_build_seed",
            wall["nochange"],
            "s",
            wall["click-yaml"],
            'python -c "import click, yaml"',
            "<= 1.3x floor",
            wall["nochange"] <= 1.3 * wall["click-yaml"],
            "replayed from the stamp an earlier no-change rebuild recorded",
            cpu=cpu["nochange"],
            floor_cpu=cpu["click-yaml"],
        )
    )
    report.add(
        Figure(
            "nochange_build_seed_full",
            wall["nochange-full"],
            "s",
            wall["click-yaml"],
            'python -c "import click, yaml"',
            note="no stamp: every source hashed and checked (the first rebuild after a change)",
            cpu=cpu["nochange-full"],
            floor_cpu=cpu["click-yaml"],
        )
    )
    report.add(
        Figure("python_startup", wall["python"], "s", note='python -c "pass", for reference')
    )
    report.add(
        Figure(
            "cold_build_seed_peak_rss",
            rss["cold"] / 2**20,
            "MiB",
            rss["floor"] / 2**20,
            "floor.py, 1 PDF, as a process",
        )
    )
    report.add(
        Figure(
            "nochange_build_seed_peak_rss",
            rss["nochange"] / 2**20,
            "MiB",
            rss["click-yaml"] / 2**20,
            'python -c "import click, yaml"',
        )
    )
    # The same command as the no-change runs above (a build is only replayed from its stamp
    # for the interpreter and sys.path that recorded it), with -X importtime as a variable.
    traced = run_process([*seed, str(warm_out)], REPO, extra_env={"PYTHONIMPORTTIME": "1"})
    imported = sorted(
        {m for m in HEAVY_MODULES if re.search(rf"\|\s+{re.escape(m)}(\.|$)", traced.stderr, re.M)}
    )
    report.checks["nochange_imports"] = imported
    report.add(
        Figure(
            "nochange_heavy_imports",
            len(imported),
            "modules",
            target="none of " + ", ".join(HEAVY_MODULES),
            met=not imported,
            note=", ".join(imported) or "none",
        )
    )


def measure_watch(report: Report, plan: Plan, work: Path, spec: dict[str, Any]) -> None:
    """``make-brief watch``: from saving the seed article to its 8 briefs rewritten, in the warm
    process, against one minimal ReportLab PDF as a process (``floor.py``), interleaved."""
    from pipeline.build import BuildOptions
    from pipeline.build.watch import Rebuilder

    root = work / "watched"
    shutil.copytree(REPO / "sources", root / "sources")
    shutil.copytree(REPO / "templates", root / "templates")
    article = root / "sources" / "articles" / f"{SEED_SLUG}.md"
    original = article.read_text(encoding="utf-8")
    spec_file = work / "floor-watch.json"
    spec_file.write_text(json.dumps(spec), encoding="utf-8")
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        rebuilder = Rebuilder(project_at(root), BuildOptions(out_dir=root / "build"))
        first = rebuilder.first()
        assert first.error is None, first.error
        saves = iter(range(1, 10_000))
        floors: list[float] = []
        rebuilt: list[int] = []

        def save() -> None:
            # Each save changes one sentence, so every brief of the article is stale.
            article.write_text(original.replace(". ", f" ({next(saves)}). ", 1), encoding="utf-8")
            outcome = rebuilder.handle({article})
            assert outcome is not None and outcome.error is None, outcome
            rebuilt.append(len(outcome.rebuilt))

        def floor_process() -> None:
            floors.append(
                run_process(
                    [sys.executable, str(HERE / "floor.py"), str(spec_file), str(work / "w.pdf")],
                    REPO,
                ).seconds
            )

        seconds = interleaved({"save": save, "floor": floor_process}, plan.process_rounds * 2)
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    report.add(
        Figure(
            "watch_save_to_briefs",
            seconds["save"],
            "s",
            statistics.median(floors),
            "floor.py, 1 PDF, as a process",
            "<= 1.0x floor",
            seconds["save"] <= statistics.median(floors),
            f"{max(rebuilt)} briefs rewritten per save, in the warm process; the file watcher "
            "adds its 50 ms debounce",
        )
    )


def project_at(root: Path) -> Any:
    """The library's project at ``root`` (imported late, as every use of the library here)."""
    from pipeline.sources import Project

    return Project.at(root)


def measure_pdf_corpus(report: Report, plan: Plan, work: Path, spec: dict[str, Any]) -> None:
    """50 articles x 4 editions as PDF at ``--jobs 1`` and ``--jobs 2``, against 200 minimal
    platypus PDFs in one process (``floor.py TEXT.json OUT.pdf 200``), interleaved."""
    articles = 5 if plan.smoke else 50
    root = work / "pdf-corpus"
    make_corpus.make_corpus(root, articles)
    # The floor typesets the corpus's own first article, as corpus_floor does.
    spec = InProcess(root).floor_spec()
    spec_file = work / "floor-corpus.json"
    spec_file.write_text(json.dumps(spec), encoding="utf-8")
    count = articles * 4
    command = make_brief_command()
    outs = (work / f"pdf-corpus-out-{i}" for i in range(10_000))

    def brief_build(jobs: int) -> Callable[[], object]:
        def go() -> ProcessRun:
            base = [*command, "--project", str(root), "--format", "pdf", "-q"]
            return run_process([*base, "--jobs", str(jobs), "--out", str(next(outs))], root)

        return go

    floor_argv = [sys.executable, str(HERE / "floor.py"), str(spec_file), str(work / "c.pdf")]
    seconds = interleaved(
        {
            "jobs1": brief_build(1),
            "jobs2": brief_build(2),
            "floor": lambda: run_process([*floor_argv, str(count)], REPO),
        },
        max(plan.process_rounds // 2, 1),
    )
    report.add(
        Figure(
            "pdf_corpus_jobs1",
            seconds["jobs1"],
            "s",
            seconds["floor"],
            f"{count} floor.py PDFs in one process",
            "<= 1.5x floor",
            seconds["jobs1"] <= 1.5 * seconds["floor"],
            f"{articles} articles x 4 editions, PDF only, --jobs 1, as a process",
        )
    )
    speedup = seconds["jobs1"] / seconds["jobs2"]
    report.add(speedup_figure("pdf_corpus_jobs2_speedup", speedup, f"{count} PDF briefs, --jobs 2"))


def measure_peers(report: Report, plan: Plan, work: Path, spec: dict[str, Any]) -> None:
    """Typst and WeasyPrint (PDF, in-process and as a process) and pandoc (HTML, a process) on
    the seed's text, where installed: ``pip install -e '.[bench]'`` brings all three.

    Typst's CLI is used where it is on the PATH, else the ``typst`` Python package (its
    compiler, a Rust library, the same as the CLI's); pandoc's the same way, from
    ``pypandoc-binary``. In-process, each runs warm: a Typst ``Compiler`` kept between runs
    (what ``typst watch`` keeps; it remembers what did not change), WeasyPrint after a first
    PDF."""
    text = "\n\n".join(block for _, block in spec["blocks"])
    rounds = max(plan.process_rounds, 1)
    python = sys.executable
    source = work / "peer.typ"
    source.write_text(text.replace("#", "\\#").replace("$", "\\$"), encoding="utf-8")
    typst_cli = shutil.which("typst")
    has_typst = importlib.util.find_spec("typst") is not None
    if typst_cli or has_typst:
        out = work / "peer-typst.pdf"
        argv = (
            [typst_cli, "compile", str(source), str(out)]
            if typst_cli
            else [python, "-c", _TYPST_PROCESS, str(source), str(out)]
        )
        run = interleaved({"typst": lambda: run_process(argv, work)}, rounds)
        how = "typst compile" if typst_cli else "python -c 'typst.compile(...)'"
        report.add(Figure("peer_typst_process", run["typst"], "s", note=f"{how}, 1 PDF"))
    else:
        report.add(Figure("peer_typst_process", 0.0, "s", note="not installed"))
    if has_typst:
        import typst

        compiler = typst.Compiler(str(source))
        compiler.compile()
        warm = interleaved({"t": compiler.compile}, max(plan.brief_repeats, 1))
        report.add(
            Figure("peer_typst_in_process", warm["t"] * 1e3, "ms", note="1 PDF, warm compiler")
        )
    else:
        report.add(Figure("peer_typst_in_process", 0.0, "ms", note="not installed"))
    if importlib.util.find_spec("weasyprint") is not None:
        import weasyprint

        html = "".join(f"<p>{block}</p>" for block in text.split("\n\n"))
        page = work / "peer-weasyprint.html"
        page.write_text(f"<!doctype html><meta charset=utf-8>{html}", encoding="utf-8")
        weasyprint.HTML(string=html).write_pdf()
        inproc = interleaved({"w": lambda: weasyprint.HTML(string=html).write_pdf()}, rounds)
        report.add(
            Figure("peer_weasyprint_in_process", inproc["w"] * 1e3, "ms", note="1 PDF, warm")
        )
        out = work / "peer-weasyprint.pdf"
        argv = [python, "-m", "weasyprint", "-q", str(page), str(out)]
        run = interleaved({"w": lambda: run_process(argv, work)}, rounds)
        report.add(Figure("peer_weasyprint_process", run["w"], "s", note="weasyprint, 1 PDF"))
    else:
        report.add(Figure("peer_weasyprint_in_process", 0.0, "ms", note="not installed"))
        report.add(Figure("peer_weasyprint_process", 0.0, "s", note="not installed"))
    pandoc = shutil.which("pandoc") or _pypandoc_binary()
    if pandoc:
        article = REPO / "sources" / "articles" / f"{SEED_SLUG}.md"
        out = work / "peer-pandoc.html"
        run = interleaved(
            {"p": lambda: run_process([pandoc, str(article), "-s", "-o", str(out)], work)},
            rounds,
        )
        report.add(Figure("peer_pandoc_html_process", run["p"], "s", note="pandoc -s, 1 HTML"))
    else:
        report.add(Figure("peer_pandoc_html_process", 0.0, "s", note="not installed"))


# Typst as a process where only its Python package is installed: Python's start-up, the
# package's import and one compile, as a user scripting it would pay.
_TYPST_PROCESS = "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2])"


def _pypandoc_binary() -> str | None:
    """The pandoc executable ``pypandoc-binary`` ships, or None without it."""
    if importlib.util.find_spec("pypandoc") is None:
        return None
    import pypandoc

    try:
        return str(pypandoc.get_pandoc_path())
    except OSError:
        return None


def corpus_floor(root: Path) -> float:
    """Floor seconds for one article's default editions in both formats, from its first article."""
    sample = InProcess(root)
    spec = sample.floor_spec()
    html = html_floor(sample.article.path)
    floor.register_fonts(spec["fonts"])
    floor.render(spec)
    seconds = interleaved({"pdf": lambda: floor.render(spec), "html": html}, 5)
    return len(sample.editions) * (seconds["pdf"] + seconds["html"])


def measure_corpus(report: Report, plan: Plan, work: Path) -> None:
    """A generated corpus (``make_corpus.py``) at each size and ``--jobs``, in artifacts/second."""
    command = make_brief_command()
    jobs = plan.jobs if supports_jobs(command) else (1,)
    editions, formats = 4, 2
    per_article = 0.0
    for size in sorted(plan.corpus_sizes):
        root = work / f"corpus-{size}"
        make_corpus.make_corpus(root, size)
        per_article = per_article or corpus_floor(root)
        for count in jobs:
            extra = ["--jobs", str(count)] if len(jobs) > 1 else []
            out = work / f"corpus-{size}-out-{count}"
            run = run_process(
                [*command, "--project", str(root), "--out", str(out), "-q", *extra],
                root,
                watch=True,
            )
            artifacts = size * editions * formats
            floor_seconds = size * per_article / count
            report.corpus.append({
                "articles": size, "jobs": count, "artifacts": artifacts, "seconds": run.seconds,
                "cpu_seconds": run.cpu_seconds, "artifacts_per_second": artifacts / run.seconds,
                "floor_seconds": floor_seconds, "ratio": run.seconds / floor_seconds,
                "peak_rss": run.peak_rss, "worker_peak_rss": run.worker_peak_rss,
            })  # fmt: skip
            shutil.rmtree(out)
        shutil.rmtree(root)
    corpus_targets(report, plan, jobs)


def corpus_targets(report: Report, plan: Plan, jobs: tuple[int, ...]) -> None:
    """Throughput, speed-up, linearity and memory of the corpus runs, as figures with targets."""
    by = {(row["articles"], row["jobs"]): row for row in report.corpus}
    sizes = sorted(plan.corpus_sizes)
    smallest, largest, most = sizes[0], sizes[-1], jobs[-1]
    top = by[(largest, most)]
    thousand = largest >= 1000
    report.add(
        Figure(
            f"corpus_{largest}_jobs{most}",
            top["seconds"],
            "s",
            top["floor_seconds"],
            f"in-process floors over {most} core(s)",
            "<= 60 s" if thousand else "",
            top["seconds"] <= 60 if thousand else None,
            f"{top['artifacts']} artifacts, {top['artifacts_per_second']:.0f}/s",
        )
    )
    if len(jobs) > 1:
        one = by[(largest, jobs[0])]
        speedup = one["seconds"] / top["seconds"]
        report.add(speedup_figure("jobs2_speedup", speedup, f"{largest} articles, --jobs {most}"))
    if len(sizes) > 1:
        # CPU time: what an artifact costs, which a busy machine disturbs less than wall time.
        middle, big = by[(sizes[-2], jobs[0])], by[(largest, jobs[0])]
        average = middle["cpu_seconds"] / middle["artifacts"]
        marginal = (big["cpu_seconds"] - middle["cpu_seconds"]) / (
            big["artifacts"] - middle["artifacts"]
        )
        report.add(
            Figure(
                "corpus_linearity",
                marginal / average,
                "x",
                1.0,
                "constant cost per artifact",
                "<= 1.2x",
                marginal / average <= 1.2,
                f"CPU per artifact from {sizes[-2]} to {largest} articles vs the mean at "
                f"{sizes[-2]}, --jobs 1",
            )
        )
    if most > 1:
        # Workers keep bounded caches (a few articles' sentences and scores), full after a
        # hundred articles or so: independence of corpus size shows from there on.
        low = by[(sizes[-2] if len(sizes) > 1 else smallest, most)]
        peaks = ", ".join(f"{by[(s, most)]['worker_peak_rss'] / 2**20:.0f}" for s in sizes)
        report.add(
            Figure(
                "worker_peak_rss",
                top["worker_peak_rss"] / 2**20,
                "MiB",
                low["worker_peak_rss"] / 2**20,
                f"the same at {low['articles']} articles",
                "<= 1.1x",
                top["worker_peak_rss"] <= 1.1 * low["worker_peak_rss"],
                f"largest worker at --jobs {most}; MiB at {', '.join(map(str, sizes))} articles: "
                f"{peaks}",
            )
        )
    one_low, one_high = by[(smallest, jobs[0])], by[(largest, jobs[0])]
    report.add(
        Figure(
            "build_peak_rss",
            one_high["peak_rss"] / 2**20,
            "MiB",
            one_low["peak_rss"] / 2**20,
            f"the same at {smallest} articles",
            note=f"the whole build at --jobs 1, {largest} vs {smallest} articles",
        )
    )


# --- output -----------------------------------------------------------------------------------


def table(report: Report) -> str:
    """The figures as a Markdown table, as the README shows them."""
    rows = [("figure", "value", "floor", "ratio", "target", "met", "note"), ("---",) * 7]
    for f in report.figures:
        unit = f.unit
        note = f.note
        if f.cpu is not None and f.floor_cpu:
            cpu = f"CPU {f.cpu:.3g} s vs {f.floor_cpu:.3g} s ({f.cpu / f.floor_cpu:.2f}x)"
            note = f"{note}; {cpu}" if note else cpu
        rows.append((
            f.name,
            "not installed" if f.note == "not installed" else f"{f.value:.3g} {unit}",
            f"{f.floor:.3g} {unit} ({f.floor_name})" if f.floor is not None else "",
            f"{f.ratio:.2f}x" if f.ratio is not None else "",
            f.target,
            {True: "yes", False: "NO", None: ""}[f.met],
            note,
        ))  # fmt: skip
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    corpus = [
        "",
        "| articles | jobs | artifacts | seconds | CPU s | artifacts/s | floor s | ratio"
        " | peak RSS MiB (build / worker) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in report.corpus:
        corpus.append(
            f"| {row['articles']} | {row['jobs']} | {row['artifacts']} | {row['seconds']:.2f} | "
            f"{row['cpu_seconds']:.2f} | {row['artifacts_per_second']:.0f} | "
            f"{row['floor_seconds']:.2f} | {row['ratio']:.2f}x | "
            f"{row['peak_rss'] / 2**20:.0f} / {row['worker_peak_rss'] / 2**20:.0f} |"
        )
    return "\n".join(lines + corpus)


@contextmanager
def workspace() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="make-brief-bench-") as tmp:
        yield Path(tmp)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--smoke", action="store_true", help="every measurement once, on tiny inputs"
    )
    parser.add_argument(
        "--json", type=Path, help="where to write the results (default benchmarks/results/)"
    )
    parser.add_argument(
        "--only",
        choices=("briefs", "processes", "watch", "pdf-corpus", "peers", "corpus"),
        action="append",
        help="measure only this part (repeatable; for working on one figure)",
    )
    args = parser.parse_args(argv)
    parts = set(args.only or ("briefs", "processes", "watch", "pdf-corpus", "peers", "corpus"))
    plan = Plan.choose(args.smoke)
    report = Report(plan)
    started = time.perf_counter()
    with workspace() as work:
        spec = measure_briefs(report, plan, work) if "briefs" in parts else None
        spec = spec or InProcess(REPO).floor_spec()
        if "processes" in parts:
            measure_processes(report, plan, work, spec)
        if "watch" in parts:
            measure_watch(report, plan, work, spec)
        if "pdf-corpus" in parts:
            measure_pdf_corpus(report, plan, work, spec)
        if "peers" in parts:
            measure_peers(report, plan, work, spec)
        if "corpus" in parts:
            measure_corpus(report, plan, work)
    report.checks["benchmark_seconds"] = time.perf_counter() - started
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = args.json or HERE / "results" / f"{'smoke' if plan.smoke else 'full'}-{stamp}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(report.to_json(), indent=2) + "\n", encoding="utf-8")
    print(table(report))
    print(f"\n{report.checks['benchmark_seconds']:.0f} s; results in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
