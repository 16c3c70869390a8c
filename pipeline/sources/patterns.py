"""The shapes of the identifiers and values that sources spell out, each defined once.

An id names a file (an article's slug, an author) or a focus, and ends up in output paths and
URLs, so it is kept to lowercase ASCII letters, digits and single hyphens.
"""

from __future__ import annotations

import re

#: An article slug, author id or focus id: ``us-north-korea``. Other stages build on
#: ``ID_PATTERN.pattern`` where an id is part of a longer name.
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: A hex colour of three or six digits: ``#8e2c48``, ``#fff``.
COLOR_PATTERN = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
#: A BCP 47 language tag as an article's ``lang`` gives it: ``en``, ``fr-CA``.
LANG_PATTERN = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
