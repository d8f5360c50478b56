"""People's names: England's mix, by heritage and generation.

Heritage only chooses a name; it is not stored (equality data is asked, never guessed).
"""

from __future__ import annotations

import random
import unicodedata
from typing import TYPE_CHECKING

from coproduce.demo.riverside import REFERENCE_DATE

if TYPE_CHECKING:
    from coproduce.demo.plan import Home

_BRITISH_FIRST = {
    # (women, men) by generation: names of people born before 1960, 1960-1984, from 1985.
    "old": (
        "Margaret Patricia Jean Maureen Sheila Brenda Barbara Joan Valerie Sandra Christine "
        "Pauline Doreen Irene Eileen Janet Carol Sylvia Dorothy Elaine Linda Susan Kathleen",
        "John David Michael Peter Brian Roy Keith Alan Derek Terry Ronald Dennis Kenneth Colin "
        "Barry Malcolm Raymond Graham Trevor Geoffrey Anthony Robert Bernard",
    ),
    "mid": (
        "Sarah Karen Julie Lisa Nicola Michelle Tracey Joanne Claire Emma Donna Kelly Rachel "
        "Helen Amanda Dawn Angela Lorraine Gemma Louise Siobhan Zoë",
        "Paul Mark Stephen Andrew Darren Lee Craig Gary Neil Jason Simon Wayne Richard Martin "
        "Dean Shaun Matthew Christopher James Ian Sean",
    ),
    "young": (
        "Jessica Chloe Amy Lauren Hannah Sophie Megan Charlotte Jade Holly Georgia Ellie Abbie "
        "Danielle Kirsty Olivia Paige Bethany Leah Shannon Niamh",
        "Daniel Thomas Ryan Jack Liam Jordan Connor Callum Kieran Jake Luke Joshua Adam Sam "
        "Tyler Kyle Nathan Harry Aaron Reece Declan",
    ),
}
_BRITISH_SURNAMES = (
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
    "Walker White Roberts Green Hall Wood Jackson Clarke Harris Lewis Hughes Turner Hill Cooper "
    "Ward Morris Moore Clark Baker Harrison King Allen Martin Parker Mitchell Shaw Bennett Cook "
    "Bailey Holmes Marshall Atkinson Pearson Barnes Fletcher Hardy Sutcliffe Whitehead Booth "
    "Dixon Murphy Kelly O'Brien Byrne Doyle Walsh Gallagher McCarthy Quinn Fraser Campbell-Ross "
    "Llewellyn Pritchard"
)
_CARIBBEAN_FIRST = {
    "old": (
        "Hyacinth Beverley Marcia Lorna Paulette Sonia Gloria Myrtle Icilda",
        "Delroy Winston Errol Clive Leroy Desmond Everton Lloyd Cedric",
    ),
    "mid": (
        "Sharon Marcia Yvonne Donna Michelle Jacqueline Natalie Simone",
        "Trevor Marcus Jermaine Anthony Dwayne Carl Devon Andre",
    ),
    "young": (
        "Shanice Tanisha Aaliyah Kiana Renee Chantelle Jada Nia",
        "Tyrone Kemar Jamal Marcus Rashad Jaden Malachi Isaiah",
    ),
}
_CARIBBEAN_SURNAMES = (
    "Campbell Brown Williams Thomas Francis Grant Reid Edwards Bailey Henry Richards Clarke "
    "Morgan Gordon Samuels Lewis Forbes Powell"
)

