"""The theme: page size, margins, fonts, sizes and colours, read from ``theme.yaml``.

The built-in ``templates/theme.yaml`` holds every default; a project's own ``templates/theme.yaml``
is merged over it key by key, so users tune data rather than code.
"""

from __future__ import annotations

import importlib
import math
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any, TypeVar

from ..errors import BriefError, ConfigError, raise_problems
from . import fontfiles, yamldoc
from .decode import is_present, read_config_text
from .patterns import COLOR_PATTERN
from .pyyaml import yaml

THEME_FILE = "theme.yaml"
PAGE_SIZES_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
FACES = fontfiles.FACES


def builtin_templates_dir() -> Path:
    """The templates shipped with make-brief (the repository's own ``templates/``)."""
    # The package's folder, as an installed or editable make-brief has it on disk; asking
    # importlib.resources would import zipfile, tempfile and shutil into every run.
    templates = importlib.import_module("pipeline.templates")
    return Path(str(templates.__file__)).resolve().parent


@dataclass(frozen=True)
class FontFamily:
    """Candidate fonts for each face, in order of preference: family names or files, as
    :mod:`pipeline.sources.fontfiles` reads them."""

    regular: tuple[str, ...]
    bold: tuple[str, ...]
    italic: tuple[str, ...]
    bold_italic: tuple[str, ...]


@dataclass(frozen=True)
class TextStyle:
    """How one kind of PDF paragraph is set; ``None`` takes the value of the body style."""

    #: The family: ``body``, ``heading`` or ``mono``.
    font: str | None = None
    bold: bool = False
    #: Points, as the theme's sizes made them.
    size: float | None = None
    leading: float | None = None
    space_before: float | None = None
    space_after: float | None = None
    left_indent: float | None = None
    bullet_indent: float | None = None
    #: A colour name: one of the theme's colours, ``on_accent`` or ``accent_text``.
    color: str | None = None
    keep_with_next: bool = False
    #: Space added between letters, in points (tracked capitals); None for none.
    tracking: float | None = None
    #: Whether the text is set in capitals (labels such as "In focus").
    caps: bool = False


@dataclass(frozen=True)
class Box:
    """A box or rule of the PDF, in points; colours are colour names as in :class:`TextStyle`."""

    fill: str | None = None
    #: The colour of the box's rule (a line at its side, or the rule itself).
    rule: str | None = None
    rule_width: float = 0.0
    #: Top, right, bottom, left.
    padding: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    #: Space above and below each row of a box that has rows (the key takeaways).
    row_gap: float = 0.0
    space_before: float = 0.0
    space_after: float = 0.0
    #: How far a mark in the margin stands out from the text column.
    offset: float = 0.0


