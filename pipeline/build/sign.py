"""PAdES signatures on PDF briefs, with pyHanko: ``make-brief --sign``.

The key and certificate are PEM, from ``MAKE_BRIEF_SIGN_KEY`` and ``MAKE_BRIEF_SIGN_CERT``
(each either the PEM text itself, as a CI secret holds it, or the path of a PEM file), else from
``sign: {key: FILE, certificate: FILE}`` in ``sources/project.yaml``; an encrypted key's
passphrase comes from ``MAKE_BRIEF_SIGN_PASSPHRASE``.

A signature is an incremental update appended to the brief ReportLab wrote, so the signed file
is still that brief byte for byte up to the signature. The update adds one invisible signature
field, tagged as a ``Form`` element at the end of the structure tree with an alternate
description (PDF/UA-1 wants every widget in a Form element, with a name for readers), and
leaves the XMP metadata and the Info dictionary as they are (PDF/A-2b wants them to agree).

Signed briefs are deterministic: the signing time is midnight UTC of the date the brief shows,
the document ID's second half is a hash of the unsigned file, and the signature itself is RSA
PKCS#1 v1.5, deterministic ECDSA (RFC 6979) or Ed25519/Ed448, which all give the same bytes for
the same key and data. Keys whose signatures are randomised (DSA, RSA-PSS) are refused.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError

KEY_ENV = "MAKE_BRIEF_SIGN_KEY"
CERT_ENV = "MAKE_BRIEF_SIGN_CERT"
PASSPHRASE_ENV = "MAKE_BRIEF_SIGN_PASSPHRASE"
#: The name of the signature field every signed brief gets.
FIELD_NAME = "BriefSignature"
INSTALL_HINT = "signing needs pyHanko: pip install 'make-brief[sign]'"
_PEM_START = "-----BEGIN"


@dataclass(frozen=True)
class SigningKey:
    """What signs the PDF briefs of a build (small to pickle for worker processes)."""

    key_pem: bytes
    cert_pem: bytes
    passphrase: bytes | None
    #: SHA-256 of the certificate (DER), in hex: part of every signed brief's build key.
    fingerprint: str
    #: The certificate's subject, as the signature's name and the field's description.
    subject: str


def _pem(value: str, what: str, env: str | None, base: Path) -> tuple[bytes, Path | str]:
    """A PEM value as given: the text itself, or a file's path (relative to ``base``)."""
    if value.lstrip().startswith(_PEM_START):
        return value.encode("ascii", "replace"), env or what
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = base / path
    try:
        return path.read_bytes(), path
    except OSError as exc:
        where = f" (from {env})" if env else ""
        raise ConfigError(f"cannot read the signing {what}{where}: {exc.strerror}", path) from exc


