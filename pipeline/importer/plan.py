"""Planning an import: the slug, the author, the paths and the files' text, before any writing.

:func:`plan_import` reads the input (:mod:`.plain` or :mod:`.webpage`), finds its structure
(:mod:`.structure`) and decides everything the import would write as an :class:`ImportPlan`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError
from ..sources import ID_PATTERN, Project
from ..sources.decode import MAX_SOURCE_BYTES
from .figures import FigureCopy, Image, find_images, plan_copies
from .markdown import article_markdown, author_markdown, body_markdown
from .plain import read_plain
from .slugs import slugify
from .structure import HONORIFIC_PREFIX, Draft, find_structure
from .units import Drop, Note, Unit, shown_text
from .webpage import read_page


@dataclass(frozen=True)
class ImportPlan:
    """Everything an import would write, decided before anything is written."""

    #: The input's name as given ("-" or "<stdin>" for standard input).
    source_name: str
    project_root: Path
    slug: str
    #: The title as written to the front matter (acronyms restored).
    title: str
    article_path: Path
    #: The whole article file: front matter and Markdown body.
    article_text: str
    article_exists: bool
    author_id: str
    #: The author's name as the page gives it (bio, byline or meta tag); "" when it gives none.
    author_name: str
    author_path: Path
    #: The author file to write; None when the author already exists or no bio was found.
    author_text: str | None
    author_exists: bool
    #: The bio found on the page, paragraphs separated by blank lines; "" when there is none.
    bio: str
    #: Each section's heading with its number of paragraphs, in order.
    sections: tuple[tuple[str, int], ...]
    #: Paragraphs before the first section.
    lede_count: int
    date: dt.date | None
    source_url: str
    #: Every input line left out of the sources, with its line number and the reason.
    drops: tuple[Drop, ...]
    #: Things the user should know, such as a bio that was not written because the author exists.
    notes: tuple[str, ...] = ()
    #: The images the article's figures show, copied next to it under ``sources/``.
    figures: tuple[FigureCopy, ...] = ()
    #: The article's ``lang`` as written to the front matter; "" for none (English).
    lang: str = ""
    #: How many footnotes the article has.
    footnotes: int = 0

    @property
    def dropped(self) -> tuple[str, ...]:
        """The text of every dropped line, in input order."""
        return tuple(drop.text for drop in self.drops)


def plan_import(
    data: bytes,
    name: str,
    project: Project,
    slug: str | None = None,
    author: str | None = None,
    date: dt.date | None = None,
) -> ImportPlan:
    """Read a scraped article and decide the sources it becomes, writing nothing.

    ``name`` is the input's file name (``-`` or ``<stdin>`` for standard input); ``.html`` and
    ``.htm`` are read as web pages, anything else as plain text. ``slug``, ``author`` and
    ``date`` override what the importer would detect.
    """
    for value, option in ((slug, "--slug"), (author, "--author")):
        if value is not None and not ID_PATTERN.fullmatch(value):
            raise SourceError(
                f"{option} '{value}' must be lowercase letters, digits and single hyphens "
                "(like us-north-korea)"
            )
    images: dict[str, Image] = {}
    if _is_html(name):
        page, images = find_images(read_page(data, name), _page_folder(name))
    else:
        page = read_plain(data, name)
    draft = find_structure(page, name)
    return _plan(draft, name, project, slug, author, date, images)


def _page_folder(name: str) -> Path | None:
    """The folder of a saved page, where its images are; None for standard input."""
    if name in ("-", "<stdin>"):
        return None
    path = Path(name)
    return path.parent if path.is_file() else None


def _is_html(name: str) -> bool:
    return name.lower().endswith((".html", ".htm"))


#: The largest input an import reads: a saved page carries scripts, styles and markup
#: around its text, so it may be several times the article it becomes.
MAX_INPUT_BYTES = 64 * 1024 * 1024

#: Slugs made from long titles stop at a word boundary near this length.
_SLUG_CHARS = 60


def _plan(
    draft: Draft,
    name: str,
    project: Project,
    slug: str | None,
    author: str | None,
    date: dt.date | None,
    images: dict[str, Image],
) -> ImportPlan:
    slug = slug or slugify(draft.title, _SLUG_CHARS)
    if not slug:
        raise SourceError("cannot make a slug from the title: pass --slug SLUG", name)
    author_id = _author_id(draft, name, project, author)
    author_path = project.authors_dir / f"{author_id}.md"
    author_exists = author_path.exists()
    if not author_exists and not draft.bio:
        raise SourceError(
            f"no author bio found, and author '{author_id}' does not exist: create "
            f"sources/authors/{author_id}.md first, or import a page that has the bio",
            name,
        )
    if not any(u.kind == "heading" for u in draft.body):
        raise SourceError(
            "no section headings found: a brief needs at least one; put a short heading line "
            "(no closing full stop) before the paragraphs it introduces",
            name,
        )
    bio_text = "\n\n".join(shown_text(u.text) for u in draft.bio)
    figures = [u for u in draft.body if u.kind == "figure"]
    copies = plan_copies(figures, images, project.sources, slug)
    body = body_markdown(draft.body, {str(c.source): c.reference for c in copies}, draft.footnotes)
    when = date or draft.date
    # English is what an article without a lang is: the front matter need not say so.
    lang = "" if draft.lang.lower() == "en" else draft.lang
    article_text = article_markdown(draft.title, author_id, when, draft.source_url, body.text, lang)
    size = len(article_text.encode("utf-8"))
    if size > MAX_SOURCE_BYTES:
        # A build would refuse the file: say so now, before it is written.
        raise SourceError(
            f"the article would be {size / 2**20:.1f} MB, more than the "
            f"{MAX_SOURCE_BYTES // 2**20} MB a source may be: import the page in parts",
            name,
        )
    author_name = draft.author_name
    return ImportPlan(
        source_name=name,
        project_root=project.root,
        slug=slug,
        title=draft.title,
        article_path=project.articles_dir / f"{slug}.md",
        article_text=article_text,
        article_exists=(project.articles_dir / f"{slug}.md").exists(),
        author_id=author_id,
        author_name=author_name,
        author_path=author_path,
        author_text=None if author_exists else _author_text(author_name, draft.bio, name),
        author_exists=author_exists,
        bio=bio_text,
        sections=body.sections,
        lede_count=body.lede,
        footnotes=len(body.notes),
        date=when,
        source_url=draft.source_url,
        drops=_with_unreferenced(draft.drops, body.unreferenced),
        notes=_notes(author_exists, bio_text, author_id) + draft.notes,
        figures=copies,
        lang=lang,
    )


def _with_unreferenced(drops: tuple[Drop, ...], notes: Sequence[Note]) -> tuple[Drop, ...]:
    """The dropped lines and the notes whose only references went with them, in page order."""
    left_out = (
        Drop(shown_text(" ".join(note.paragraphs)), note.line, "note of text left out")
        for note in notes
        if note.paragraphs
    )
    return tuple(sorted((*drops, *left_out), key=lambda d: d.line))


def _author_id(draft: Draft, name: str, project: Project, author: str | None) -> str:
    if author:
        return author
    if draft.author_name:
        found = slugify(HONORIFIC_PREFIX.sub("", draft.author_name))
        if found:
            return found
    if draft.bio:
        raise _nameless_bio(draft.bio, name)
    known = ", ".join(p.stem for p in project.author_paths()) or "none yet"
    raise SourceError(
        f"no author bio or byline found: pass --author ID (known authors: {known})", name
    )


def _nameless_bio(bio: Sequence[Unit], name: str) -> SourceError:
    return SourceError(
        "found a bio but not the author's name in it: pass --author ID for an existing "
        "author, or start the bio with the author's name",
        name,
        bio[0].line,
    )


def _author_text(author_name: str, bio: Sequence[Unit], name: str) -> str:
    if not author_name:
        raise _nameless_bio(bio, name)
    return author_markdown(author_name, bio)


def _notes(author_exists: bool, bio: str, author_id: str) -> tuple[str, ...]:
    if not author_exists:
        return ()
    if bio:
        return (
            f"author '{author_id}' already exists: the article links to it and the page's bio "
            "was not written (edit the author file to change the bio)",
        )
    return (f"author '{author_id}' already exists: the article links to it",)