@dataclass(frozen=True)
class Theme:
    """Everything about a brief's look that users tune without touching code."""

    page_size: str
    #: Margins in millimetres: top, right, bottom, left.
    margins_mm: tuple[float, float, float, float]
    body_font: FontFamily
    heading_font: FontFamily
    mono_font: FontFamily
    #: Fonts (families or files) tried, in order, for characters the faces lack; fonts not on
    #: the machine are skipped.
    fallback_fonts: tuple[str, ...]
    sizes: Mapping[str, float]
    colors: Mapping[str, str]
    #: Folders the theme's relative font paths are resolved against, project first.
    search_dirs: tuple[Path, ...]
    #: The HTML's colours in dark mode and when printed, each merged over ``colors``.
    dark_colors: Mapping[str, str]
    print_colors: Mapping[str, str]
    #: The PDF's paragraph styles by name, and its boxes and rules by name.
    pdf_styles: Mapping[str, TextStyle]
    pdf_boxes: Mapping[str, Box]
    #: How far each level of a nested list is indented in the PDF, in points.
    pdf_list_indent: float

    @property
    def page_size_mm(self) -> tuple[float, float]:
        return PAGE_SIZES_MM[self.page_size.lower()]


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` merged over ``base``, recursively for nested mappings."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


@dataclass(frozen=True)
class _ThemeFile:
    """One ``theme.yaml`` as read: where it is and its document, to locate each setting."""

    path: Path
    document: yamldoc.YamlDocument

    @property
    def data(self) -> dict[str, Any]:
        return self.document.data or {}

    def line_of(self, keys: tuple[str | int, ...]) -> int | None:
        """The line of the setting at ``keys`` (``("sizes", "body")``), if this file has it."""
        return self.document.line_at(*keys)


def _read(path: Path) -> _ThemeFile:
    # Read as a source is: a folder or a FIFO is refused by name (never waited on), and a
    # byte that is not UTF-8 or a control character is reported at its line.
    text = read_config_text(path, ConfigError)
    document = yamldoc.parse(text, path, "not valid YAML", error=ConfigError)
    if document.data is not None and not isinstance(document.data, dict):
        raise ConfigError("the theme must be a mapping of settings", path, 1)
    return _ThemeFile(path, document)


def template_dirs(templates_dir: Path | None) -> tuple[Path, ...]:
    """The template search path: the project's ``templates/`` first, then the built-in one."""
    builtin = builtin_templates_dir()
    if templates_dir is None or templates_dir.resolve() == builtin.resolve():
        return (builtin,)
    return (templates_dir, builtin)


def load_theme(templates_dir: Path | None) -> Theme:
    """The built-in theme with the project's ``theme.yaml`` (if any) merged over it."""
    dirs = template_dirs(templates_dir)
    if len(dirs) == 1:
        return _builtin_theme()
    return _load(dirs)


@cache
def _builtin_theme() -> Theme:
    """The built-in theme alone, read once per process: a build of make-brief's own templates
    loads it as the project's theme, and the index page again for its colours (``palette``).
    ``make-brief watch`` forgets it when the templates change (``forget_theme``)."""
    return _load(template_dirs(None))


def _load(dirs: tuple[Path, ...]) -> Theme:
    files = [_read(dirs[-1] / THEME_FILE)]
    if len(dirs) > 1 and is_present(dirs[0] / THEME_FILE):
        files.insert(0, _read(dirs[0] / THEME_FILE))
    data = files[-1].data
    raise_problems([p for own in files[:-1] for p in _unknown_settings(own, data)])
    for override in reversed(files[:-1]):
        data = merge(data, override.data)
    where = partial(_where, files, fallback=dirs[0] / THEME_FILE)
    theme = _theme(data, dirs, where)
    problems: list[BriefError] = [
        ConfigError(message, *where(keys)) for keys, message in _length_problems(theme)
    ]
    raise_problems(problems)
    # Last: a face is looked for only among fonts the theme names well.
    raise_problems(list(_missing_fonts(theme, where)))
    return theme


#: The sections whose settings are a fixed set, the built-in theme's; the others (sizes,
#: colours, styles, boxes) may name new entries for the rest of the theme to use.
_FIXED_SECTIONS = ("page", "fonts", "pdf")


def _unknown_settings(own: _ThemeFile, builtin: Mapping[str, Any]) -> list[ConfigError]:
    """A setting of the project's theme that the built-in one does not have, at its line: it is
    a misspelling (``colours:``) that would change nothing without a word."""
    data = own.data
    problems = []
    known = ", ".join(sorted(builtin))
    for key in data:
        if key not in builtin:
            problems.append(
                ConfigError(
                    f"'{key}' is not a theme setting ({known})", own.path, own.line_of((str(key),))
                )
            )
    for section in _FIXED_SECTIONS:
        given, defaults = data.get(section), builtin[section]
        if not isinstance(given, Mapping):
            continue  # malformed: said where the section is read
        for key in given:
            if key not in defaults:
                problems.append(
                    ConfigError(
                        f"{section}: '{key}' is not a setting there "
                        f"({', '.join(sorted(defaults))})",
                        own.path,
                        own.line_of((section, str(key))),
                    )
                )
    return problems + list(_unknown_names(own, builtin))


#: What each named entry of a fixed set holds: the settings of a PDF style and of a box.
_ENTRY_KEYS = {"styles": ("style", "a style setting"), "boxes": ("box", "a box setting")}


def _unknown_names(own: _ThemeFile, builtin: Mapping[str, Any]) -> Iterator[ConfigError]:
    """A style, box or font face the built-in theme has no such name for, or a setting of one
    that is no setting, at its line: the PDF sets only the styles and boxes it knows by name,
    so a misspelt one (``bdoy:``) would change nothing without a word."""
    pdf, builtin_pdf = own.data.get("pdf"), builtin.get("pdf")
    if isinstance(pdf, Mapping) and isinstance(builtin_pdf, Mapping):
        for section, (kind, setting) in _ENTRY_KEYS.items():
            given, known = pdf.get(section), builtin_pdf.get(section)
            if not isinstance(given, Mapping) or not isinstance(known, Mapping):
                continue
            keys = STYLE_KEYS if section == "styles" else BOX_KEYS
            for name, spec in given.items():
                where = ("pdf", section, str(name))
                if name not in known:
                    message = f"unknown {kind} '{name}' ({_nearest(str(name), known)})"
                    yield ConfigError(f"pdf: {section}: {message}", own.path, own.line_of(where))
                    continue
                for key in spec if isinstance(spec, Mapping) else ():
                    if key not in keys:
                        yield ConfigError(
                            f"pdf: {section}: {name}: '{key}' is not {setting} "
                            f"({_nearest(str(key), keys)})",
                            own.path,
                            own.line_of((*where, str(key))),
                        )
    fonts = own.data.get("fonts")
    for family in ("body", "heading", "mono"):
        spec = fonts.get(family) if isinstance(fonts, Mapping) else None
        for face in spec if isinstance(spec, Mapping) else ():
            if face not in FACES:
                yield ConfigError(
                    f"fonts: {family}: unknown font face '{face}' ({_nearest(str(face), FACES)})",
                    own.path,
                    own.line_of(("fonts", family, str(face))),
                )


def _nearest(name: str, known: Iterable[str]) -> str:
    """The known name ``name`` is most likely a misspelling of, else the known names."""
    from difflib import get_close_matches

    names = sorted(map(str, known))
    near = get_close_matches(name, names, n=1)
    return f"did you mean '{near[0]}'?" if near else f"known: {', '.join(names)}"


def _where(
    files: list[_ThemeFile], keys: tuple[str | int, ...], fallback: Path | None = None
) -> tuple[Path, int | None]:
    """The file and line that set the setting at ``keys`` in the theme :func:`merge` makes of
    ``files`` (the project's first); else ``fallback`` (the project's theme file), no line.

    Level by level, as the merge goes: a mapping is merged with the mappings below it, and any
    other value (``pdf: 3``, a list) replaces what the files below say there, so it is where
    everything under it comes from; a setting its mapping lacks is placed at the mapping.
    """
    merging = files
    found: tuple[Path, int | None] = (fallback or files[0].path, None)
    for depth in range(1, len(keys) + 1):
        nodes = [(f, f.document.node_at(*keys[:depth])) for f in merging]
        present = [(f, node) for f, node in nodes if node is not None]
        if not present:
            return found
        top_file, top = present[0]
        found = top_file.path, top_file.line_of(keys[:depth])
        if not isinstance(top, yaml.MappingNode):
            # A list's items are located in it; what is under any other value is that value.
            return top_file.path, top_file.line_of(keys) or found[1]
        merging = []
        for theme_file, node in present:
            if not isinstance(node, yaml.MappingNode):
                break
            merging.append(theme_file)
    return found


#: Where the setting at some keys is written: its file and line.
Where = Callable[[tuple[str | int, ...]], tuple[Path, int | None]]
Keys = tuple[str | int, ...]
T = TypeVar("T")


def _label(keys: Keys) -> str:
    """How a message names a setting: ``pdf: styles: body: size``."""
    return ": ".join(map(str, keys))


@dataclass(frozen=True)
class _Settings:
    """The merged theme's values, each read at its keys, so that a problem with one is an error
    at the file and line that set it."""

    data: Mapping[str, Any]
    where: Where

    def value(self, keys: Keys) -> Any:
        """The value at ``keys``: the mappings above it are checked by :meth:`section` first."""
        value: Any = self.data
        for depth, key in enumerate(keys):
            if key not in (range(len(value)) if isinstance(value, list) else value):
                # Only a theme that lacks what the built-in one has, which every merge keeps.
                raise self.error(keys[: depth + 1], "is missing")
            value = value[key]
        return value

    def section(self, keys: Keys) -> Mapping[str, Any]:
        """The mapping at ``keys``, or an error where something else is written."""
        value = self.value(keys)
        if not isinstance(value, Mapping):
            raise self.error(keys, f"must be a mapping of settings, not {_written(value)}")
        return value

    def read(self, keys: Keys, convert: Callable[[Any], T]) -> T:
        """``convert`` of the value at ``keys``; its ValueError an error at the setting."""
        try:
            return convert(self.value(keys))
        except ValueError as exc:
            raise self.error(keys, str(exc)) from None

    def error(self, keys: Keys, message: str) -> ConfigError:
        return ConfigError(f"{_label(keys)}: {message}", *self.where(keys))


def _written(value: object) -> str:
    """A value as a message quotes it: a list as a list, a mapping as one, text as text."""
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "nothing" if value is None else repr(value)


def _number(value: object, what: str = "a number") -> float:
    """A number, as YAML gives it or as text ("12"); true and false are none."""
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        try:
            return float(value)
        except ValueError:
            pass
    raise ValueError(f"must be {what}, not {_written(value)}")


def _text(value: object) -> str:
    """A text setting (a colour, a name), which a list or mapping cannot be."""
    if isinstance(value, Mapping | list) or value is None:
        raise ValueError(f"must be a value, not {_written(value)}")
    return str(value)


def _page_size(value: object) -> str:
    size = _text(value)
    if size.lower() not in PAGE_SIZES_MM:
        raise ValueError(f"must be A4 or Letter, not '{size}'")
    return size


SIDES = ("top", "right", "bottom", "left")


def _theme(data: Mapping[str, Any], dirs: tuple[Path, ...], where: Where) -> Theme:
    settings = _Settings(data, where)
    millimetres = partial(_number, what="a number of millimetres")
    settings.section(("page",))
    size = settings.read(("page", "size"), _page_size)
    settings.section(("page", "margins_mm"))
    margins_mm = tuple(settings.read(("page", "margins_mm", k), millimetres) for k in SIDES)
    fonts = settings.section(("fonts",))

    def palette(section: str, read: Callable[[Any], T]) -> dict[str, T]:
        return {str(k): settings.read((section, k), read) for k in settings.section((section,))}

    sizes = palette("sizes", _number)
    colors = palette("colors", _text)
    dark = palette("dark_colors", _text)
    printed = palette("print_colors", _text)
    points = partial(_points, sizes=sizes)
    settings.section(("pdf",))
    pdf_styles = {
        str(name): _text_style(settings, ("pdf", "styles", name), points)
        for name in settings.section(("pdf", "styles"))
    }
    pdf_boxes = {
        str(name): _box(settings, ("pdf", "boxes", name), points)
        for name in settings.section(("pdf", "boxes"))
    }
    pdf_list_indent = settings.read(("pdf", "list_indent"), points)
    problems = _problems(colors, dark, printed, pdf_styles, pdf_boxes)
    raise_problems([settings.error(keys, message) for keys, message in problems])
    return Theme(
        page_size=size,
        margins_mm=margins_mm,  # type: ignore[arg-type]
        body_font=_family(fonts.get("body"), "body", where),
        heading_font=_family(fonts.get("heading"), "heading", where),
        mono_font=_family(fonts.get("mono"), "mono", where),
        fallback_fonts=_fallbacks(fonts.get("fallback"), where),
        sizes=sizes,
        colors=colors,
        search_dirs=dirs,
        dark_colors={**colors, **dark},
        print_colors={**colors, **printed},
        pdf_styles=pdf_styles,
        pdf_boxes=pdf_boxes,
        pdf_list_indent=pdf_list_indent,
    )


def _missing_fonts(theme: Theme, where: Where) -> Iterator[ConfigError]:
    """Fonts none of which is on this machine, for the faces that name them, at the line that
    does: the PDF cannot be set without them, and the renderer that finds out knows no line."""
    for family, spec in (
        ("body", theme.body_font),
        ("heading", theme.heading_font),
        ("mono", theme.mono_font),
    ):
        # Faces left out or given as one name share their fonts, and the line naming them.
        missing: dict[tuple[tuple[str, ...], Path, int | None], list[str]] = {}
        for face in FACES:
            candidates = getattr(spec, face)
            if next(fontfiles.candidates_in(candidates, face, theme.search_dirs), None) is None:
                path, line = where(("fonts", family, face))
                missing.setdefault((candidates, path, line), []).append(face.replace("_", " "))
        for (candidates, path, line), faces in missing.items():
            named = " and ".join(", ".join(faces).rsplit(", ", 1))
            yield ConfigError(
                f"fonts: {family}: no font found for the {named} "
                f"face{'s' if len(faces) > 1 else ''} among: {', '.join(candidates)}",
                path,
                line,
            )


def _family(spec: object, family: str, where: Where) -> FontFamily:
    """A family: a family name for every face, or a mapping of faces to candidate lists."""
    keys: tuple[str, ...] = ("fonts", family)
    if isinstance(spec, str):
        return FontFamily(*[_font_names([spec], keys, where, listed=False)] * len(FACES))
    if not isinstance(spec, Mapping) or "regular" not in spec:
        raise ConfigError(
            "each font family needs a family name or at least a 'regular' face", *where(keys)
        )

    def face(name: str) -> tuple[str, ...]:
        written = name if spec.get(name) else "regular"
        value = spec[written]
        listed = isinstance(value, list)
        return _font_names(value if listed else [value], (*keys, written), where, listed)

    return FontFamily(*(face(name) for name in FACES))


def _fallbacks(spec: object, where: Where) -> tuple[str, ...]:
    if spec is None:
        return ()
    if not isinstance(spec, list) or not all(isinstance(item, str) and item for item in spec):
        raise ConfigError(
            "fonts: fallback must be a list of font families or files",
            *where(("fonts", "fallback")),
        )
    return _font_names(spec, ("fonts", "fallback"), where)


def _font_names(
    names: list[Any], keys: tuple[str, ...], where: Where, listed: bool = True
) -> tuple[str, ...]:
    """The names as strings, refusing any that cannot name a font on every machine, each at
    the line it is written on (``keys`` is where the list, or the one name, is)."""
    result = tuple(str(name) for name in names)
    raise_problems(
        [
            ConfigError(f"fonts: {found}", *where((*keys, i) if listed else keys))
            for i, found in enumerate(map(fontfiles.problem, result))
            if found
        ]
    )
    return result


#: Colour names besides the theme's colours: the accent's text, as white or dark text on it,
#: and the accent shaded until it reads as text on the paper, the takeaways and highlights.
COLOR_ROLES = frozenset({"on_accent", "accent_text"})
_STEPS = {"*": operator.mul, "+": operator.add, "-": operator.sub, "/": operator.truediv}
_SIZE = re.compile(r"\s*([a-z_]+)\s*(?:([-+*/])\s*([0-9.]+)\s*)?")


def _points(value: object, sizes: Mapping[str, float]) -> float:
    """A length in points: a number, or one of ``sizes`` with one arithmetic step."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    match = _SIZE.fullmatch(str(value)) if isinstance(value, str) else None
    if match is None or match[1] not in sizes:
        raise ValueError(f"{_written(value)} is neither a number nor a size such as 'body * 1.15'")
    size, step, number = match.groups()
    try:
        amount = float(number) if step else 0.0
    except ValueError:
        raise ValueError(f"{value!r}: {number!r} is not a number") from None
    if step == "/" and amount == 0:
        raise ValueError(f"{value!r} divides by zero")
    return _STEPS[step](sizes[size], amount) if step else sizes[size]


_STYLE_LENGTHS = (
    "size",
    "leading",
    "space_before",
    "space_after",
    "left_indent",
    "bullet_indent",
    "tracking",
)
_STYLE_SWITCHES = ("bold", "keep_with_next", "caps")
STYLE_KEYS = frozenset({"font", "color", *_STYLE_LENGTHS, *_STYLE_SWITCHES})
BOX_LENGTHS = ("rule_width", "row_gap", "space_before", "space_after", "offset")
BOX_KEYS = frozenset({"fill", "rule", "padding", *BOX_LENGTHS})


def _entry(settings: _Settings, keys: Keys, known: frozenset[str], kind: str) -> Mapping[str, Any]:
    """The settings of one style or box, refusing one that is none (the built-in theme's own:
    a project's are refused by name before the merge)."""
    spec = settings.section(keys)
    unknown = sorted(set(map(str, spec)) - known)
    if unknown:
        raise settings.error((*keys, unknown[0]), f"not {kind} ({', '.join(sorted(known))})")
    return spec


def _text_style(settings: _Settings, keys: Keys, points: Callable[[Any], float]) -> TextStyle:
    spec = _entry(settings, keys, STYLE_KEYS, "a style setting")
    switches = {k: settings.read((*keys, k), _switch) for k in _STYLE_SWITCHES if k in spec}
    return TextStyle(
        font=settings.read((*keys, "font"), _text) if "font" in spec else None,
        bold=switches.get("bold", False),
        color=settings.read((*keys, "color"), _text) if "color" in spec else None,
        keep_with_next=switches.get("keep_with_next", False),
        caps=switches.get("caps", False),
        **{k: settings.read((*keys, k), points) for k in _STYLE_LENGTHS if k in spec},
    )


#: The words YAML 1.1 read as true or false, which themes written for it use ("bold: yes"):
#: sources read only true and false as booleans now, so that "lang: no" stays Norwegian, but a
#: switch that can only be on or off still takes these.
_SWITCH_WORDS = {"yes": True, "on": True, "no": False, "off": False}


def _switch(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in _SWITCH_WORDS:
        return _SWITCH_WORDS[value.lower()]
    raise ValueError(f"must be true or false, not {_written(value)}")


def _box(settings: _Settings, keys: Keys, points: Callable[[Any], float]) -> Box:
    spec = _entry(settings, keys, BOX_KEYS, "a box setting")
    padding: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0)
    if "padding" in spec:
        sides = spec["padding"]
        if not isinstance(sides, list) or len(sides) != len(SIDES):
            raise settings.error(
                (*keys, "padding"),
                f"must be a list of four lengths (top, right, bottom, left), not {_written(sides)}",
            )
        padding = tuple(settings.read((*keys, "padding", i), points) for i in range(len(SIDES)))
    top, right, bottom, left = padding
    return Box(
        fill=settings.read((*keys, "fill"), _text) if "fill" in spec else None,
        rule=settings.read((*keys, "rule"), _text) if "rule" in spec else None,
        padding=(top, right, bottom, left),
        **{k: settings.read((*keys, k), points) for k in BOX_LENGTHS if k in spec},
    )


def _problems(
    colors: Mapping[str, str],
    dark: Mapping[str, str],
    printed: Mapping[str, str],
    styles: Mapping[str, TextStyle],
    boxes: Mapping[str, Box],
) -> Iterator[tuple[Keys, str]]:
    """What is wrong with the theme's colours and PDF styles, as (setting's keys, message)."""
    for name, value in colors.items():
        if not COLOR_PATTERN.fullmatch(value):
            yield ("colors", name), f"must be a hex colour such as \"#1d1d1f\", not '{value}'"
    for section, palette in (("dark_colors", dark), ("print_colors", printed)):
        for name, value in palette.items():
            if not COLOR_PATTERN.fullmatch(value):
                yield (section, name), f"must be a hex colour, not '{value}'"
    for keys, color in _color_names(styles, boxes):
        if color not in colors and color not in COLOR_ROLES:
            yield keys, f"'{color}' is not one of the theme's colours"
    for name, style in styles.items():
        if style.font not in (None, "body", "heading", "mono"):
            yield ("pdf", "styles", name, "font"), "must be body, heading or mono"


def _color_names(
    styles: Mapping[str, TextStyle], boxes: Mapping[str, Box]
) -> list[tuple[Keys, str]]:
    named: list[tuple[Keys, str | None]] = [
        (("pdf", "styles", k, "color"), s.color) for k, s in styles.items()
    ]
    named += [
        (("pdf", "boxes", k, part), color)
        for k, b in boxes.items()
        for part, color in (("fill", b.fill), ("rule", b.rule))
    ]
    return [(keys, color) for keys, color in named if color is not None]


#: The largest font size a theme may give, in points (an inch), and the longest other length
#: (a leading, a space, an indent): larger is a typo, and leaves no room on the page for text.
MAX_FONT_SIZE = 72.0
MAX_LENGTH = 100.0
#: The share of the page's width and of its height that the margins must leave for the text.
MIN_TEXT_SHARE = 0.5


def _length_problems(theme: Theme) -> Iterator[tuple[tuple[str, ...], str]]:
    """What is wrong with the theme's sizes, lengths and margins, as (setting's keys, message):
    a size of 0 draws invisible text, a negative or NaN one breaks the layout, and margins wider
    than the page leave no room for it."""
    sizes = [p for name, v in theme.sizes.items() for p in _length(("sizes", name), v, font=True)]
    if sizes:  # the styles' lengths are made from the sizes: they would only repeat these
        yield from sizes
        return
    for name, style in theme.pdf_styles.items():
        for key in ("size", "leading", "space_before", "space_after", "left_indent", "tracking"):
            value = getattr(style, key)
            if value is not None:
                keys = ("pdf", "styles", name, key)
                yield from _length(keys, value, font=key == "size", above_zero=key == "leading")
        if style.bullet_indent is not None:
            yield from _length(("pdf", "styles", name, "bullet_indent"), style.bullet_indent)
    for name, box in theme.pdf_boxes.items():
        for key in BOX_LENGTHS:
            yield from _length(("pdf", "boxes", name, key), getattr(box, key))
        for side in box.padding:
            yield from _length(("pdf", "boxes", name, "padding"), side)
    yield from _length(("pdf", "list_indent"), theme.pdf_list_indent)
    yield from _margin_problems(theme)


def _length(
    keys: tuple[str, ...], value: float, font: bool = False, above_zero: bool = False
) -> Iterator[tuple[tuple[str, ...], str]]:
    """A problem with a length: a font size (``font``) is above 0 and at most
    :data:`MAX_FONT_SIZE`; a leading (``above_zero``) above 0; any other length from 0; both at
    most :data:`MAX_LENGTH`."""
    above_zero = above_zero or font
    high = MAX_FONT_SIZE if font else MAX_LENGTH
    low_ok = value > 0 if above_zero else value >= 0
    if not (math.isfinite(value) and low_ok and value <= high):
        bounds = f"above 0 and at most {high:g}" if above_zero else f"from 0 to {high:g}"
        yield keys, f"{': '.join(keys)}: must be a length in points {bounds}, not {value:g}"


def _margin_problems(theme: Theme) -> Iterator[tuple[tuple[str, ...], str]]:
    top, right, bottom, left = theme.margins_mm
    for side, value in zip(("top", "right", "bottom", "left"), theme.margins_mm, strict=True):
        if not (math.isfinite(value) and value >= 0):
            message = f"must be a number of millimetres from 0, not {value:g}"
            yield ("page", "margins_mm", side), f"page: margins_mm: {side}: {message}"
    width, height = theme.page_size_mm
    for sides, (first, second), extent, what in (
        ("left and right", (left, right), width, "width"),
        ("top and bottom", (top, bottom), height, "height"),
    ):
        if first + second > extent * (1 - MIN_TEXT_SHARE):
            yield (
                ("page", "margins_mm"),
                (
                    f"page: margins_mm: {sides} ({first:g} + {second:g} mm) must leave half of "
                    f"the page's {extent:g} mm {what} for the text"
                ),
            )
