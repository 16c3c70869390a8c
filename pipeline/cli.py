"""The ``make-brief`` command: parse options, call the library, report. No logic of its own.

Every expected failure is a :class:`~pipeline.errors.BriefError`, caught here once and printed
as ``error: FILE[:LINE]: message`` with exit status 1; usage mistakes exit 2. A reader that
stops reading (``make-brief focuses | head -1``) ends the command quietly, with status 0.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__
from .errors import BriefError, ProblemList, UsageProblem, one_line
from .render import format_names

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from .build.artifacts import Artifact

F = TypeVar("F", bound=Callable[..., Any])
#: Builds of more artifacts than this get a progress bar on a terminal.
PROGRESS_BAR_MIN = 4


class Output:
    """How much the user asked to hear."""

    def __init__(self, quiet: bool = False, verbose: bool = False):
        self.quiet, self.verbose = quiet, verbose

    def info(self, message: str) -> None:
        """Tell ``message`` on standard output. If nobody reads it any more (``| head -1``),
        the command goes on without it: a build or an import is not left half done."""
        if not self.quiet:
            try:
                click.echo(message)
            except BrokenPipeError:
                _stop_writing_stdout()

    def warn(self, message: str) -> None:
        """Tell a warning on standard error, unless the user asked for errors only."""
        if not self.quiet:
            click.echo(f"warning: {message}", err=True)

    def note(self, message: str) -> None:
        """Tell a note on standard error (where standard output holds JSON), unless quiet."""
        if not self.quiet:
            click.echo(f"note: {message}", err=True)


def _print_json(data: object) -> None:
    """One JSON document on standard output, keys in the order the README documents them."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _stop_writing_stdout() -> None:
    """After the reader of standard output went away: send what is left to the null device, so
    the final flush neither fails nor makes Python print "Exception ignored" as it exits.
    (What the Python documentation recommends for SIGPIPE, in the signal module's notes.)"""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no file descriptor (a test's captured output)
        pass


def _hear(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """``--quiet``/``--verbose`` given after a command: the same as before it."""
    output = ctx.find_object(Output)
    if not value or output is None or param.name is None:  # None: completing, nothing to run
        return
    setattr(output, param.name, True)
    if output.quiet and output.verbose:
        raise click.UsageError("--quiet and --verbose cannot be used together", ctx)


def _output_options() -> list[click.Parameter]:
    """``--quiet`` and ``--verbose`` for one command, new objects each time."""
    return [
        click.Option(
            ["--quiet", "-q"],
            is_flag=True,
            expose_value=False,
            callback=_hear,
            help="Print only errors.",
        ),
        click.Option(
            ["--verbose", "-v"],
            is_flag=True,
            expose_value=False,
            callback=_hear,
            help="Print more, and a traceback on errors.",
        ),
    ]


@contextmanager
def _until_the_reader_leaves(ctx: click.Context) -> Iterator[None]:
    """End the command with status 0 when standard output's reader has gone (``| head``):
    one that has read enough is not an error, though Click would exit with 1."""
    try:
        yield
    except BrokenPipeError:
        _stop_writing_stdout()
        ctx.exit(0)


class BriefGroup(click.Group):
    """The ``make-brief`` group: every command takes ``-q``/``-v`` after its name as well as
    before it, and a closed standard output ends any command quietly: while the options are
    read (``--help``, ``--version``) and while a command runs."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        taken = {opt for param in cmd.params for opt in param.opts}
        cmd.params.extend(p for p in _output_options() if not taken & set(p.opts))
        super().add_command(cmd, name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        with _until_the_reader_leaves(ctx):
            return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        with _until_the_reader_leaves(ctx):
            return super().invoke(ctx)


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
    except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):
        raise  # click's own (a usage error, an exit status, an abort), and a closed stdout
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


def _project_dir(ctx: click.Context) -> Path:
    """The ``--project`` typed so far on the line being completed (the command's, else one
    before it), else here."""
    context: click.Context | None = ctx
    while context is not None:
        value = context.params.get("project_dir")
        if isinstance(value, Path | str) and str(value):
            return Path(value)
        context = context.parent
    return Path(".")


def _completions(candidates: Sequence[str], incomplete: str) -> list[CompletionItem]:
    from click.shell_completion import CompletionItem

    return [CompletionItem(c) for c in candidates if c.startswith(incomplete)]


def complete_focus(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Focus ids for ``--focus``: those of sources/focuses.yaml, ``general``, and ``all`` where
    the command takes it; after a ``+``, the ids to weigh with the ones before it.

    Reads, never writes, and never fails: a project that cannot be read completes the built-in
    ids only (the build itself then says what is wrong).
    """
    from .build import ALL, GENERAL
    from .sources import Project

    try:
        ids = _focus_ids(Project(_project_dir(ctx)).focuses_file)
        before, plus, last = incomplete.rpartition("+")
        if plus:
            chosen = set(before.split("+"))
            return _completions([f"{before}+{i}" for i in ids if i not in chosen], incomplete)
        builtin = [GENERAL] if ctx.command.name == "explain" else [GENERAL, ALL]
        return _completions([*ids, *builtin], last)
    except Exception:  # completion must never show a traceback in the user's shell
        return []


def _focus_ids(path: Path) -> list[str]:
    """The focus ids ``path`` defines: as the build reads them, else (a focus is broken) the
    keys of its YAML mapping, else none."""
    from .sources import read_focuses

    try:
        return list(read_focuses(path))
    except Exception:
        from .sources.pyyaml import yaml

        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except Exception:
            return []
        return [str(key) for key in data] if isinstance(data, dict) else []


def complete_article(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Article slugs for ``--article``: the names of sources/articles/*.md. Never fails."""
    from .sources import Project

    try:
        slugs = [path.stem for path in Project(_project_dir(ctx)).article_paths()]
        return _completions(slugs, incomplete)
    except Exception:
        return []


def _project_or_parents(ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path:
    """A command's --project, else the one given before the command, else the current folder:
    ``make-brief --project X check`` checks X, as ``make-brief check --project X`` does."""
    if value is not None:
        return value
    parent = ctx.parent
    while parent is not None:
        given = parent.params.get("project_dir")
        if given is not None:
            return Path(given)
        parent = parent.parent
    return Path(".")


def project_option(func: F) -> F:
    return click.option(
        "--project",
        "project_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        callback=_project_or_parents,
        help="The brief project to work on. Default: the current folder.",
    )(func)


def build_options(func: F) -> F:
    """What to build and where: the options a build and ``watch`` share."""
    decorators = [
        click.option(
            "--focus",
            "-f",
            "focuses",
            multiple=True,
            metavar="F",
            shell_complete=complete_focus,
            help="A focus id, 'general', 'all', or ids joined with '+'. Repeatable. Default: all.",
        ),
        click.option(
            "--format",
            "formats",
            multiple=True,
            type=click.Choice(format_names()),
            help="Output format. Repeatable. Default: every format.",
        ),
        click.option(
            "--article",
            "-a",
            "articles",
            multiple=True,
            metavar="SLUG",
            shell_complete=complete_article,
            help="Build only this article. Repeatable. Default: every article.",
        ),
        click.option(
            "--out",
            "out_dir",
            type=NamedPath("a folder (without --out: build/)", file_okay=False),
            help="Output folder. Default: build/ in the project.",
        ),
        project_option,
        click.option(
            "--jobs",
            "-j",
            type=click.IntRange(min=1),
            metavar="N",
            help="Render in up to N worker processes. Default: one per CPU.",
        ),
    ]
    for decorate in reversed(decorators):
        func = decorate(func)
    return func


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


@click.group(
    cls=BriefGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@build_options
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
    "--json",
    "as_json",
    is_flag=True,
    help="Print the build's summary as JSON (see the README), and nothing else.",
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
    as_json: bool,
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
      make-brief check -q
      make-brief --json | jq .built
      make-brief --sign && make-brief verify build/*/*.pdf
    """
    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose cannot be used together")
    ctx.obj = Output(quiet, verbose)
    if ctx.invoked_subcommand is not None:
        _hand_on(ctx, ctx.invoked_subcommand)
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
        # With --json, standard output holds the JSON alone: no progress, no lines.
        shown = Output(quiet=True, verbose=verbose) if as_json else output
        progress = BuildReport(shown, out_dir or project.root / "build")
        try:
            result = build(project, options, progress)
        finally:
            progress.finish()
        for warning in result.warnings:
            output.warn(str(warning))
        for note in result.notes:
            if as_json:  # standard output holds the JSON alone
                output.note(note)
            else:
                output.info(f"note: {note}")
        if as_json:
            _print_json(result.summary_json(dist))
            return
        output.info(
            f"{len(result.built)} built, {len(result.up_to_date)} up to date, "
            f"{len(result.removed)} removed in {result.seconds:.2f} s ({result.out_dir})"
        )
        if dist is not None:
            output.info(f"wrote {dist} ({len(result.dist)} files)")


#: Options of the build that mean something else to a command of the same option name:
#: ``init --force`` adds starter files, ``import --force`` overwrites sources.
_NOT_HANDED_ON = frozenset({"force"})


def _hand_on(ctx: click.Context, name: str) -> None:
    """Give the options typed before command ``name`` to it, as if typed after its name:
    ``make-brief --out site watch`` is ``make-brief watch --out site``. An option the command
    does not take is a usage error, never dropped without a word; one typed after the
    command's name as well wins over the one before it."""
    command = ctx.command.get_command(ctx, name) if isinstance(ctx.command, click.Group) else None
    if command is None:
        return
    from click.core import ParameterSource

    takes = {
        opt: param
        for param in command.params
        if isinstance(param, click.Option) and param.name not in _NOT_HANDED_ON
        for opt in param.opts
    }
    handed: dict[str, Any] = {}
    for param in ctx.command.params:
        if param.name in (None, "quiet", "verbose") or not isinstance(param, click.Option):
            continue  # --quiet and --verbose are every command's (see Output)
        if ctx.get_parameter_source(param.name) is not ParameterSource.COMMANDLINE:
            continue
        long = max(param.opts, key=len)
        taken = takes.get(long)
        if taken is None or taken.name is None:
            raise click.UsageError(
                f"{long} is given before '{name}', which takes no {long} "
                f"(see 'make-brief {name} --help')",
                ctx,
            )
        handed[taken.name] = ctx.params[param.name]
    if handed:
        ctx.default_map = {**(ctx.default_map or {}), name: handed}


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
@build_options
@click.option("--serve", is_flag=True, help="Also serve the output folder on 127.0.0.1.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="For --serve."
)
@click.pass_obj
def watch(
    output: Output,
    focuses: tuple[str, ...],
    formats: tuple[str, ...],
    articles: tuple[str, ...],
    out_dir: Path | None,
    project_dir: Path,
    jobs: int | None,
    serve: bool,
    port: int,
) -> None:
    """Build, then rebuild what each save in sources/ or templates/ changes, until Ctrl-C.

    With --serve, an HTML brief open in a browser reloads when it is rebuilt (the served page
    gets the reload script; the files written stay as a build writes them).
    """
    from contextlib import nullcontext

    from .build import ALL, BuildOptions
    from .build.signals import terminate_as_interrupt
    from .build.watch import Outcome, Rebuilder, file_changes, watch, watched_folders

    with reported(output):
        project = _open_project(project_dir)
        options = BuildOptions(
            focuses=focuses or (ALL,),
            formats=formats or format_names(),
            articles=articles,
            out_dir=out_dir,
            jobs=jobs,
        )
        progress = BuildReport(output, out_dir or project.root / "build")
        rebuilder = Rebuilder(project, options, progress)
        changes = file_changes(watched_folders(project))
        preview: Any = nullcontext()
        if serve:
            from .build.watch_serve import Preview

            try:
                preview = Preview(rebuilder.out_dir, port)
            except OSError as exc:
                raise UsageProblem(f"cannot serve on 127.0.0.1:{port}: {exc.strerror}") from exc

        def report(outcome: Outcome) -> None:
            progress.finish()
            if outcome.error is not None:
                problems = getattr(outcome.error, "problems", [outcome.error])
                for problem in problems:
                    click.echo(f"error: {problem}", err=True)
                output.info("kept the last good briefs; waiting for the next save")
                return
            result = outcome.result
            assert result is not None
            for warning in result.warnings:
                output.warn(str(warning))
            output.info(
                f"{len(result.built)} built, {len(result.up_to_date)} up to date, "
                f"{len(result.removed)} removed in {result.seconds:.2f} s ({result.out_dir})"
            )
            if serve:
                preview.rebuilds.announce(outcome.rebuilt)

        try:
            with terminate_as_interrupt(), preview:
                if serve:
                    output.info(f"serving {rebuilder.out_dir} at {preview.url}")
                folders = ", ".join(str(folder) for folder in watched_folders(project))
                output.info(f"watching {folders} (Ctrl-C stops)")
                watch(rebuilder, changes, report)
        except KeyboardInterrupt:
            progress.finish()
            output.info("stopped watching")


@main.command()
@project_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (see the README).")
@click.pass_obj
def check(output: Output, project_dir: Path, as_json: bool) -> None:
    """Validate every source, focus and template; write nothing."""
    from .check import check_project

    with reported(output):
        report = check_project(_open_project(project_dir))
        for warning in report.warnings:
            output.warn(str(warning))
        if as_json:
            _print_json(report.to_json())
            return
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
@click.option("--json", "as_json", is_flag=True, help="Print the focuses as JSON (see the README).")
@click.pass_obj
def focuses(output: Output, project_dir: Path, as_json: bool) -> None:
    """List the focus ids with their titles."""
    from .build import GENERAL
    from .build.options import JSON_SCHEMA
    from .emphasis.brief import TAKEAWAYS_MAX
    from .sources import read_focuses

    with reported(output):
        project = _open_project(project_dir)
        known = read_focuses(project.focuses_file)
        if as_json:
            listed: list[dict[str, object]] = [
                {
                    "id": fid,
                    "title": focus.title,
                    "description": focus.description,
                    "color": focus.color,
                    "keywords": list(focus.keywords),
                    # The limit its briefs apply, set or not, so a script need not know the default.
                    "takeaways": focus.takeaways or TAKEAWAYS_MAX,
                }
                for fid, focus in known.items()
            ]
            general = {"id": GENERAL, "title": "General edition", "description": _GENERAL}
            _print_json({"schema": JSON_SCHEMA, "focuses": listed, "general": general})
            return
        width = max(len(fid) for fid in [*known, "general"])
        for fid, focus in known.items():
            click.echo(f"{fid:<{width}}  {focus.title}: {focus.description}")
        click.echo(f"{GENERAL:<{width}}  General edition: {_GENERAL}")


#: What ``make-brief focuses`` says of the general edition.
_GENERAL = "the article with no emphasis"


def _given_once(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> str:
    """The one value of an option explain takes once.

    The build repeats ``--article`` and ``--focus`` to mean several, so taking the last of
    them here, as Click would, explains something other than what was asked. The same value
    twice asks for one thing, as it does of the build, and so do joined focuses typed in
    another order (``security+human-rights``, ``human-rights+security``): one edition.
    """
    if param.name == "focus":
        same = {frozenset(p.strip() for p in v.split("+")): v for v in reversed(values)}
        values = tuple(v for v in dict.fromkeys(values) if v in same.values())
    else:
        values = tuple(dict.fromkeys(values))
    if len(values) > 1:
        joined = ", ".join(repr(v) for v in values)
        more = " (join focuses with '+' to weigh them together)" if param.name == "focus" else ""
        raise click.BadParameter(
            f"given {len(values)} times ({joined}): explain explains one article in one "
            f"edition; run it once for each{more}",
            ctx,
            param,
        )
    return values[0]


@main.command()
@click.option(
    "--article",
    "-a",
    "slug",
    required=True,
    multiple=True,
    callback=_given_once,
    metavar="SLUG",
    shell_complete=complete_article,
    help="The article (once).",
)
@click.option(
    "--focus",
    "-f",
    "focus",
    required=True,
    multiple=True,
    callback=_given_once,
    metavar="F",
    shell_complete=complete_focus,
    help="A focus id, 'general', or ids joined with '+' (once).",
)
@click.option(
    "--model",
    type=click.Choice(["keyword", "semantic"]),
    help="The relevance model to explain. Default: the project's (relevance: in project.yaml).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="List every sentence that matched the focus, not only the best 15 and the takeaways.",
)
@project_option
@click.pass_obj
def explain(
    output: Output,
    slug: str,
    focus: str,
    model: str | None,
    as_json: bool,
    every: bool,
    project_dir: Path,
) -> None:
    """Why each section and sentence of an article scored as it did for a focus.

    Lists every section with its score, the keywords that matched and where the brief puts
    it; the best sentences with their scores and why each is or is not a takeaway; keywords
    that did not count (inside a name, an excluded phrase); and the thresholds. Use it to tune
    a focus in sources/focuses.yaml.
    """
    from . import emphasis
    from .build import resolve_editions
    from .emphasis import semantic
    from .sources import read_project
    from .sources.config import read_config

    with reported(output):
        project = _open_project(project_dir)
        sources = read_project(project, [], (slug,))
        if model is None:
            model = read_config(project, []).relevance
        elif model == "semantic" and not semantic.available():
            raise UsageProblem(f"--model semantic needs the 'semantic' extra: {semantic.INSTALL}")
        editions = resolve_editions((focus,), sources.focuses)
        if len(editions) != 1:
            raise UsageProblem(f"explain takes one edition, not '{focus}': name a focus")
        (edition,) = editions
        explanation = emphasis.explain(
            sources.articles[0], edition, tuple(sources.focuses.values()), model, every
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
        data = _read_input(file)
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


def _read_input(path: Path) -> bytes:
    """The bytes of the file to import (standard input for ``-``), refusing one larger than
    an import reads, so /dev/zero or a runaway pipe is an error, not all the memory."""
    from .errors import SourceError
    from .importer import MAX_INPUT_BYTES

    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with path.open("rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}", path) from exc
    if len(data) > MAX_INPUT_BYTES:
        raise SourceError(
            f"is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB, the most an import reads",
            "<stdin>" if str(path) == "-" else path,
        )
    return data


def run() -> None:
    """The ``make-brief`` console script: the command, then an exit without interpreter teardown.

    When the command returns, every file is written and closed and every worker has exited;
    what is left is freeing the interpreter's objects one by one (font tables, modules), about
    80 ms of a 0.8 s build. Output is flushed first. A reader that closed the pipe before the
    last of it (``make-brief focuses | head -1``) is not an error: the rest goes nowhere and
    the status is the command's; any other failing flush takes the ordinary exit, so Python
    reports it as usual.
    """
    try:
        main(prog_name="make-brief")
        code: Any = 0
    except SystemExit as exc:
        code = exc.code
    except BrokenPipeError:  # closed while answering the shell's completion, before Click's
        _stop_writing_stdout()  # handling (BriefGroup) begins
        code = 0
    if not isinstance(code, int):  # None is success; anything else is a message to print
        if code is not None:
            print(code, file=sys.stderr)
        code = 0 if code is None else 1
    try:
        _flush(sys.stdout)
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code)


def _flush(stream: Any) -> None:
    """Flush ``stream``; if its reader has gone, let the rest go to the null device."""
    try:
        stream.flush()
    except BrokenPipeError:
        _stop_writing_stdout()
        stream.flush()
