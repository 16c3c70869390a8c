"""``make-brief verify FILE...``: is this the brief that was published, untouched?

Two checks, each where it applies:

- **The manifest.** The nearest ``manifest.json`` in the file's folder or the two above it (a
  brief is ``build/<slug>/<edition>.pdf``, its manifest ``build/manifest.json``) must list the
  file, with its SHA-256 and size.
- **The signature.** A signed PDF's every signature must be intact (the bytes it covers hash to
  what was signed), cryptographically valid, and cover the whole file (nothing appended after
  it). With ``trust`` (a PEM certificate) the signer must chain to it; without, the certificate
  embedded in the signature is taken as its own root, which proves the file is unchanged since
  it was signed, not who signed it.

A file with neither a manifest nor a signature to check is refused: there is nothing to vouch
for it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .publish import MANIFEST
from .sign import INSTALL_HINT

#: How many folders above a file are searched for its manifest.
MANIFEST_DEPTH = 2


@dataclass(frozen=True)
class Verdict:
    """What :func:`verify` found about one file."""

    path: Path
    #: What is wrong, one line; "" when the file is intact.
    problem: str = ""
    #: What vouched for it: "manifest.json", "signed by CN=...".
    checks: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problem


def verify(files: Sequence[Path], trust: Path | None = None) -> list[Verdict]:
    """Check every file in ``files``; one verdict each, in order."""
    roots = _trust_roots(trust) if trust is not None else None
    return [_verify_one(path, roots) for path in files]


def _trust_roots(path: Path) -> list[Any]:
    try:
        from pyhanko.keys import load_certs_from_pemder
    except ImportError:
        raise ConfigError(INSTALL_HINT) from None
    try:
        loader: Any = load_certs_from_pemder
        return list(loader([str(path)]))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the trusted certificate: {exc}", path) from None


def _verify_one(path: Path, roots: list[Any] | None) -> Verdict:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Verdict(path, f"cannot read: {exc.strerror or exc}")
    checks: list[str] = []
    problem = _check_manifest(path, data, checks)
    if problem:
        return Verdict(path, problem)
    if data.startswith(b"%PDF-"):
        problem = _check_signatures(data, roots, checks)
        if problem:
            return Verdict(path, problem)
    if not checks:
        return Verdict(
            path, f"not signed, and no {MANIFEST} beside it lists it: nothing vouches for it"
        )
    return Verdict(path, "", tuple(checks))


def find_manifest(path: Path) -> tuple[Path, str] | None:
    """The nearest manifest above ``path`` and the file's path relative to its folder."""
    folder = path.resolve().parent
    relative = [path.name]
    for _ in range(MANIFEST_DEPTH + 1):
        candidate = folder / MANIFEST
        if candidate.is_file():
            return candidate, "/".join(relative)
        relative.insert(0, folder.name)
        if folder.parent == folder:
            break
        folder = folder.parent
    return None


def _check_manifest(path: Path, data: bytes, checks: list[str]) -> str:
    found = find_manifest(path)
    if found is None:
        return ""
    manifest, relative = found
    try:
        entries = json.loads(manifest.read_text(encoding="utf-8"))["artifacts"]
        listed: dict[str, tuple[object, object]] = {}
        for entry in entries:
            listed[entry["path"]] = (entry["sha256"], entry["bytes"])
            thumbnail = entry.get("thumbnail")
            if isinstance(thumbnail, dict):
                listed[thumbnail["path"]] = (thumbnail["sha256"], thumbnail["bytes"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return f"cannot read {manifest}: not a manifest make-brief wrote"
    if relative not in listed:
        return f"{manifest} does not list it"
    sha256, size = listed[relative]
    if hashlib.sha256(data).hexdigest() != sha256 or len(data) != size:
        return f"does not match {manifest}: its SHA-256 differs from the published file's"
    checks.append(str(manifest))
    return ""


def _check_signatures(data: bytes, roots: list[Any] | None, checks: list[str]) -> str:
    try:
        import io

        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext
    except ImportError:
        if roots is not None:
            raise ConfigError(INSTALL_HINT) from None
        return "" if checks else "cannot check its signature: " + INSTALL_HINT
    # pyHanko logs a signer it cannot trust, with the traceback of its path building, which
    # Python's last-resort handler prints above our one line: the verdict says it already.
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception as exc:  # pyHanko raises many kinds on a damaged file
        return f"cannot read as a PDF: {type(exc).__name__}: {exc}"
    if not signatures:
        return "" if roots is None else "is not signed"
    for signature in signatures:
        try:
            trusted = roots if roots is not None else [signature.signer_cert]
            context = ValidationContext(trust_roots=trusted)
            status = validate_pdf_signature(signature, context)
        except Exception as exc:
            return f"cannot check its signature: {type(exc).__name__}: {exc}"
        if not status.intact:
            return "its signature does not match its content: the file was changed after signing"
        if not status.valid:
            return "its signature is not valid"
        if not status.trusted:
            return "its signer is not trusted by the given certificate"
        if status.coverage is None or status.coverage.name != "ENTIRE_FILE":
            return "something was added after its signature"
        subject = signature.signer_cert.subject.human_friendly
        checks.append(f"signed by {subject}")
    return ""
