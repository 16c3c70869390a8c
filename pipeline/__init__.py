"""make-brief: turn policy articles into tailored policy briefs, as PDF and HTML."""

__version__ = "0.1.0"
