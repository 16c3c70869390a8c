"""``feed.xml``: an Atom feed (RFC 4287) of every brief, for a project with a ``base_url``.

One entry per brief (an article in one edition): its address (the HTML, with the PDF as a second
alternate link), title, focus (as a category), author and date. Made from the index's entries
and nothing that changes between runs, so it is byte-identical whenever they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from .. import __version__
from .index import FEED, INDEX, IndexArticle

ATOM = "http://www.w3.org/2005/Atom"
#: The time an entry of an undated brief (or an empty feed) is said to be updated.
_EPOCH = "1970-01-01"


def _time(iso_date: str) -> str:
    return f"{iso_date or _EPOCH}T00:00:00Z"


def feed_bytes(
    entries: Sequence[IndexArticle], base_url: str, title: str = "Policy briefs"
) -> bytes:
    """The Atom feed of ``entries`` (see :func:`pipeline.build.index.index_entries`), published
    at ``base_url`` (which ends in "/")."""
    items: list[tuple[str, str, int, str]] = []
    anonymous = False
    for article in entries:
        info = article.info
        for rank, edition in enumerate(article.editions):
            by_format = {f.format: f for f in edition.files}
            main = by_format.get("html") or edition.files[0]
            url = base_url + main.path
            links = [
                f'    <link rel="alternate" type={quoteattr(main.media_type or "text/html")} '
                f"href={quoteattr(url)}/>"
            ]
            for file in edition.files:
                if file is not main and file.media_type:
                    links.append(
                        f'    <link rel="alternate" type={quoteattr(file.media_type)} '
                        f'href={quoteattr(base_url + file.path)} length="{file.bytes}"/>'
                    )
            if edition.thumbnail is not None:
                links.append(
                    '    <link rel="enclosure" type="image/png" '
                    f"href={quoteattr(base_url + edition.thumbnail.path)} "
                    f'length="{edition.thumbnail.bytes}"/>'
                )
            author = ""
            if info.author_name:
                author = f"    <author><name>{escape(info.author_name)}</name></author>\n"
            else:
                anonymous = True
            summary = info.summary or f"{edition.title}: a policy brief of “{info.title}”."
            lang = f" xml:lang={quoteattr(info.lang)}" if info.lang else ""
            body = (
                f"  <entry{lang}>\n"
                f"    <id>{escape(url)}</id>\n"
                f"    <title>{escape(info.title)} · {escape(edition.title)}</title>\n"
                f"    <updated>{_time(info.date)}</updated>\n"
                f"    <published>{_time(info.date)}</published>\n"
                f"{author}"
                f"    <category term={quoteattr(edition.id)} label={quoteattr(edition.title)}/>\n"
                f"    <summary>{escape(summary)}</summary>\n" + "\n".join(links) + "\n  </entry>\n"
            )
            items.append((info.date or _EPOCH, article.slug, rank, body))
    # Newest first; then by article and the project's edition order, so the bytes are stable.
    items.sort(key=lambda item: (_negate(item[0]), item[1], item[2]))
    updated = _time(max((item[0] for item in items), default=_EPOCH))
    head = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="{ATOM}" xml:lang="en">\n'
        f"  <id>{escape(base_url)}</id>\n"
        f"  <title>{escape(title)}</title>\n"
        f"  <updated>{updated}</updated>\n"
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(base_url + FEED)}/>\n'
        f'  <link rel="alternate" type="text/html" href={quoteattr(base_url + INDEX)}/>\n'
        f'  <generator version="{escape(__version__)}">make-brief</generator>\n'
        + (f"  <author><name>{escape(title)}</name></author>\n" if anonymous else "")
    )
    return (head + "".join(item[3] for item in items) + "</feed>\n").encode("utf-8")


def _negate(iso_date: str) -> tuple[int, ...]:
    """A sort key that puts later ISO dates first."""
    return tuple(-int(part) for part in iso_date.split("-"))
