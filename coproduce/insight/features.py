"""Feature builders shared by theming and promise mapping (TF-IDF side)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize

TOKEN = r"(?u)\b[^\W\d_][\w']*\b"
STOP = frozenset(ENGLISH_STOP_WORDS) | {"n't", "nt", "s", "t", "don't", "didn't", "i'm", "it's"}


def word_vectorizer(n_docs: int, **kw) -> TfidfVectorizer:
    return TfidfVectorizer(
        sublinear_tf=True,
        ngram_range=(1, 2),
        min_df=2 if n_docs >= 50 else 1,
        token_pattern=TOKEN,
        lowercase=True,
        dtype=np.float32,
        **kw,
    )


def char_vectorizer(n_docs: int) -> TfidfVectorizer:
    return TfidfVectorizer(
        sublinear_tf=True,
        analyzer="char_wb",
        ngram_range=(2, 5),
        min_df=2 if n_docs >= 50 else 1,
        max_features=200_000,
        dtype=np.float32,
    )


def tfidf_matrix(texts: Sequence[str]) -> tuple[sp.csr_matrix, TfidfVectorizer, TfidfVectorizer]:
    """Word (1-2 grams) and character (2-5 grams) TF-IDF, each L2-normalised, side by side."""
    n = len(texts)
    wv = word_vectorizer(n)
    cv = char_vectorizer(n)
    try:
        xw = wv.fit_transform(texts)
    except ValueError:  # no words at all (e.g. only digits)
        wv = word_vectorizer(n, analyzer="char_wb")
        xw = wv.fit_transform(texts)
    try:
        xc = cv.fit_transform(texts)
    except ValueError:
        cv = char_vectorizer(1)
        xc = cv.fit_transform(texts)
    x = sp.hstack([xw, xc]).tocsr() * np.float32(1 / np.sqrt(2))
    return x.astype(np.float32), wv, cv


def dense_from_tfidf(x: sp.csr_matrix, dims: int = 100, seed: int = 42) -> np.ndarray:
    """Latent semantic vectors (truncated SVD), L2-normalised — the tfidf engine's 'embedding'."""
    k = int(min(dims, x.shape[0] - 1, x.shape[1] - 1))
    if k < 2:
        d = x.toarray()
        return normalize(d).astype(np.float32)
    svd = TruncatedSVD(n_components=k, random_state=seed, algorithm="randomized", n_iter=4)
    with warnings.catch_warnings():  # explained-variance ratio of degenerate tiny inputs
        warnings.simplefilter("ignore", RuntimeWarning)
        d = svd.fit_transform(x)
    return normalize(d).astype(np.float32)


_WORD_RE = re.compile(r"[^\W\d_][\w']*", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower())
