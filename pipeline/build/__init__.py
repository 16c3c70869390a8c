"""Build briefs into an output folder: plan, skip what is up to date, render, write, publish.

A build goes in four steps, each in its own module:

1. **Read what every target shares** (focuses, theme), failing on a broken one before anything
   else and reporting every broken source at once (:mod:`.plan`).
2. **Plan** (with the output folder locked, :mod:`.outdir`): compare content hashes of the raw
   input files (:mod:`.fingerprint`) with what the last build recorded (:mod:`.state`).
   Outputs whose article, focus or format is gone are marked for removal; an output whose key
   and file are unchanged is up to date; the rest are jobs. Only the articles of jobs are
   parsed (with every author), and one brief of each format is rendered first: a broken source
   or template stops the build here, having written nothing (:mod:`.run`).
3. **Render the jobs**, in this process or in a pool of worker processes (:mod:`.workers`);
   only this process writes, so what is on disk is always what the state and manifest say.
4. **Publish**: the manifest (:mod:`.publish`), the index page (:mod:`.index`) and the state,
   each written only if it changed, and the zip when asked for. This also runs when a job
   failed, so the manifest describes exactly the files on disk before the error is raised.

A build can be split into shards and merged back (:mod:`.shard`, :mod:`.merge`). The library
reports progress through a callback (:class:`Progress`) and never prints; the CLI decides what
to show.
"""

from typing import TYPE_CHECKING

from ..lazy import imported_on_first_use
from .dates import brief_date
from .editions import ALL, GENERAL, resolve_editions
from .options import BuildOptions, BuildResult, Progress
from .stamp import build

if TYPE_CHECKING:
    from .merge import merge
    from .workers import Job, Rendered, Shared

#: Names whose module is imported on first use: a build with nothing to render never needs the
#: workers, and one the stamp shows is up to date (:mod:`.stamp`) not even the planning.
_LATER = {"Job": ".workers", "Rendered": ".workers", "Shared": ".workers", "merge": ".merge"}

__all__ = [
    "ALL",
    "GENERAL",
    "BuildOptions",
    "BuildResult",
    "Job",
    "Progress",
    "Rendered",
    "Shared",
    "brief_date",
    "build",
    "merge",
    "resolve_editions",
]


__getattr__ = imported_on_first_use(__name__, globals(), _LATER)
