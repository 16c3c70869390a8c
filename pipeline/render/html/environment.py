"""The Jinja2 environment over the template search path, and loading and rendering templates
with every error named by its template file and line."""

from __future__ import annotations

import base64
import dataclasses
import inspect
import os
import re
import traceback
import types
from collections.abc import Callable
from functools import cache
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, cast

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
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


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja2's sandbox, for templates a project writes: no attribute that starts with ``_``
    (``''.__class__.__mro__`` and so on to Python's internals), no call that changes a list or
    mapping the templates share, and no file: nothing of a path (``article.path``) nor a
    module is reached, so a template reads only the values it is given.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        #: Whether an attribute is safe, by the types of the object and the value and the
        #: attribute's name, which are all the checks look at: a brief reads hundreds of
        #: attributes, and checking each afresh made rendering 2.5 times as slow.
        self._safe: dict[tuple[type, str, type], bool] = {}
        #: Of those, the safe ones that are read as they are (not a string's ``format``).
        self._plain: dict[tuple[type, str, type], bool] = {}

    def compile(self, *args: Any, **kwargs: Any) -> Any:
        # Jinja2 words its own syntax errors; what it turns into Python that Python cannot
        # compile (blocks nested past Python's 20, or so deep the parser runs out of stack)
        # is not one of them, and would blame the article being built. Raised here, it is
        # named by its template however the template is reached (an include, an import).
        try:
            return super().compile(*args, **kwargs)
        except (RecursionError, MemoryError, SyntaxError) as exc:
            bound = inspect.signature(jinja2.Environment.compile).bind(self, *args, **kwargs)
            where = bound.arguments.get("filename") or bound.arguments.get("name")
            detail = getattr(exc, "msg", None) or "deeper than Python's stack"
            raise ConfigError(
                f"template nests too deeply to compile ({detail}): nest fewer blocks, or "
                "fewer parentheses or operators in one expression",
                where,
            ) from None

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Jinja2's own, with the check remembered (below) and no look for ``str.format``
        # where the check has said the attribute is a plain safe one.
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            return super().getattr(obj, attribute)
        if self._plain.get((type(obj), attribute, type(value)), False):
            return value
        return super().getattr(obj, attribute)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr, type(value))
        safe = self._safe.get(key)
        if safe is None:
            if len(self._safe) >= _SAFE_KEPT:
                self._safe.clear()
                self._plain.clear()
            opaque = (
                isinstance(obj, _OPAQUE)
                or isinstance(value, _OPAQUE)
                or attr in _path_fields(type(obj))
            )
            safe = not opaque and bool(super().is_safe_attribute(obj, attr, value))
            self._safe[key] = safe
            # A string's format methods are safe when the sandbox wraps them: never plain.
            self._plain[key] = safe and attr not in _FORMATS
        return safe


#: What a template may hold but never look into: a path opens files, a module is code.
_OPAQUE = (os.PathLike, PurePath, types.ModuleType)


def _path_fields(cls: type) -> frozenset[str]:
    """The fields of dataclass ``cls`` that hold paths, alone or among others
    (``Theme.search_dirs``, a tuple of folders): refused whatever they hold now, since a path
    reached through a tuple or list is a path all the same (the absolute folder of the
    built-in templates shown in a page), and a field's type is the same for every object of
    ``cls``, as the remembered checks need."""
    found = _PATH_FIELDS.get(cls)
    if found is None:
        fields = dataclasses.fields(cls) if dataclasses.is_dataclass(cls) else ()
        found = frozenset(f.name for f in fields if _PATH_TYPE.search(str(f.type)))
        _PATH_FIELDS[cls] = found
    return found


#: :func:`_path_fields` by class: a class's fields do not change.
_PATH_FIELDS: dict[type, frozenset[str]] = {}


#: A field's type that is or holds a path (the types are strings: ``tuple[Path, ...]``).
_PATH_TYPE = re.compile(r"\b(?:Pure\w*)?Path(?:Like)?\b")
#: A string's methods the sandbox wraps, so they format only what a template may read.
_FORMATS = frozenset({"format", "format_map"})
#: The most attribute checks a sandbox remembers (a template naming attributes without end
#: must not fill the memory).
_SAFE_KEPT = 4096


@cache
def _environment(template_dirs: tuple[Path, ...], absolute: tuple[Path, ...]) -> jinja2.Environment:
    # Every template is rendered in the sandbox, the built-in ones too: a project's own
    # template may import their macros, and one environment compiles each template once.
    env = Sandbox(
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
    except jinja2.TemplateNotFound as exc:
        raise ConfigError(_not_found(env, exc), name) from None
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
        # Included, imported or extended: named by the template and line that asked for it.
        path, line = _template_frame(exc, template.filename or name)
        raise ConfigError(_not_found(env, exc), path, line) from None
    except SecurityError as exc:
        path, line = _template_frame(exc, template.filename or name)
        raise RenderError(f"template does what no template may: {exc.message}", path, line) from exc
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
    except MemoryError as exc:
        # "a" * 10 ** 15: a MemoryError has no words of its own to show.
        path, line = _template_frame(exc, template.filename or name)
        raise RenderError("template ran out of memory making a value", path, line) from None
    except Exception as exc:  # an expression the template evaluates: 1 / 0, int("x")
        path, line = _template_frame(exc, template.filename or name)
        raise RenderError(f"template failed: {type(exc).__name__}: {exc}", path, line) from exc


def _not_found(env: jinja2.Environment, exc: jinja2.TemplateNotFound) -> str:
    """What a template miss says: the name asked for and every path tried for it."""
    names = getattr(exc, "templates", None) or [exc.name]
    folders = getattr(env.loader, "searchpath", [])
    tried = ", ".join(
        str(Path(folder, *str(missing).split("/"))) for missing in names for folder in folders
    )
    shown = " or ".join(f"'{missing}'" for missing in names)
    return f"template {shown} not found (looked for {tried})"


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