def load_signing_key(
    key_path: Path | None,
    cert_path: Path | None,
    config_file: Path,
    environ: Mapping[str, str] = os.environ,
) -> SigningKey:
    """The key and certificate to sign with: from the environment, else the project's paths.

    Checks that pyHanko is installed, that the key is one whose signatures are deterministic and
    that it belongs to the certificate; any problem is one :class:`ConfigError`.
    """
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
        from pyhanko.sign import signers  # noqa: F401  (only to fail early when missing)
    except ImportError:
        raise ConfigError(INSTALL_HINT) from None
    base = config_file.parent.parent  # sources/project.yaml -> the project
    key_value = environ.get(KEY_ENV, "").strip()
    cert_value = environ.get(CERT_ENV, "").strip()
    if bool(key_value) != bool(cert_value):
        missing = CERT_ENV if key_value else KEY_ENV
        raise ConfigError(f"--sign: {missing} is not set (set both, or neither)")
    if key_value:
        key_pem, key_where = _pem(key_value, "key", KEY_ENV, base)
        cert_pem, cert_where = _pem(cert_value, "certificate", CERT_ENV, base)
    elif key_path is not None and cert_path is not None:
        key_pem, key_where = _pem(str(key_path), "key", None, base)
        cert_pem, cert_where = _pem(str(cert_path), "certificate", None, base)
    else:
        raise ConfigError(
            f"--sign needs a key and certificate: set {KEY_ENV} and {CERT_ENV} (PEM text or "
            "file paths), or sign: {key: FILE, certificate: FILE} in sources/project.yaml"
        )
    passphrase = environ.get(PASSPHRASE_ENV, "").encode("utf-8") or None
    try:
        cert = x509.load_pem_x509_certificate(cert_pem)
    except ValueError:
        raise ConfigError("is not a PEM certificate", cert_where) from None
    try:
        key = serialization.load_pem_private_key(key_pem, passphrase)
    except TypeError:
        raise ConfigError(f"the key is encrypted: set {PASSPHRASE_ENV}", key_where) from None
    except ValueError:
        hint = "or the passphrase is wrong" if passphrase else f"or set {PASSPHRASE_ENV}"
        raise ConfigError(f"is not a PEM private key, {hint}", key_where) from None
    if not isinstance(
        key,
        rsa.RSAPrivateKey
        | ec.EllipticCurvePrivateKey
        | ed25519.Ed25519PrivateKey
        | ed448.Ed448PrivateKey,
    ):
        raise ConfigError(
            "signing needs an RSA, EC or Ed25519/Ed448 key (their signatures can be made "
            "deterministic)",
            key_where,
        )
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    der = serialization.Encoding.DER
    if key.public_key().public_bytes(der, public) != cert.public_key().public_bytes(der, public):
        raise ConfigError("the key does not belong to the certificate", key_where)
    return SigningKey(
        key_pem=key_pem,
        cert_pem=cert_pem,
        passphrase=passphrase,
        fingerprint=cert.fingerprint(hashes.SHA256()).hex(),
        subject=cert.subject.rfc4514_string(),
    )


def signing_fingerprint(key: SigningKey) -> str:
    """What a signed brief's build key adds: the certificate and the pyHanko version."""
    from importlib.metadata import version

    return f"pades:{key.fingerprint}:pyhanko-{version('pyhanko')}"


def signing_time(date: dt.date) -> dt.datetime:
    """When a brief dated ``date`` is signed: midnight UTC of that day, so rebuilds agree."""
    return dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)


