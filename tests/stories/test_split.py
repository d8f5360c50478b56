"""The transcript splitter: plain text without speaker labels, labelled text, .vtt and .srt."""

from __future__ import annotations

from pathlib import Path

import pytest

from coproduce.stories.guides import DEFAULT_GUIDE
from coproduce.stories.split import (
    TranscriptError,
    decode_transcript,
    detect_format,
    split_transcript,
)

FIXTURES = Path(__file__).parent / "fixtures"
DEMO_INTERVIEW = Path(__file__).parents[2] / "coproduce" / "stories" / "demo_interview.txt"

# fixture -> {question: (where the question starts, words in its answer)}
PLAIN = {
    "plain_close_to_guide.txt": {
        1: ("Please introduce yourself", "My name is Maureen"),
        2: ("Describe a piece", "from scratch"),
        3: ("What did you and the organisation learn", "my opinion counts"),
        4: ("What was the impact", "confidence back"),
        5: ("What were the challenges", "waste of time"),
        6: ("How does co-production make you feel", "listened to"),
        7: ("What are your top tips", "Pay people fairly"),
        8: ("What is the value", "build trust"),
    },
    "plain_paraphrased.txt": {
        1: ("So to start off, could you tell us", "I'm Dev"),
        2: ("Can you talk me through", "appointment letter"),
        3: ("And what do you think you and the organisation took away", "jargon"),
        4: ("What difference did it make", "Missed appointments"),
        5: ("What got in the way", "tricky"),
        6: ("When you think back on it", "Energised"),
        7: ("If someone was just starting out", "Don't guess"),
        8: ("And finally, why does it matter", "complaints go down"),
    },
    "plain_one_block.txt": {
        1: ("Would you like to introduce yourself", "Patrick"),
        2: ("Could you describe the co-production", "health check group"),
        3: ("So what did you learn from it", "follow-on jobs"),
        4: ("What impact did it have", "less lonely"),
        5: ("Were there any difficulties", "my health"),
        6: ("How did being part of it make you feel", "respected"),
        7: ("What would be your top tips", "Pay expenses"),
        8: ("What's the value", "the truth"),
    },
    # Question 3 and 4 are never asked; chatter sits between questions.
    "plain_skips_and_chatter.txt": {
        1: ("So first of all, tell me who you are", "carer for my mum"),
        2: ("Tell me about a piece of work", "Tuesday evenings"),
        5: ("What were the biggest challenges", "internet dropped out"),
        6: ("And how does it feel", "feel useful"),
        7: ("Any tips for staff", "Send papers a week before"),
        8: ("What's the value", "hall meetings"),
    },
}


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_plain_text_without_labels_is_split_into_the_right_questions(name):
    text = (FIXTURES / name).read_text()
    result = split_transcript(text, "txt", DEFAULT_GUIDE.questions)
    assert not result.labelled
    segments = {s["question"]: s for s in result.segments()}
    expected = PLAIN[name]
    assert sorted(segments) == sorted(expected)
    for number, (asked, words) in expected.items():
        segment = segments[number]
        at = segment["asked_at"]
        assert text[at:].startswith(asked), (number, text[at : at + 40])
        assert words in segment["answer"], (number, segment["answer"])
        # an answer never runs on into the next question's answer
        for other, (_, other_words) in expected.items():
            if other != number:
                assert other_words not in segment["answer"]


def test_a_vtt_with_speakers_is_split_by_turns():
    text = (FIXTURES / "interview_speakers.vtt").read_text()
    result = split_transcript(text, "vtt", DEFAULT_GUIDE.questions)
    assert result.labelled
    assert result.interviewer == "Sam Interviewer"
    segments = result.segments()
    assert [s["question"] for s in segments] == [1, 2, 3, 4, 5, 6, 7, 8]
    # cue indexes (0-based) of the interviewer's cues
    assert [s["asked_at"] for s in segments] == [0, 3, 5, 7, 9, 11, 13, 15]
    # one speaker's consecutive cues are one turn; the interviewer's words are not an answer
    assert segments[0]["answer"] == (
        "Hi, I'm Amira. I live in Westside and I'm a member of the customer promises group. "
        "I've been involved for about a year now."
    )
    assert all("?" not in s["answer"] for s in segments)
    assert segments[7]["answer"] == "It changes what the organisation does, not just what it says."


def test_an_srt_with_name_labels_keeps_only_the_questions_asked():
    text = (FIXTURES / "labelled.srt").read_text()
    segments = split_transcript(text, "srt", DEFAULT_GUIDE.questions).segments()
    assert [(s["question"], s["asked_at"]) for s in segments] == [(1, 0), (5, 2), (8, 4)]
    assert segments[1]["answer"] == "Getting new people to come. It's the same faces every time."


def test_plain_text_with_speaker_labels_drops_the_labels():
    text = (FIXTURES / "labelled.txt").read_text()
    result = split_transcript(text, "txt", DEFAULT_GUIDE.questions)
    assert result.labelled
    segments = {s["question"]: s for s in result.segments()}
    assert sorted(segments) == [1, 2, 3, 6]
    assert (
        segments[2]["answer"] == "We wrote the customer promises.\nIt took us a year of workshops."
    )
    assert text[segments[6]["asked_at"] :].startswith("And how does it make you feel?")
    assert "Rosa:" not in segments[1]["answer"]