# heritage -> (women's names, men's names, surnames); British and Caribbean vary by generation.
_NAMES: dict[str, tuple[str, str, str]] = {
    "eastern_european": (
        "Agnieszka Katarzyna Magdalena Joanna Anna Ewa Monika Irina Alina Ioana Daiva Małgorzata",
        "Piotr Tomasz Krzysztof Marek Paweł Andrzej Jakub Mihai Andrei Tomas Łukasz Darius",
        "Nowak Kowalczyk Wiśniewski Wójcik Kamiński Lewandowski Zieliński Popescu Ionescu "
        "Kazlauskas Petrauskas Horvath Novak Dąbrowski",
    ),
    "south_asian": (
        "Aisha Fatima Ayesha Nasreen Shazia Samina Priya Anjali Sunita Parveen Rukhsana Nadia "
        "Amrit Harpreet Zainab Maryam Sana Shabana",
        "Mohammed Imran Tariq Asif Rajesh Sanjay Amir Zahid Hassan Bilal Arjun Gurpreet Kamran "
        "Abdul Shahid Yusuf Ravi Sohail",
        "Khan Ahmed Hussain Ali Patel Akhtar Iqbal Shah Rahman Islam Uddin Mahmood Sharma Singh "
        "Chowdhury Miah Mistry Parmar Sandhu Begum",
    ),
    "black_african": (
        "Chiamaka Ngozi Amina Fatou Abena Folasade Blessing Grace Precious Adwoa Hodan Faduma "
        "Nneka Comfort Tendai",
        "Chinedu Emeka Kwame Kofi Oluwaseun Tunde Abdi Mohamed Samuel Emmanuel Ibrahim Yaw "
        "Tinashe Ahmed",
        "Okafor Adeyemi Mensah Osei Boateng Okonkwo Adebayo Asante Mohamud Abdi Hassan Nwosu "
        "Owusu Diallo Moyo Mutasa Ogunleye Warsame",
    ),
    "other_white": (
        "Maria Ana Sofia Giulia Eleni Fernanda Elif Carla Despina",
        "João Luca Marco Nikos Carlos Giorgos Mehmet Miguel Stavros",
        "Silva Santos Ferreira Rossi Russo Georgiou Papadopoulos Costa Pereira Esposito Yılmaz "
        "Demir Rodrigues",
    ),
    "middle_eastern": (
        "Layla Noor Yasmin Rania Huda Shirin Leila Dilan Nasrin",
        "Omar Ahmad Khalid Karim Samir Reza Hamid Rebwar Tariq",
        "Al-Sayed Haddad Mansour Karimi Rahimi Ahmadi Saleh Nasser Hussein Abdullah Mustafa",
    ),
    "east_asian": (
        "Mei Xin Hoa Lan Yan Ling Thuy Jing",
        "Wei Jun Hao Minh Tuan Chen Long Bao",
        "Chen Wang Li Zhang Liu Nguyen Tran Wong Lam Cheung Pham",
    ),
    "mixed": (
        "Zara Maya Amara Tia Layla Aaliyah Keira Imani",
        "Jayden Kai Malachi Kian Elijah Jaden Reuben Zion",
        _BRITISH_SURNAMES + " " + _CARIBBEAN_SURNAMES,
    ),
}

# Heritage weights for people under 40, 40-69 and 70+ (older tenants are more often white
# British; the Windrush generation shows among the oldest).
HERITAGE_WEIGHTS: tuple[tuple[str, tuple[float, float, float]], ...] = (
    ("british", (64, 74, 86)),
    ("eastern_european", (8, 5, 1)),
    ("south_asian", (9, 7, 4)),
    ("black_african", (7, 5, 1)),
    ("black_caribbean", (3, 3, 5)),
    ("other_white", (3, 2, 1)),
    ("middle_eastern", (3, 2, 1)),
    ("east_asian", (1, 1, 0.5)),
    ("mixed", (4, 1, 0.5)),
)

_ASCII = str.maketrans({"ł": "l", "Ł": "L", "ı": "i", "'": "", " ": "", "-": ""})


def slug(text: str) -> str:
    """A name as plain lower-case ASCII, for an email address."""
    plain = unicodedata.normalize("NFKD", text.translate(_ASCII))
    return plain.encode("ascii", "ignore").decode().lower()


class NameBook:
    """Every first name and surname, looked up by heritage, generation and sex."""

    def __init__(self) -> None:
        self.first: dict[tuple[str, str, bool], list[str]] = {}
        self.surnames: dict[str, list[str]] = {}
        for generation in ("old", "mid", "young"):
            for heritage, table in (
                ("british", _BRITISH_FIRST),
                ("black_caribbean", _CARIBBEAN_FIRST),
            ):
                women, men = table[generation]
                self.first[(heritage, generation, True)] = women.split()
                self.first[(heritage, generation, False)] = men.split()
            for heritage, (women, men, _) in _NAMES.items():
                self.first[(heritage, generation, True)] = women.split()
                self.first[(heritage, generation, False)] = men.split()
        self.surnames["british"] = _BRITISH_SURNAMES.split()
        self.surnames["black_caribbean"] = _CARIBBEAN_SURNAMES.split()
        for heritage, (_, _, surnames) in _NAMES.items():
            self.surnames[heritage] = surnames.split()

    def name(self, home: Home, rng: random.Random) -> tuple[str, str]:
        birth_year = REFERENCE_DATE.year - home.age
        generation = "old" if birth_year < 1960 else "mid" if birth_year < 1985 else "young"
        first = rng.choice(self.first[(home.heritage, generation, home.woman)])
        return first, rng.choice(self.surnames[home.heritage])
