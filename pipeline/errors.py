"""The project's one exception tree.

Every expected failure (a broken source, a bad theme, a failed render) raises a subclass of
:class:`BriefError`. The command line catches it once and prints ``error: FILE[:LINE]: message``.
"""

from __future__ import annotations

import stat
from pathlib import Path


def shown_name(path: Path | str) -> str:
    """A file name as a message shows it: as it is, or quoted with its unprintable characters
    escaped (a newline, a terminal escape, a bidi override) so it cannot forge another line."""
    name = str(path)
    return name if name.isprintable() else repr(name)


def kind_of(mode: int) -> str:
    """What a file of ``stat`` mode ``mode`` is, as a message says it: "a file", "a folder",
    "a FIFO"... (a link's mode says "a special file": the caller names links itself)."""
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def one_line(text: str) -> str:
    """``text`` with its unprintable characters escaped, so that it prints as one line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def located(message: str, path: Path | str | None, line: int | None = None) -> str:
    """``FILE:LINE: message``, ``FILE: message`` or ``message``: one line, whatever they hold."""
    if path is None:
        return one_line(message)
    where = f"{shown_name(path)}:{line}" if line else shown_name(path)
    return f"{where}: {one_line(message)}"


class BriefError(Exception):
    """A failure the user can fix, located in a file (and line) where that is known."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __reduce__(self) -> tuple[object, ...]:
        # Errors cross from worker processes to the parent by pickling, which by default
        # would rebuild them from the message alone and lose the file and line.
        return (type(self), (self.message, self.path, self.line))

    def location(self) -> str:
        """``FILE`` or ``FILE:LINE``, or an empty string when the failure has no file."""
        if self.path is None:
            return ""
        return f"{shown_name(self.path)}:{self.line}" if self.line else shown_name(self.path)

    def __str__(self) -> str:
        return located(self.message, self.path, self.line)


class SourceError(BriefError):
    """An article, author or focus definition that cannot be read as written."""


class ConfigError(BriefError):
    """A theme, template or project layout problem."""


class RenderError(BriefError):
    """A brief that could not be rendered."""


class BuildError(BriefError):
    """The build could not write or publish its outputs."""


class ProblemList(BriefError):
    """Several problems found at once, as ``make-brief check`` reports them."""

    def __init__(self, problems: list[BriefError]):
        super().__init__(f"{len(problems)} problem(s) found")
        self.problems = problems

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.problems,))


def raise_problems(problems: list[BriefError]) -> None:
    """Raise the one problem found, or all of them as a :class:`ProblemList`; none, no raise.

    A single problem keeps its own class and location, so a build stopped by one broken source
    prints exactly one ``error:`` line.
    """
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ProblemList(problems)


class UsageProblem(BriefError):
    """A command-line value that names nothing in the project, such as an unknown focus."""
