"""How readers report: warnings that do not stop a build, and problems collected to report at once.

Readers never print. A problem that stops a source raises a :class:`~pipeline.errors.BriefError`;
independent checks of one source run through :func:`attempt`, so every problem in a file is
reported together and a user fixes them in one go. A problem worth telling but not fatal is
appended to the ``warnings`` list the caller passes in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ..errors import BriefError, ProblemList, located

T = TypeVar("T")
Fallback = TypeVar("Fallback")


@dataclass(frozen=True)
class SourceWarning:
    """Something worth telling about a source that does not stop the build."""

    message: str
    path: Path
    line: int | None = None

    def __str__(self) -> str:
        return located(self.message, self.path, self.line)


#: The warnings a reader appends to, in the order found.
Warnings = list[SourceWarning]


def attempt(problems: list[BriefError], check: Callable[[], T], fallback: Fallback) -> T | Fallback:
    """Run one independent check; on a problem record it and go on with ``fallback``."""
    try:
        return check()
    except ProblemList as many:
        problems.extend(many.problems)
    except BriefError as exc:
        problems.append(exc)
    return fallback


def collect(check: Callable[[], T], problems: list[BriefError]) -> T | None:
    """Run ``check``; record a project error instead of raising it (for reporting all at once)."""
    return attempt(problems, check, None)
