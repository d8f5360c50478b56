"""Teaching the sentence encoder the evaluators' own coding (semantic engine, supervised mapping).

Off-the-shelf sentence embeddings place comments by general meaning; once evaluators have coded a
few hundred items, one pass over those items nudges the encoder so that comments coded to the
same promise sit closer together. The encoder is a private copy of all-MiniLM-L6-v2 (the shared
model is never changed); it is trained for one epoch with a small classification head (soft
targets, so an item coded to two promises counts half to each), then every item is embedded again
with the tuned copy. The head is thrown away: the tuned vectors become features for the linear
mapping in ``mapping.py``, which is what gets calibrated and thresholded.

Deterministic for a seed (fixed batch order, seeded weights and dropout). The tuned vectors are
cached on disk under a key made of the model, the settings, the seed, every text and every code,
so re-running the same coding costs nothing; a changed coding trains afresh.
"""

from __future__ import annotations

import copy
import hashlib
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .embed import MODEL_NAME, cache_dir, text_key

if TYPE_CHECKING:
    import torch

MIN_CODED = 100  # below this the coded items are too few to move the encoder usefully
MAX_LEN = 128  # word pieces per item while training and embedding (longer comments are cut)
BATCH = 32
MAX_STEPS = 400  # caps training time for very large codings (about 13,000 items in one epoch)
LEARNING_RATE = 1e-4
HEAD_SCALE = 20.0  # cosine-like logits need a temperature to train
KEEP_CACHED = 8  # tuned-vector files kept on disk (oldest removed first)
SETTINGS = f"v2-len{MAX_LEN}-b{BATCH}-s{MAX_STEPS}-lr{LEARNING_RATE}"


