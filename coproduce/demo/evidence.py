"""The health check's evidence, generated: a TSM survey file with tenants' comments, a video
call transcript, interview notes and observations.

It goes in through the real import path, so masking, theming and coding are exercised exactly
as in use.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from typing import Any

from coproduce.demo.riverside import moved

TOPICS: dict[str, dict[str, Any]] = {
    "repairs": {
        "promise": "Safe, warm homes",
        "tp": {"TP02": 2, "TP03": 2},
        "lines": [
            "I reported a leak {when} and it took {weeks} weeks for anyone to come.",
            "The repair was done but not fixed properly, so they came back {n} times.",
            "Nobody turned up for the repair appointment and nobody rang to say why.",
            "Repairs take too long. I waited {weeks} weeks for a new {part}.",
            "The contractor was polite and fixed the {part} first time, which was a nice change.",
            "My {part} has been broken since {when} and I have chased it {n} times.",
        ],
    },
    "damp": {
        "promise": "Safe, warm homes",
        "tp": {"TP05": 2},
        "lines": [
            "There is black mould in the {room} again. They painted over it and it came back.",
            "Damp in the {room} is making my children's asthma worse.",
            "They did a damp survey {when} but nothing has happened since.",
            "The mould treatment worked this time and someone checked on us after.",
        ],
    },
    "listening": {
        "promise": "Listen and act",
        "tp": {"TP06": 2},
        "lines": [
            "I feel like nobody listens. I have raised the same thing {n} times.",
            "They ask for our views but nothing changes afterwards.",
            "The housing officer listened to me and actually did something about it.",
            "I went to a residents' meeting and it felt like the decisions were already made.",
            "When I complained about the {issue} they listened and sorted it within days.",
        ],
    },
    "informed": {
        "promise": "Keep you informed",
        "tp": {"TP07": 2},
        "lines": [
            "Letters are full of jargon and I never know what is happening with my {part}.",
            "I only found out about the works on the estate when the scaffolding went up.",
            "The text message reminders for appointments are really helpful.",
            "Nobody told me the repair had been cancelled. I took a day off work for nothing.",
            "The newsletter was clear and told us what changed because of what tenants said.",
        ],
    },
    "respect": {
        "promise": "Treat you with respect",
        "tp": {"TP08": 4},
        "lines": [
            "Staff on the phone were kind and patient with me.",
            "I felt talked down to when I rang about my {issue}.",
            "The caretaker always says hello and treats us like people.",
            "Because I have a mental health condition I felt judged by the officer.",
            "They were respectful and explained everything, even in my own language.",
        ],
    },
    "complaints": {
        "promise": "Put things right",
        "tp": {"TP09": 1},
        "lines": [
            "My complaint about the {issue} took {weeks} weeks to get a reply.",
            "They apologised and put it right, and I got some compensation.",
            "I made a complaint and it went round in circles between departments.",
            "Nobody explained how to escalate my complaint.",
        ],
    },
    "community": {
        "promise": "Stronger communities",
        "tp": {"TP11": 3, "TP12": 2},
        "lines": [
            "The anti-social behaviour on the {place} has got worse and nothing is done.",
            "The community garden on {place} has brought neighbours together.",
            "Fly-tipping by the bins is a constant problem.",
            "The communal areas are cleaned well and the grass is cut regularly.",
            "Young people have nothing to do on the estate so they hang about the {place}.",
        ],
    },
}
FILLS = {
    "when": ["in January", "last spring", "before Christmas", "three months ago", "in the summer"],
    "weeks": ["3", "5", "six", "8", "twelve"],
    "n": ["two", "three", "four", "5"],
    "part": ["boiler", "front door", "window", "kitchen tap", "extractor fan", "radiator"],
    "room": ["bathroom", "bedroom", "kitchen", "hallway"],
    "issue": ["noise", "the lift", "parking", "the communal heating", "a neighbour dispute"],
    "place": ["Mill Street green", "the shops", "the play area", "the car park"],
}
INTERVIEWS = [
    (
        "Interview with the head of repairs",
        "The repairs backlog is about 1,400 jobs. Routine "
        "repairs target is 28 days but we average 34. Contractor capacity is the main issue.",
    ),
    (
        "Interview with a complaints officer",
        "Stage one complaints should be answered in 10 "
        "working days. About a third are late because the service areas reply slowly.",
    ),
    (
        "Interview with a housing officer",
        "Each officer has around 400 homes. We rarely get time "
        "to visit people who are not in touch with us, so the quiet ones get missed.",
    ),
    (
        "Interview with the communications lead",
        "We are rewriting all standard letters in plain "
        "English with a tenant reading panel, starting with repairs letters.",
    ),
    (
        "Observation at the customer contact centre",
        "Calls were answered politely. Two callers "
        "were transferred three times before reaching someone who could help.",
    ),
]


def tenant_comment(topic: str, rng: random.Random) -> str:
    line = rng.choice(TOPICS[topic]["lines"])
    for key, options in FILLS.items():
        line = line.replace("{" + key + "}", rng.choice(options), 1)
    return line


def survey_csv(rows: int, rng: random.Random, year: int) -> bytes:
    """A TSM survey of the story's `year` (answered from May), its dates moved."""
    label = moved(dt.date(year, 5, 1)).year
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["respondent_id", "date", *[f"TP{i:02d}" for i in range(1, 13)], "comment"])
    topics = list(TOPICS)
    weights = [5, 3, 3, 3, 2, 2, 2]
    for index in range(1, rows + 1):
        topic = rng.choices(topics, weights)[0]
        scores = {f"TP{i:02d}": rng.randint(2, 5) for i in range(1, 13)}
        for code, low in TOPICS[topic]["tp"].items():
            scores[code] = max(1, min(5, low + rng.randint(-1, 1)))
        comment = tenant_comment(topic, rng)
        if rng.random() < 0.25:
            comment += " " + tenant_comment(rng.choice(topics), rng)
        day = moved(dt.date(year, 5, 1) + dt.timedelta(days=rng.randint(0, 60)))
        writer.writerow(
            [
                f"S{label}-{index:05d}",
                day.isoformat(),
                *[scores[f"TP{i:02d}"] if rng.random() > 0.05 else "" for i in range(1, 13)],
                comment,
            ]
        )
    return out.getvalue().encode()


def transcript(rng: random.Random) -> bytes:
    lines = ["WEBVTT", ""]
    t = 0
    speakers = ["Evaluator", "Repairs manager", "Evaluator", "Resident"]
    for turn in range(40):
        speaker = speakers[turn % len(speakers)]
        text = (
            "What happens when a repair is reported?"
            if speaker == "Evaluator"
            else tenant_comment(rng.choice(["repairs", "informed", "listening"]), rng)
        )
        lines += [
            f"00:{t // 60:02d}:{t % 60:02d}.000 --> 00:{(t + 8) // 60:02d}:{(t + 8) % 60:02d}.000",
            f"<v {speaker}>{text}",
            "",
        ]
        t += 10
    return "\n".join(lines).encode()
