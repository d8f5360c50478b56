"""Interview guides shipped with coproduce (pure Python: the splitter and the CLI use them
without a database; a data migration copies them into the database for the web app).

Each question carries `cues`: other words people use when they ask it, so the splitter can
recognise a paraphrase ("what got in the way?" for "what were the challenges?").
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Question:
    number: int
    label: str  # short name, used for headings and themes
    text: str
    cues: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Guide:
    slug: str
    name: str
    description: str
    questions: tuple[Question, ...]


DEFAULT_GUIDE = Guide(
    slug="default",
    name="Co-production story",
    description=(
        "Eight questions for capturing the story of a piece of co-production: what happened, "
        "what changed, how it felt and what it was worth."
    ),
    questions=(
        Question(
            1,
            "About you",
            "Please introduce yourself and your role.",
            (
                "introduce yourself",
                "tell us about yourself",
                "who are you",
                "your name",
                "what do you do",
                "what is your role",
                "how are you involved",
                "a bit about you",
                "who you are",
                "first of all",
                "yourself",
            ),
        ),
        Question(
            2,
            "The co-production",
            "Describe a piece of co-production you have done.",
            (
                "describe a piece of co-production",
                "tell me about a project",
                "what did you work on",
                "an example of co-production",
                "what was the project",
                "what have you been involved in",
                "walk me through",
                "piece of work",
            ),
        ),
        Question(
            3,
            "What we learned or changed",
            "What did you and the organisation learn or change?",
            (
                "what did you learn",
                "what did the organisation learn",
                "lessons",
                "what changed",
                "do differently",
                "learnt",
                "discover",
                "taught",
            ),
        ),
        Question(
            4,
            "The impact",
            "What was the impact on the people involved, the organisation and the result?",
            (
                "impact",
                "difference did it make",
                "effect",
                "outcome",
                "result",
                "made a difference",
                "who benefited",
            ),
        ),
        Question(
            5,
            "The challenges",
            "What were the challenges?",
            (
                "challenges",
                "challenging",
                "difficult",
                "hard",
                "got in the way",
                "went wrong",
                "struggle",
                "obstacles",
                "barriers",
                "tricky",
                "problems",
            ),
        ),
        Question(
            6,
            "How it feels",
            "How does co-production make you feel?",
            (
                "how does it make you feel",
                "how did it feel",
                "feelings",
                "how do you feel",
                "emotionally",
                "what was it like for you",
            ),
        ),
        Question(
            7,
            "Top tips",
            "What are your top tips?",
            (
                "top tips",
                "tips",
                "advice",
                "advise",
                "recommend",
                "someone starting out",
                "someone just starting",
                "what would you tell",
                "what would you say to",
            ),
        ),
        Question(
            8,
            "The value",
            "What is the value of co-production?",
            (
                "value",
                "worth it",
                "worthwhile",
                "why does it matter",
                "why bother",
                "why is it important",
                "benefit",
                "waste of time",
                "worth doing",
            ),
        ),
    ),
)

GUIDES: dict[str, Guide] = {DEFAULT_GUIDE.slug: DEFAULT_GUIDE}