def planned_steps(n_coded: int) -> int:
    """Training steps for this many coded items (one epoch, capped)."""
    return min(MAX_STEPS, -(-n_coded // BATCH))


def _key(texts: Sequence[str], labels: dict[int, list[str]], codes: Sequence[str], seed: int):
    h = hashlib.sha256()
    h.update(f"{MODEL_NAME}|{SETTINGS}|{seed}|{len(texts)}|".encode())
    for t in texts:
        h.update(text_key(t))
    for c in codes:
        h.update(c.encode("utf-8") + b"\x00")
    for i in sorted(labels):
        h.update(f"{i}:{','.join(sorted(labels[i]))};".encode())
    return h.hexdigest()


def _cache_path(key: str) -> Path:
    return cache_dir() / f"{MODEL_NAME}-tuned" / f"{key}.npy"


def _store(path: Path, vecs: np.ndarray) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.npy")
        np.save(tmp, vecs.astype(np.float32))
        os.replace(tmp, path)
        old = sorted(path.parent.glob("*.npy"), key=lambda p: p.stat().st_mtime)
        for p in old[:-KEEP_CACHED]:
            p.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only cache only costs time next run


def _cached(path: Path, n: int) -> np.ndarray | None:
    try:
        vecs = np.load(path)
    except (OSError, ValueError):
        return None
    return vecs if vecs.shape[0] == n else None


def _targets(labels: dict[int, list[str]], codes: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The coded items (sorted indexes) and their soft targets: an item coded to two promises
    counts half to each."""
    cidx = {c: j for j, c in enumerate(codes)}
    train = np.array(sorted(labels))
    target = np.zeros((len(train), len(codes)), dtype=np.float32)
    for r, i in enumerate(train):
        cs = labels[int(i)]
        for c in cs:
            target[r, cidx[c]] = 1.0 / len(cs)
    return train, target


def _class_weights(target: np.ndarray) -> torch.Tensor:
    """Rarer promises weigh more (square root of "balanced"), so small ones are not drowned."""
    import torch

    counts = target.sum(axis=0)
    balanced = np.where(counts > 0, (counts.sum() / np.maximum(counts, 1e-9) / target.shape[1]), 0)
    return torch.tensor(np.sqrt(balanced), dtype=torch.float32)


def _batches(texts: Sequence[str], train: np.ndarray, seed: int) -> list[np.ndarray]:
    """Batches (rows of ``train``) of similar length (far less padding), in a shuffled order."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(train))
    batches: list[np.ndarray] = []
    for s in range(0, len(order), BATCH * 50):
        chunk = order[s : s + BATCH * 50]
        chunk = chunk[np.argsort([len(texts[train[r]]) for r in chunk], kind="stable")]
        batches += [chunk[j : j + BATCH] for j in range(0, len(chunk), BATCH)]
    return [batches[j] for j in rng.permutation(len(batches))][:MAX_STEPS]


def _pooler(tok: Any, enc: Any) -> Callable[[list[str]], torch.Tensor]:
    """Mean of the encoder's word-piece outputs (padding left out), L2-normalised."""
    import torch

    def pool(batch: list[str]) -> torch.Tensor:
        b = tok(batch, padding=True, truncation=True, max_length=MAX_LEN, return_tensors="pt")
        out = enc(**b).last_hidden_state
        m = b["attention_mask"].unsqueeze(-1).to(out.dtype)
        v = (out * m).sum(1) / m.sum(1).clamp(min=1.0)
        return torch.nn.functional.normalize(v, dim=-1)

    return pool


def _train(
    enc: Any,
    head: torch.nn.Linear,
    pool: Callable[[list[str]], torch.Tensor],
    batches: list[np.ndarray],
    batch_texts: Callable[[np.ndarray], list[str]],
    target: np.ndarray,
    progress: Callable[[int], object] | None,
) -> None:
    """One pass over the batches: AdamW (the head learns ten times faster), one-cycle schedule,
    weighted cross-entropy against the soft targets."""
    import torch

    opt = torch.optim.AdamW(
        [
            {"params": [p for p in enc.parameters() if p.requires_grad], "lr": LEARNING_RATE},
            {"params": list(head.parameters()), "lr": LEARNING_RATE * 10},
        ],
        weight_decay=0.01,
    )
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt,
        max_lr=[LEARNING_RATE, LEARNING_RATE * 10],
        total_steps=max(len(batches), 2),
        pct_start=0.1,
        anneal_strategy="linear",
    )
    weight = _class_weights(target)
    enc.train()
    for b in batches:
        v = pool(batch_texts(b))
        loss = torch.nn.functional.cross_entropy(
            head(v) * HEAD_SCALE, torch.from_numpy(target[b]), weight=weight
        )
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if progress:
            progress(1)


def _embed_all(
    pool: Callable[[list[str]], torch.Tensor], texts: Sequence[str], dim: int
) -> np.ndarray:
    """Every item through the tuned encoder, shortest first, 64 at a time."""
    import torch

    vecs = np.zeros((len(texts), dim), dtype=np.float32)
    by_len = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    with torch.inference_mode():
        for s in range(0, len(by_len), 64):
            idx = by_len[s : s + 64]
            vecs[idx] = pool([texts[i] for i in idx]).numpy()
    return vecs


def tuned_vectors(
    texts: Sequence[str],
    labels: dict[int, list[str]],
    codes: Sequence[str],
    *,
    seed: int = 42,
    use_cache: bool = True,
    progress: Callable[[int], object] | None = None,
) -> tuple[np.ndarray, dict]:
    """Fine-tune a copy of the encoder on the coded items; return every item's tuned vector.

    labels: item index -> promise codes. progress: called with 1 after each training step
    (``planned_steps`` says how many there will be).
    Returns (n x 384 L2-normalised vectors, info).
    """
    path = _cache_path(_key(texts, labels, codes, seed))
    if use_cache and path.is_file():
        cached = _cached(path, len(texts))
        if cached is not None:
            return cached, {"fine_tuned_on": len(labels), "cached": True}
    import torch

    from .embed import _load_model

    started = time.perf_counter()
    base = _load_model()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        enc = copy.deepcopy(base[0].auto_model)
        # the word-piece table is most of the model's weights; leaving it as it is saves
        # memory and time, and the layers above learn what the coding needs
        enc.embeddings.word_embeddings.weight.requires_grad_(False)
        dim = enc.config.hidden_size
        head = torch.nn.Linear(dim, len(codes))
        train, target = _targets(labels, codes)
        pool = _pooler(base.tokenizer, enc)
        batches = _batches(texts, train, seed)
        _train(
            enc,
            head,
            pool,
            batches,
            lambda b: [texts[int(train[r])] for r in b],
            target,
            progress,
        )
        trained = time.perf_counter() - started
        enc.eval()
        vecs = _embed_all(pool, texts, dim)
    if use_cache:
        _store(path, vecs)
    info = {
        "fine_tuned_on": int(len(train)),
        "steps": len(batches),
        "training_seconds": round(trained, 1),
        "seconds": round(time.perf_counter() - started, 1),
        "cached": False,
    }
    return vecs, info
