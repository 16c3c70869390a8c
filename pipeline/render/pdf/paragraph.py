"""ReportLab's Paragraph, laid out once per width.

Platypus wraps a paragraph each time a layout step asks about it: when ``keepWithNext`` groups a
heading with the paragraph after it and again when each is placed, and a table wraps its cells
when sizing the table and again when drawing it. Breaking a paragraph into lines is most of the
cost of a brief, and a paragraph breaks into the same lines for the same width, so this one
breaks them once per width and answers repeated questions from that.
"""

from __future__ import annotations

from reportlab.platypus import paragraph


class Paragraph(paragraph.Paragraph):
    """A :class:`reportlab.platypus.Paragraph` that remembers its lines for the last width."""

    _wrapped_width: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # A paragraph's height does not depend on the height offered. split() drops blPara when
        # it gives up on a frame, so the lines are only reused while they are still there.
        if availWidth == self._wrapped_width and "blPara" in self.__dict__:
            return self.width, self.height
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self._wrapped_width = availWidth if "blPara" in self.__dict__ else None
        return size
