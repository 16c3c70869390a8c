"""Brief -> one self-contained HTML page, through Jinja2 templates with autoescaping.

:mod:`.environment` loads and renders the templates, :mod:`.markup` gives them a brief's blocks
as HTML, and :mod:`.palette` the theme's colours as CSS custom properties.
"""

from __future__ import annotations

from ...model import Brief, direction
from .. import RenderContext
from ..labels import labels_for
from .environment import (
    STYLESHEET,
    environment,
    get_template,
    read_stylesheet,
    render_template,
    template_problems,
)
from .markup import Leaf, ListEntry, ListNode, block_tree, heading_levels, href, inline_html
from .palette import palette

__all__ = [
    "BRIEF_TEMPLATE",
    "STYLESHEET",
    "Leaf",
    "ListEntry",
    "ListNode",
    "block_tree",
    "environment",
    "get_template",
    "heading_levels",
    "href",
    "inline_html",
    "palette",
    "prepare",
    "read_stylesheet",
    "render",
    "render_template",
    "template_problems",
]

BRIEF_TEMPLATE = "brief.html.j2"


def render(brief: Brief, context: RenderContext) -> bytes:
    """The brief as a standalone HTML document, UTF-8 encoded."""
    env = environment(context.template_dirs, context.compiled)
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
        "image_url": context.preview_url(brief),
        "labels": labels_for(brief.article.lang, context.template_dirs),
        "organisation": context.organisation,
    }
    return render_template(env, BRIEF_TEMPLATE, values).encode("utf-8")


def prepare(context: RenderContext) -> None:
    """Compile the brief's templates and read the stylesheet, as the first brief would."""
    env = environment(context.template_dirs, context.compiled)
    get_template(env, BRIEF_TEMPLATE)
    read_stylesheet(env)
