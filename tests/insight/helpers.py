"""Small synthetic fixtures for the insight tests (no real data)."""

import csv
import random

TOPICS = {
    "repairs": [
        "The repair to my {thing} took {n} weeks and nobody called back",
        "Still waiting for someone to fix the {thing} after {n} weeks",
        "Repairs team never turned up to mend the {thing}",
        "My {thing} repair was left unfinished for {n} weeks",
    ],
    "noise": [
        "Neighbours are so noisy at night I cannot sleep",
        "Loud music from next door every {day} night",
        "The noise from the flat upstairs keeps my children awake",
        "Constant shouting and banging late at night on {day}",
    ],
    "staff": [
        "The housing officer was kind and really listened to me",
        "Staff were friendly, kind and listened when I phoned on {day}",
        "{name} listened to my worries and was very kind",
        "Lovely helpful staff who listened and cared",
    ],
}
THINGS = ["boiler", "window", "roof", "door", "sink", "heating", "shower", "toilet"]
DAYS = ["Monday", "Tuesday", "Friday", "Saturday", "Sunday"]
NAMES = ["Sam", "Priya", "Tom", "Aisha", "Jo"]


def make_items(per_topic: int = 20, seed: int = 0):
    rnd = random.Random(seed)
    rows = []
    for topic, templates in TOPICS.items():
        for i in range(per_topic):
            t = templates[i % len(templates)].format(
                thing=rnd.choice(THINGS),
                n=rnd.randint(2, 9),
                day=rnd.choice(DAYS),
                name=rnd.choice(NAMES),
            )
            rows.append((f"{topic}-{i}", t, topic))
    rnd.shuffle(rows)
    return rows


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path
