"""Brief -> one self-contained HTML page, through Jinja2 templates with autoescaping."""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from ...errors import BriefError, ConfigError, RenderError
from ...model import Block, Brief, BriefBlock, Run, direction
from .. import RenderContext, pieces
from ..color import mix, readable

BRIEF_TEMPLATE = "brief.html.j2"
STYLESHEET = "brief.css"


def environment(template_dirs: tuple[Path, ...]) -> jinja2.Environment:
    """A Jinja2 environment over the template search path (one per path, reused)."""
    # Keyed on the absolute folders too: the same relative path means another folder after a
    # change of working directory, and must not reuse templates compiled from the old one.
    return _environment(template_dirs, tuple(d.absolute() for d in template_dirs))


@cache
def _environment(template_dirs: tuple[Path, ...], absolute: tuple[Path, ...]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Templates do not change while a build runs; checking their mtimes on every brief
        # costs a stat per template per brief.
        auto_reload=False,
    )
    env.globals["inline_html"] = inline_html
    # For a project's own templates written against the pieces of a block, as the built-in
    # ones once were.
    env.globals["pieces"] = pieces
    env.globals["plain"] = BriefBlock
    env.globals["heading_levels"] = heading_levels
    env.globals["block_tree"] = block_tree
    env.filters["mix"] = mix
    env.filters["readable"] = readable
    env.filters["href"] = href
    return env


#: Characters a URL may not hold as they are (RFC 3986), besides controls, spaces and non-ASCII.
_NOT_IN_URLS = frozenset('"<>\\^`{|}')


def href(url: str) -> str:
    """A link target as a valid URL: the characters a URL may not hold are percent-encoded.

    Sources may give ``https://example.org/?q="x"``; browsers encode the quotes themselves, but
    the HTML would not be valid with them. Letters beyond ASCII stay as they are (an IRI).
    """
    return "".join(
        quote(c) if c in _NOT_IN_URLS or ord(c) <= 32 or ord(c) == 127 else c for c in url
    )


def inline_html(item: BriefBlock | Block) -> Markup:
    """A block's text with its inline styles, highlights as ``<mark>``, everything escaped.

    Python rather than a template macro: a brief has thousands of runs, and a macro call per
    run made them most of the time an HTML brief takes.
    """
    if not isinstance(item, BriefBlock):
        item = BriefBlock(item)
    parts = []
    for piece in pieces(item):
        markup = "".join(_run_html(run) for run in piece.runs)
        parts.append(f"<mark>{markup}</mark>" if piece.highlighted else markup)
    return Markup("".join(parts))


def _run_html(run: Run) -> str:
    text = "<br>".join(escape(line) for line in run.text.split("\n"))
    if run.code:
        text = f"<code>{text}</code>"
    if run.italic:
        text = f"<em>{text}</em>"
    if run.bold:
        text = f"<strong>{text}</strong>"
    if run.href:
        # A link that shows its own address is styled apart (it may break anywhere).
        bare = ' class="bare"' if run.href in (run.text, f"mailto:{run.text}") else ""
        text = f'<a href="{escape(href(run.href))}"{bare}>{text}</a>'
    return text


def heading_levels(items: Sequence[BriefBlock | Block], base: int) -> list[int]:
    """The HTML heading level of each item (0 for a block that is not a heading).

    Levels follow how the Markdown headings nest, not their numbers, so that ``##`` followed by
    ``####`` still gives consecutive levels: the page never skips a level (WCAG 1.3.1, and
    the Nu Html Checker's "skipping a heading level"). ``base`` is the level of a top heading.
    """
    levels: list[int] = []
    open_headings: list[tuple[int, int]] = []  # (Markdown level, HTML level), outermost first
    for item in items:
        block = item.block if isinstance(item, BriefBlock) else item
        if block.kind != "heading":
            levels.append(0)
            continue
        while open_headings and open_headings[-1][0] >= block.level:
            open_headings.pop()
        level = open_headings[-1][1] + 1 if open_headings else base
        open_headings.append((block.level, level))
        levels.append(min(level, 6))
    return levels


@dataclass
class ListEntry:
    """One list item: its paragraphs, then the lists nested in it."""

    blocks: list[BriefBlock] = field(default_factory=list)
    nested: list[ListNode] = field(default_factory=list)


@dataclass
class ListNode:
    """A list as HTML has it (``<ul>`` or ``<ol start>``), built from the model's flat items."""

    ordered: bool
    start: int
    entries: list[ListEntry] = field(default_factory=list)


@dataclass(frozen=True)
class Leaf:
    """A block outside any list, with the heading level it gets (0 if it is no heading)."""

    item: BriefBlock
    level: int


