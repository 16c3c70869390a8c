"""The page's colours, from the theme, as CSS custom properties for ``brief.css``."""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import Markup

from ...sources.theme import Theme, load_theme
from ..color import readable

#: CSS custom property -> the theme's colour name, for each colour scheme.
PROPERTIES = {
    "text": "text",
    "muted": "muted",
    "rule": "rule",
    "paper": "paper",
    "panel": "takeaways",
    "panel-edge": "takeaways_edge",
    "mark": "highlight",
    "mark-text": "highlight_text",
}


def palette(accent: str, theme: Theme | None = None) -> Markup:
    """``:root`` custom properties: ``--accent``, and for each of ``light``, ``dark`` and
    ``print`` the theme's colours (``--text-light``...) with ``--accent-text-light``..., the
    accent shaded until text in it reads on that scheme's paper, panel and highlight (WCAG
    AA). ``brief.css`` picks a scheme's set. Without a theme, the built-in one's colours."""
    theme = theme or load_theme(None)  # read once per process (see load_theme)
    schemes = {"light": theme.colors, "dark": theme.dark_colors, "print": theme.print_colors}
    lines = [":root {", f"  --accent: {accent};"]
    lines += [f"  {_scheme(name, colors, accent)}" for name, colors in schemes.items()]
    lines.append("}")
    return Markup("\n".join(lines))


def _scheme(name: str, colors: Mapping[str, str], accent: str) -> str:
    properties = [f"--{prop}-{name}: {colors[color]};" for prop, color in PROPERTIES.items()]
    text = readable(accent, colors["paper"], colors["takeaways"], colors["highlight"])
    return " ".join([*properties, f"--accent-text-{name}: {text};"])
