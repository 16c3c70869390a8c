"""Accent colours are shaded until text in them reads on its background (WCAG AA)."""

from __future__ import annotations

import pytest

from pipeline.render.color import contrast, mix, readable, text_on

LIGHT = ("#ffffff", "#fff1b8")
DARK = ("#16181c", "#5c4a00")


def test_contrast_matches_wcag_examples() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#abcdef", "#abcdef") == 1


@pytest.mark.parametrize(
    "accent", ["#f2c200", "#7cc4ff", "#ffffff", "#000000", "#8e2c48", "#1f4e79", "#2e6b3f"]
)
@pytest.mark.parametrize("backgrounds", [LIGHT, DARK])
def test_readable_reaches_aa_against_every_background(
    accent: str, backgrounds: tuple[str, str]
) -> None:
    shade = readable(accent, *backgrounds)
    assert all(contrast(shade, b) >= 4.5 for b in backgrounds), (shade, backgrounds)


def test_readable_leaves_a_colour_that_already_reads_alone() -> None:
    assert readable("#1f4e79", *LIGHT) == "#1f4e79"


def test_readable_moves_a_light_accent_only_as_far_as_needed() -> None:
    shade = readable("#f2c200", "#ffffff")
    assert contrast(shade, "#ffffff") < 5.5
    assert shade != "#000000"


def test_text_on_picks_the_legible_side() -> None:
    assert text_on("#f2c200") == "#1d1d1f"
    assert text_on("#1f4e79") == "#ffffff"


def test_mix() -> None:
    assert mix("#000000", "#ffffff", 0.5) == "#808080"
    assert mix("#fff", "#000", 0) == "#ffffff"
