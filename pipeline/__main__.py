"""``python -m pipeline`` does what ``make-brief`` does."""

from .cli import main

main(prog_name="make-brief")
