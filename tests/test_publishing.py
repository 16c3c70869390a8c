"""Publishing: signed PDFs and ``make-brief verify``, page-1 thumbnails, social cards, the feed.

Keys and certificates are made on the fly with cryptography; signed briefs are read back with
pyHanko (as a reader's PDF viewer validates them) and the three PDF/UA and PDF/A checkers, and
the feed with feedparser (as a feed reader reads it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import pickle
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import feedparser
import page
import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from outloud import check as outloud_check
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from pipeline.build import thumbnails
from pipeline.build.sign import load_signing_key, sign_pdf
from pipeline.cli import main

from .read import REPO, parse_html

DAY = 1_700_000_000  # 2023-11-14
BASE_URL = "https://example.org/briefs/"


def make_identity(
    folder: Path, name: str = "Example Briefs", kind: str = "rsa", passphrase: bytes | None = None
) -> tuple[Path, Path]:
    """A private key and a self-signed certificate for it, as PEM files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if kind == "rsa"
        else ec.generate_private_key(ec.SECP256R1())
    )
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=365 * 30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    key_path, cert_path = folder / "key.pem", folder / "cert.pem"
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def project_copy(root: Path, base_url: str | None = BASE_URL) -> Path:
    shutil.copytree(REPO / "sources", root / "sources")
    config = root / "sources" / "project.yaml"
    config.unlink(missing_ok=True)
    if base_url is not None:
        config.write_text(f"base_url: {base_url}\n", encoding="utf-8")
    return root


def make_brief(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, list(args), env={"SOURCE_DATE_EPOCH": str(DAY), **(env or {})}
    )
    return result.exit_code, result.output


def signing_env(key: Path, cert: Path, inline: bool = False) -> dict[str, str]:
    """The environment CI signs with: PEM text (as a secret holds it) or the files' paths."""
    if inline:
        return {
            "MAKE_BRIEF_SIGN_KEY": key.read_text(encoding="ascii"),
            "MAKE_BRIEF_SIGN_CERT": cert.read_text(encoding="ascii"),
        }
    return {"MAKE_BRIEF_SIGN_KEY": str(key), "MAKE_BRIEF_SIGN_CERT": str(cert)}


@pytest.fixture(scope="module")
def identity(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_identity(tmp_path_factory.mktemp("identity"))


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory, identity: tuple[Path, Path]) -> Path:
    """The seed project built with --sign (the key and certificate given as PEM text)."""
    root = project_copy(tmp_path_factory.mktemp("signed") / "project")
    code, output = make_brief("--project", str(root), "--sign", env=signing_env(*identity, True))
    assert code == 0, output
    return root / "build"


def manifest(out: Path) -> list[dict[str, object]]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]  # type: ignore[no-any-return]


def pdfs(out: Path) -> list[Path]:
    return sorted(out.glob("*/*.pdf"))


def validate(path: Path, cert: Path) -> object:
    """pyHanko's verdict on the one signature of ``path``, trusting ``cert``."""
    with path.open("rb") as handle:
        (signature,) = PdfFileReader(handle).embedded_signatures
        context = ValidationContext(trust_roots=[load_cert_from_pemder(str(cert))])
        return validate_pdf_signature(signature, context)


# --- signing ----------------------------------------------------------------------------------


def test_every_signed_brief_is_intact_valid_and_signed_at_its_date(
    signed: Path, identity: tuple[Path, Path]
) -> None:
    assert len(pdfs(signed)) == 4
    for path in pdfs(signed):
        status = validate(path, identity[1])
        assert status.intact and status.valid and status.trusted  # type: ignore[attr-defined]
        assert status.coverage.name == "ENTIRE_FILE"  # type: ignore[attr-defined]
        assert status.signer_reported_dt == dt.datetime(2023, 11, 14, tzinfo=dt.UTC)  # type: ignore[attr-defined]
        # An incremental update: the brief as rendered, then the signature after it.
        data = path.read_bytes()
        assert data.count(b"%%EOF") == 2
        assert b"/SubFilter /ETSI.CAdES.detached" in data