def sign_pdf(data: bytes, key: SigningKey, date: dt.date, title: str) -> bytes:
    """``data`` (a tagged PDF brief) with a PAdES signature appended as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    generic = _generic()

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    # pyHanko would stamp a modification date into the XMP and Info (and rewrite the XMP
    # without its PDF/A and PDF/UA identification): the brief's metadata stays as written.
    writer._update_meta = lambda: None  # type: ignore[method-assign]
    first_id = writer._document_id[0]
    digest = hashlib.sha256(data).digest()
    writer._document_id = generic.ArrayObject([first_id, generic.ByteStringObject(digest[:16])])
    label = f"Signature of {key.subject}"
    page = len(writer.root["/Pages"].get_object().get("/Kids", [])) - 1
    fields.append_signature_field(
        writer, fields.SigFieldSpec(FIELD_NAME, on_page=max(page, 0), box=None)
    )
    _tag_signature_field(writer, label)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        name=key.subject,
        reason=f"Published: {title}"[:200],
    )
    deterministic_signer, dated_pdf_signer = _signer_classes()
    signer = deterministic_signer.load_pem(key)
    pdf_signer = dated_pdf_signer(meta, signer, at=signing_time(date))
    out = pdf_signer.sign_pdf(writer, existing_fields_only=True)
    return bytes(out.getvalue())


def _tag_signature_field(writer: Any, label: str) -> None:
    """Give the new signature widget a name (/TU) and a Form element in the structure tree."""
    generic = _generic()

    name = generic.NameObject
    root = writer.root
    field_ref = next(
        ref for ref in root["/AcroForm"]["/Fields"] if str(ref.get_object().get("/T")) == FIELD_NAME
    )
    field = field_ref.get_object()
    field[name("/TU")] = generic.TextStringObject(label)
    writer.update_container(field)
    tree_ref = root.raw_get("/StructTreeRoot")
    tree = tree_ref.get_object()
    if "/ParentTree" not in tree:
        return  # not a tagged PDF: nothing to keep in order
    key = int(tree.get("/ParentTreeNextKey", 0))
    document_ref = tree.raw_get("/K")
    document = document_ref.get_object()
    parent_ref = document_ref if isinstance(document, generic.DictionaryObject) else tree_ref
    page_ref = field.raw_get("/P")
    form = generic.DictionaryObject(
        {
            name("/Type"): name("/StructElem"),
            name("/S"): name("/Form"),
            name("/P"): parent_ref,
            name("/Alt"): generic.TextStringObject(label),
            name("/Pg"): page_ref,
            name("/K"): generic.DictionaryObject(
                {name("/Type"): name("/OBJR"), name("/Obj"): field_ref, name("/Pg"): page_ref}
            ),
        }
    )
    form_ref = writer.add_object(form)
    parent = parent_ref.get_object()
    kids = parent.get("/K")
    if isinstance(kids, generic.ArrayObject):
        kids.append(form_ref)
    else:
        parent[name("/K")] = generic.ArrayObject(
            [kids, form_ref] if kids is not None else [form_ref]
        )
    writer.update_container(parent)
    field[name("/StructParent")] = generic.NumberObject(key)
    parent_tree = tree["/ParentTree"].get_object()
    nums = parent_tree.get("/Nums")
    if not isinstance(nums, generic.ArrayObject):
        nums = generic.ArrayObject()
        parent_tree[name("/Nums")] = nums
    nums.extend([generic.NumberObject(key), form_ref])
    writer.update_container(parent_tree)
    tree[name("/ParentTreeNextKey")] = generic.NumberObject(key + 1)
    writer.update_container(tree)
    writer.update_container(field)


def _any(value: object) -> Any:
    """``value`` as a pyHanko object whose methods are not annotated."""
    return value


def _generic() -> Any:
    """pyHanko's PDF object classes (whose constructors are not annotated)."""
    from pyhanko.pdf_utils import generic

    return generic


@functools.cache
def _signer_classes() -> tuple[type[Any], type[Any]]:
    """pyHanko's signer and PDF signer, made deterministic; defined on first use, so importing
    this module needs no pyHanko."""
    from cryptography.hazmat.primitives.asymmetric import ec
    from pyhanko.sign import signers
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class DeterministicSigner(signers.SimpleSigner):
        """pyHanko's signer, with ECDSA made deterministic (RFC 6979)."""

        @classmethod
        def load_pem(cls, key: SigningKey) -> Any:
            from cryptography import x509
            from cryptography.hazmat.primitives import serialization
            from pyhanko.keys.internal import (
                translate_pyca_cryptography_cert_to_asn1,
                translate_pyca_cryptography_key_to_asn1,
            )
            from pyhanko_certvalidator import registry

            private = serialization.load_pem_private_key(key.key_pem, key.passphrase)
            cert = x509.load_pem_x509_certificate(key.cert_pem)
            asn1_cert = translate_pyca_cryptography_cert_to_asn1(cert)
            return cls(
                signing_cert=asn1_cert,
                signing_key=translate_pyca_cryptography_key_to_asn1(private),
                cert_registry=_any(registry.SimpleCertificateStore).from_certs([asn1_cert]),
            )

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            from cryptography.hazmat.primitives import serialization

            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            if mechanism != "ecdsa":
                return bytes(super().sign_raw(data, digest_algorithm))
            private = serialization.load_der_private_key(self.signing_key.dump(), password=None)
            assert isinstance(private, ec.EllipticCurvePrivateKey)
            algorithm = ec.ECDSA(
                get_pyca_cryptography_hash(digest_algorithm), deterministic_signing=True
            )
            return private.sign(data, algorithm)

    class DatedPdfSigner(signers.PdfSigner):
        """pyHanko's PDF signer with a fixed signing time instead of the clock's."""

        def __init__(self, *args: Any, at: dt.datetime, **kwargs: Any):
            super().__init__(*args, **kwargs)
            self._at = at

        def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = self._at
            return session

    return DeterministicSigner, DatedPdfSigner
