"""``python -m pipeline`` does what ``make-brief`` does."""

from .cli import run

run()
