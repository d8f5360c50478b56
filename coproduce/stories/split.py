"""Split an interview transcript into the questions of an interview guide.

Pure Python (no Django, no database): the web app and `coproduce story split` share it.

How it works
1. Read the file with the one transcript reader, `coproduce.core.transcripts` (the rules
   are in docs/evidence-formats.md), a turn per cue or per line, each with its place in the
   file; plain text is read by line (`plain="lines"`: a `Name:` label starts a turn when at
   least two names recur; without labels every line is a paragraph). Group them into
   *passages*: with two or more speakers, one speaker's consecutive cues or lines (a cue
   without a speaker belongs to the one before); without, all cues are one passage and
   every line is its own.
2. Cut turns into sentences. Each sentence is scored against every guide question: the
   question's own words and its paraphrase cues (`guides.Question.cues`), stemmed, each word
   weighted by how few questions share it, plus a bonus for whole cue phrases.
   With speaker labels only the interviewer's sentences are candidates (the interviewer is
   the speaker whose sentences look most like the guide's questions); without labels a
   sentence must look like a question ("?" or "Tell me…", "Could you…").
3. Choose where each question is asked: the best-scoring chain of (sentence, question)
   pairs that moves forward through both the transcript and the guide (dynamic
   programming). Interviews follow their guide; a question asked out of order is left for
   the interviewer to correct in the web app.
4. Everything from one asked question to the next is its answer (with labels: only the
   storyteller's turns).

`asked_at` is a character offset into the text for plain text, and a 0-based cue index
for .vtt and .srt.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from coproduce.core import transcripts
from coproduce.core.transcripts import Turn
from coproduce.stories.guides import GUIDES

FORMATS = ("txt", "vtt", "srt")


class QuestionLike(Protocol):
    @property
    def number(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def cues(self) -> Sequence[str]: ...


# One error for every transcript problem, shared with the reader in core.
TranscriptError = transcripts.TranscriptError


@dataclass
class Passage:
    """One speaker's run of the reader's turns (cues or lines) as the splitter reads it, and
    the way back from a place in its text to the source, for `asked_at`."""

    speaker: str
    cues: bool  # positions are cue indexes (.vtt, .srt), not character offsets (.txt)
    turns: list[Turn] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # where each turn's text starts in `text`

    @property
    def text(self) -> str:
        return (" " if self.cues else "\n").join(turn.text for turn in self.turns)

    def add(self, turn: Turn) -> None:
        last = self.starts[-1] + len(self.turns[-1].text) + 1 if self.turns else 0
        self.starts.append(last)
        self.turns.append(turn)

    def at(self, offset: int) -> int:
        """The cue index, or the character offset in the transcript, of `text[offset]`."""
        index = max(i for i, start in enumerate(self.starts) if start <= offset or i == 0)
        turn = self.turns[index]
        position = turn.cue if self.cues else turn.offset
        assert position is not None, "the transcript reader places every turn"
        return position if self.cues else position + max(0, offset - self.starts[index])


@dataclass
class Part:
    """A run of transcript text and the question it answers (None: not an answer)."""

    text: str
    at: int
    speaker: str = ""
    question: int | None = None
    asks: int | None = None  # this part is where that question is asked

    def as_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "at": self.at,
            "speaker": self.speaker,
            "question": self.question,
            "asks": self.asks,
        }


@dataclass
class SplitResult:
    fmt: str
    parts: list[Part]
    asked: dict[int, int]  # question number -> asked_at
    labelled: bool
    interviewer: str = ""

    def answers(self) -> dict[int, str]:
        return answers_from_parts(self.parts)

    def segments(self) -> list[dict[str, object]]:
        answers = self.answers()
        return [
            {"question": q, "asked_at": self.asked[q], "answer": answers.get(q, "")}
            for q in sorted(self.asked)
        ]


def answers_from_parts(parts: Sequence[Part] | Sequence[dict[str, object]]) -> dict[int, str]:
    collected: dict[int, list[str]] = {}
    for part in parts:
        if isinstance(part, Part):
            question, text = part.question, part.text
        else:
            raw_q, text = part.get("question"), str(part.get("text", ""))
            question = int(raw_q) if isinstance(raw_q, int | str) and str(raw_q) else None
        if question and text.strip():
            collected.setdefault(question, []).append(text.strip())
    return {q: "\n\n".join(texts) for q, texts in collected.items()}


# Reading -------------------------------------------------------------------------------

SENTENCE = re.compile(r"[^.!?…]*[.!?…]+[\"'”’)\]]*|[^.!?…]+$")


def detect_format(name: str, text: str) -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    if text.lstrip("\ufeff \n").startswith("WEBVTT"):
        return "vtt"
    if re.search(r"^\d+\s*\n\d{2}:\d{2}:\d{2},\d{3}\s*-->", text, re.M):
        return "srt"
    return "txt"


def decode_transcript(data: bytes, filename: str = "the transcript") -> str:
    """An uploaded transcript as text: UTF-8, or Windows-1252 as older editors save it."""
    return transcripts.decode_text(data, filename, windows_1252=True)


def _passages(turns: list[Turn], cues: bool) -> tuple[list[Passage], bool]:
    """The reader's turns (one per cue or line) grouped into passages, and whether the
    transcript names two or more speakers."""
    labelled = len({turn.speaker for turn in turns if turn.speaker}) >= 2
    passages: list[Passage] = []
    for turn in turns:
        speaker = turn.speaker if labelled else ""
        if cues and labelled and not speaker and passages:
            speaker = passages[-1].speaker  # a cue without a name goes on from the one before
        last = passages[-1] if passages else None
        if last is None or last.speaker != speaker or not (speaker or cues):
            passages.append(Passage(speaker=speaker, cues=cues))
        passages[-1].add(turn)
    return passages, labelled


# Scoring --------------------------------------------------------------------------------

STOPWORDS = frozenset(
    """a about after again all am an and any are as at be been being but by can could
    did do does doing for from had has have having he her here him his how i i'd i'm if in
    into is it it's its just let let's me more most my now of on or our ours please so some
    such than that that's the their them then there these they this those to too tell us
    very was we were what when where which why will with would you your yours you're we're
    i've it's don't that's you've they're okay ok right well thanks thank really just maybe
    bit lot one also get got""".split()
)
PROMPT_WORDS = frozenset(
    """tell describe talk introduce say share give could can would what how why please
    let's lets i'd id do did does is are were was who which where when explain""".split()
)
FILLERS = frozenset(
    """so and ok okay right now finally lastly last next well great thanks thank lovely then
    first of all to start begin with one question""".split()
)
PROMPT_PHRASES = (
    "tell me",
    "tell us",
    "could you",
    "can you",
    "would you",
    "talk me",
    "talk us",
    "describe",
    "explain",
)
WORD = re.compile(r"[a-z][a-z']*")


def _stem(word: str) -> str:
    word = word.replace("'", "")
    for _ in range(2):
        for suffix in ("ings", "ing", "ed", "es", "s", "ly"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
    return word.rstrip("e") if len(word) > 3 else word


def _words(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("-", " "))


def _stems(text: str) -> list[str]:
    return [_stem(w) for w in _words(text) if w not in STOPWORDS]


@dataclass
class _Matcher:
    weights: list[dict[str, float]]  # per question: stem -> weight
    phrases: list[list[tuple[str, ...]]]  # per question: multi-word cue phrases (stems)

    @classmethod
    def build(cls, questions: Sequence[QuestionLike]) -> _Matcher:
        vocab = [set(_stems(q.text)) | {s for c in q.cues for s in _stems(c)} for q in questions]
        df: dict[str, int] = {}
        for words in vocab:
            for word in words:
                df[word] = df.get(word, 0) + 1
        weights = [{w: 1.0 / df[w] for w in words} for words in vocab]
        phrases = [
            [tuple(p) for p in (_stems(c) for c in (*q.cues, q.text)) if len(p) >= 2]
            for q in questions
        ]
        return cls(weights=weights, phrases=phrases)

    def scores(self, sentence: str) -> list[float]:
        stems = _stems(sentence)
        unique = set(stems)
        joined = " " + " ".join(stems) + " "
        length_penalty = 1.0 + 0.06 * max(0, len(stems) - 10)
        result = []
        for weights, phrases in zip(self.weights, self.phrases, strict=True):
            score = sum(weights[w] for w in unique if w in weights)
            score += sum(0.75 for p in phrases if f" {' '.join(p)} " in joined)
            result.append(score / length_penalty)
        return result


CHATTER = re.compile(
    r"(?i)^(ok(ay)?|right|lovely|great|brilliant|thanks|thank you|cheers|wonderful|perfect|"
    r"mm+|mhm|yes|yeah|we're recording( now)?)\b[^?]*$"
)


def _is_chatter(text: str) -> bool:
    """Thanks and small talk between questions, which belong to no answer."""
    return len(_words(text)) <= 8 and all(
        CHATTER.match(sentence.strip()) for sentence in SENTENCE.findall(text) if sentence.strip()
    )


def _question_likeness(sentence: str) -> float:
    stripped = sentence.strip()
    if stripped.endswith("?") or stripped.endswith("?”") or stripped.endswith('?"'):
        return 1.0
    words = _words(stripped)
    while words and words[0] in FILLERS:
        words = words[1:]
    if words and words[0] in PROMPT_WORDS:
        return 0.8
    lowered = " ".join(words)
    if any(f" {prompt} " in f" {lowered} " for prompt in PROMPT_PHRASES):
        return 0.8
    return 0.3


@dataclass
class _Unit:
    turn: int
    start: int
    end: int
    text: str
    at: int


def _units(turns: list[Passage]) -> list[_Unit]:
    units = []
    for index, turn in enumerate(turns):
        text = turn.text
        for match in SENTENCE.finditer(text):
            raw = match.group(0)
            if not raw.strip():
                continue
            start = match.start() + len(raw) - len(raw.lstrip())
            end = match.end() - (len(raw) - len(raw.rstrip()))
            units.append(_Unit(index, start, end, text[start:end], turn.at(start)))
    return units


THRESHOLD = 0.55


def _choose(candidates: list[tuple[int, list[float]]], n_questions: int) -> dict[int, int]:
    """Best forward chain: {question index (0-based): unit index}."""
    # best[q]: (total, chain) of the best chain whose last question is q; q = -1 is empty.
    best: dict[int, tuple[float, tuple[tuple[int, int], ...]]] = {-1: (0.0, ())}
    for unit_index, scores in candidates:
        updates = {}
        for q in range(n_questions):
            score = scores[q]
            if score < THRESHOLD:
                continue
            prior = max((value for key, value in best.items() if key < q), key=lambda v: v[0])
            total = prior[0] + score
            if total > best.get(q, (-math.inf, ()))[0]:
                updates[q] = (total, (*prior[1], (unit_index, q)))
        best.update(updates)
    total, chain = max(best.values(), key=lambda v: v[0])
    return {q: unit_index for unit_index, q in chain}


def split_transcript(
    text: str, fmt: str, questions: Sequence[QuestionLike], *, name: str = "the transcript"
) -> SplitResult:
    """Split decoded transcript text; `name` is how error messages call the file."""
    if fmt not in FORMATS:
        raise TranscriptError(f"unknown transcript format {fmt!r} (use .txt, .vtt or .srt)")
    read = transcripts.read_transcript(text, fmt, name, plain="lines", merge=False)
    turns, labelled = _passages(read, cues=fmt != "txt")
    matcher = _Matcher.build(questions)
    units = _units(turns)
    scored = [matcher.scores(u.text) for u in units]

    interviewer = ""
    if labelled:
        totals: dict[str, float] = {}
        for unit, scores in zip(units, scored, strict=True):
            speaker = turns[unit.turn].speaker
            bonus = 1.0 if unit.text.rstrip().endswith("?") else 0.0
            totals[speaker] = (
                totals.get(speaker, 0.0) + max(scores) * _question_likeness(unit.text) + bonus
            )
        for speaker in totals:
            if re.match(r"(?i)^(interviewer|int|q|facilitator)\b", speaker):
                totals[speaker] += 1000.0
        interviewer = max(totals, key=lambda s: totals[s])
        candidates = [
            (i, [s * (1.0 if u.text.rstrip().endswith("?") else 0.85) for s in scored[i]])
            for i, u in enumerate(units)
            if turns[u.turn].speaker == interviewer
        ]
    else:
        candidates = [
            (i, [s * _question_likeness(u.text) for s in scored[i]]) for i, u in enumerate(units)
        ]
    chosen = _choose(candidates, len(questions))
    asked = {questions[q].number: units[u].at for q, u in chosen.items()}
    picked = {u: questions[q].number for q, u in chosen.items()}

    parts: list[Part] = []
    current: int | None = None
    if labelled:
        picks_by_turn = {units[u].turn: n for u, n in picked.items()}
        for index, turn in enumerate(turns):
            if turn.speaker == interviewer:
                asks = picks_by_turn.get(index)
                if asks is not None:
                    current = asks
                parts.append(Part(turn.text, turn.at(0), turn.speaker, None, asks))
            else:
                parts.append(Part(turn.text, turn.at(0), turn.speaker, current))
    else:
        for index, turn in enumerate(turns):
            text_of_turn = turn.text
            cursor = 0
            for unit_index, unit in enumerate(units):
                if unit.turn != index or unit_index not in picked:
                    continue
                before = text_of_turn[cursor : unit.start].strip()
                if before:
                    owner = None if _is_chatter(before) else current
                    parts.append(Part(before, turn.at(cursor), "", owner))
                current = picked[unit_index]
                parts.append(Part(unit.text, unit.at, "", None, current))
                cursor = unit.end
            rest = text_of_turn[cursor:]
            if rest.strip():
                lead = len(rest) - len(rest.lstrip())
                owner = None if _is_chatter(rest) else current
                parts.append(Part(rest.strip(), turn.at(cursor + lead), "", owner))
    return SplitResult(
        fmt=fmt, parts=parts, asked=asked, labelled=labelled, interviewer=interviewer
    )


# Command line ---------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[no-untyped-def]
        self.exit(2, f"{self.prog}: error: {' '.join(message.split())}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="coproduce story split",
        description=(
            "Split an interview transcript (.txt, .vtt or .srt) into the questions of an "
            "interview guide. Prints JSON; never touches the database."
        ),
    )
    parser.add_argument("transcript", metavar="TRANSCRIPT", help="a .txt, .vtt or .srt file")
    parser.add_argument(
        "--guide",
        default="default",
        help=f"interview guide ({', '.join(GUIDES)}; default: default)",
    )
    parser.add_argument("--out", metavar="RESULT.json", help="write JSON here instead of stdout")
    return parser


def cli_main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    prog = "coproduce story split"
    try:
        guide = GUIDES.get(args.guide)
        if guide is None:
            raise TranscriptError(f"unknown guide {args.guide!r} (known: {', '.join(GUIDES)})")
        path = Path(args.transcript)
        suffix = path.suffix.lower().lstrip(".")
        if suffix not in FORMATS:
            raise TranscriptError(f"{path.name}: use a .txt, .vtt or .srt file")
        if args.out and not Path(args.out).resolve().parent.is_dir():
            raise TranscriptError(f"folder for --out does not exist: {Path(args.out).parent}")
        text = decode_transcript(path.read_bytes(), path.name)
        result = split_transcript(text, suffix, guide.questions, name=path.name)
        payload = json.dumps(
            {"guide": guide.slug, "segments": result.segments()}, ensure_ascii=False, indent=1
        )
        if args.out:
            Path(args.out).write_text(payload + "\n", encoding="utf-8")
        else:
            sys.stdout.write(payload + "\n")
    except TranscriptError as exc:
        print(f"{prog}: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    except OSError as exc:
        reason = exc.strerror or str(exc)
        print(f"{prog}: error: {reason}: {exc.filename or args.transcript}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(cli_main())
