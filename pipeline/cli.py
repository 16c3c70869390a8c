"""The ``make-brief`` command: parse options, call the library, report. No logic of its own.

Every expected failure is a :class:`~pipeline.errors.BriefError`, caught here once and printed
as ``error: FILE[:LINE]: message`` with exit status 1; usage mistakes exit 2.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__
from .errors import BriefError, ProblemList, UsageProblem, one_line
from .render import format_names

if TYPE_CHECKING:
    from .build.artifacts import Artifact

F = TypeVar("F", bound=Callable[..., Any])
#: Builds of more artifacts than this get a progress bar on a terminal.
PROGRESS_BAR_MIN = 4


class Output:
    """How much the user asked to hear."""

    def __init__(self, quiet: bool = False, verbose: bool = False):
        self.quiet, self.verbose = quiet, verbose

    def info(self, message: str) -> None:
        if not self.quiet:
            click.echo(message)

    def warn(self, message: str) -> None:
        click.echo(f"warning: {message}", err=True)


@contextmanager
def reported(output: Output) -> Iterator[None]:
    """Turn the project's errors into one line each and the right exit status."""
    try:
        yield
    except UsageProblem as exc:
        raise click.UsageError(exc.message) from exc
    except ProblemList as many:
        for problem in many.problems:
            click.echo(f"error: {problem}", err=True)
        click.echo(f"{len(many.problems)} problem(s) found", err=True)
        sys.exit(1)
    except BriefError as exc:
        if output.verbose:
            import traceback  # only here: it brings tokenize and linecache to every run

            traceback.print_exc()
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("error: interrupted", err=True)
        sys.exit(130)
    except (click.ClickException, click.exceptions.Exit, click.Abort):
        raise  # click's own: a usage error, an exit status, an abort
    except Exception as exc:  # the last resort: a failure nobody foresaw is still one line
        if output.verbose:
            import traceback

            traceback.print_exc()
            hint = ""
        else:
            hint = " (run again with --verbose for the traceback)"
        command = click.get_current_context(silent=True)
        what = command.command_path if command is not None else "make-brief"
        click.echo(
            f"error: {what} failed: {one_line(f'{type(exc).__name__}: {exc}')}{hint}", err=True
        )
        sys.exit(1)


class NamedPath(click.Path):
    """A path option that must not be empty: ``Path("")`` is the current folder, so
    ``--out=`` would build into wherever make-brief runs."""

    def __init__(self, what: str, **kwargs: Any):
        super().__init__(path_type=Path, **kwargs)
        self.what = what

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail(f"is empty: name {self.what}", param, ctx)
        return super().convert(value, param, ctx)


def project_option(func: F) -> F:
    return click.option(
        "--project",
        "project_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help="The brief project to work on.",
    )(func)


def _open_project(project_dir: Path) -> Any:
    from .sources import Project

    return Project.at(project_dir)


def _is_terminal() -> bool:
    return sys.stdout.isatty()


