"""The paragraph styles of one brief, made from the theme's ``pdf: styles`` and the accent."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from ...sources.theme import TextStyle, Theme
from .. import RenderContext
from ..color import readable, text_on
from .fonts import RegisteredFamily, register_fallbacks, register_family
from .scripts import FontChain

#: A PDF page is left unpainted: white paper.
PAPER = "#ffffff"


@dataclass(frozen=True)
class Styles:
    """Paragraph styles of one brief, derived from the theme and the edition's accent."""

    body: ParagraphStyle
    label: ParagraphStyle
    organisation: ParagraphStyle
    title: ParagraphStyle
    dek: ParagraphStyle
    byline: ParagraphStyle
    matters_label: ParagraphStyle
    matters: ParagraphStyle
    coverage: ParagraphStyle
    box_title: ParagraphStyle
    takeaway: ParagraphStyle
    takeaway_cue: ParagraphStyle
    part: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    item: ParagraphStyle
    quote: ParagraphStyle
    code: ParagraphStyle
    small: ParagraphStyle
    table_cell: ParagraphStyle
    table_header: ParagraphStyle
    note: ParagraphStyle
    about_label: ParagraphStyle
    about_name: ParagraphStyle
    about: ParagraphStyle
    #: The theme's colours, with the edition's accent and the colour roles, by name.
    palette: Mapping[str, colors.Color]
    highlight: str
    link: str
    mono: str
    #: Fonts for characters a style's own face lacks, in the theme's order.
    fallbacks: tuple[str, ...]
    #: Width of the text column in points, for breaking right-to-left lines.
    width: float

    def chain(self, font: str) -> FontChain:
        """The fonts a character drawn in ``font`` may come from."""
        return FontChain((font, *self.fallbacks))


def fonts_for(theme: Theme) -> tuple[RegisteredFamily, RegisteredFamily, RegisteredFamily]:
    """Register the theme's body, heading and mono families (once per process)."""
    return (
        register_family(theme.body_font, theme.search_dirs),
        register_family(theme.heading_font, theme.search_dirs),
        register_family(theme.mono_font, theme.search_dirs),
    )


def palette(theme: Theme, accent: str) -> dict[str, str]:
    """The theme's colours with ``accent`` and the colours made from it, as ``#rrggbb``."""
    named = {**theme.colors, "accent": accent}
    # The accent is the focus's colour, chosen for looks; text drawn in it or on it is shaded
    # until it reads (WCAG AA contrast) on the backgrounds it meets.
    named["accent_text"] = readable(accent, PAPER, named["takeaways"], named["highlight"])
    named["on_accent"] = text_on(accent)
    return named


#: Styles made, by theme (its id, the theme kept beside them) and accent. No brief changes a
#: style it is given, so the briefs of one theme and accent share them.
_MADE: dict[tuple[int, str], tuple[Theme, Styles]] = {}
#: Past this many themes and accents the memory starts again.
_MADE_KEPT = 64


def styles_for(context: RenderContext, accent: str) -> Styles:
    """The brief's styles: the theme's ``pdf: styles`` in its fonts, with ``accent``."""
    theme = context.theme
    key = (id(theme), accent)
    made = _MADE.get(key)
    if made is not None and made[0] is theme:
        return made[1]
    if len(_MADE) >= _MADE_KEPT:
        _MADE.clear()
    styles = _make_styles(theme, accent)
    _MADE[key] = (theme, styles)
    return styles


def _make_styles(theme: Theme, accent: str) -> Styles:
    body_font, head_font, mono_font = fonts_for(theme)
    families = {"body": body_font, "heading": head_font, "mono": mono_font}
    hex_colors = palette(theme, accent)
    named = {name: colors.HexColor(value) for name, value in hex_colors.items()}
    looks = theme.pdf_styles
    body = _style(
        ParagraphStyle(
            "body", alignment=TA_LEFT, splitLongWords=1, bulletFontName=body_font.regular
        ),
        looks["body"],
        families,
        named,
    )

    def derive(name: str) -> ParagraphStyle:
        return _style(ParagraphStyle(name, parent=body), looks[name], families, named)

    return Styles(
        body=body,
        label=derive("label"),
        organisation=derive("organisation"),
        title=derive("title"),
        dek=derive("dek"),
        byline=derive("byline"),
        matters_label=derive("matters_label"),
        matters=derive("matters"),
        coverage=derive("coverage"),
        box_title=derive("box_title"),
        takeaway=derive("takeaway"),
        takeaway_cue=derive("takeaway_cue"),
        part=derive("part"),
        heading=derive("heading"),
        subheading=derive("subheading"),
        item=derive("item"),
        quote=derive("quote"),
        code=derive("code"),
        small=derive("small"),
        table_cell=derive("table_cell"),
        table_header=derive("table_header"),
        note=derive("note"),
        about_label=derive("about_label"),
        about_name=derive("about_name"),
        about=derive("about"),
        palette=named,
        highlight=css_rgb(hex_colors["highlight"]),
        link=css_rgb(hex_colors["accent_text"]),
        mono=mono_font.regular,
        fallbacks=register_fallbacks(theme.fallback_fonts, theme.search_dirs),
        width=(theme.page_size_mm[0] - theme.margins_mm[1] - theme.margins_mm[3]) * mm,
    )


#: TextStyle field -> ParagraphStyle attribute, for the lengths a style may set.
_LENGTHS = {
    "size": "fontSize",
    "leading": "leading",
    "space_before": "spaceBefore",
    "space_after": "spaceAfter",
    "left_indent": "leftIndent",
    "bullet_indent": "bulletIndent",
}


def _style(
    style: ParagraphStyle,
    look: TextStyle,
    families: dict[str, RegisteredFamily],
    named: dict[str, colors.Color],
) -> ParagraphStyle:
    """``style`` with what ``look`` sets; the rest stays as ``style`` has it from its parent."""
    settings: dict[str, object] = {
        attribute: getattr(look, field)
        for field, attribute in _LENGTHS.items()
        if getattr(look, field) is not None
    }
    if look.font is not None:
        family = families[look.font]
        settings["fontName"] = family.bold if look.bold else family.regular
    if look.color is not None:
        settings["textColor"] = named[look.color]
    if look.keep_with_next:
        settings["keepWithNext"] = 1
    # Read by :func:`.markup.paragraph`: capitals, and letters spaced apart (ReportLab's own
    # styles have neither).
    settings["caps"] = look.caps
    settings["tracking"] = look.tracking or 0.0
    for attribute, value in settings.items():
        setattr(style, attribute, value)
    return style


def css_rgb(hex_color: str) -> str:
    """``#rrggbb`` as ``rgb(r,g,b)``, the same colour for paragraph markup.

    ReportLab reads a colour attribute by trying ever slower parsers in turn; a CSS ``rgb()`` is
    the first it tries and a hex string nearly the last, a millisecond per highlight or link.
    """
    red, green, blue = (int(c * 255 + 0.5) for c in colors.HexColor(hex_color).rgb())
    return f"rgb({red},{green},{blue})"
