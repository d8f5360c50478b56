"""Code these next: the active-learning selector, the light model and the agreement figures."""

import sys

import numpy as np
import pytest

from coproduce.insight import active, embed
from coproduce.insight.engine import analyse, resolve_engine
from coproduce.insight.features import dense_from_tfidf, tfidf_matrix

from .helpers import make_items

CODES = ["P1", "P2", "P3"]
TOPIC_CODE = {"repairs": "P1", "noise": "P2", "staff": "P3"}


def _data(per_topic=20, seed=0):
    rows = make_items(per_topic, seed)
    texts = [r[1] for r in rows]
    truth = [TOPIC_CODE[r[2]] for r in rows]
    x, _, _ = tfidf_matrix(texts)
    vecs = dense_from_tfidf(x, dims=20, seed=1)
    return texts, truth, x, vecs


def _coded(truth, idx):
    return {i: [truth[i]] for i in idx}


def test_suggestions_never_include_an_item_coded_by_a_person():
    texts, truth, x, vecs = _data()
    labels = _coded(truth, range(0, len(texts), 2))  # half of them coded
    scores = active.light_scores(active.features(x, vecs), CODES, labels)
    picked = active.suggest(scores, CODES, labels, vecs, n=20, seed=3)
    assert len(picked) == 20
    assert not {s.index for s in picked} & set(labels)
    assert len({s.index for s in picked}) == 20  # no passage twice
    # when fewer passages are left than asked for, it offers only those
    labels = _coded(truth, range(len(texts) - 5))
    picked = active.suggest(np.zeros((len(texts), 3)), CODES, labels, vecs, n=20, seed=3)
    assert sorted(s.index for s in picked) == list(range(len(texts) - 5, len(texts)))
    everything = _coded(truth, range(len(texts)))
    assert active.suggest(np.zeros((len(texts), 3)), CODES, everything, vecs) == []


def test_suggestions_are_deterministic_for_a_seed():
    texts, truth, x, vecs = _data()
    labels = _coded(truth, [0, 1, 2, 30, 31, 45])
    scores = active.light_scores(active.features(x, vecs), CODES, labels, seed=5)
    a = active.suggest(scores, CODES, labels, vecs, n=15, seed=7)
    b = active.suggest(scores.copy(), CODES, dict(labels), vecs.copy(), n=15, seed=7)
    assert a == b
    # with ties everywhere (nothing learned, no vectors) the seed decides, the same way each time
    flat = np.full((len(texts), 3), 0.5)
    c = [s.index for s in active.suggest(flat, CODES, {}, None, n=10, seed=1)]
    assert c == [s.index for s in active.suggest(flat, CODES, {}, None, n=10, seed=1)]
    assert c != [s.index for s in active.suggest(flat, CODES, {}, None, n=10, seed=2)]


def test_every_promise_with_fewer_than_five_codings_is_covered():
    texts, truth, x, vecs = _data()
    # P1 well coded; P2 has 4 codings, P3 none
    p1 = [i for i, t in enumerate(truth) if t == "P1"][:8]
    p2 = [i for i, t in enumerate(truth) if t == "P2"][:4]
    labels = _coded(truth, p1 + p2)
    scores = active.light_scores(active.features(x, vecs), CODES, labels)
    scores[:, 2] = np.linspace(0.1, 0.2, len(texts))  # P3 never coded: the last passage likeliest
    picked = active.suggest(scores, CODES, labels, vecs, n=10, seed=1)
    few = [s.index for s in picked if s.reason == "few"]
    assert len(few) == 2  # one for P3 (no codings), one for P2 (four)
    assert few[0] == len(texts) - 1  # fewest codings first: P3's likeliest passage
    free = [i for i in range(len(texts)) if i not in labels and i != few[0]]
    assert scores[few[1], 1] == max(scores[i, 1] for i in free)  # P2's likeliest of the rest
    # with five codings P2 is no longer covered on purpose
    p2five = [i for i, t in enumerate(truth) if t == "P2"][:5]
    picked = active.suggest(scores, CODES, _coded(truth, p1 + p2five), vecs, n=10, seed=1)
    assert [s.index for s in picked if s.reason == "few"] == [len(texts) - 1]


def test_coverage_uses_the_likeliest_passage_per_promise():
    scores = np.array([[0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.6, 0.4]])
    picked = active.suggest(scores, ["A", "B"], {}, None, n=2, seed=0)
    assert sorted((s.index, s.reason) for s in picked) == [(0, "few"), (1, "few")]


