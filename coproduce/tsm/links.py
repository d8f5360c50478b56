"""Which Tenant Satisfaction Measures speak to a customer promise, from the promise's words.

The health check shows evaluators the measures beside each promise they judge. Promises are
written by tenants in their own words, so the link is made by the words each measure is about
(a promise about listening meets TP06; one about repairs meets TP02, TP03 and RP02), in the
order of the list below. It is a pointer to evidence, never a judgement: the evaluators decide.
"""

from __future__ import annotations

import re

# (word stems, measures). A stem matches at the start of a word.
TOPICS: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (("listen", "views", "act on", "hear", "influence"), ("TP06",)),
    (("inform", "tell", "communicat", "update"), ("TP07",)),
    (("fair", "respect", "dignity", "courtesy"), ("TP08",)),
    (("complain", "put it right", "put things right", "sorry"), ("TP09", "CH01", "CH02")),
    (("safe", "gas", "fire"), ("TP05", "BS01", "BS02", "BS03", "BS04", "BS05")),
    (("repair", "fix"), ("TP02", "TP03", "RP02")),
    (("maintain", "maintenance", "warm", "damp", "decent", "condition"), ("TP04", "RP01")),
    (("communal", "clean"), ("TP10",)),
    (("neighbourhood", "communit", "estate", "area"), ("TP11",)),
    (("anti-social", "antisocial", "nuisance", "asb"), ("TP12", "NM01")),
]


def measures_for(*texts: str) -> list[str]:
    """The measures a promise's words touch, in a fixed order, each once; TP01 never (it is
    about everything)."""
    words = " ".join(texts).lower()
    found: list[str] = []
    for stems, codes in TOPICS:
        if any(re.search(r"\b" + re.escape(stem), words) for stem in stems):
            found += [code for code in codes if code not in found]
    return found
