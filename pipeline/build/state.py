"""What the last build left in the output folder, kept in ``.make-brief-state.json``.

For every output: its manifest entry, the key of the inputs it was built from, and its mtime
(so an untouched file is recognised without hashing it). For every article: the hash of the file
bytes it was last read from, with what the build learned by parsing it (its author, whether it
has a date, its title), so a rebuild can tell a target is up to date without parsing anything.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from ..model import Edition, Focus
from ..render import find_format, parse_brief_path
from ..sources import COLOR_PATTERN, ID_PATTERN, LANG_PATTERN
from .artifacts import ArticleInfo, Artifact
from .editions import edition_of
from .outdir import read_regular, stat_regular, write_if_changed
from .publish import read_manifest

STATE_FILE = ".make-brief-state.json"


SCHEMA = 1
#: A recorded hash: a SHA-256 in hex, or empty when unknown.
_OPTIONAL_SHA256 = re.compile(r"(?:[0-9a-f]{64})?")
#: A recorded date: ISO 8601, or empty when unknown.
_ISO_DATE = re.compile(r"(?:\d{4}-\d{2}-\d{2})?")


@dataclass(frozen=True)
class ArticleRecord:
    """An article as last read: the SHA-256 of its file and what parsing it told."""

    sha256: str
    author: str
    #: True when the article has its own date (its briefs then ignore SOURCE_DATE_EPOCH).
    dated: bool
    info: ArticleInfo
    #: The images its figures show, as (path in the project, SHA-256 of the bytes read), so a
    #: changed image makes its briefs stale without the article being parsed.
    images: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class OutputRecord:
    """A file in the output folder that a build wrote."""

    artifact: Artifact
    #: The input key it was built from; empty when unknown (so it is rebuilt when asked for).
    key: str
    #: Modification time when last seen; a different one means hashing the file again.
    mtime_ns: int
    #: The edition's title and colour when the file was built, for the index ("" if unknown).
    edition_title: str
    color: str | None = None


@dataclass
class BuildState:
    """Everything recorded about the output folder."""

    articles: dict[str, ArticleRecord] = field(default_factory=dict)
    outputs: dict[str, OutputRecord] = field(default_factory=dict)
    #: The index page: {"inputs": hash of what it was rendered from, "sha256": of the file}.
    index: dict[str, str] = field(default_factory=dict)
    #: Input files' hashes by path, for :class:`pipeline.build.fingerprint.HashCache`.
    hashes: dict[str, list[object]] = field(default_factory=dict)

    @classmethod
    def load(cls, out_dir: Path) -> BuildState:
        """The recorded state; without a usable state file, adopt the manifest's entries.

        Adopted entries have no key, so anything asked for is rebuilt; what is not asked for
        stays listed as long as its file is there. A state file that is not exactly what a
        build writes (edited by hand, nested without end) is not trusted: what it says ends up
        in the index page. One that is a link or not a regular file is an error.
        """
        try:
            raw = read_regular(out_dir / STATE_FILE, out_dir)
            if raw is not None:
                data = json.loads(raw.decode("utf-8"))
                if data.get("schema") == SCHEMA:
                    return cls._from_json(data)
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            pass
        return cls(
            outputs={
                a.path: OutputRecord(a, key="", mtime_ns=-1, edition_title="")
                for a in read_manifest(out_dir)
                if _trusted(a.path)
            }
        )

    @classmethod
    def _from_json(cls, data: dict[str, object]) -> BuildState:
        """The state :meth:`to_bytes` wrote; any value of another shape raises ValueError,
        TypeError or KeyError."""
        articles = {
            slug: ArticleRecord(
                sha256=_text(item, "sha256", _OPTIONAL_SHA256),
                author=_text(item, "author", ID_PATTERN),
                dated=bool(item["dated"]),
                info=ArticleInfo(
                    _text(item, "title"),
                    _text(item, "author_name"),
                    _text(item, "lang", LANG_PATTERN),
                    _text(item, "summary") if "summary" in item else "",
                    _text(item, "date", _ISO_DATE) if "date" in item else "",
                ),
                images=_images(item.get("images", [])),
            )
            for slug, item in data["articles"].items()  # type: ignore[attr-defined]
        }
        if not all(ID_PATTERN.fullmatch(s) for s in articles):
            raise ValueError("unexpected article id")
        outputs = {}
        for path, item in data["outputs"].items():  # type: ignore[attr-defined]
            artifact = Artifact.from_json(item["artifact"])
            if path != artifact.path or not _trusted(path):
                raise ValueError(f"unexpected output path {path!r}")
            key = _text(item, "key")
            mtime_ns = item["mtime_ns"]
            color = item.get("color")
            if not _OPTIONAL_SHA256.fullmatch(key):
                raise ValueError("unexpected key")
            if not isinstance(mtime_ns, int):
                raise TypeError("mtime_ns must be a number")
            if color is not None and not (
                isinstance(color, str) and COLOR_PATTERN.fullmatch(color)
            ):
                raise ValueError("unexpected colour")
            outputs[path] = OutputRecord(
                artifact, key, mtime_ns, _text(item, "edition_title"), color
            )
        recorded = data.get("index", {})
        if not isinstance(recorded, dict):
            raise TypeError("index must be a mapping")
        index = {str(k): _text(recorded, k, _OPTIONAL_SHA256) for k in recorded}
        hashes = {str(k): list(v) for k, v in data.get("hashes", {}).items()}  # type: ignore[attr-defined]
        return cls(articles, outputs, index, hashes)

    def editions(self, focuses: Mapping[str, Focus]) -> dict[str, Edition | None]:
        """What each edition id of the recorded outputs names now: an edition, or None when one
        of its focuses is gone.

        The edition may have another id than the recorded one (``human-rights+security`` where
        ``focuses.yaml`` defines security first: a make-brief that kept the typed order wrote
        it, or the focuses were reordered since): see :meth:`forget_vanished`.
        """
        ids = {record.artifact.edition_id for record in self.outputs.values()}
        return {edition_id: edition_of(edition_id, focuses) for edition_id in sorted(ids)}

    def forget_vanished(
        self,
        articles: Collection[str],
        editions: Mapping[str, Edition | None],
        building: Collection[tuple[str, str, str]] = (),
    ) -> list[OutputRecord]:
        """Forget outputs whose article, focus or format is gone from the sources; return them.

        ``articles`` are the slugs the project has; ``editions`` is :meth:`editions`;
        ``building`` the (article, edition id, format) briefs this build makes, in every shard.
        A brief recorded under an id that is not its edition's own goes once the same brief
        exists under its own id or is being built: keeping both would list one edition twice.
        Until then it stays, as published: a build not asked for that brief, or for its other
        format, must not take it away.
        """
        own = {
            (r.artifact.article, r.artifact.edition_id, r.artifact.format)
            for r in self.outputs.values()
        }
        gone = []
        for path, record in sorted(self.outputs.items()):
            artifact = record.artifact
            edition = editions.get(artifact.edition_id)
            if (
                artifact.article not in articles
                or edition is None
                or find_format(artifact.format) is None
                or (
                    edition.id != artifact.edition_id
                    and (
                        (artifact.article, edition.id, artifact.format) in building
                        or (artifact.article, edition.id, artifact.format) in own
                    )
                )
            ):
                gone.append(record)
                del self.outputs[path]
        for slug in list(self.articles):
            if slug not in articles:
                del self.articles[slug]
        return gone

    def match_disk(self, out_dir: Path) -> None:
        """Make the recorded outputs match the disk: drop missing files, re-describe changed ones.

        A file whose size and mtime are as recorded is taken as unchanged; otherwise it is
        hashed. A file changed by hand is listed as it now is, with no key, so it is rebuilt
        whenever it is asked for.
        A recorded output that is now a link, a folder or a special file is an error naming it:
        nothing make-brief did put it there, and it must not be read or published.
        """
        for path, record in list(self.outputs.items()):
            target = out_dir / path
            stat = stat_regular(target, out_dir)
            if stat is None:
                del self.outputs[path]
                continue
            thumbnail = record.artifact.thumbnail
            if thumbnail is not None:
                # A thumbnail deleted or changed by hand is made again with its PDF.
                picture = stat_regular(out_dir / thumbnail.path, out_dir)
                if picture is None or picture.st_size != thumbnail.bytes:
                    artifact = replace(record.artifact, thumbnail=None)
                    self.outputs[path] = record = replace(record, artifact=artifact, key="")
            if stat.st_size == record.artifact.bytes and stat.st_mtime_ns == record.mtime_ns:
                continue
            data = read_regular(target, out_dir)
            if data is None:
                del self.outputs[path]
                continue
            if hashlib.sha256(data).hexdigest() == record.artifact.sha256:
                self.outputs[path] = replace(record, mtime_ns=stat.st_mtime_ns)
                continue
            old = record.artifact
            artifact = Artifact.of(old.article, old.edition_id, old.format, old.path, data)
            artifact = replace(artifact, thumbnail=old.thumbnail)
            changed = replace(record, artifact=artifact, key="", mtime_ns=stat.st_mtime_ns)
            self.outputs[path] = changed

    def to_bytes(self) -> bytes:
        """The state as stable JSON (sorted keys), so an unchanged state is not rewritten."""
        data = {
            "schema": SCHEMA,
            "articles": {
                slug: {
                    "sha256": r.sha256,
                    "author": r.author,
                    "dated": r.dated,
                    "title": r.info.title,
                    "author_name": r.info.author_name,
                    "lang": r.info.lang,
                    **({"images": [list(image) for image in r.images]} if r.images else {}),
                    "summary": r.info.summary,
                    "date": r.info.date,
                }
                for slug, r in self.articles.items()
            },
            "outputs": {
                path: {
                    "artifact": r.artifact.to_json(),
                    "key": r.key,
                    "mtime_ns": r.mtime_ns,
                    "edition_title": r.edition_title,
                    "color": r.color,
                }
                for path, r in self.outputs.items()
            },
            "index": self.index,
            "hashes": self.hashes,
        }
        # Compact, for json's C encoder: the state of a large project is read and written often.
        text = json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
        return (text + "\n").encode("utf-8")

    def save(self, out_dir: Path) -> bool:
        """Write the state file unless it is unchanged; True when written."""
        return write_if_changed(out_dir / STATE_FILE, self.to_bytes(), out_dir)


def _text(item: Mapping[str, object], key: str, pattern: re.Pattern[str] | None = None) -> str:
    """``item[key]``, which must be a string (matching ``pattern`` when given)."""
    value = item[key]
    if not isinstance(value, str) or (pattern is not None and not pattern.fullmatch(value)):
        raise ValueError(f"unexpected {key}")
    return value


def _images(value: object) -> tuple[tuple[str, str], ...]:
    """An article's recorded images: (path, SHA-256) pairs, each path inside sources/."""
    if not isinstance(value, list):
        raise TypeError("images must be a list")
    images = []
    for pair in value:
        if not (isinstance(pair, list) and [type(v) for v in pair] == [str, str]):
            raise TypeError("an image must be a path and a hash")
        path, sha = pair
        parts = PurePosixPath(path).parts
        if parts[:1] != ("sources",) or ".." in parts or not _OPTIONAL_SHA256.fullmatch(sha):
            raise ValueError(f"unexpected image {path!r}")
        images.append((path, sha))
    return tuple(images)


def _trusted(path: str) -> bool:
    """Whether ``path`` is one make-brief writes (``<slug>/<edition>.<extension>``).

    A state file or manifest naming anything else is not trusted, so a build never deletes or
    reads a file outside the output folder because a JSON file said so.
    """
    return parse_brief_path(path) is not None
