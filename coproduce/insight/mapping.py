"""Promise mapping: which promises does each item speak to?

* zero-shot: similarity between the item and the promise wording (title + description);
* supervised: once evaluators have coded items, a linear model per promise (one-vs-rest) on
  word + character TF-IDF (+ sentence embeddings for the semantic engine), with scores calibrated
  to probabilities (Platt scaling on cross-validated decision values) and a per-promise threshold
  chosen on the training data to maximise F1.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.svm import LinearSVC

from .features import TOKEN


@dataclass
class Mapping:
    codes: list[str]
    scores: np.ndarray  # n x P in [0, 1]
    assigned: list[list[str]]
    method: str
    info: dict


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -50, 50)))


def promise_texts(promises) -> list[str]:
    out = []
    for p in promises:
        t = p.title.strip()
        if p.description:
            t = f"{t}. {p.description.strip()}"
        out.append(t)
    return out


_PHRASE_SPLIT = re.compile(r"[;\n\r•|]+|(?<=[.!?])\s+")


def promise_prototypes(promise) -> list[str]:
    """The wordings a promise is recognised by: its title, title + description, and each phrase
    of the description on its own (descriptions often list several things a promise covers)."""
    title = promise.title.strip()
    out = [title]
    desc = (promise.description or "").strip()
    if desc:
        out.append(f"{title}. {desc}")
        for ph in _PHRASE_SPLIT.split(desc):
            ph = ph.strip(" .,-*")
            if len(ph) >= 3 and ph not in out:
                out.append(ph)
    return out[:25]


SELF_TRAIN_SHARE = 0.4  # the most confident share of each promise's items teaches the model
SELF_TRAIN_MIN_ITEMS = 200
SELF_TRAIN_SHARPNESS = 3.0


def _embedding_similarity(promises, item_vecs: np.ndarray, embed) -> np.ndarray:
    """Cosine of each item with each promise's closest wording (title, title + description,
    each phrase of the description)."""
    protos = [promise_prototypes(p) for p in promises]
    flat = [t for ps in protos for t in ps]
    owner = np.array([j for j, ps in enumerate(protos) for _ in ps])
    all_sims = item_vecs @ embed(flat).T
    return np.stack([all_sims[:, owner == j].max(axis=1) for j in range(len(promises))], axis=1)


def _tfidf_similarity(texts: Sequence[str], promises) -> np.ndarray:
    """Cosine of word TF-IDF vectors, averaged with character overlap (which catches plurals and
    spelling variants), fitted on the items and the promise wording together."""
    ptexts = promise_texts(promises)
    vec = TfidfVectorizer(
        sublinear_tf=True, token_pattern=TOKEN, stop_words="english", ngram_range=(1, 1)
    )
    try:
        m = vec.fit_transform(list(texts) + ptexts)
        sims = (m[: len(texts)] @ m[len(texts) :].T).toarray()
    except ValueError:
        sims = np.zeros((len(texts), len(promises)))
    cvec = TfidfVectorizer(sublinear_tf=True, analyzer="char_wb", ngram_range=(3, 5))
    try:
        mc = cvec.fit_transform(list(texts) + ptexts)
        sims = 0.5 * sims + 0.5 * (mc[: len(texts)] @ mc[len(texts) :].T).toarray()
    except ValueError:
        pass
    return sims


def _zero_shot_picks(
    i: int,
    scores: np.ndarray,
    sims: np.ndarray,
    rank: np.ndarray | None,
    relevant: np.ndarray,
    near: float,
) -> list[int]:
    """The promises item i is assigned: its best, plus any nearly as strong (by the learned
    ranking when there is one, else by similarity within ``near``); none if not relevant."""
    j = int(np.argmax(scores[i]))
    if not relevant[i] or scores[i, j] < 0.5:
        return []
    if rank is not None:
        return [c for c in np.argsort(-rank[i]) if scores[i, c] >= 0.5 and rank[i, c] >= 0.75]
    s = sims[i]
    return [c for c in np.argsort(-s) if scores[i, c] >= 0.5 and s[c] >= s[j] - near]


def zero_shot(
    texts: Sequence[str],
    promises,
    *,
    item_vecs: np.ndarray | None = None,
    embed=None,
    feats: sp.csr_matrix | None = None,
    seed: int = 42,
    margin: float | None = None,
) -> Mapping:
    """Score items against promise wording with no coded examples.

    1. Similarity. Semantic engine (item_vecs + embed given): cosine between the sentence
       embedding of the item and of each wording of the promise (title, title + description,
       each phrase of the description), taking the closest wording. tfidf engine: cosine of
       word and character TF-IDF vectors fitted on items and promise wording together.
    2. Relevance. The best similarity goes through a fixed logistic curve, so 0.5 means "just
       relevant"; items whose best score is below 0.5 are assigned to none of the promises.
    3. Learning from the clearest cases (when there are at least 200 items and ``feats``): for
       each promise, the 40 % of its items that are most clearly about it train a linear model
       on the items' own words (and embeddings), which then ranks the promises for every item.
       This picks up wording the promise text never used ("boiler" for a repairs promise).
       It does not change which items are about none of the promises.
    An item is assigned its best promise plus any promise nearly as strong.
    """
    codes = [p.code for p in promises]
    k = len(promises)
    if item_vecs is not None and embed is not None:
        sims = _embedding_similarity(promises, item_vecs, embed)
        center, width = 0.22, 0.05
        method = "zero-shot: sentence-embedding similarity to promise wording"
    else:
        sims = _tfidf_similarity(texts, promises)
        center, width = 0.12, 0.03
        method = "zero-shot: TF-IDF similarity to promise wording"
    scores = _sigmoid((sims - center) / width)
    n = len(texts)
    best = sims.max(axis=1) if k else np.zeros(n)
    relevant = best >= center
    info: dict = {"center": center, "width": width, "self_trained_on": 0}
    learned = _self_train(sims, relevant, feats, seed) if feats is not None else None
    rank = None
    if learned is not None:
        dec, seeds = learned
        # how strongly each promise is preferred for the item, 1 for the top one
        rank = np.exp(SELF_TRAIN_SHARPNESS * (dec - dec.max(axis=1, keepdims=True)))
        gate = _sigmoid((best - center) / width)
        scores = rank * gate[:, None]
        info["self_trained_on"] = int(seeds)
        method += ", then a model trained on the clearest matches"
    near = width if margin is None else margin
    assigned = [
        [codes[c] for c in _zero_shot_picks(i, scores, sims, rank, relevant, near)]
        for i in range(n)
    ]
    return Mapping(codes, scores, assigned, method, info)


def _self_train(
    sims: np.ndarray, relevant: np.ndarray, feats: sp.csr_matrix, seed: int
) -> tuple[np.ndarray, int] | None:
    """Decision values of a linear model trained on each promise's clearest items, or None
    when there is too little to learn from (few items, or fewer than two promises with seeds)."""
    n, k = sims.shape
    if n < SELF_TRAIN_MIN_ITEMS or k < 2:
        return None
    top = sims.argmax(axis=1)
    seeds: list[int] = []
    seeded: list[int] = []
    for j in range(k):
        idx = np.where(relevant & (top == j))[0]
        if len(idx) < 5:
            continue
        cut = np.quantile(sims[idx, j], 1 - SELF_TRAIN_SHARE)
        chosen = idx[sims[idx, j] >= cut]
        seeds.extend(chosen.tolist())
        seeded.append(j)
    if len(seeded) < 2:
        return None
    seeds_arr = np.array(sorted(seeds))
    clf = LinearSVC(C=0.3, random_state=seed)
    clf.fit(feats[seeds_arr], top[seeds_arr])
    d = clf.decision_function(feats)
    if d.ndim == 1:
        d = np.vstack([-d, d]).T
    dec = np.full((n, k), -np.inf)
    for col, cls in enumerate(clf.classes_):
        dec[:, int(cls)] = d[:, col]
    # promises with no clear items keep their similarity-based standing below the learned ones
    unseeded = sorted(set(range(k)) - set(seeded))
    if unseeded:
        low = np.nanmin(np.where(np.isfinite(dec), dec, np.nan), axis=1, keepdims=True)
        dec[:, unseeded] = low - 1.0
    return dec, len(seeds_arr)


def _features(
    x_tfidf: sp.csr_matrix, vecs: np.ndarray | None, weight: float = 1.0
) -> sp.csr_matrix:
    if vecs is None:
        return x_tfidf
    dense = sp.csr_matrix((vecs * weight).astype(np.float32))
    return sp.hstack([x_tfidf, dense]).tocsr()


def _fit(x, y: np.ndarray, seed: int, C: float = 0.3):
    clf = LinearSVC(C=C, class_weight="balanced", random_state=seed)
    clf.fit(x, y)
    return clf


def _label_matrix(rows: Sequence[Sequence[str]], cidx: dict[str, int]) -> np.ndarray:
    """One row per item, one column per promise: 1 where the item is coded to it."""
    y = np.zeros((len(rows), len(cidx)), dtype=np.int8)
    for r, cs in enumerate(rows):
        for c in cs:
            y[r, cidx[c]] = 1
    return y


def _cv_folds(ymat: np.ndarray) -> int:
    """Folds for cross-validation: up to 5 (3 for large codings), no more than the smallest
    promise has coded items; 0 (no cross-validation) below 4 coded items."""
    n_train = ymat.shape[0]
    if n_train < 4:
        return 0
    per_promise = ymat.sum(axis=0)
    folds = min(5, max(2, int(per_promise[per_promise > 0].min())))
    return min(folds, 3 if n_train > 2000 else 5)


def _cross_validated(
    xt: sp.csr_matrix,
    ymat: np.ndarray,
    folds: int,
    seed: int,
    ex: sp.csr_matrix | None,
    ey: np.ndarray | None,
    progress,
) -> tuple[np.ndarray, np.ndarray]:
    """Held-out decision values for the coded items, and which items have one."""
    dec_cv = np.zeros(ymat.shape)
    have_cv = np.zeros(ymat.shape[0], dtype=bool)
    if folds < 2:
        return dec_cv, have_cv
    kf = KFold(n_splits=folds, shuffle=True, random_state=seed)
    for a, b in kf.split(np.arange(ymat.shape[0])):
        dec_cv[b] = _decision(xt[a], ymat[a], xt[b], seed, ex, ey)
        have_cv[b] = True
        if progress:
            progress(1)
    return dec_cv, have_cv


def _calibrate(
    dec_cv: np.ndarray, have_cv: np.ndarray, ymat: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per promise: Platt scaling (slope, intercept) of the held-out decision values and the
    probability threshold with the best F1; a fixed slope of 2 and 0.5 where too little is known."""
    k = ymat.shape[1]
    slopes, intercepts = np.full(k, 2.0), np.zeros(k)
    thresholds = np.full(k, 0.5)
    for j in range(k):
        yj = ymat[have_cv, j]
        dj = dec_cv[have_cv, j]
        if have_cv.sum() >= 4 and 0 < yj.sum() < len(yj):
            lr = LogisticRegression(C=1e4, max_iter=1000)
            lr.fit(dj.reshape(-1, 1), yj)
            slopes[j], intercepts[j] = float(lr.coef_[0, 0]), float(lr.intercept_[0])
            thresholds[j] = _best_threshold(_sigmoid(slopes[j] * dj + intercepts[j]), yj)
    return slopes, intercepts, thresholds


