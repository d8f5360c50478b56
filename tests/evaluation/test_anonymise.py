"""Masking names and contact details in evidence, on realistic housing comments."""

from __future__ import annotations

import pytest

from coproduce.evaluation.anonymise import FIRST_NAMES, Found, Masked, mask


def masked(text: str, **kwargs) -> str:
    return mask(text, **kwargs).text


# --------------------------------------------------------------------------- contact details


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Email me at jo.bloggs+repairs@example.co.uk.", "Email me at [email]."),
        ("Contact: A.Khan@council.gov.uk", "Contact: [email]"),
        ("ring 07700 900123 after 5", "ring [phone] after 5"),
        ("ring 07700900123", "ring [phone]"),
        ("mobile +44 7700 900123", "mobile [phone]"),
        ("office +44 (0)20 7946 0958", "office [phone]"),
        ("office (0161) 496 0000", "office [phone]"),
        ("office 0161-496-0000", "office [phone]"),
        ("office 020 7946 0958.", "office [phone]."),
        ("freephone 0800 123 4567", "freephone [phone]"),
        ("landline 01632 960123", "landline [phone]"),
        ("0044 113 496 0000", "[phone]"),
    ],
)
def test_emails_and_phone_numbers(text, expected):
    assert masked(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Repair ref 12345678 raised on 01/02/2025",
        "I paid £120.50 in March 2024",
        "Job number 2024-000123",
        "Open 9am to 5pm, 0.5% rise, 3 weeks",
        "Case 0123 4",
    ],
)
def test_numbers_that_are_not_phone_numbers(text):
    assert masked(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I live in M1 1AE", "I live in [postcode]"),
        ("postcode sw1a 1aa.", "postcode [postcode]."),
        ("B15 2TT and EC1A1BB", "[postcode] and [postcode]"),
        ("Flat 3, 22 Station Road, Leeds LS1 4AP", "[address], Leeds [postcode]"),
    ],
)
def test_postcodes(text, expected):
    assert masked(text) == expected


def test_partial_postcodes_and_roads_are_not_postcodes():
    text = "The M6 was shut and the A34 too; buses in the M1 area"
    assert masked(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The damp at 14 Mill Lane is back.", "The damp at [address] is back."),
        ("Flat 3, 22 Station Road has no heating", "[address] has no heating"),
        ("moved to 7a St Mary's Rd last year", "moved to [address] last year"),
        ("Flat 12, Brunel House still has a broken lift", "[address] still has a broken lift"),
        ("at 101 Ashton-Under-Lyne Road", "at [address]"),
    ],
)
def test_street_addresses(text, expected):
    assert masked(text) == expected


def test_streets_without_numbers_and_counts_are_kept():
    text = "Station Road is noisy. 3 Weeks later 2 Repairs Officers came. Mill Lane shops."
    assert masked(text) == text


# --------------------------------------------------------------------------- names


def test_titles():
    assert masked("Mrs Patel next door has been waiting since May.") == (
        "[name] next door has been waiting since May."
    )
    assert masked("Dr Ade Okafor wrote a letter about the mould.") == (
        "[name] wrote a letter about the mould."
    )
    assert masked("mr jones at number 4 plays loud music") == "[name] at number 4 plays loud music"
    assert masked("Spoke to Mr. O'Neill and Ms McDonald-Smith.") == "Spoke to [name] and [name]."


def test_titles_do_not_swallow_ordinary_words():
    assert masked("Mr and Mrs Khan complained") == "Mr and [name] complained"
    assert masked("mr and mrs khan complained") == "mr and [name] complained"
    assert masked("I miss the old caretaker") == "I miss the old caretaker"
    assert masked("Miss Hughes from The Council") == "[name] from The Council"
    assert masked("Mrs Khan Monday morning") == "[name] Monday morning"


def test_common_first_name_with_surname():
    assert masked("Sarah Khan from the repairs team was brilliant.") == (
        "[name] from the repairs team was brilliant."
    )
    assert masked("Our housing officer Tomasz Nowak never replies.") == (
        "Our housing officer [name] never replies."
    )
    assert (
        masked("Chukwuemeka Obi and Siobhan O'Connor chaired it.")
        == "[name] and [name] chaired it."
    )
    assert masked("Mary Ann Jones came round") == "[name] came round"
    assert masked("Grace Okafor was brilliant; Rose Garden is not a person") == (
        "[name] was brilliant; Rose Garden is not a person"
    )


def test_first_names_alone_and_ordinary_capitalised_words_are_kept():
    text = (
        "Dave the caretaker is great. Great service overall. Will Council tenants get a say? "
        "Mark my words, in June and on Monday the Repairs Team came. Hope Street flats are cold. "
        "Sarah said the Housing Association would call. Grace Court needs painting."
    )
    assert masked(text) == text


def test_first_name_followed_by_organisation_words_is_kept():
    text = "Emily Housing Trust and the Sarah Street centre"
    assert masked(text) == text


def test_known_names_full_name_and_surname_any_case():
    text = "amir haddad said Haddad family upstairs leaks; HADDAD again, haddadi is someone else."
    assert masked(text, known_names=["Amir Haddad"]) == (
        "[name] said [name] family upstairs leaks; [name] again, haddadi is someone else."
    )


