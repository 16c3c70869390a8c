"""``SOURCE_DATE_EPOCH``, read here and nowhere else: the date a brief shows when its article has
none, and the time stamped on every entry of the zip.

A PDF says it was made on the brief's date (:func:`brief_date`), not at the second
``SOURCE_DATE_EPOCH`` names: ReportLab reads the variable itself, and the PDF renderer
replaces what it read (``pipeline.render.pdf.internals.date_document``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..errors import BuildError

if TYPE_CHECKING:
    from ..model import Article


def source_date_epoch(environ: Mapping[str, str] = os.environ) -> str | None:
    """``SOURCE_DATE_EPOCH`` as set (stripped), or None when it is unset or empty."""
    return environ.get("SOURCE_DATE_EPOCH", "").strip() or None


def epoch_moment(epoch: str) -> dt.datetime:
    """The moment a ``SOURCE_DATE_EPOCH`` value means (UTC); anything but seconds is an error."""
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise BuildError(f"SOURCE_DATE_EPOCH must be a number of seconds, not '{epoch}'") from None


def fallback_date(environ: Mapping[str, str] = os.environ) -> dt.date:
    """The date of a brief whose article has none: SOURCE_DATE_EPOCH's (UTC), else today (UTC)."""
    epoch = source_date_epoch(environ)
    if epoch is not None:
        return epoch_moment(epoch).date()
    return dt.datetime.now(dt.UTC).date()


def brief_date(article: Article, environ: Mapping[str, str] = os.environ) -> dt.date:
    """The date a brief shows: the article's, else SOURCE_DATE_EPOCH's, else today (UTC)."""
    return article.date if article.date is not None else fallback_date(environ)
