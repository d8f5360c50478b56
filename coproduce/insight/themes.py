"""Themes: cluster item vectors, label each theme in plain words, pick varied quotes."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.cluster import KMeans
from sklearn.preprocessing import normalize

from .features import STOP

# Words that carry meaning in feedback even though generic stop-word lists drop them.
KEEP = {
    "no",
    "not",
    "nothing",
    "never",
    "none",
    "nobody",
    "cannot",
    "without",
    "too",
    "more",
    "less",
}
STOPWORDS = frozenset(w for w in STOP if w not in KEEP) | {
    "very",
    "really",
    "just",
    "also",
    "got",
    "get",
    "would",
    "could",
    "much",
    "lot",
    "etc",
}
_CLAUSE_SPLIT = re.compile(r"[.!?;:\n\r,()\[\]\"/]+|\s-\s|\bbut\b|\bhowever\b|\balthough\b", re.I)
_WORD = re.compile(r"[^\W\d_][\w']*", re.UNICODE)


@dataclass
class Theme:
    id: str
    label: str
    keywords: list[str]
    members: list[int]
    quotes: list[int]
    centroid: np.ndarray = field(repr=False)


@dataclass
class ThemeResult:
    themes: list[Theme]
    assignment: list[int | None]  # index into themes, or None (left out)
    k_chosen: int


def auto_k(n: int) -> int:
    """Default number of themes: grows with the square root of the number of items.

    ~4 themes for 100 items, ~9 for 500, ~18 for 2,000, ~41 for 10,000; never more than 50.
    """
    if n < 6:
        return 1
    return int(min(50, max(2, round(math.sqrt(n / 6)))))


def _knn_smooth(v: np.ndarray, k: int = 15, block: int = 2048) -> np.ndarray:
    """Replace each vector by the mean of itself and its nearest neighbours (denoises clusters)."""
    n = len(v)
    k = min(k, n)
    if k <= 1:
        return v
    try:  # torch (present with the semantic engine) finds top-k far faster than numpy
        import torch

        tv = torch.from_numpy(np.ascontiguousarray(v, dtype=np.float32))

        def topk(a: int, b: int) -> np.ndarray:
            return torch.topk(tv[a:b] @ tv.T, k, dim=1).indices.numpy()

    except Exception:  # pragma: no cover - tfidf-only installs

        def topk(a: int, b: int) -> np.ndarray:
            return np.argpartition(-(v[a:b] @ v.T), k - 1, axis=1)[:, :k]

    out = np.empty_like(v)
    for s in range(0, n, block):
        idx = topk(s, min(n, s + block))
        out[s : s + block] = v[idx].mean(axis=1)
    return normalize(out)


# What masking leaves in place of a person's details: the tokens of evaluation/anonymise.py
# ("[name]", "[phone]" …; insight may not import from the apps) and the
# "xxxx" or "XXX" that survey exports often use. Never part of a label.
_MASK = re.compile(r"\[(?:name|email|phone|postcode|address)\]|\b[xX]{3,}\b")


def _clauses(text: str) -> list[str]:
    parts = [p.strip(" '-*_&") for p in _CLAUSE_SPLIT.split(_MASK.sub(".", text))]
    return [p for p in parts if p]


def _names_someone(raw_words: list[str], lower_seen: set[str]) -> bool:
    """True when the clause has a capitalised word that is never written in lower case in the
    theme's comments (other than "I"): most likely a person's name, so not used as a label."""
    me = {"I", "I'm", "I've", "I'd", "I'll"}
    return any(
        w[0].isupper() and w not in me and w.lower() not in lower_seen and w.lower() not in STOP
        for w in raw_words
    )


def _content(ws: Sequence[str]) -> list[str]:
    return [w for w in ws if w not in STOPWORDS and len(w) > 1]


def _ctfidf(docs_tokens: list[list[str]], assign: np.ndarray, k: int) -> list[dict[str, float]]:
    """Class-based TF-IDF (as in BERTopic): words frequent in a theme but rare across themes."""
    per: list[Counter] = [Counter() for _ in range(k)]
    for toks, a in zip(docs_tokens, assign, strict=True):
        if a < 0:
            continue
        c = per[a]
        c.update(set(toks))
        bigrams = {f"{x} {y}" for x, y in zip(toks, toks[1:], strict=False)}
        c.update(bigrams)
    total: Counter = Counter()
    for c in per:
        total.update(c)
    avg = sum(sum(c.values()) for c in per) / max(1, k)
    out = []
    for c in per:
        size = sum(c.values()) or 1
        scores = {}
        for w, f in c.items():
            if f < 2 and size > 20:
                continue
            scores[w] = (f / size) * math.log(1 + avg / total[w])
        out.append(scores)
    return out


def _keywords(scores: dict[str, float], n: int = 6) -> list[str]:
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    out: list[str] = []
    for w, _ in ranked:
        if any(w in o.split() or o in w.split() for o in out if " " in o or " " in w):
            continue
        if w in out:
            continue
        out.append(w)
        if len(out) == n:
            break
    return out


def _label(
    central_texts: list[str],
    scores: dict[str, float],
    keywords: list[str],
    lower_seen: set[str] | None = None,
    taken: frozenset[str] | set[str] = frozenset(),
) -> str:
    """The short phrase that best sums up the theme, taken from its own central comments.

    taken: labels other themes already have; the theme gets its next-best phrase instead."""
    if not scores:
        return "other comments"
    top = max(scores.values()) or 1.0
    uni = {w: s / top for w, s in scores.items() if " " not in w}
    cands: Counter = Counter()
    if lower_seen is None:
        lower_seen = {w for t in central_texts for w in _WORD.findall(t) if w.islower()}
    for t in central_texts:
        for cl in _clauses(t):
            raw = _WORD.findall(cl)
            ws = [w.lower() for w in raw]
            if not ws or len(ws) > 8:
                continue
            if _names_someone(raw, lower_seen):
                continue  # labels never carry people's names
            key = " ".join(ws)
            cands[key] += 1
    best, best_s = None, -1.0
    n = max(1, len(central_texts))
    for key, cnt in cands.items():
        ws = key.split()
        cont = set(_content(ws))
        if not cont or _capital_i(key) in taken:
            continue
        kw = sum(uni.get(w, 0.0) for w in cont)
        length_pen = 1.0 + 0.25 * max(0, len(ws) - 5)
        if len(ws) == 1:
            length_pen *= 1.5
        s = (kw + 1.5 * cnt / n * len(cont)) / length_pen
        if s > best_s or (s == best_s and best is not None and key < best):
            best, best_s = key, s
    if best is None or best_s <= 0.05:
        kws = [k for k in keywords[:3]]
        if not kws:
            return "other comments"
        return "about " + (", ".join(kws[:-1]) + " and " + kws[-1] if len(kws) > 1 else kws[0])
    return _capital_i(best)


_LONE_I = re.compile(r"\bi(?=$|\s|'(?:m|ve|d|ll)\b)")


def _capital_i(label: str) -> str:
    """Labels are lower case, but "I" stays a capital: "I feel like nobody listens"."""
    return _LONE_I.sub("I", label)


def _quotes(idx: np.ndarray, sims: np.ndarray, vecs: np.ndarray, texts: Sequence[str], n: int = 5):
    """Representative and varied: close to the theme's centre, not near-duplicates of each other."""
    order = idx[np.argsort(-sims, kind="stable")][:60]
    chosen: list[int] = []
    seen_txt: set[str] = set()
    sim_map = dict(zip(idx.tolist(), sims.tolist(), strict=True))
    while len(chosen) < n:
        best, best_s = None, -9.0
        for i in order:
            i = int(i)
            if i in chosen:
                continue
            norm = " ".join(_WORD.findall(texts[i].lower()))
            if norm in seen_txt:
                continue
            red = max((float(vecs[i] @ vecs[j]) for j in chosen), default=0.0)
            nw = len(norm.split())
            brevity = 0.05 if nw < 3 or nw > 60 else 0.0  # very short or very long quotes say less
            s = 0.7 * sim_map[i] - 0.3 * red - brevity
            if s > best_s:
                best, best_s = i, s
        if best is None:
            break
        chosen.append(best)
        seen_txt.add(" ".join(_WORD.findall(texts[best].lower())))
    return chosen