class BuildReport:
    """How a build shows its progress.

    On a terminal, a progress bar over the artifacts being built; otherwise one line per
    artifact built or removed (and, with ``--verbose``, per artifact up to date). ``--quiet``
    shows neither.
    """

    def __init__(self, output: Output, out_dir: Path):
        self.output, self.out_dir = output, out_dir
        self.bar: Any = None

    def start(self, total: int) -> None:
        if not self.output.quiet and total > PROGRESS_BAR_MIN and _is_terminal():
            self.bar = click.progressbar(
                length=total,
                label="Building briefs",
                show_pos=True,
                item_show_func=lambda path: path or "",
            )
            self.bar.__enter__()

    def done(self, status: str, artifact: Artifact) -> None:
        if status == "up to date" and not self.output.verbose:
            return
        if self.bar is not None and status == "built":
            self.bar.update(1, artifact.path)
            return
        size = f"{artifact.bytes / 1024:.0f} KB"
        pages = (
            f", {artifact.pages} page{'s' if artifact.pages != 1 else ''}" if artifact.pages else ""
        )
        self.output.info(f"{status:>10}  {self.out_dir / artifact.path} ({size}{pages})")

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--focus",
    "-f",
    "focuses",
    multiple=True,
    metavar="F",
    help="A focus id, 'general', 'all', or ids joined with '+'. Repeatable. Default: all.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(format_names()),
    help="Output format. Repeatable. Default: every format.",
)
@click.option(
    "--article",
    "-a",
    "articles",
    multiple=True,
    metavar="SLUG",
    help="Build only this article. Repeatable. Default: every article.",
)
@click.option(
    "--out",
    "out_dir",
    type=NamedPath("a folder (without --out: build/)", file_okay=False),
    help="Output folder. Default: build/ in the project.",
)
@project_option
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    metavar="N",
    help="Render in up to N worker processes. Default: one per CPU.",
)
@click.option("--force", is_flag=True, help="Rebuild every brief, even those up to date.")
@click.option(
    "--dist",
    type=NamedPath("the zip to write, such as briefs.zip", dir_okay=False),
    metavar="FILE.zip",
    help="Also write a reproducible zip of the PDFs, HTML, index and manifest.",
)
@click.option(
    "--shard",
    metavar="K/N",
    help="Build only part K of N of the briefs, to split a build across CI runners; "
    "combine the parts with 'make-brief merge'.",
)
@click.option(
    "--sign",
    is_flag=True,
    help="Sign every PDF brief (PAdES): PEM key and certificate from MAKE_BRIEF_SIGN_KEY and "
    "MAKE_BRIEF_SIGN_CERT, or sign: in sources/project.yaml.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@click.option("--verbose", "-v", is_flag=True, help="Print more, and a traceback on errors.")
@click.version_option(__version__, prog_name="make-brief")
@click.pass_context
def main(
    ctx: click.Context,
    focuses: tuple[str, ...],
    formats: tuple[str, ...],
    articles: tuple[str, ...],
    out_dir: Path | None,
    project_dir: Path,
    jobs: int | None,
    force: bool,
    dist: Path | None,
    shard: str | None,
    sign: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build tailored policy briefs (PDF and HTML) from the articles in sources/.

    Only briefs whose sources, focuses, templates or theme changed are rebuilt.

    \b
    Examples:
      make-brief --focus human-rights
      make-brief --focus security+human-rights --format pdf
      make-brief --jobs 4 --dist briefs.zip
      make-brief --shard 2/4 --out part-2     (then: make-brief merge part-*)
      make-brief --sign && make-brief verify build/*/*.pdf
      make-brief check
    """
    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose cannot be used together")
    ctx.obj = Output(quiet, verbose)
    if ctx.invoked_subcommand is not None:
        return
    from .build import ALL, BuildOptions, build

    output: Output = ctx.obj
    with reported(output):
        part = None
        if shard is not None:
            from .build.shard import Shard

            part = Shard.parse(shard)
        project = _open_project(project_dir)
        options = BuildOptions(
            focuses=focuses or (ALL,),
            formats=formats or format_names(),
            articles=articles,
            out_dir=out_dir,
            jobs=jobs,
            force=force,
            dist=dist,
            shard=part,
            sign=sign,
        )
        progress = BuildReport(output, out_dir or project.root / "build")
        try:
            result = build(project, options, progress)
        finally:
            progress.finish()
        for warning in result.warnings:
            output.warn(str(warning))
        for note in result.notes:
            output.info(f"note: {note}")
        output.info(
            f"{len(result.built)} built, {len(result.up_to_date)} up to date, "
            f"{len(result.removed)} removed in {result.seconds:.2f} s ({result.out_dir})"
        )
        if dist is not None:
            output.info(f"wrote {dist} ({len(result.dist)} files)")


@main.command()
@click.argument(
    "folders",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option(
    "--out",
    "out_dir",
    type=NamedPath("a folder (without --out: build/)", file_okay=False),
    help="Folder to merge into (new or empty). Default: build/ in the project.",
)
@project_option
@click.pass_obj
def merge(
    output: Output, folders: tuple[Path, ...], out_dir: Path | None, project_dir: Path
) -> None:
    """Combine the output folders of shard builds (--shard K/N) into one.

    The result is the folder a build without --shard writes, byte for byte: one manifest, one
    index. Run it from the checkout the shards were built from.
    """
    from .build import merge as merge_shards

    with reported(output):
        result = merge_shards(_open_project(project_dir), folders, out_dir)
        output.info(
            f"merged {len(folders)} shards: {len(result.artifacts)} files "
            f"in {result.seconds:.2f} s ({result.out_dir})"
        )


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--trust",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="CERT.pem",
    help="Require every PDF to be signed by this certificate (or one it issued).",
)
@click.pass_obj
def verify(output: Output, files: tuple[Path, ...], trust: Path | None) -> None:
    """Check that each FILE is a brief as published: its SHA-256 against the manifest.json
    beside it, and a signed PDF's signature.

    Exit 0 when every file is intact; else 1, with one line per file that is not.
    """
    from .build.verify import verify as check_files
    from .errors import located

    with reported(output):
        verdicts = check_files(files, trust)
        for verdict in verdicts:
            if verdict.ok:
                output.info(f"ok: {verdict.path}: {'; '.join(verdict.checks)}")
            else:
                click.echo(f"error: {located(verdict.problem, verdict.path)}", err=True)
        if not all(verdict.ok for verdict in verdicts):
            sys.exit(1)


@main.command()
@project_option
@click.pass_obj
def check(output: Output, project_dir: Path) -> None:
    """Validate every source, focus and template; write nothing."""
    from .check import check_project

    with reported(output):
        report = check_project(_open_project(project_dir))
        for warning in report.warnings:
            output.warn(str(warning))
        output.info(
            f"ok: {report.articles} article(s), {report.authors} author(s), "
            f"{report.focuses} focus(es), templates and theme"
        )


@main.command()
@click.argument(
    "directory", type=click.Path(file_okay=False, path_type=Path), default=Path("."), required=False
)
@click.option("--force", is_flag=True, help="Add missing starter files to a non-empty folder.")
@click.pass_obj
def init(output: Output, directory: Path, force: bool) -> None:
    """Start a brief project in DIRECTORY (default: here), ready to build.

    Writes an example article and author, the built-in focuses, templates/, .gitignore and a
    scheduled rebuild workflow. Never overwrites a file.
    """
    from .starter import init as start

    with reported(output):
        started = start(directory, force=force)
        for relative in started.written:
            output.info(f"   created  {directory / relative}")
        for relative in started.kept:
            output.info(f"      kept  {directory / relative} (already there)")
        where = "" if directory == Path(".") else f" in {directory}"
        output.info(f"Started a brief project{where}: run make-brief there to build it.")


@main.command()
@project_option
@click.pass_obj
def focuses(output: Output, project_dir: Path) -> None:
    """List the focus ids with their titles."""
    from .sources import read_focuses

    with reported(output):
        project = _open_project(project_dir)
        known = read_focuses(project.focuses_file)
        width = max(len(fid) for fid in [*known, "general"])
        for fid, focus in known.items():
            click.echo(f"{fid:<{width}}  {focus.title}: {focus.description}")
        click.echo(f"{'general':<{width}}  General edition: the article with no emphasis")


@main.command()
@click.option("--article", "-a", "slug", required=True, metavar="SLUG", help="The article.")
@click.option(
    "--focus",
    "-f",
    "focus",
    required=True,
    metavar="F",
    help="A focus id, 'general', or ids joined with '+'.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
@project_option
@click.pass_obj
def explain(output: Output, slug: str, focus: str, as_json: bool, project_dir: Path) -> None:
    """Why each section and sentence of an article scored as it did for a focus.

    Lists every section with its score, the keywords that matched and where the brief puts
    it; the best sentences with their scores and why each is or is not a takeaway; keywords
    that did not count (inside a name, an excluded phrase); and the thresholds. Use it to tune
    a focus in sources/focuses.yaml.
    """
    from . import emphasis
    from .build import resolve_editions
    from .sources import read_project

    with reported(output):
        sources = read_project(_open_project(project_dir), [], (slug,))
        editions = resolve_editions((focus,), sources.focuses)
        if len(editions) != 1:
            raise UsageProblem(f"explain takes one edition, not '{focus}': name a focus")
        (edition,) = editions
        explanation = emphasis.explain(
            sources.articles[0], edition, tuple(sources.focuses.values())
        )
        click.echo(emphasis.as_json(explanation) if as_json else emphasis.describe(explanation))


@main.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--slug", help="The article's slug. Default: from the title.")
@click.option("--author", "author_id", metavar="ID", help="The author's id. Default: from the bio.")
@click.option("--date", type=click.DateTime(["%Y-%m-%d"]), help="The article's date (YYYY-MM-DD).")
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
@click.option("--force", is_flag=True, help="Overwrite an existing article or author.")
@project_option
@click.pass_obj
def import_(
    output: Output,
    file: Path,
    slug: str | None,
    author_id: str | None,
    date: dt.datetime | None,
    dry_run: bool,
    force: bool,
    project_dir: Path,
) -> None:
    """Turn a scraped article (plain text or a saved HTML page) into sources."""
    from .importer import describe_import, plan_import, write_import

    with reported(output):
        project = _open_project(project_dir)
        name = "<stdin>" if str(file) == "-" else str(file)
        data = sys.stdin.buffer.read() if str(file) == "-" else _read_bytes(file)
        plan = plan_import(data, name, project, slug, author_id, date.date() if date else None)
        if dry_run:
            click.echo(describe_import(plan))
            return
        for line in plan.dropped:
            output.info(f"dropped: {line}")
        for path in write_import(plan, force):
            output.info(f"wrote {path}")
        for note in plan.notes:
            output.info(f"note: {note}")


def _read_bytes(path: Path) -> bytes:
    from .errors import SourceError

    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}", path) from exc


def run() -> None:
    """The ``make-brief`` console script: the command, then an exit without interpreter teardown.

    When the command returns, every file is written and closed and every worker has exited;
    what is left is freeing the interpreter's objects one by one (font tables, modules), about
    80 ms of a 0.8 s build. Output is flushed first, and a failing flush (a closed pipe) takes
    the ordinary exit so Python reports it as usual.
    """
    try:
        main(prog_name="make-brief")
        code: Any = 0
    except SystemExit as exc:
        code = exc.code
    if not isinstance(code, int):  # None is success; anything else is a message to print
        if code is not None:
            print(code, file=sys.stderr)
        code = 0 if code is None else 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code)