def _supervised_picks(
    s: np.ndarray, *, single: bool, prior: np.ndarray, thresholds: np.ndarray
) -> list[int]:
    """One item's promises: the best weighted one when every coded item has one code, else
    every promise over its threshold (at least the best)."""
    if single:
        return [int(np.argmax(s * prior))]
    picks = [j for j in np.argsort(-s) if s[j] >= thresholds[j]]
    return picks or [int(np.argmax(s))]


def supervised(
    x: sp.csr_matrix,
    codes: list[str],
    labels: dict[int, list[str]],
    *,
    seed: int = 42,
    extra_x: sp.csr_matrix | None = None,
    extra_y: list[str] | None = None,
    progress=None,
    balance: bool = True,
) -> Mapping:
    """Train on coded items (index -> codes), predict every item.

    x: feature rows for all items (TF-IDF, optionally with embeddings).
    extra_x/extra_y: extra training rows (the promise wording itself), so promises with few
    coded items still get a sensible model.
    balance: when every coded item has one code, weigh each promise's score so that the pick is
    fair to small promises (weights chosen on held-out training scores for the best macro-F1).
    Only meaningful when those held-out scores are honest: features learned from the coded
    items themselves (a fine-tuned encoder) make them over-confident, so pass False then.
    """
    n, k = x.shape[0], len(codes)
    cidx = {c: j for j, c in enumerate(codes)}
    tr = np.array(sorted(labels))
    ymat = _label_matrix([labels[int(i)] for i in tr], cidx)
    single = bool((ymat.sum(axis=1) == 1).all())
    xt = x[tr]
    ey = (
        _label_matrix([[c] for c in extra_y], cidx)
        if extra_x is not None and extra_y is not None
        else None
    )
    ex = extra_x if ey is not None else None
    # cross-validated decision values -> Platt scaling + thresholds (on the training data only)
    folds = _cv_folds(ymat)
    dec_cv, have_cv = _cross_validated(xt, ymat, folds, seed, ex, ey, progress)
    slopes, intercepts, thresholds = _calibrate(dec_cv, have_cv, ymat)
    d_all = _decision(xt, ymat, x, seed, ex, ey)
    if progress:
        progress(1)
    scores = _sigmoid(d_all * slopes + intercepts)
    prior = np.ones(k)
    if single and have_cv.sum() >= 50 and balance:
        p_cv = _sigmoid(dec_cv[have_cv] * slopes + intercepts)
        prior = _balance_weights(p_cv, ymat[have_cv].argmax(axis=1))
    assigned = [
        list(labels[i])
        if i in labels
        else [
            codes[j]
            for j in _supervised_picks(scores[i], single=single, prior=prior, thresholds=thresholds)
        ]
        for i in range(n)
    ]
    for i, cs in labels.items():  # coded items keep their coding, with certainty
        scores[i] = 0.0
        for c in cs:
            scores[i, cidx[c]] = 1.0
    info: dict = {
        "trained_on": int(len(tr)),
        "cv_folds": int(folds),
        "single_label": single,
        "thresholds": {c: round(float(t), 3) for c, t in zip(codes, thresholds, strict=True)},
    }
    if single:
        info["pick_weights"] = {c: round(float(w), 3) for c, w in zip(codes, prior, strict=True)}
    method = "supervised: one-vs-rest linear SVM, Platt-calibrated, thresholds from training data"
    return Mapping(codes, scores, assigned, method, info)