def test_the_manifest_hashes_the_signed_file(signed: Path) -> None:
    for entry in manifest(signed):
        data = (signed / str(entry["path"])).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()


def test_signed_briefs_stay_pdf_ua_1_and_pdf_a_2b(signed: Path) -> None:
    for path in pdfs(signed):
        for profile in (page.ValidationProfile.PDF_UA_1, page.ValidationProfile.PDF_A_2B):
            report = page.validate_pdf(path, profile=profile)
            assert [f"{f.rule_id}: {f.message}" for f in report.failures] == []
        findings = [f.rule for f in outloud_check(str(path)).sorted_findings()]
        # The signature field is a widget: it needs a name and a Form element (FRM-*).
        assert not [rule for rule in findings if rule.startswith(("FRM", "ANN"))]
    run = subprocess.run(
        [sys.executable, "-m", "pdfua", "check", "--format", "json", *map(str, pdfs(signed))],
        capture_output=True,
        text=True,
        check=False,
    )
    decoder, text, at, reports = json.JSONDecoder(), run.stdout, 0, []
    while text[at:].strip():
        at += len(text[at:]) - len(text[at:].lstrip())
        report, at = decoder.raw_decode(text, at)
        reports.append(report)
    assert len(reports) == 4, run.stderr
    assert all(r["findings"] == [] and r["skipped"] == [] for r in reports)


def test_signing_is_deterministic_and_a_new_key_rebuilds_only_the_pdfs(
    tmp_path: Path, signed: Path, identity: tuple[Path, Path]
) -> None:
    root = project_copy(tmp_path / "project")
    env = signing_env(*identity)  # paths this time: the same key and certificate
    assert make_brief("--project", str(root), "--sign", env=env)[0] == 0
    out = root / "build"
    for path in [*pdfs(signed), *signed.glob("*/*.png"), signed / "manifest.json"]:
        assert (out / path.relative_to(signed)).read_bytes() == path.read_bytes(), path.name
    code, output = make_brief("--project", str(root), "--sign", env=env)
    assert "0 built, 8 up to date" in output
    other = make_identity(tmp_path / "other", "Another Signer")
    code, output = make_brief("--project", str(root), "--sign", env=signing_env(*other))
    assert code == 0 and "4 built, 4 up to date" in output
    assert all(validate(p, other[1]).trusted for p in pdfs(out))  # type: ignore[attr-defined]
    # Unsigned again: the PDFs are rebuilt without a signature.
    code, output = make_brief("--project", str(root))
    assert "4 built, 4 up to date" in output
    assert not [p for p in pdfs(out) if b"/ByteRange" in p.read_bytes()]


def test_deterministic_ecdsa_signs_the_same_bytes_twice(tmp_path: Path) -> None:
    key, cert = make_identity(tmp_path, kind="ec")
    signing = load_signing_key(
        None, None, tmp_path / "sources/project.yaml", signing_env(key, cert)
    )
    root = project_copy(tmp_path / "project", None)
    assert make_brief("--project", str(root), "--format", "pdf", "--focus", "general")[0] == 0
    data = (root / "build/us-north-korea/general.pdf").read_bytes()
    once, twice = (sign_pdf(data, signing, dt.date(2024, 2, 29), "T") for _ in range(2))
    assert once == twice
    (tmp_path / "signed.pdf").write_bytes(once)
    assert validate(tmp_path / "signed.pdf", cert).valid  # type: ignore[attr-defined]


