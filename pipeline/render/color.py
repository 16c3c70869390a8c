"""Colour arithmetic shared by the renderers: mixing, and keeping text readable on its background.

A focus brings its own colour, and users pick colours for looks, not for contrast: a bright
yellow makes an unreadable link on white paper. Wherever an accent colour is used for text,
the renderers pass it through :func:`readable`, which moves it towards black or white just far
enough to reach the WCAG 2.1 AA contrast ratio against every background it is shown on.
"""

from __future__ import annotations

from functools import lru_cache

#: WCAG 2.1 AA contrast for normal-size text (success criterion 1.4.3).
TEXT_CONTRAST = 4.5
#: Aim a little above the threshold, so rounding to whole #rrggbb steps cannot fall under it.
_HEADROOM = 0.1
#: Every brief asks again for the few colours of a theme and its focuses: each answer is kept.
_cached = lru_cache(maxsize=1024)


def rgb(color: str) -> tuple[int, int, int]:
    """``#rrggbb`` or ``#rgb`` as three integers from 0 to 255."""
    digits = color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


@_cached
def mix(color: str, other: str, share: float) -> str:
    """``color`` moved ``share`` of the way towards ``other`` (both ``#rrggbb`` or ``#rgb``)."""
    a, b = rgb(color), rgb(other)
    return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b, strict=True))


@_cached
def luminance(color: str) -> float:
    """Relative luminance as WCAG 2.1 defines it: 0 for black, 1 for white."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@_cached
def readable(color: str, *backgrounds: str, ratio: float = TEXT_CONTRAST) -> str:
    """``color``, or the nearest shade of it that reaches ``ratio`` against every background.

    The shade moves towards black on light backgrounds and towards white on dark ones, in
    steps of 2%, so a colour that already contrasts enough is returned unchanged.
    """
    darkest = min(luminance(b) for b in backgrounds)
    target = "#000000" if darkest > 0.18 else "#ffffff"
    for step in range(51):
        shade = mix(color, target, step / 50)
        if all(contrast(shade, b) >= ratio + _HEADROOM for b in backgrounds):
            return shade
    return target


@_cached
def text_on(background: str, light: str = "#ffffff", dark: str = "#1d1d1f") -> str:
    """``light`` or ``dark`` text, whichever reads better on ``background``."""
    return light if contrast(light, background) >= contrast(dark, background) else dark
