"""The Jinja2 environment over the template search path, and loading and rendering templates
with every error named by its template file and line."""

from __future__ import annotations

import base64
import traceback
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import jinja2
from markupsafe import Markup

from ...errors import BriefError, ConfigError, RenderError, SourceError
from ...model import BriefBlock, Organisation
from ...sources.decode import decode_text
from .. import pieces
from ..color import mix, readable
from .compiled import StoreCache
from .markup import (
    block_tree,
    cell_html,
    heading_levels,
    href,
    image_src,
    inline_html,
    note_ref_id,
    referenced_notes,
)
from .palette import palette

if TYPE_CHECKING:
    from .. import CompiledStore

STYLESHEET = "brief.css"


def environment(
    template_dirs: tuple[Path, ...], compiled: CompiledStore | None = None
) -> jinja2.Environment:
    """A Jinja2 environment over the template search path (one per path, reused).

    Templates it has not compiled yet are read from ``compiled``, and those it compiles are
    given to it; None keeps nothing.
    """
    # Keyed on the absolute folders too: the same relative path means another folder after a
    # change of working directory, and must not reuse templates compiled from the old one.
    env = _environment(template_dirs, tuple(d.absolute() for d in template_dirs))
    cast(StoreCache, env.bytecode_cache).store = compiled
    return env


class _Loader(jinja2.FileSystemLoader):
    """The template search path; a template that is not UTF-8 is an error at its own file and
    line, not a UnicodeDecodeError blamed on the article being built or on the template that
    imports it."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError:
            found = (Path(folder, *template.split("/")) for folder in self.searchpath)
            path = next(p for p in found if p.is_file())
            try:
                decode_text(path.read_bytes(), path, self.encoding)
            except SourceError as exc:
                raise ConfigError(exc.message, exc.path, exc.line) from None
            raise


@cache
def _environment(template_dirs: tuple[Path, ...], absolute: tuple[Path, ...]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=_Loader([str(d) for d in template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Templates do not change while a build runs; checking their mtimes on every brief
        # costs a stat per template per brief.
        auto_reload=False,
        bytecode_cache=StoreCache(),
    )
    env.globals["inline_html"] = inline_html
    env.globals["cell_html"] = cell_html
    env.globals["note_ref_id"] = note_ref_id
    env.globals["referenced_notes"] = referenced_notes
    env.globals["image_src"] = image_src
    # For a project's own templates written against the pieces of a block, as the built-in
    # ones once were.
    env.globals["pieces"] = pieces
    env.globals["plain"] = BriefBlock
    env.globals["heading_levels"] = heading_levels
    env.globals["block_tree"] = block_tree
    env.globals["palette"] = palette
    env.filters["mix"] = mix
    env.filters["readable"] = readable
    env.filters["href"] = href
    env.globals["logo_uri"] = logo_uri
    return env


def logo_uri(organisation: Organisation) -> str:
    """The organisation's logo as a ``data:`` URI, so the page stays one self-contained file."""
    encoded = base64.b64encode(organisation.logo).decode("ascii")
    return f"data:image/{organisation.logo_format};base64,{encoded}"


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
    except BriefError:
        raise  # a filter or global named its own problem
    except RecursionError as exc:
        # A macro that calls itself without end: the last template frame is inside it.
        path, line = _template_frame(exc, template.filename or name)
        raise RenderError("template recurses without end", path, line) from None
    except Exception as exc:  # an expression the template evaluates: 1 / 0, int("x")
        path, line = _template_frame(exc, template.filename or name)
        raise RenderError(f"template failed: {type(exc).__name__}: {exc}", path, line) from exc


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