def _decision(xa, ya: np.ndarray, xb, seed: int, ex=None, ey=None) -> np.ndarray:
    if ex is not None and ey is not None:
        xa = sp.vstack([xa, ex]).tocsr()
        ya = np.vstack([ya, ey])
    out = np.full((xb.shape[0], ya.shape[1]), -1.0)
    single = bool((ya.sum(axis=1) == 1).all())
    present = [j for j in range(ya.shape[1]) if ya[:, j].any()]
    if single and len(present) >= 2:
        y = ya.argmax(axis=1)
        clf = _fit(xa, y, seed)
        d = clf.decision_function(xb)
        if d.ndim == 1:  # binary case
            d = np.vstack([-d, d]).T
        for col, cls in enumerate(clf.classes_):
            out[:, int(cls)] = d[:, col]
        return out
    for j in present:
        yj = ya[:, j]
        if yj.all():
            out[:, j] = 1.0
            continue
        clf = _fit(xa, yj, seed)
        out[:, j] = clf.decision_function(xb)
    return out


def _macro_f1(y: np.ndarray, pred: np.ndarray, k: int) -> float:
    """sklearn's f1_score(average="macro"), without its checks: it runs hundreds of times in
    ``_balance_weights``, where sklearn's version would add seconds."""
    f = []
    for j in range(k):
        tp = float(((pred == j) & (y == j)).sum())
        fp = float(((pred == j) & (y != j)).sum())
        fn = float(((pred != j) & (y == j)).sum())
        if tp + fp + fn:
            f.append(2 * tp / (2 * tp + fp + fn))
    return float(np.mean(f)) if f else 0.0