def block_tree(items: Sequence[BriefBlock | Block], base: int) -> list[Leaf | ListNode]:
    """A run of blocks as the page shows them: list items gathered into nested lists.

    The model keeps list items flat, each with its depth and marker, so every paragraph stays a
    block of its own; screen readers need real lists to announce them as lists (WCAG 1.3.1).
    A list item's second paragraph has no marker and joins the item before it.
    """
    levels = heading_levels(items, base)
    tree: list[Leaf | ListNode] = []
    open_lists: list[ListNode] = []  # the lists being filled, outermost first
    for raw, level in zip(items, levels, strict=True):
        item = raw if isinstance(raw, BriefBlock) else BriefBlock(raw)
        block = item.block
        if block.kind != "item":
            open_lists.clear()
            tree.append(Leaf(item, level))
            continue
        depth = min(block.level, len(open_lists))
        ordered = block.marker[:-1].isdigit()
        del open_lists[depth + 1 :]
        if depth < len(open_lists) and block.marker and open_lists[depth].ordered != ordered:
            del open_lists[depth:]  # a bullet list right after a numbered one: a new list
        if depth == len(open_lists):
            node = ListNode(ordered, int(block.marker[:-1]) if ordered else 1)
            if open_lists and open_lists[-1].entries:
                open_lists[-1].entries[-1].nested.append(node)
            else:
                tree.append(node)
            open_lists.append(node)
        node = open_lists[depth]
        if block.marker or not node.entries:
            node.entries.append(ListEntry())
        node.entries[-1].blocks.append(item)
    return tree


def get_template(env: jinja2.Environment, name: str) -> jinja2.Template:
    """Load a template; a miss names every folder tried, a syntax error its file and line."""
    try:
        return env.get_template(name)
    except jinja2.TemplateNotFound:
        loader = env.loader
        tried = ", ".join(getattr(loader, "searchpath", [])) if loader else ""
        raise ConfigError(f"template '{name}' not found (looked in: {tried})", name) from None
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(
            f"template syntax error: {exc.message}", exc.filename or name, exc.lineno
        ) from exc


def render_template(env: jinja2.Environment, name: str, values: dict[str, Any]) -> str:
    """Render ``name``; an error names the template file and line where it happened.

    A template imported while rendering (``macros.html.j2``) is compiled only then, so its
    syntax errors and missing files surface here too.
    """
    template = get_template(env, name)
    try:
        return template.render(values)
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or name
        raise ConfigError(f"template syntax error: {exc.message}", where, exc.lineno) from exc
    except jinja2.TemplateNotFound as exc:
        raise ConfigError(f"template '{exc.name}' not found", template.filename or name) from exc
    except jinja2.TemplateError as exc:
        path, line = _template_frame(exc, template.filename or name)
        what = "uses an undefined value" if isinstance(exc, jinja2.UndefinedError) else "failed"
        raise RenderError(f"template {what}: {exc.message}", path, line) from exc


def _template_frame(exc: BaseException, fallback: str) -> tuple[str, int | None]:
    """The template file and line an error was raised in: Jinja2 puts them in the traceback."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if not frame.filename.endswith(".py") and Path(frame.filename).is_file():
            return frame.filename, frame.lineno
    return fallback, None


def template_problems(env: jinja2.Environment) -> list[BriefError]:
    """Compile every template on the search path, reporting each one's syntax errors."""
    problems: list[BriefError] = []
    for name in env.list_templates(extensions=["j2"]):
        try:
            get_template(env, name)
        except BriefError as exc:
            problems.append(exc)
    return problems


@cache
def read_stylesheet(env: jinja2.Environment, name: str = STYLESHEET) -> Markup:
    """The CSS to inline, found on the template search path like any template.

    It is trusted like the templates themselves and goes into ``<style>`` unescaped: character
    references mean nothing there, so escaping would turn every quoted font name into a CSS
    syntax error. The one thing it must not hold is the end of the ``<style>`` element.
    Read once per environment, like the templates: they do not change while a build runs.
    """
    template = get_template(env, name)
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    if "</style" in source.lower():
        raise ConfigError("the stylesheet must not contain '</style'", template.filename or name)
    return Markup(source)


def render(brief: Brief, context: RenderContext) -> bytes:
    """The brief as a standalone HTML document, UTF-8 encoded."""
    env = environment(context.template_dirs)
    accent = brief.edition.color or context.theme.colors["accent"]
    values = {
        "brief": brief,
        "article": brief.article,
        "direction": direction(brief.article.lang),
        "edition": brief.edition,
        "author": brief.author,
        "theme": context.theme,
        "accent": accent,
        "css": read_stylesheet(env),
        "formats": context.formats,
        "base_url": context.base_url,
        "page_url": context.published_url(brief, "html"),
    }
    return render_template(env, BRIEF_TEMPLATE, values).encode("utf-8")


def prepare(context: RenderContext) -> None:
    """Compile the brief's templates and read the stylesheet, as the first brief would."""
    env = environment(context.template_dirs)
    get_template(env, BRIEF_TEMPLATE)
    read_stylesheet(env)
