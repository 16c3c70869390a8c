"""Compiled templates kept from one build to the next: a Jinja2 bytecode cache over a store.

Compiling the built-in templates is about a tenth of a cold build. Jinja2 asks a
:class:`jinja2.BytecodeCache` for a template's code before compiling it and hands it the code
after; this one reads entries from the build's :class:`~pipeline.render.CompiledStore` and
gives new ones back to it, which writes them only when the build succeeds.

An entry is ``MAGIC``, the SHA-1 of the template source Jinja2 computed (40 hex digits), the
SHA-256 of what follows (64 hex digits), then the code as :mod:`marshal` writes it. Its name
hashes the template's name and file with all that changes the code compiled from the same
source: the versions of Jinja2 and Python and the environment's syntax options. An entry for
another source, or damaged, or cut short, is a miss and the template is compiled as if there
were none: marshal reads only bytes whose SHA-256 matches, so damage never reaches it. Like
Python's own ``__pycache__``, the cache trusts the folder it is kept in.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import sys
import types
from typing import TYPE_CHECKING

import jinja2
from jinja2.bccache import Bucket

from .prebuilt import prebuilt_code

if TYPE_CHECKING:
    from .. import CompiledStore

#: What every entry starts with; a new layout gets a new one.
MAGIC = b"make-brief jinja2 1\n"
_CHECKSUM = 40
_DIGEST = 64


def syntax_options(env: jinja2.Environment) -> tuple[object, ...]:
    """The options of ``env`` that change the Python Jinja2 generates from a template."""
    return (
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        env.is_async,
        repr(env.autoescape),
        sorted(env.extensions),
        # A sandbox's templates call through it (``environment.call``): code compiled
        # outside one must never run in one.
        env.sandboxed,
        type(env).__qualname__,
    )


def _salt(env: jinja2.Environment) -> bytes:
    """Everything besides the source that changes what a template compiles to."""
    options = (
        jinja2.__version__,
        importlib.util.MAGIC_NUMBER.hex(),
        sys.implementation.cache_tag,
        *syntax_options(env),
    )
    return repr(options).encode("utf-8")


def entry_name(bucket: Bucket) -> str:
    """The store's name for ``bucket``'s template (Jinja2's key: its name and file)."""
    digest = hashlib.sha256(_salt(bucket.environment) + b"\0" + bucket.key.encode("utf-8"))
    return f"jinja2-{digest.hexdigest()[:32]}"


def entry_bytes(bucket: Bucket) -> bytes:
    """What the store keeps for ``bucket``, whose code Jinja2 has just compiled."""
    code = marshal.dumps(bucket.code)
    digest = hashlib.sha256(code).hexdigest().encode("ascii")
    return MAGIC + bucket.checksum.encode("ascii") + digest + code


def entry_code(data: bytes, checksum: str) -> types.CodeType | None:
    """The code an entry holds for the source whose checksum is ``checksum``, or None when
    it holds another source's, or is not an entry at all."""
    head = len(MAGIC)
    body = head + _CHECKSUM + _DIGEST
    if not data.startswith(MAGIC) or data[head : head + _CHECKSUM] != checksum.encode("ascii"):
        return None
    digest = hashlib.sha256(data[body:]).hexdigest().encode("ascii")
    if data[head + _CHECKSUM : body] != digest:  # damaged or cut short
        return None
    try:
        code = marshal.loads(data[body:])
    except (EOFError, ValueError, TypeError):
        return None
    return code if isinstance(code, types.CodeType) else None


class StoreCache(jinja2.BytecodeCache):
    """A bytecode cache over whichever store the build rendering now lent it (none: off).

    A template the store does not hold may be a built-in one whose Python make-brief ships
    (:mod:`.prebuilt`): compiling that costs a fraction of what Jinja2's own compiling does, and
    the store is given the code as if Jinja2 had compiled it.
    """

    def __init__(self) -> None:
        self.store: CompiledStore | None = None

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        bucket = super().get_bucket(environment, name, filename, source)
        if bucket.code is None:
            bucket.code = prebuilt_code(environment, name, filename, bucket.checksum)
            if bucket.code is not None:
                self.dump_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        if self.store is None:
            return
        data = self.store.read(entry_name(bucket))
        if data is not None:
            bucket.code = entry_code(data, bucket.checksum)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if self.store is not None and bucket.code is not None:
            self.store.keep(entry_name(bucket), entry_bytes(bucket))