def test_known_names_tolerate_spacing_and_line_breaks():
    assert masked("Ask Jo\n Wright about it", known_names=["  Jo   Wright "]) == (
        "Ask [name] about it"
    )


def test_known_surnames_that_are_everyday_words():
    known = ["John Green", "Jo Hill", "Ann Smith"]
    text = "Young people play on the green up the hill. Green said so, and HILL agreed."
    assert masked(text, known_names=known) == (
        "Young people play on the green up the hill. [name] said so, and [name] agreed."
    )
    # A known surname that is the start of a street or an organisation is a place.
    assert masked("Hill Street and Green Lane and Smith Housing", known_names=known) == (
        "Hill Street and Green Lane and Smith Housing"
    )
    assert masked("smith next door", known_names=known) == "[name] next door"


def test_keep_protects_the_organisation_and_estate_names():
    text = "Jessica Lloyd Homes repaired the roof at Victoria Gardens."
    assert masked(text, keep=["Jessica Lloyd Homes"]) == text
    assert masked(text) == "[name] Homes repaired the roof at Victoria Gardens."


# --------------------------------------------------------------------------- realistic comments

COMMENTS = [
    (
        "Reported the leak 3 times. The contractor from Mears said he'd come back Tuesday and "
        "never did. Call me on 07911 123456.",
        "Reported the leak 3 times. The contractor from Mears said he'd come back Tuesday and "
        "never did. Call me on [phone].",
    ),
    (
        "The family at 22 Oak Avenue have been dealing drugs, ASB team know. Mrs Ahmed at number "
        "24 is scared to go out.",
        "The family at [address] have been dealing drugs, ASB team know. [name] at number "
        "24 is scared to go out.",
    ),
    (
        "Damp and mould in the bedroom since January. Kelly Hughes came out and was lovely but "
        "nothing happened. Email kel.h@hotmail.co.uk",
        "Damp and mould in the bedroom since January. [name] came out and was lovely but "
        "nothing happened. Email [email]",
    ),
    (
        "Communal areas in Brunel House are filthy. The Council and the housing association keep "
        "blaming each other.",
        "Communal areas in Brunel House are filthy. The Council and the housing association keep "
        "blaming each other.",
    ),
    (
        "Very satisfied. Neighbours are friendly, Ian upstairs helps with my shopping.",
        "Very satisfied. Neighbours are friendly, Ian upstairs helps with my shopping.",
    ),
]


@pytest.mark.parametrize(("text", "expected"), COMMENTS)
def test_realistic_comments(text, expected):
    assert masked(text) == expected


def test_found_reports_original_positions():
    text = "Mrs Patel, 14 Mill Lane, M1 1AE, 07700 900123, p@x.org"
    result = mask(text)
    assert isinstance(result, Masked) and result.changed
    assert result.text == "[name], [address], [postcode], [phone], [email]"
    assert [(item.kind, item.original) for item in result.found] == [
        ("name", "Mrs Patel"),
        ("address", "14 Mill Lane"),
        ("postcode", "M1 1AE"),
        ("phone", "07700 900123"),
        ("email", "p@x.org"),
    ]
    for item in result.found:
        assert text[item.start : item.end] == item.original
    assert result.found[0] == Found("name", "Mrs Patel", 0, 9)


def test_nothing_found():
    result = mask("The lift has been broken for a week.")
    assert result.found == [] and not result.changed


@pytest.mark.parametrize("text", [text for text, _ in COMMENTS])
def test_masking_is_idempotent_and_deterministic(text):
    known = ["Kelly Hughes", "Name Person", "Email Address"]
    once = mask(text, known_names=known)
    assert mask(text, known_names=known) == once
    again = mask(once.text, known_names=known)
    assert again.text == once.text and again.found == []


def test_placeholders_are_never_masked_even_if_a_known_name_matches_them():
    assert masked("[name] and [email]", known_names=["Name", "Jo Name", "Jo Email"]) == (
        "[name] and [email]"
    )


def test_first_name_list_is_sizeable_and_excludes_ambiguous_words():
    assert len(FIRST_NAMES) >= 300
    assert {"sarah", "mohammed", "siobhan", "tomasz", "chukwuemeka", "priya"} <= FIRST_NAMES
    assert not {"will", "may", "june", "april", "mark", "bill", "summer"} & FIRST_NAMES


def test_text_must_be_a_string():
    with pytest.raises(TypeError):
        mask(None)  # type: ignore[arg-type]


def test_known_names_with_possessives_and_apostrophes():
    known = ["Mary O'Neill", "Amir Haddad"]
    assert masked("Amir Haddad's flat and O'Neill's garden", known_names=known) == (
        "[name]'s flat and [name]'s garden"
    )
    assert masked("mary o'neill rang", known_names=known) == "[name] rang"


def test_many_known_names_stay_fast():
    import time

    known = [f"Person{number} Surname{number}" for number in range(5000)] + ["Amir Haddad"]
    text = "The repairs team came on Monday but Haddad upstairs still has no heating. " * 10
    mask(text, known_names=known)  # builds the lookups once
    started = time.perf_counter()
    for _ in range(50):
        result = mask(text, known_names=known)
    assert (time.perf_counter() - started) / 50 < 0.05
    assert result.text.count("[name]") == 10