def _balance_weights(p: np.ndarray, y: np.ndarray, rounds: int = 2) -> np.ndarray:
    """Per-promise weights on the scores, chosen on held-out training scores so that picking the
    best-weighted promise treats small promises as fairly as large ones (best macro-F1)."""
    k = p.shape[1]
    w = np.ones(k)
    grid = np.exp(np.linspace(-1.0, 1.0, 21))
    best = _macro_f1(y, (p * w).argmax(axis=1), k)
    for _ in range(rounds):
        for j in range(k):
            keep = w[j]
            for g in grid:
                w[j] = g
                f = _macro_f1(y, (p * w).argmax(axis=1), k)
                if f > best + 1e-9:
                    best, keep = f, g
            w[j] = keep
    return w


def _best_threshold(p: np.ndarray, y: np.ndarray) -> float:
    best_t, best_f = 0.5, -1.0
    for t in np.linspace(0.05, 0.95, 19):
        pred = p >= t
        tp = float((pred & (y == 1)).sum())
        fp = float((pred & (y == 0)).sum())
        fn = float((~pred & (y == 1)).sum())
        f = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f > best_f + 1e-9:
            best_t, best_f = float(t), f
    return best_t


def feature_matrix(
    x_tfidf: sp.csr_matrix, vecs: np.ndarray | None, weight: float = 1.0
) -> sp.csr_matrix:
    return _features(x_tfidf, vecs, weight)
