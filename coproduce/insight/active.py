"""Active learning: which passages should people code next, and how good is the mapping?

Pure functions (numpy + scikit-learn, no Django): the same inputs and seed give the same answer.

* ``suggest``: the next 10-20 passages whose coding would teach the mapping most. It mixes
  - coverage of promises: each promise with fewer than ``FEW_CODINGS`` hand codings gets the
    not-yet-coded passage the engine thinks most likely to be about it;
  - uncertainty: the engine's two best promises score close together, or its best is close to
    the 0.5 line between "about it" and "not about it";
  - novelty: passages unlike anything coded so far (and unlike what is already in the batch);
  - while few passages are coded (under ``TYPICAL_UNTIL``), typicality first: the most typical
    passage of each large group of passages that has no coded passage yet.
  Passages already coded by a person are never suggested.
* ``light_scores``: a quick mapping (one linear model on the cached vectors and TF-IDF), for
  the simulated evaluator and for choosing when the full retraining has not run yet.
* ``agreement``: per promise, how often a model trained without a passage agreed with the
  person's coding of it (cross-validation over the people's own codings).
* ``moved``: how many passages changed their best promise between two mappings.
"""

from __future__ import annotations

from collections.abc import Mapping as MappingT
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

FEW_CODINGS = 5  # a promise with fewer hand codings than this is always covered by a suggestion
MIN_TO_JUDGE = 10  # below this many codings the agreement figure for a promise is not judged
BATCH_MIN, BATCH_MAX = 10, 20
UNCERTAINTY_WEIGHT = 0.6  # against 0.4 for novelty
# While fewer passages than this are coded, the batch (after promise coverage) is the most
# typical passage of each of the largest groups of passages nobody has coded yet: with few
# codings a model learns most from what is common, not from its own doubts (TypiClust,
# Hacohen et al. 2022). Measured in benchmarks/bench_active_learning.py.
TYPICAL_UNTIL = 200
TYPICAL_NEIGHBOURS = 20


@dataclass(frozen=True)
class Suggestion:
    index: int  # position of the passage in the input
    guesses: list[str]  # the engine's best promise codes, best first (up to 3)
    reason: str  # "few" (covers a promise with few codings), "typical", "unsure" or "new"


def _rank01(v: np.ndarray) -> np.ndarray:
    """Ranks scaled to [0, 1] (ties broken by position, so the result is deterministic)."""
    if len(v) <= 1:
        return np.ones(len(v))
    order = np.argsort(v, kind="stable")
    r = np.empty(len(v))
    r[order] = np.arange(len(v))
    return r / (len(v) - 1)


def uncertainty(scores: np.ndarray) -> np.ndarray:
    """1 for a passage the engine cannot decide on, 0 for a clear one: the closeness of its two
    best promise scores, and of its best score to the 0.5 line, whichever is closer."""
    if scores.shape[1] == 0:
        return np.zeros(scores.shape[0])
    s = np.sort(scores, axis=1)[:, ::-1]
    top = s[:, 0]
    second = s[:, 1] if s.shape[1] > 1 else np.zeros(len(s))
    margin = top - second
    line = np.abs(top - 0.5) * 2
    return 1.0 - np.minimum(margin, line).clip(0.0, 1.0)