def _unique_texts(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Identical comments ("Nothing.", "No") are clustered once, weighted by how often they
    occur. Returns (first item of each distinct text, each item's distinct text, weights)."""
    n = len(texts)
    first: dict[str, int] = {}
    inverse = np.empty(n, dtype=int)
    for i, t in enumerate(texts):
        inverse[i] = first.setdefault(" ".join(t.lower().split()), len(first))
    uidx = np.empty(len(first), dtype=int)
    seen_u: set[int] = set()
    for i in range(n):
        j = int(inverse[i])
        if j not in seen_u:
            seen_u.add(j)
            uidx[j] = i
    weights = np.bincount(inverse, minlength=len(uidx)).astype(np.float64)
    return uidx, inverse, weights


def _cluster(v: np.ndarray, texts: Sequence[str], k: int, seed: int) -> tuple[np.ndarray, int]:
    """Each item's cluster (k-means on the distinct texts, smoothed by their neighbours when
    there are enough), and the number of clusters (no more than the distinct texts)."""
    uidx, inverse, weights = _unique_texts(texts)
    vu = v[uidx]
    k = max(1, min(k, len(uidx)))
    nu = len(uidx)
    feat = _knn_smooth(vu, k=int(np.clip(nu / 200, 3, 15))) if nu >= 40 else vu
    if k == 1:
        return np.zeros(len(texts), dtype=int), k
    km = KMeans(n_clusters=k, n_init=1, random_state=seed)
    return km.fit_predict(feat.astype(np.float64), sample_weight=weights)[inverse], k


def _centroids(v: np.ndarray, assign: np.ndarray, k: int) -> np.ndarray:
    """Cluster centres in the original (unsmoothed) space, L2-normalised."""
    cents = np.zeros((k, v.shape[1]), dtype=np.float32)
    for c in range(k):
        m = assign == c
        if m.any():
            cents[c] = v[m].mean(axis=0)
    return normalize(cents)


def _left_out(
    sims: np.ndarray, assign: np.ndarray, k: int, *, outlier_share: float, min_size: int
) -> np.ndarray:
    """Items left out of every theme: the share least like their theme, and the members of
    themes smaller than ``min_size`` (only from 20 items up)."""
    n = len(assign)
    left_out = np.zeros(n, dtype=bool)
    if n >= 20 and outlier_share > 0:
        cut = np.quantile(sims, outlier_share)
        left_out |= sims < cut
    sizes = Counter(assign[~left_out].tolist())
    small = [c for c in range(k) if sizes.get(c, 0) < min_size] if n >= 20 else []
    for c in small:
        left_out |= assign == c
    return left_out


def _by_size(a: np.ndarray, k: int) -> tuple[np.ndarray, dict[int, int]]:
    """Number the themes left largest first (-1 stays left out); returns the new numbers and
    old -> new."""
    live = [c for c in range(k) if (a == c).any()]
    remap = {c: j for j, c in enumerate(sorted(live, key=lambda c: (-(a == c).sum(), c)))}
    return np.array([remap.get(int(x), -1) if x >= 0 else -1 for x in a]), remap


def _describe(
    a2: np.ndarray, centres: list[np.ndarray], v: np.ndarray, texts: Sequence[str]
) -> list[Theme]:
    """Each theme's keywords, a label no other theme has, and representative quotes."""
    toks = [
        [w for w in _WORD.findall(t.lower()) if w not in STOPWORDS and len(w) > 1] for t in texts
    ]
    scores = _ctfidf(toks, a2, len(centres))
    lower_seen = {w for t in texts for w in _WORD.findall(t) if w.islower()}
    themes: list[Theme] = []
    used_labels: set[str] = set()
    for j, cen in enumerate(centres):
        idx = np.where(a2 == j)[0]
        s = v[idx] @ cen
        kws = _keywords(scores[j])
        central = [texts[i] for i in idx[np.argsort(-s, kind="stable")][:40]]
        label = _label(central, scores[j], kws, lower_seen, taken=used_labels)
        if label in used_labels:  # no other phrase fits: tell them apart by a keyword
            extra = next((w for w in kws if w not in label), None)
            label = f"{label} ({extra})" if extra else f"{label} ({j + 1})"
        used_labels.add(label)
        q = _quotes(idx, s, v, texts, n=5)
        themes.append(Theme(f"t{j + 1}", label, kws, idx.tolist(), q, cen))
    return themes


def find_themes(
    vecs: np.ndarray,
    texts: Sequence[str],
    *,
    n_themes: int | None = None,
    seed: int = 42,
    outlier_share: float = 0.05,
    min_size: int | None = None,
) -> ThemeResult:
    """Group items into themes.

    vecs: L2-normalised item vectors (sentence embeddings or TF-IDF latent vectors).
    n_themes: fixed number of themes, or None to choose automatically.
    outlier_share: at most this share of items, the least like their theme, is left out.
    """
    n = len(texts)
    if n == 0:
        return ThemeResult([], [], 0)
    v = normalize(vecs - vecs.mean(axis=0)) if n > 2 else normalize(vecs)
    v = v.astype(np.float32)
    k = n_themes if n_themes else auto_k(n)
    assign, k = _cluster(v, texts, max(1, min(k, n)), seed)
    cents = _centroids(v, assign, k)
    sims = np.einsum("ij,ij->i", v, cents[assign])
    left_out = _left_out(
        sims,
        assign,
        k,
        outlier_share=outlier_share,
        min_size=min_size if min_size is not None else max(3, int(0.002 * n)),
    )
    a2, remap = _by_size(np.where(left_out, -1, assign), k)
    old_of = {j: c for c, j in remap.items()}
    themes = _describe(a2, [cents[old_of[j]] for j in range(len(remap))], v, texts)
    assignment = [int(x) if x >= 0 else None for x in a2]
    return ThemeResult(themes, assignment, k)