def test_the_key_can_come_from_project_yaml_with_a_passphrase(tmp_path: Path) -> None:
    root = project_copy(tmp_path / "project")
    make_identity(root / "keys", passphrase=b"open sesame")
    with (root / "sources/project.yaml").open("a", encoding="utf-8") as handle:
        handle.write("sign:\n  key: keys/key.pem\n  certificate: keys/cert.pem\n")
    code, output = make_brief("--project", str(root), "--sign", "--format", "pdf", "-f", "general")
    assert code == 1
    assert output.strip().splitlines() == [
        f"error: {root / 'keys/key.pem'}: the key is encrypted: set MAKE_BRIEF_SIGN_PASSPHRASE"
    ]
    env = {"MAKE_BRIEF_SIGN_PASSPHRASE": "open sesame"}
    code, output = make_brief(
        "--project", str(root), "--sign", "--format", "pdf", "-f", "general", env=env
    )
    assert code == 0, output
    assert validate(root / "build/us-north-korea/general.pdf", root / "keys/cert.pem").valid  # type: ignore[attr-defined]


def test_signing_problems_are_one_line_each(tmp_path: Path) -> None:
    root = project_copy(tmp_path / "project")
    key, _ = make_identity(tmp_path / "one")
    _, cert = make_identity(tmp_path / "two")
    cases = [
        ({}, "--sign needs a key and certificate: set MAKE_BRIEF_SIGN_KEY"),
        ({"MAKE_BRIEF_SIGN_KEY": str(key)}, "MAKE_BRIEF_SIGN_CERT is not set"),
        (signing_env(key, cert), "the key does not belong to the certificate"),
        (signing_env(key, tmp_path / "nowhere.pem"), "cannot read the signing certificate"),
        (signing_env(cert, cert), "is not a PEM private key"),
    ]
    for env, message in cases:
        code, output = make_brief("--project", str(root), "--sign", env=env)
        lines = output.strip().splitlines()
        assert code == 1 and len(lines) == 1 and lines[0].startswith("error: "), output
        assert message in lines[0]
    assert not (root / "build").exists()


# --- verify -----------------------------------------------------------------------------------


