"""Mask names and contact details in evidence text: pure Python, no Django.

`mask(text, known_names=..., keep=...)` finds and replaces, in this order of precedence:

* email addresses -> "[email]"
* UK phone numbers (landline, mobile, freephone; spaces, hyphens, brackets, +44) -> "[phone]"
* UK postcodes (full postcodes only, any case) -> "[postcode]"
* street addresses: "14 Mill Lane", "22a Station Rd", "Flat 3, 22 Station Road",
  "Flat 12, Brunel House" -> "[address]"
* people's names -> "[name]":
  - the `known_names` (e.g. the people held in the system): the full name anywhere, in any
    case; the surname on its own in any case, except surnames that are also everyday words
    ("Green", "Hill", "Young"), which are masked only when written with a capital;
  - a title and what follows: "Mrs Patel", "Dr Ade Okafor", "mr jones";
  - a common UK first name (the list below) followed by a capitalised surname: "Sarah Khan".

It is deliberately cautious about ordinary capitalised words: sentence starts, months, days,
organisation words ("Council", "Housing", "Repairs Team") and the phrases in `keep` (the
organisation's name, estate names) are never masked. A first name on its own ("Dave was
great") is not masked unless it is part of a known full name that appears in full.

Masking is deterministic and idempotent: masking masked text changes nothing, because the
placeholders are never matched. `Found.start`/`end` are positions in the ORIGINAL text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["FIRST_NAMES", "PLACEHOLDERS", "Found", "Masked", "mask"]


@dataclass(frozen=True)
class Found:
    kind: str  # "email", "phone", "postcode", "address" or "name"
    original: str
    start: int  # position in the original text
    end: int


@dataclass(frozen=True)
class Masked:
    text: str
    found: list[Found]

    @property
    def changed(self) -> bool:
        return bool(self.found)


PLACEHOLDERS = {
    "email": "[email]",
    "phone": "[phone]",
    "postcode": "[postcode]",
    "address": "[address]",
    "name": "[name]",
}
_PLACEHOLDER = re.compile(r"\[(?:email|phone|postcode|address|name)\]")

# A few hundred common first names in the UK, across its communities. Names that are also
# months or everyday verbs (May, June, April, August, Will, Mark, Bill, Rob, Sue, Pat, Art,
# Drew, Chase) or seasons and weather (Summer, Autumn, Sky) are left out on purpose: "Will
# Council tenants..." must not become a name. Known names and titles still catch them. Names
# that are also nouns (Grace, Hope, Rose, Holly) are in: a capitalised word must follow, and
# place and organisation words ("Hope Street", "Grace Court") never count as a surname.
FIRST_NAMES = frozenset(
    """
    aaliyah aaron abdul abdullah abdi abigail adam adaeze adebayo adele adrian ahmed aidan
    aiden aisha alan albert alex alexander alexandra ali alice alison amanda amara amber amelia
    amina amir amit amy ana andrea andrew andrzej angela anil anita ann anna anne annie anthony
    anjali arjun arthur asha ashley asif aysha ayesha barbara barry beata ben benjamin bernard
    beth bethan bethany beverley bilal brandon brenda brian bronwen bryony callum cameron carl
    carla carol caroline catherine cerys charles charlie charlotte chenai chi chloe chris
    christine christopher chukwuemeka ciara ciaran claire colin connor craig dafydd daniel
    danielle darren david dawit dean debbie deborah declan deepak denise dennis derek
    devon dominika donna dorothy duncan dylan eilidh eileen elaine eleanor elizabeth ella ellie
    emily emma eoin eric erin ethan eve evie fatima fatuma fergus finley fiona francesca
    freya gareth gary gavin gemma george georgia geraint gillian gordon graham gurpreet hamza
    hannah harjit harpreet harriet harry hassan hayley heather helen hollie hussein ian
    ibrahim imran iona isaac isabel isabella isla ismail jacob jade jake james jamie jan jane
    janet janice jasmine jason jayden jennifer jessica jiayi joanne joe joel john jonathan
    joseph josh joshua joyce judith julie kamal karen karim kasia katarzyna kate katie kayleigh
    keith kelly kerry kevin khadija kieran kirsty krzysztof kwame kyle laura lauren leah lee
    leon leroy lesley lewis liam lily lindsay lisa liz lloyd logan lorraine louis louise lucy
    luke lynne magdalena mahmoud malcolm mandeep manpreet marcus margaret maria mariam marie
    marek marta martin mary mason matthew megan mehmet melanie michael michelle mohamed mohammad
    mohammed mohammed monika morgan muhammad mustafa nadia naomi natalie nathan neil niamh
    nicola nicole nikhil noah noor norman oliver olivia oluwaseun omar oscar owen paige pamela
    patricia patrick paul pauline peter philip piotr precious priya rachel rahul rajesh
    ravinder rebecca rhiannon rhys richard rizwan robert robyn roisin ronan ross ruby rukhsana
    ruth ryan sadia saima sajid salma samantha samir samuel sana sandra sara sarah scott
    sean seren shabana shane shannon sharon shauna shazia sheila shirley simon sinead siobhan
    sophie stacey stephen steven stuart sunita susan suzanne tariq teresa terry thomas tina
    tomasz tony tracey tracy tyler valerie vanessa victoria vikram wayne wendy william yasmin
    yusuf zainab zara zoe zofia zuzanna abena akua kofi yaw efua olumide tunde funmilayo
    ngozi emeka chidi obinna segun temitope yetunde delroy winston marcia hyacinth errol
    desmond clive beverly maxine lorna junior lamar tyrone shanice jermaine wei li ying mei
    xin hui jun hao ling siew fai kam daljit balvinder jaspreet kuldeep parminder sukhvinder
    rupinder shahid nasreen parveen farida farah hina iqbal javed khalid nasir rashid shafiq
    zubair zahra layla leila hamid reza mehdi dariusz pawel agnieszka joanna ewa kinga natalia
    oksana olena ivan dmitri sergei mihai andrei ionut elena ioana bogdan vasile giorgos
    nikos sofia mario giuseppe francesca luca matteo jose carlos miguel juan luis sofia
    lucia ana pedro joao rui ines abdirahman abdullahi hodan hawa faisa ifrah sahra ayan
    liban mohamud yusra nimo saeed ahmad barbara brendan bridget colm dermot fionnuala grainne
    kathleen maeve padraig seamus sorcha una aled alun carys dewi emyr gwen gwyneth huw ieuan
    iwan llinos meinir owain rhodri sian tomos ailsa angus catriona ewan fraser hamish innes
    kirsteen morag murdo rory shona struan grace hope faith joy rose ivy holly dawn
    """.split()
)

# Capitalised words that are never a surname after a first name, nor a name after a title.
_NOT_NAMES = frozenset(
    """
    i a an the and or but of to in on at by for from with without about after before into
    is was are were be been has had have will would can could should may might must not no
    yes it he she they we you this that these those there here then than so if as my your
    our their his her its me him us them who what when where why how which all any some
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs
    fri sat sun january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec christmas easter eid diwali
    council councillor housing homes home association trust group team teams officer officers
    manager managers service services department dept board panel committee forum estate
    estates centre center office repairs repair maintenance contractor contractors ltd
    limited plc cic uk nhs gp police fire ambulance hospital surgery school college university
    church mosque temple library road rd street st lane ln avenue ave close drive court ct
    way crescent place terrace grove gardens walk row square hill mews view rise green parade
    vale wharf yard boulevard house tower towers heights point buildings lodge block flat
    flats park north south east west upper lower new old great little community tenant
    tenants resident residents landlord customer customers scheme project projects
    partnership foundation network programme centre hub health care support advice garden
    """.split()
)

# Surnames that are also everyday words: a known surname on its own is masked in lower case
# ("smith next door") but these only when written with a capital ("Green said...").
_WORD_SURNAMES = frozenset(
    """
    green brown white black grey gray young long short hall wood woods king hill hills lane
    wall walls rose bell moss fox bird baker cook page field fields little rich strong sharp
    best hope joy may day night march price cross church chapel ford banks bank brook brooks
    stone rock marsh lake pool waters north south east west bush park parks street sweet love
    good hart heart low land lamb rice sands small summer summers winter winters house
    english french welsh wise free mills power grant wells well hay glass may cash chance
    """.split()
)

_TITLE_WORDS = ("mr", "mrs", "ms", "miss", "mx", "dr")
_STREET_SUFFIXES = (
    "Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Cl|Drive|Court|Ct|Way|Crescent|Cres|Place|Pl"
    "|Terrace|Tce|Grove|Gardens|Gdns|Walk|Row|Square|Sq|Hill|Mews|View|Rise|Green|Parade"
    "|Vale|Wharf|Yard|Boulevard|Gate|Croft|Fold|Brow|Wynd|Vennel|Chase|Park"
)
_BUILDING_SUFFIXES = "House|Court|Tower|Heights|Point|Buildings|Lodge|Mansions|Apartments|Block"

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?<!\.)")
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)44[ \t]?(?:\(0\)[ \t]?)?\(?|\(0|0)"
    r"\d{1,4}\)?(?:[ \t\-]?\d{2,4}){1,3}(?!\w)"
)
_POSTCODE = re.compile(
    r"(?<![\w])(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)[ \t]?\d[ABD-HJLNP-UW-Z]{2}(?!\w)", re.IGNORECASE
)
_NAME_WORD = r"(?:Mc|Mac|O['’]|D['’])?[A-Z][a-z]*(?:-[A-Z][a-z]+)*"
# The end of a name: not followed by more of a word, but a possessive "'s" may follow.
_END = r"(?![\w\-]|['’](?![sS]\b))"
_STREET_WORD = r"(?:Mc|Mac|O['’]|D['’])?[A-Z][a-z'’]*(?:-[A-Za-z][a-z'’]*)*"
_ADDRESS = re.compile(
    r"(?<![\w])"
    r"(?:(?:Flat|Apartment|Apt|Unit|Room)\.?[ \t]+\d{1,4}[A-Za-z]?,?[ \t]+"
    rf"(?:(?:{_STREET_WORD}[ \t]+){{1,3}}(?:{_BUILDING_SUFFIXES})\b,?[ \t]*)?)?"
    r"\d{1,4}[A-Za-z]?,?[ \t]+"
    rf"(?:{_STREET_WORD}[ \t]+){{1,3}}(?:{_STREET_SUFFIXES})\b\.?"
    r"|(?<![\w])(?:Flat|Apartment|Apt|Unit)\.?[ \t]+\d{1,4}[A-Za-z]?,?[ \t]+"
    rf"(?:{_STREET_WORD}[ \t]+){{1,3}}(?:{_BUILDING_SUFFIXES})\b"
)
_TITLE = re.compile(
    r"(?<![\w])(?P<title>Mr|Mrs|Ms|Mx|Miss|Dr|MR|MRS|MS|MISS|DR|mr|mrs|ms|mx)\.?[ \t]+"
    rf"(?P<names>(?:{_NAME_WORD}|[A-Z]{{2,}})(?:[ \t]+(?:{_NAME_WORD}|[A-Z]{{2,}}))?{_END}"
    r"|[a-z][a-z'’\-]+)"
)
_CAPITALISED = re.compile(r"(?<![\w'’\-])[A-Z][a-z]+(?![\w'’\-])")
_FOLLOWING = re.compile(rf"[ \t]+({_NAME_WORD}|[A-Z]{{2,}}(?:-[A-Z]{{2,}})*){_END}")

_NEXT_WORD = re.compile(r"[ \t]+([A-Z][A-Za-z]*)")
# Capitalised words after a surname that make it a place or an organisation instead.
_PLACE_WORDS = frozenset(
    word.lower() for word in f"{_STREET_SUFFIXES}|{_BUILDING_SUFFIXES}".split("|")
) | frozenset(
    """
    council housing homes association trust group team estate centre school church park
    surgery hospital road street lane close way court house ltd limited
    """.split()
)

_PRECEDENCE = ("email", "phone", "postcode", "address", "name")


def _phone_ok(number: str) -> bool:
    digits = re.sub(r"\D", "", number)
    if number.lstrip().startswith(("+44", "0044")):
        digits = "0" + digits[4 if digits.startswith("0044") else 2 :]
        if digits.startswith("00"):  # +44 (0)20 ...
            digits = digits[1:]
    return len(digits) in (10, 11) and digits[0] == "0" and digits[1] in "123578"


def _title_names(match: re.Match[str]) -> tuple[int, int] | None:
    title, names = match["title"], match["names"]
    if names[0].islower():
        # "mrs smith": only after a title written in lower case, and not "mr and mrs ...".
        if not title.islower() or names.lower() in _NOT_NAMES:
            return None
        return match.start(), match.end()
    end = None
    for word in re.finditer(r"\S+", names):
        if word.group().lower() in _NOT_NAMES:
            break
        end = match.start("names") + word.end()
    return (match.start(), end) if end is not None else None


def _first_name_pairs(text: str) -> Iterable[tuple[int, int]]:
    """A common first name, then one or two capitalised words that are not ordinary words."""
    for match in _CAPITALISED.finditer(text):
        if match.group().lower() not in FIRST_NAMES:
            continue
        end = match.end()
        for _ in range(2):
            following = _FOLLOWING.match(text, end)
            if not following or following[1].lower() in _NOT_NAMES:
                break
            end = following.end()
        if end > match.end():
            yield match.start(), end


_TOKEN = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class _KnownNames:
    # first word (lower case) -> the full names starting with it, as word tuples, longest first
    full: dict[str, list[tuple[str, ...]]]
    surnames_any_case: frozenset[str]
    surnames_capitalised: frozenset[str]  # everyday words: masked only with a capital


def _base(word: str) -> str:
    """A word without a trailing quote or hyphen, or a possessive "'s"."""
    word = word.rstrip("'’-")
    if len(word) > 2 and word[-2] in "'’" and word[-1] in "sS":
        word = word[:-2]
    return word


@functools.lru_cache(maxsize=16)
def _known(known_names: tuple[str, ...]) -> _KnownNames:
    """Word lookups for the known names. Matching walks the text's words once, so thousands
    of known names cost no more than a few."""
    full: dict[str, set[tuple[str, ...]]] = {}
    any_case: set[str] = set()
    capitalised: set[str] = set()
    for raw in known_names:
        words = tuple(word.lower() for word in _TOKEN.findall(raw))
        if not words or len(" ".join(words)) < 3 or _PLACEHOLDER.search(raw):
            continue
        full.setdefault(words[0], set()).add(words)
        if len(words) >= 2:
            surname = words[-1]
            if len(surname) < 2 or surname in _NOT_NAMES - _WORD_SURNAMES:
                continue
            (capitalised if surname in _WORD_SURNAMES else any_case).add(surname)
    return _KnownNames(
        full={first: sorted(names, key=len, reverse=True) for first, names in full.items()},
        surnames_any_case=frozenset(any_case),
        surnames_capitalised=frozenset(capitalised),
    )


def _known_name_spans(text: str, known: _KnownNames) -> Iterable[tuple[int, int]]:
    """Full known names in any case (words separated by white space only), then surnames."""
    tokens = [(match.start(), match.group()) for match in _TOKEN.finditer(text)]
    for position, (start, word) in enumerate(tokens):
        found_full = False
        for name in known.full.get(word.lower(), ()):
            if position + len(name) > len(tokens):
                continue
            end = 0
            for offset, expected in enumerate(name):
                at, token = tokens[position + offset]
                if offset:
                    gap = text[end:at]
                    if not gap or gap.strip():
                        break
                last = offset == len(name) - 1
                if (_base(token) if last else token).lower() != expected:
                    break
                end = at + len(_base(token) if last else token)
            else:
                yield start, end
                found_full = True
                break
        if found_full:
            continue
        base = _base(word)
        lower = base.lower()
        if lower in known.surnames_any_case or (
            lower in known.surnames_capitalised and base[:1].isupper()
        ):
            # "Hill Street", "Green Lane", "Smith Housing": a place or an organisation.
            if not _place_follows(text, start + len(base)):
                yield start, start + len(base)


def _place_follows(text: str, position: int) -> bool:
    following = _NEXT_WORD.match(text, position)
    return following is not None and following[1].lower() in _PLACE_WORDS


def _keep_spans(text: str, keep: Iterable[str]) -> list[tuple[int, int]]:
    spans = [(match.start(), match.end()) for match in _PLACEHOLDER.finditer(text)]
    for phrase in keep:
        words = str(phrase).split()
        if not words:
            continue
        pattern = r"\s+".join(re.escape(word) for word in words)
        spans += [
            (match.start(), match.end())
            for match in re.finditer(rf"(?<![\w])(?:{pattern})(?![\w])", text, re.IGNORECASE)
        ]
    return spans


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in spans)


def mask(text: str, *, known_names: Iterable[str] = (), keep: Iterable[str] = ()) -> Masked:
    """Replace names and contact details in `text` with placeholders such as "[name]".

    `known_names`: people's names to look for (full names and their surnames).
    `keep`: phrases never to mask, such as the organisation's name or estate names.
    """
    if not isinstance(text, str):
        raise TypeError("mask() needs text (a str)")
    protected = _keep_spans(text, keep)
    candidates: list[tuple[str, int, int]] = []
    for match in _EMAIL.finditer(text):
        candidates.append(("email", match.start(), match.end()))
    for match in _PHONE.finditer(text):
        if _phone_ok(match.group()):
            candidates.append(("phone", match.start(), match.end()))
    for match in _POSTCODE.finditer(text):
        candidates.append(("postcode", match.start(), match.end()))
    for match in _ADDRESS.finditer(text):
        candidates.append(("address", match.start(), match.end()))
    names = tuple(sorted({str(name) for name in known_names}))
    if names:
        for start, end in _known_name_spans(text, _known(names)):
            candidates.append(("name", start, end))
    for match in _TITLE.finditer(text):
        span = _title_names(match)
        if span:
            candidates.append(("name", *span))
    for start, end in _first_name_pairs(text):
        candidates.append(("name", start, end))

    # Higher-precedence kinds first, then earlier and longer matches.
    candidates.sort(key=lambda item: (_PRECEDENCE.index(item[0]), item[1], item[1] - item[2]))
    accepted: list[tuple[str, int, int]] = []
    taken: list[tuple[int, int]] = []
    for kind, start, end in candidates:
        if _overlaps(start, end, protected) or _overlaps(start, end, taken):
            continue
        accepted.append((kind, start, end))
        taken.append((start, end))
    accepted.sort(key=lambda item: item[1])

    pieces: list[str] = []
    found: list[Found] = []
    position = 0
    for kind, start, end in accepted:
        pieces.append(text[position:start])
        pieces.append(PLACEHOLDERS[kind])
        found.append(Found(kind=kind, original=text[start:end], start=start, end=end))
        position = end
    pieces.append(text[position:])
    return Masked(text="".join(pieces), found=found)