def test_parts_cover_every_turn_and_mark_where_questions_are_asked():
    text = (FIXTURES / "interview_speakers.vtt").read_text()
    result = split_transcript(text, "vtt", DEFAULT_GUIDE.questions)
    asks = [p.asks for p in result.parts if p.asks]
    assert asks == [1, 2, 3, 4, 5, 6, 7, 8]
    assert all(p.question is None for p in result.parts if p.speaker == "Sam Interviewer")


def test_it_detects_the_format():
    assert detect_format("a.VTT", "") == "vtt"
    assert detect_format("upload", "WEBVTT\n\n") == "vtt"
    assert detect_format("upload", "1\n00:00:01,000 --> 00:00:02,000\nHi\n") == "srt"
    assert detect_format("notes.txt", "WEBVTT") == "txt"


@pytest.mark.parametrize(
    ("text", "fmt"),
    [("", "txt"), ("   \n", "txt"), ("WEBVTT\n\nno cues here", "vtt"), ("hello", "doc")],
)
def test_it_rejects_unreadable_transcripts(text, fmt):
    with pytest.raises(TranscriptError):
        split_transcript(text, fmt, DEFAULT_GUIDE.questions)


def test_the_default_guide_in_the_database_matches_the_shipped_one(db):
    from coproduce.stories.models import InterviewGuide
    from coproduce.stories.services import guide_ensure_default

    guide = guide_ensure_default()
    assert InterviewGuide.objects.count() == 1
    texts = list(guide.questions.order_by("number").values_list("text", flat=True))
    assert texts == [q.text for q in DEFAULT_GUIDE.questions]


def test_thanks_and_small_talk_between_questions_belong_to_no_answer():
    text = (FIXTURES / "plain_paraphrased.txt").read_text()
    answers = split_transcript(text, "txt", DEFAULT_GUIDE.questions).answers()
    assert answers[1] == (
        "I'm Dev, I work in the repairs team as a planner, and I joined the promises project "
        "as a staff member."
    )
    assert "Thank you so much" not in answers[8]


# Where questions are asked and parts start is what a story stores (StoryAnswer.asked_at,
# Story.parts[].at): a character offset into the transcript for .txt, the 0-based cue index for
# .vtt and .srt (docs/stories.md). The numbers below were counted from the files, so a change
# in how the transcript reader places text fails here.


def test_asked_at_in_labelled_plain_text_is_the_offset_of_the_question():
    text = (FIXTURES / "labelled.txt").read_text()
    result = split_transcript(text, "txt", DEFAULT_GUIDE.questions)
    # line 1 is "Interviewer: Thanks for doing this. First, please introduce ..."
    assert result.asked == {1: 36, 2: 171, 3: 306, 6: 426}
    assert [part.at for part in result.parts] == [13, 90, 171, 229, 306, 350, 426, 463]
    for part in result.parts:
        assert text[part.at :].startswith(part.text.split("\n")[0])


def test_asked_at_in_the_demo_interview_is_the_offset_of_each_question():
    text = DEMO_INTERVIEW.read_text(encoding="utf-8")
    result = split_transcript(text, "txt", DEFAULT_GUIDE.questions)
    assert not result.labelled
    assert result.asked == {
        1: 103,  # "So to start, could you tell me a bit about yourself ..."
        2: 358,  # "Can you describe the piece of co-production ..."
        3: 616,
        4: 918,
        5: 1151,
        6: 1358,
        7: 1462,
        8: 1675,  # "And last one: what's the value of co-production?" is not a speaker
    }
    assert text[1675:].startswith("And last one: what's the value")
    for part in result.parts:
        assert text[part.at :].startswith(part.text)


def test_asked_at_in_a_vtt_is_the_cue_index_of_every_part():
    text = (FIXTURES / "interview_speakers.vtt").read_text()
    result = split_transcript(text, "vtt", DEFAULT_GUIDE.questions)
    # 17 cues; Amira's first two (cues 1 and 2) are one part, found at the first of them
    assert [part.at for part in result.parts] == [0, 1, *range(3, 17)]


def test_an_upload_is_decoded_once_with_windows_line_endings_made_plain():
    data = (FIXTURES / "labelled.txt").read_bytes().replace(b"\n", b"\r\n")
    text = decode_transcript(data, "rosa.txt")
    assert "\r" not in text
    assert split_transcript(text, "txt", DEFAULT_GUIDE.questions).asked == {
        1: 36,
        2: 171,
        3: 306,
        6: 426,
    }


def test_an_upload_from_an_old_windows_editor_is_still_read():
    assert decode_transcript("Interviewer: Café?\n".encode("cp1252")) == "Interviewer: Café?\n"
    with pytest.raises(TranscriptError, match="rubbish.txt is not UTF-8 text"):
        decode_transcript(b"\x81\x8d\x8f", "rubbish.txt")