def _normalise(vecs: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vecs / norms


def suggest(
    scores: np.ndarray,
    codes: Sequence[str],
    labels: MappingT[int, Sequence[str]],
    vecs: np.ndarray | None = None,
    *,
    n: int = BATCH_MAX,
    seed: int = 42,
    uncertainty_weight: float = UNCERTAINTY_WEIGHT,
    coverage_max: int | None = None,
    typical_until: int = TYPICAL_UNTIL,
) -> list[Suggestion]:
    """The next ``n`` passages to code (fewer if fewer are left), never one in ``labels``.

    scores: passages x promises in [0, 1] (the engine's mapping); codes: the promise codes in
    column order; labels: position -> codes for the passages people coded; vecs: one vector per
    passage (sentence embeddings or latent TF-IDF vectors) for novelty, optional.
    coverage_max: at most this many of the batch go to promises with few codings (by default
    half the batch while typicality leads, otherwise all of it).
    """
    scores = np.asarray(scores, dtype=float)
    total, k = scores.shape
    free = np.array([i for i in range(total) if i not in labels], dtype=int)
    n = max(0, min(n, len(free)))
    if n == 0:
        return []
    rng = np.random.default_rng(seed)
    # a tiny seeded jitter breaks exact ties the same way every time for the same seed
    jitter = rng.random(total) * 1e-6
    unsure = uncertainty(scores) if k else np.zeros(total)
    per_promise = {c: 0 for c in codes}
    for cs in labels.values():
        for c in cs:
            if c in per_promise:
                per_promise[c] += 1

    unit = _normalise(np.asarray(vecs, dtype=float)) if vecs is not None else None
    coded_idx = np.array(sorted(labels), dtype=int)
    if unit is not None and len(coded_idx):
        # closeness of each passage to the nearest coded one (1 = the same), in chunks
        near = np.full(total, -1.0)
        for a in range(0, len(coded_idx), 2000):
            near = np.maximum(near, (unit @ unit[coded_idx[a : a + 2000]].T).max(axis=1))
    else:
        near = np.full(total, -1.0)

    chosen: list[int] = []
    reasons: dict[int, str] = {}
    taken = np.zeros(total, dtype=bool)
    taken[coded_idx] = True

    def add(i: int, why: str) -> None:
        nonlocal near
        chosen.append(i)
        reasons[i] = why
        taken[i] = True
        if unit is not None:
            near = np.maximum(near, unit @ unit[i])

    typical_phase = unit is not None and len(labels) < typical_until
    if coverage_max is None:
        # while typicality leads, at most half the batch goes to promises with few codings
        coverage_max = n // 2 if typical_phase else n

    # 1. coverage: promises with few codings, fewest first
    few = sorted((cnt, j) for j, (c, cnt) in enumerate((c, per_promise[c]) for c in codes))
    for cnt, j in few:
        if cnt >= FEW_CODINGS or len(chosen) >= min(n, coverage_max):
            break
        col = np.where(taken, -np.inf, scores[:, j] + jitter)
        i = int(np.argmax(col))
        if np.isfinite(col[i]):
            add(i, "few")

    # 2. with few codings: the most typical passage of each large group nobody has coded
    if typical_phase:
        assert unit is not None
        for i in _typical(unit, taken, coded_idx, n - len(chosen), seed):
            add(i, "typical")

    # 3. the rest: uncertainty and novelty, re-weighed after each pick so the batch is varied
    while len(chosen) < n:
        novelty = (1.0 - near) / 2.0 if unit is not None else np.zeros(total)
        value = uncertainty_weight * unsure + (1 - uncertainty_weight) * novelty + jitter
        value[taken] = -np.inf
        i = int(np.argmax(value))
        by_novelty = (1 - uncertainty_weight) * novelty[i] > uncertainty_weight * unsure[i]
        why = "new" if (unit is not None and by_novelty) else "unsure"
        add(i, why)

    out = []
    for i in chosen:
        order: list[int] = np.argsort(-scores[i], kind="stable")[:3].tolist() if k else []
        out.append(Suggestion(int(i), [codes[j] for j in order], reasons[i]))
    return out


def _typical(
    unit: np.ndarray, taken: np.ndarray, coded_idx: np.ndarray, n: int, seed: int
) -> list[int]:
    """Up to ``n`` passages: the passages fall into (coded + n) groups by k-means; from each
    group with no coded passage, largest first, the passage most like its near neighbours."""
    from sklearn.cluster import MiniBatchKMeans

    total = len(unit)
    groups = min(total, len(coded_idx) + n)
    if n <= 0 or groups < 1:
        return []
    km = MiniBatchKMeans(n_clusters=groups, random_state=seed, n_init=1, batch_size=2048)
    assigned = km.fit_predict(unit)
    covered = set(assigned[coded_idx].tolist()) if len(coded_idx) else set()
    sizes = np.bincount(assigned, minlength=groups)
    picks: list[int] = []
    for g in np.argsort(-sizes, kind="stable"):
        if len(picks) >= n:
            break
        if int(g) in covered:
            continue
        members = np.where((assigned == g) & ~taken)[0]
        if len(members) == 0:
            continue
        if len(members) == 1:
            picks.append(int(members[0]))
            continue
        near = min(TYPICAL_NEIGHBOURS, len(members) - 1)
        sims = unit[members] @ unit[members].T
        # the mean closeness to its `near` nearest neighbours (itself excluded)
        closeness = np.sort(sims, axis=1)[:, -near - 1 : -1].mean(axis=1)
        picks.append(int(members[int(np.argmax(closeness))]))
    return picks


def features(x_tfidf: sp.csr_matrix, vecs: np.ndarray | None) -> sp.csr_matrix:
    """The light model's features: TF-IDF beside the (cached) passage vectors."""
    if vecs is None:
        return x_tfidf.tocsr()
    return sp.hstack([x_tfidf, sp.csr_matrix(np.asarray(vecs, dtype=np.float32))]).tocsr()


def _fit_predict(x, rows: np.ndarray, y: np.ndarray, target, k: int, seed: int) -> np.ndarray:
    """Decision values (target rows x k) of one linear model; -1 for promises never coded."""
    out = np.full((target.shape[0], k), -1.0)
    classes = np.unique(y)
    if len(classes) == 1:
        out[:, int(classes[0])] = 1.0
        return out
    clf = LinearSVC(C=0.3, class_weight="balanced", random_state=seed)
    clf.fit(x[rows], y)
    d = clf.decision_function(target)
    if d.ndim == 1:
        d = np.vstack([-d, d]).T
    for col, cls in enumerate(clf.classes_):
        out[:, int(cls)] = d[:, col]
    return out


def _first_codes(labels: MappingT[int, Sequence[str]], cidx: dict[str, int]) -> dict[int, int]:
    return {i: cidx[cs[0]] for i, cs in labels.items() if cs and cs[0] in cidx}


def light_scores(
    x: sp.csr_matrix,
    codes: Sequence[str],
    labels: MappingT[int, Sequence[str]],
    *,
    seed: int = 42,
) -> np.ndarray:
    """A quick mapping, passages x promises in [0, 1]: one linear model on each passage's first
    code, its decision values squashed with a logistic curve. Zeros when nothing is coded."""
    k = len(codes)
    cidx = {c: j for j, c in enumerate(codes)}
    first = _first_codes(labels, cidx)
    if not first:
        return np.zeros((x.shape[0], k))
    rows = np.array(sorted(first))
    y = np.array([first[i] for i in rows])
    d = _fit_predict(x, rows, y, x, k, seed)
    return 1.0 / (1.0 + np.exp(-np.clip(2.0 * d, -50, 50)))


@dataclass(frozen=True)
class Agreement:
    code: str
    coded: int  # passages people coded to this promise
    tested: int  # of those, how many a model trained without them was asked about
    agreed: int  # ... and put under this promise, as the person did
    enough: bool  # at least MIN_TO_JUDGE codings


def agreement(
    x: sp.csr_matrix,
    codes: Sequence[str],
    labels: MappingT[int, Sequence[str]],
    *,
    folds: int = 5,
    seed: int = 42,
) -> list[Agreement]:
    """Per promise, cross-validated agreement over the people's own codings: each coded passage
    is predicted by a model trained on the others (its fold left out), and counts as agreed when
    the model's best promise is one the person chose."""
    k = len(codes)
    cidx = {c: j for j, c in enumerate(codes)}
    first = _first_codes(labels, cidx)
    rows = np.array(sorted(first), dtype=int)
    y = np.array([first[i] for i in rows], dtype=int)
    counts = np.zeros(k, dtype=int)
    for cs in labels.values():
        for c in set(cs):
            if c in cidx:
                counts[cidx[c]] += 1
    tested = np.zeros(k, dtype=int)
    agreed = np.zeros(k, dtype=int)
    present = np.bincount(y, minlength=k) if len(y) else np.zeros(k, dtype=int)
    if len(rows) >= 4 and (present > 0).sum() >= 2:
        # folds no larger than the smallest promise allows, at least 2
        smallest = int(present[present > 0].min())
        f = max(2, min(folds, smallest)) if smallest >= 2 else 2
        strat = smallest >= f
        if strat:
            splitter = StratifiedKFold(n_splits=f, shuffle=True, random_state=seed)
            parts = list(splitter.split(rows, y))
        else:
            rng = np.random.default_rng(seed)
            fold_of = rng.permutation(len(rows)) % f
            parts = [(np.where(fold_of != q)[0], np.where(fold_of == q)[0]) for q in range(f)]
        for a, b in parts:
            if len(b) == 0:
                continue
            d = _fit_predict(x, rows[a], y[a], x[rows[b]], k, seed)
            best = d.argmax(axis=1)
            for pos, guess in zip(b, best, strict=True):
                person = {cidx[c] for c in labels[int(rows[pos])] if c in cidx}
                for j in person:
                    tested[j] += 1
                    agreed[j] += int(guess in person)
    return [
        Agreement(
            c, int(counts[j]), int(tested[j]), int(agreed[j]), bool(counts[j] >= MIN_TO_JUDGE)
        )
        for j, c in enumerate(codes)
    ]


def moved(before: MappingT[int, str], after: MappingT[int, str]) -> int:
    """How many passages have a different best promise in ``after`` than in ``before`` (only
    passages present in both count)."""
    return sum(1 for i, c in after.items() if i in before and before[i] != c)


__all__ = [
    "Agreement",
    "Suggestion",
    "agreement",
    "features",
    "light_scores",
    "moved",
    "suggest",
    "uncertainty",
    "FEW_CODINGS",
    "MIN_TO_JUDGE",
]
