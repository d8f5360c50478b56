"""Split an interview transcript into the questions of an interview guide.

Pure Python (no Django, no database): the web app and `coproduce story split` share it.

How it works
1. Parse the file into *turns*: WebVTT/SRT cues (speaker from `<v Name>` or a `Name:`
   prefix, consecutive cues by one speaker form one turn), or plain-text lines (a `Name:`
   label at the start of a line starts a turn; without labels every line is a paragraph).
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
class Piece:
    text: str
    at: int  # character offset (txt) or cue index (vtt/srt)
    start: int = 0  # offset of this piece inside its turn's text


@dataclass
class Passage:
    """One speaker's run of text, with where each piece of it sits in the source (the
    splitter's own view of a turn: it needs source positions for `asked_at`)."""

    speaker: str
    pieces: list[Piece] = field(default_factory=list)
    char_offsets: bool = True

    @property
    def text(self) -> str:
        return (" " if not self.char_offsets else "\n").join(p.text for p in self.pieces)

    def at(self, offset: int) -> int:
        piece = self.pieces[0]
        for candidate in self.pieces:
            if candidate.start <= offset:
                piece = candidate
        if self.char_offsets:
            return piece.at + max(0, offset - piece.start)
        return piece.at

    def add(self, text: str, at: int) -> None:
        sep = 1 if self.pieces else 0
        start = (self.pieces[-1].start + len(self.pieces[-1].text) + sep) if self.pieces else 0
        self.pieces.append(Piece(text=text, at=at, start=start))


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


# Parsing --------------------------------------------------------------------------------

TIMESTAMP = r"(?:\[?\(?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\)?\]?\s*)?"
LABEL = re.compile(
    r"^\s*" + TIMESTAMP + r"(?P<label>[A-Z][\w'.-]*(?: [A-Z][\w'.-]*){0,2}|[QA])\s*:\s+"
)
VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
TAG = re.compile(r"<[^>]+>")
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


def _parse_cues(text: str, fmt: str) -> list[tuple[str, str]]:
    """(speaker, text) per cue, in order."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n").strip("\ufeff"))
    cues: list[tuple[str, str]] = []
    for block in blocks:
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if fmt == "vtt" and lines[0].startswith(("WEBVTT", "NOTE", "STYLE", "REGION")):
            continue
        timing = next((i for i, line in enumerate(lines) if "-->" in line), None)
        if timing is None:
            continue
        body = " ".join(lines[timing + 1 :]).strip()
        speaker = ""
        voice = VOICE.search(body)
        if voice:
            speaker = voice.group(1).strip()
        body = TAG.sub("", body).strip()
        if not speaker:
            label = LABEL.match(body)
            if label:
                speaker = label.group("label")
                body = body[label.end() :].strip()
        if body:
            cues.append((speaker, body))
    if not cues:
        raise TranscriptError(f"no cues found in this .{fmt} file")
    return cues


def _turns_from_cues(cues: list[tuple[str, str]]) -> tuple[list[Passage], bool]:
    speakers = {s for s, _ in cues if s}
    labelled = len(speakers) >= 2
    turns: list[Passage] = []
    for index, (speaker, body) in enumerate(cues):
        if labelled:
            speaker = speaker or (turns[-1].speaker if turns else "")
            if not turns or turns[-1].speaker != speaker:
                turns.append(Passage(speaker=speaker, char_offsets=False))
        elif not turns:
            turns.append(Passage(speaker="", char_offsets=False))
        turns[-1].add(body, index)
    return turns, labelled


def _turns_from_text(text: str) -> tuple[list[Passage], bool]:
    lines: list[tuple[int, str]] = []
    offset = 0
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        if line.strip():
            lines.append((offset, line))
        offset += len(raw)
    if not lines:
        raise TranscriptError("the transcript is empty")
    labels: dict[str, int] = {}
    for _, line in lines:
        match = LABEL.match(line)
        if match:
            labels[match.group("label")] = labels.get(match.group("label"), 0) + 1
    speakers = {name for name, n in labels.items() if n >= 2}
    labelled_lines = sum(n for name, n in labels.items() if name in speakers)
    labelled = len(speakers) >= 2 and labelled_lines >= 0.3 * len(lines)
    turns: list[Passage] = []
    for start, line in lines:
        match = LABEL.match(line) if labelled else None
        if match and match.group("label") in speakers:
            body = line[match.end() :]
            turns.append(Passage(speaker=match.group("label")))
            turns[-1].add(body.rstrip(), start + match.end())
        elif labelled and turns:
            lead = len(line) - len(line.lstrip())
            turns[-1].add(line.strip(), start + lead)
        else:
            lead = len(line) - len(line.lstrip())
            turns.append(Passage(speaker=""))
            turns[-1].add(line.strip(), start + lead)
    return turns, labelled


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


def split_transcript(text: str, fmt: str, questions: Sequence[QuestionLike]) -> SplitResult:
    if fmt not in FORMATS:
        raise TranscriptError(f"unknown transcript format {fmt!r} (use .txt, .vtt or .srt)")
    if not text.strip():
        raise TranscriptError("the transcript is empty")
    if fmt == "txt":
        turns, labelled = _turns_from_text(text)
    else:
        turns, labelled = _turns_from_cues(_parse_cues(text, fmt))
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
                parts.append(Part(turn.text, turn.pieces[0].at, turn.speaker, None, asks))
            else:
                parts.append(Part(turn.text, turn.pieces[0].at, turn.speaker, current))
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


def read_transcript(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TranscriptError("the file is not text (save it as UTF-8)")


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
        text = read_transcript(path.read_bytes())
        result = split_transcript(text, suffix, guide.questions)
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
