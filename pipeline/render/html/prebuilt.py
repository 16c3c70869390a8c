"""The built-in templates' Python, generated ahead by Jinja2 and shipped with make-brief.

Jinja2 turns a template into Python source (lexing, parsing, code generation) before Python
compiles it; for the built-in templates and stylesheet that is about 80 ms, a tenth of a cold build,
whose output folder has no compiled templates yet (:mod:`.compiled`). Compiling the shipped
source takes about 15 ms. ``prebuilt.json`` holds, for each built-in template, Jinja2's source
checksum and the Python it generates, under a key of everything besides the source that
changes that Python: Jinja2's version, the environment's syntax options, and the filters and
tests it knows (Jinja2 refuses an unknown one while generating). A template whose name,
source or key differs is compiled as usual, so an edited or a project's own template is never
given the built-in one's code.

After changing a built-in template, write the file again (a test fails while it is stale):

    python -c "from pipeline.render.html import prebuilt; prebuilt.write()"
"""

from __future__ import annotations

import hashlib
import json
import types
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

#: Generated from the built-in templates by :func:`write`.
PREBUILT = Path(__file__).with_name("prebuilt.json")
#: The built-in templates, by name (the stylesheet is found as a template too).
TEMPLATES = ("brief.html.j2", "macros.html.j2", "index.html.j2", "brief.css")


def generation_key(env: jinja2.Environment) -> str:
    """What, besides a template's source, decides the Python Jinja2 generates from it: the
    syntax a compiled template is keyed on too, and the filters and tests Jinja2 checks for
    while generating (its bytecode, which Python makes, is not part of it)."""
    from .compiled import syntax_options

    options = (jinja2.__version__, *syntax_options(env), sorted(env.filters), sorted(env.tests))
    return hashlib.sha256(repr(options).encode("utf-8")).hexdigest()


@cache
def _shipped() -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(PREBUILT.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data


def prebuilt_code(
    env: jinja2.Environment, name: str, filename: str | None, checksum: str
) -> types.CodeType | None:
    """The code of built-in template ``name`` for the source whose Jinja2 checksum is
    ``checksum``, compiled as from ``filename``; None when no shipped Python fits."""
    shipped = _shipped()
    entry = shipped.get("templates", {}).get(name)
    if entry is None or entry["checksum"] != checksum or shipped["key"] != generation_key(env):
        return None
    # As Jinja2 compiles what it generates: tracebacks name the template file.
    return compile(entry["python"], filename or "<template>", "exec")


def generate(env: jinja2.Environment) -> dict[str, Any]:
    """What :data:`PREBUILT` holds for the built-in templates, as ``env`` reads them."""
    from jinja2.bccache import BytecodeCache

    templates: dict[str, dict[str, str]] = {}
    assert env.loader is not None
    for name in TEMPLATES:
        source, filename, _ = env.loader.get_source(env, name)
        python = env.compile(source, name, filename, raw=True)
        checksum = BytecodeCache().get_source_checksum(source)
        templates[name] = {"checksum": checksum, "python": python}
    return {"key": generation_key(env), "templates": templates}


def builtin_environment() -> jinja2.Environment:
    """The environment a build renders the built-in templates in, over their folder only."""
    from ...sources.theme import builtin_templates_dir
    from .environment import environment

    return environment((builtin_templates_dir(),))


def text(data: dict[str, Any]) -> str:
    """:data:`PREBUILT`'s text for ``data``."""
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write() -> None:
    """Write :data:`PREBUILT` from the built-in templates as they are now."""
    PREBUILT.write_text(text(generate(builtin_environment())), encoding="utf-8")
