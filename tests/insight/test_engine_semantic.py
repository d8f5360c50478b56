"""The semantic engine (sentence embeddings). Skipped locally when its packages are not
installed; under CI (CI=true) `make` installs them, so their absence is a failure."""

import os

import numpy as np
import pytest

from coproduce.insight import embed
from coproduce.insight.engine import analyse
from coproduce.insight.finetune import MIN_CODED, planned_steps, tuned_vectors
from coproduce.insight.io import Promise

from .helpers import make_items

if os.environ.get("CI") == "true" and not embed.semantic_available():
    raise RuntimeError("CI: the semantic extra is not installed (make installs .[semantic])")
pytestmark = pytest.mark.skipif(not embed.semantic_available(), reason="semantic extra missing")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    import os

    old = os.environ.get("COPRODUCE_CACHE_DIR")
    os.environ["COPRODUCE_CACHE_DIR"] = str(tmp_path_factory.mktemp("emb"))
    rows = make_items(15, seed=4)
    yield [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]
    if old is None:
        os.environ.pop("COPRODUCE_CACHE_DIR", None)
    else:
        os.environ["COPRODUCE_CACHE_DIR"] = old


def test_semantic_themes_cache_and_zero_shot(data):
    ids, texts, topics = data
    first = analyse(ids, texts, engine="semantic", n_themes=3, seed=1)
    assert first["engine"] == "semantic"
    assert first["embeddings"]["computed"] > 0
    second = analyse(ids, texts, engine="semantic", n_themes=3, seed=1)
    assert second["embeddings"] == {"cached": len(texts), "computed": 0}
    assert second["themes"] == first["themes"]
    assert second["outlier_share"] < 0.10

    promises = [
        Promise("P1", "Repairs fixed quickly"),
        Promise("P2", "Quiet neighbourhoods", "Dealing with noise from neighbours"),
        Promise("P3", "Staff who listen", "Kind staff who listen to tenants"),
    ]
    code = {"repairs": "P1", "noise": "P2", "staff": "P3"}
    ids2 = ids + ["odd"]
    texts2 = texts + ["The football score was three nil"]
    d = analyse(ids2, texts2, promises=promises, engine="semantic")
    by = {it["id"]: it for it in d["items"]}
    top = [max(by[i]["scores"], key=by[i]["scores"].get) for i in ids]
    assert np.mean([t == code[g] for t, g in zip(top, topics, strict=True)]) >= 0.8
    assert by["odd"]["assigned"] == []


def test_supervised_fine_tunes_the_encoder_once_enough_items_are_coded(data):
    rows = make_items(45, seed=6)  # 135 items
    ids, texts, topics = [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]
    promises = [
        Promise("P1", "Repairs fixed quickly"),
        Promise("P2", "Quiet neighbourhoods"),
        Promise("P3", "Staff who listen"),
    ]
    code = {"repairs": "P1", "noise": "P2", "staff": "P3"}
    coded = dict(list(zip(ids, topics, strict=True))[:MIN_CODED])
    labels = {i: [code[t]] for i, t in coded.items()}
    stages = []
    d = analyse(
        ids,
        texts,
        promises=promises,
        labels=labels,
        engine="semantic",
        seed=3,
        on_stage=lambda key, message: stages.append(key),
    )
    assert stages == ["vectors", "themes", "fine-tuning", "mapping"]
    enc = d["mapping"]["encoder"]
    assert enc["fine_tuned_on"] == MIN_CODED
    assert enc["steps"] == planned_steps(MIN_CODED)
    assert enc["cached"] is False
    assert "fine-tuned" in d["mapping"]["method"]
    assert "fine-tuning" in d["timings"]
    rest = [(it, t) for it, t in zip(d["items"], topics, strict=True) if it["id"] not in labels]
    assert len(rest) == 35
    assert np.mean([code[t] in it["assigned"] for it, t in rest]) >= 0.9
    # the same coding again: the tuned vectors come from the cache and nothing changes
    again = analyse(ids, texts, promises=promises, labels=labels, engine="semantic", seed=3)
    assert again["mapping"]["encoder"] == {"fine_tuned_on": MIN_CODED, "cached": True}
    assert again["items"] == d["items"]
    # one coding fewer: below the minimum, the shared encoder is used as it is
    fewer = dict(list(labels.items())[:-1])
    d2 = analyse(ids, texts, promises=promises, labels=fewer, engine="semantic", seed=3)
    assert "encoder" not in d2["mapping"]


def test_fine_tuning_is_deterministic_and_leaves_the_shared_model_alone(data):
    ids, texts, topics = data
    base_before, _ = embed.embed_texts(texts[:5], use_cache=False)
    labels = {i: [t] for i, t in enumerate(topics)}
    codes = sorted(set(topics))
    a, _ = tuned_vectors(texts, labels, codes, seed=5, use_cache=False)
    b, _ = tuned_vectors(texts, labels, codes, seed=5, use_cache=False)
    assert np.array_equal(a, b)
    assert a.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert not np.allclose(a[:5], base_before, atol=1e-3)  # the copy did learn something
    base_after, _ = embed.embed_texts(texts[:5], use_cache=False)
    assert np.array_equal(base_before, base_after)