def test_uncertain_passages_come_first_once_promises_are_covered():
    scores = np.array([[0.95, 0.05], [0.52, 0.48], [0.1, 0.9], [0.7, 0.3]])
    big = np.vstack([scores, np.tile([[0.99, 0.01], [0.01, 0.99]], (5, 1))])
    coded = {4 + k: ["A" if k % 2 == 0 else "B"] for k in range(10)}  # five each
    picked = active.suggest(big, ["A", "B"], coded, None, n=2, seed=0)
    assert [(s.index, s.reason) for s in picked] == [(1, "unsure"), (3, "unsure")]


def test_agreement_is_cross_validated_and_flags_promises_with_few_codings():
    texts, truth, x, vecs = _data(per_topic=20)
    feats = active.features(x, vecs)
    p3 = [i for i, t in enumerate(truth) if t == "P3"][:3]
    labels = _coded(truth, [i for i, t in enumerate(truth) if t != "P3"] + p3)
    out = {a.code: a for a in active.agreement(feats, CODES, labels, seed=1)}
    assert out["P1"].coded == 20 and out["P1"].tested == 20 and out["P1"].enough
    assert out["P1"].agreed >= 16  # the topics are easy to tell apart
    assert out["P3"].coded == 3 and not out["P3"].enough
    # a model that saw the passage would agree every time; held out, a planted wrong coding
    # is not agreed with
    wrong = dict(labels)
    first_p1 = next(i for i, t in enumerate(truth) if t == "P1")
    wrong[first_p1] = ["P2"]
    out2 = {a.code: a for a in active.agreement(feats, CODES, wrong, seed=1)}
    assert out2["P2"].agreed < out2["P2"].tested


def test_moved_counts_passages_whose_best_promise_changed():
    assert active.moved({1: "A", 2: "B", 3: "A"}, {1: "A", 2: "A", 3: "B", 4: "B"}) == 2
    assert active.moved({}, {1: "A"}) == 0


def test_works_with_the_tfidf_engine_when_the_semantic_extra_is_missing(monkeypatch):
    # the semantic packages cannot be imported: the engine falls back to tfidf
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    assert not embed.semantic_available()
    assert resolve_engine("auto") == "tfidf"
    rows = make_items(15, 2)
    ids = [r[0] for r in rows]
    texts = [r[1] for r in rows]
    from coproduce.insight.io import Promise

    promises = [
        Promise("P1", "Repairs fixed quickly", "We mend repairs like boilers and windows fast"),
        Promise("P2", "Quiet homes", "We act on noise and noisy neighbours at night"),
        Promise("P3", "Staff who listen", "Our staff are kind and listen to tenants"),
    ]
    labels = {ids[0]: ["P1"], ids[20]: ["P2"]}
    d = analyse(ids, texts, promises=promises, labels=labels, engine="auto", n_themes=2)
    assert d["engine"] == "tfidf"
    scores = np.array([[it["scores"][c] for c in CODES] for it in d["items"]])
    x, _, _ = tfidf_matrix(texts)
    vecs = dense_from_tfidf(x, dims=20, seed=1)
    picked = active.suggest(scores, CODES, {0: ["P1"], 20: ["P2"]}, vecs, n=12, seed=4)
    assert len(picked) == 12 and not {0, 20} & {s.index for s in picked}
    assert sum(s.reason == "few" for s in picked) == 3  # every promise has under five codings


@pytest.mark.parametrize("n", [0, 1])
def test_tiny_inputs(n):
    scores = np.zeros((n, 2))
    assert len(active.suggest(scores, ["A", "B"], {}, None, n=5)) == n


def test_with_few_codings_the_batch_takes_typical_passages_of_uncoded_groups():
    texts, truth, x, vecs = _data()
    # every promise already has five codings, so nothing is chosen for coverage
    labels = _coded(
        truth, [i for c in CODES for i in [j for j, t in enumerate(truth) if t == c][:5]]
    )
    scores = active.light_scores(active.features(x, vecs), CODES, labels)
    picked = active.suggest(scores, CODES, labels, vecs, n=10, seed=4)
    assert {s.reason for s in picked} <= {"typical", "unsure", "new"}
    typical = [s.index for s in picked if s.reason == "typical"]
    assert typical and not set(typical) & set(labels)
    assert typical == [
        s.index
        for s in active.suggest(scores, CODES, labels, vecs, n=10, seed=4)
        if s.reason == "typical"
    ]
    # once enough is coded, typicality gives way to doubt and novelty
    later = active.suggest(scores, CODES, labels, vecs, n=10, seed=4, typical_until=len(labels))
    assert "typical" not in {s.reason for s in later}
