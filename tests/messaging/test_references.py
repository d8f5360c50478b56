"""Reply-slip references are random, or drawn from a seeded generator when a build must repeat."""

from __future__ import annotations

import random

from coproduce.messaging import references


def test_a_seeded_generator_gives_the_same_references_and_only_inside_its_block():
    with references.drawn_from(random.Random(7)):
        first = [references.new_reference() for _ in range(5)]
    with references.drawn_from(random.Random(7)):
        again = [references.new_reference() for _ in range(5)]
    assert first == again
    assert all(references.read(references.shown(code)) == code for code in first)
    outside = {references.new_reference() for _ in range(5)}
    assert not outside & set(first)