def test_verify_accepts_what_was_published_and_rejects_a_flipped_byte(
    tmp_path: Path, signed: Path, identity: tuple[Path, Path]
) -> None:
    files = [*pdfs(signed), *signed.glob("*/*.html"), *signed.glob("*/*.png")]
    code, output = make_brief("verify", *map(str, files))
    assert code == 0, output
    assert len(output.splitlines()) == len(files)
    code, output = make_brief("verify", "--trust", str(identity[1]), *map(str, pdfs(signed)))
    assert code == 0, output

    given = tmp_path / "given.pdf"  # a copy someone was handed: no manifest beside it
    shutil.copyfile(pdfs(signed)[0], given)
    assert make_brief("verify", str(given))[0] == 0
    data = bytearray(given.read_bytes())
    data[len(data) // 3] ^= 0x01
    flipped = tmp_path / "flipped.pdf"
    flipped.write_bytes(bytes(data))
    code, output = make_brief("verify", str(given), str(flipped))
    assert code == 1
    assert output.splitlines()[-1] == (
        f"error: {flipped}: its signature does not match its content: "
        "the file was changed after signing"
    )
    # pyHanko agrees.
    with flipped.open("rb") as handle:
        (signature,) = PdfFileReader(handle).embedded_signatures
        status = validate_pdf_signature(signature, ValidationContext(trust_roots=[]))
        assert not status.intact


def test_verify_checks_the_manifest_and_a_given_trust_root(
    tmp_path: Path, signed: Path, identity: tuple[Path, Path]
) -> None:
    out = tmp_path / "site"
    shutil.copytree(signed, out)
    page_file = out / "us-north-korea/security.html"
    page_file.write_bytes(page_file.read_bytes().replace(b"</body>", b"<p>extra</p></body>"))
    stray = out / "us-north-korea/stray.pdf"
    shutil.copyfile(out / "us-north-korea/general.pdf", stray)
    code, output = make_brief("verify", str(page_file), str(stray))
    assert code == 1
    assert output.splitlines() == [
        f"error: {page_file}: does not match {out.resolve() / 'manifest.json'}: "
        "its SHA-256 differs from the published file's",
        f"error: {stray}: {out.resolve() / 'manifest.json'} does not list it",
    ]
    other = make_identity(tmp_path / "other", "Someone Else")
    code, output = make_brief(
        "verify", "--trust", str(other[1]), str(out / "us-north-korea/general.pdf")
    )
    assert code == 1 and "not trusted by the given certificate" in output
    unsigned = tmp_path / "unsigned.html"
    unsigned.write_text("<p>hello</p>", encoding="utf-8")
    code, output = make_brief("verify", str(unsigned))
    assert code == 1 and "nothing vouches for it" in output


def test_verify_with_a_trust_root_the_signer_does_not_chain_to_prints_one_line(
    tmp_path: Path, signed: Path
) -> None:
    # pyHanko logs the failed path building with its traceback, which Python's last-resort
    # handler printed to stderr above the error line.
    other = make_identity(tmp_path / "other", "Someone Else")
    brief = signed / "us-north-korea/general.pdf"
    command = [sys.executable, "-m", "pipeline", "verify", "--trust", str(other[1]), str(brief)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == f"error: {brief}: its signer is not trusted by the given certificate\n"


# --- thumbnails, social cards and the feed ----------------------------------------------------


def png_chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at = 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        yield data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        at += 12 + length


def test_every_pdf_has_a_deterministic_page_one_thumbnail_in_the_manifest(signed: Path) -> None:
    from PIL import Image

    entries = [e for e in manifest(signed) if e["format"] == "pdf"]
    assert len(entries) == 4
    for entry in entries:
        thumbnail = entry["thumbnail"]
        assert isinstance(thumbnail, dict)
        data = (signed / thumbnail["path"]).read_bytes()
        assert thumbnail["sha256"] == hashlib.sha256(data).hexdigest()
        assert thumbnail["bytes"] == len(data)
        # Nothing but the pixels: no time, text, gamma or software chunk.
        assert [kind for kind, _ in png_chunks(data)] == [b"IHDR", b"IDAT", b"IEND"]
        image = Image.open(io.BytesIO(data))
        assert image.size == (thumbnail["width"], thumbnail["height"]) and image.width == 320
        # Page 1 as drawn: mostly paper, with the dark title band at the top.
        top = image.convert("L").crop((0, 0, image.width, image.height // 8))
        darkest, lightest = top.getextrema()
        assert darkest < 100 and lightest > 240
        again = thumbnails.render_thumbnail((signed / str(entry["path"])).read_bytes())
        assert again.png == data


def test_without_pypdfium2_the_build_notes_it_and_makes_no_thumbnails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pipeline.build.plan.renderer_version", lambda: "")
    root = project_copy(tmp_path / "project")
    code, output = make_brief("--project", str(root))
    assert code == 0
    assert f"note: {thumbnails.INSTALL_NOTE}" in output.splitlines()
    out = root / "build"
    assert not list(out.glob("*/*.png"))
    # A project that does not publish is not told at every build.
    local = project_copy(tmp_path / "local", base_url=None)
    code, output = make_brief("--project", str(local))
    assert code == 0 and "note:" not in output
    assert not [e for e in manifest(out) if "thumbnail" in e]
    page_html = parse_html(out / "us-north-korea/security.html")
    assert page_html.find("meta", property="og:image") is None
    assert page_html.find("meta", attrs={"name": "twitter:card"})["content"] == "summary"


def test_each_html_brief_has_a_social_card_with_its_thumbnail(signed: Path) -> None:
    for path in sorted(signed.glob("*/*.html")):
        head = parse_html(path).head

        def meta(key: str, head: object = head) -> str:
            tag = head.find("meta", property=key) or head.find("meta", attrs={"name": key})  # type: ignore[attr-defined]
            assert tag is not None, key
            return str(tag["content"])

        relative = path.relative_to(signed).as_posix()
        assert meta("og:url") == BASE_URL + relative
        assert meta("og:title") == "What Is The Conflict Between The US And North Korea"
        assert meta("og:type") == "article"
        image = meta("og:image")
        assert image == BASE_URL + relative.removesuffix(".html") + ".png"
        assert (signed / image.removeprefix(BASE_URL)).is_file()
        assert meta("og:image:alt").startswith("Page 1 of What Is The Conflict")
        assert meta("twitter:card") == "summary_large_image"
        assert meta("twitter:image") == image


def test_without_a_base_url_there_is_no_feed_and_no_card(tmp_path: Path) -> None:
    root = project_copy(tmp_path / "project", None)
    assert make_brief("--project", str(root), "--format", "html", "-f", "general")[0] == 0
    out = root / "build"
    assert not (out / "feed.xml").exists()
    assert parse_html(out / "index.html").find("link", rel="alternate") is None
    assert parse_html(out / "us-north-korea/general.html").find("meta", property="og:url") is None


def test_the_feed_is_valid_atom_listing_every_brief(signed: Path) -> None:
    raw = (signed / "feed.xml").read_bytes()
    feed = feedparser.parse(raw)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.id == BASE_URL and feed.feed.title == "Policy briefs"
    assert feed.feed.updated == "2023-11-14T00:00:00Z"
    assert {(link.rel, link.href) for link in feed.feed.links} >= {("self", BASE_URL + "feed.xml")}
    briefs = {e["path"] for e in manifest(signed) if e["format"] == "html"}
    assert {entry.id for entry in feed.entries} == {BASE_URL + p for p in briefs}
    for entry in feed.entries:
        assert entry.title.startswith("What Is The Conflict Between The US And North Korea · ")
        assert entry.author == "Cassie Grissom"
        assert entry.updated == "2023-11-14T00:00:00Z"
        assert entry.link == entry.id  # the HTML brief is the entry's address
        types = {link.type for link in entry.links}
        assert {"text/html", "application/pdf", "image/png"} <= types
        (category,) = entry.tags
        assert entry.title.endswith(category.label)
    # RFC 4287's required elements, read as plain XML too.
    from xml.etree import ElementTree

    atom = "{http://www.w3.org/2005/Atom}"
    root = ElementTree.fromstring(raw)
    for element in (root, *root.findall(f"{atom}entry")):
        for required in ("id", "title", "updated"):
            assert (element.findtext(f"{atom}{required}") or "").strip(), required
    index = parse_html(signed / "index.html")
    (alternate,) = index.find_all("link", rel="alternate")
    assert alternate["type"] == "application/atom+xml" and alternate["href"] == "feed.xml"


def test_the_zip_holds_the_thumbnails_and_the_feed(tmp_path: Path) -> None:
    import zipfile

    root = project_copy(tmp_path / "project")
    zip_path = tmp_path / "briefs.zip"
    assert make_brief("--project", str(root), "--dist", str(zip_path))[0] == 0
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
    assert "feed.xml" in names and len([n for n in names if n.endswith(".png")]) == 4


def test_thumbnails_made_here_and_in_worker_processes_are_the_same(tmp_path: Path) -> None:
    # Rendering in this process compresses a thumbnail in the writing thread; a worker
    # process compresses its own and sends the PNG.
    root = project_copy(tmp_path / "project")
    articles = root / "sources" / "articles"
    for copy in ("second", "third"):
        shutil.copy(articles / "us-north-korea.md", articles / f"{copy}.md")
    built: dict[str, dict[str, bytes]] = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs-{jobs}"
        code, output = make_brief(
            "--project", str(root), "--format", "pdf", "--jobs", jobs, "--out", str(out)
        )
        assert code == 0, output
        pictures = [e["thumbnail"] for e in manifest(out)]
        assert len(pictures) == 12
        built[jobs] = {
            str(p["path"]): (out / str(p["path"])).read_bytes()
            for p in pictures
            if isinstance(p, dict)
        }
    assert len(built["1"]) == 12 and built["1"] == built["2"]
    # A picture sent from a worker is its PNG.
    made = thumbnails.render_thumbnail(pdfs(tmp_path / "jobs-1")[0].read_bytes())
    sent = pickle.loads(pickle.dumps(made))
    assert sent.png == made.png and (sent.width, sent.height) == (made.width, made.height)
