"""Scraped articles (plain text or a saved web page) -> article and author sources.

The importer works on units, not Markdown: a reader turns the input into units (one line of a
text file, one block of a web page), then the planner sorts them into a title, a byline, the
sections and an author bio, and drops known web boilerplate, recording every line it drops so
nothing disappears silently. A page's tables stay tables and its images, when their files are
beside it, figures. The writer emits Markdown escaped so that every sentence renders
exactly as it came in: the importer fixes nothing but the title's acronyms.

    plan = plan_import(data, name, project, slug, author, date)   # reads, decides, writes nothing
    describe_import(plan)                                         # the --dry-run report
    write_import(plan, force)                                     # the files, atomically

The library never prints: problems with the input raise :class:`SourceError`.

The modules, in the order the data flows: :mod:`.units` (what the stages pass),
:mod:`.plain` and :mod:`.webpage` (the readers; a page's encoding is :mod:`.charset`, its tree
:mod:`.tree`, its footnotes :mod:`.notes`, and what its reader does not see as the article,
hidden elements, reader comments and site furniture, :mod:`.hidden`), :mod:`.figures` (a
page's image files), :mod:`.boilerplate` and :mod:`.headings` (the rules for lines),
:mod:`.structure` and :mod:`.bylines` (title, byline and date, sections, bio), :mod:`.slugs`,
:mod:`.markdown` (the files' text), :mod:`.plan`, :mod:`.report` and :mod:`.write`.
"""

from .markdown import escape_line
from .plan import MAX_INPUT_BYTES, ImportPlan, plan_import
from .report import describe_import
from .structure import restore_acronyms
from .units import Drop
from .write import write_import

__all__ = [
    "MAX_INPUT_BYTES",
    "Drop",
    "ImportPlan",
    "describe_import",
    "escape_line",
    "plan_import",
    "restore_acronyms",
    "write_import",
]
