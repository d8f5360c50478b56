"""Admin support prints the letters waiting, as one PDF, and can print a pack again."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from coproduce.core.models import AuditEntry
from coproduce.messaging import services
from coproduce.messaging.models import LetterPack, Message, Status
from tests.messaging.conftest import read_pdf, text_items


def pdf_of(response) -> PdfReader:
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    return read_pdf(b"".join(response.streaming_content))


def ids(messages) -> str:
    return ",".join(str(m.pk) for m in messages)


def test_the_page_groups_the_letters_waiting_by_kind_and_day(login, letters_waiting):
    page = login("adam").get(reverse("messaging:letters"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Quick question" in html and "Print these 3 letters" in html
    assert f'value="{ids(letters_waiting)}"' in html


def test_printing_makes_one_pdf_and_marks_exactly_those_letters(login, letters_waiting, question):
    from tests.messaging.conftest import ask, poster

    later = ask(question, poster(9))  # arrives after the page was shown: not in this pack
    client = login("adam")
    response = client.post(reverse("messaging:letters_print"), {"ids": ids(letters_waiting)})
    pdf = pdf_of(response)
    first_pages = [p for p in pdf.pages if any(t == "Reply slip" for _, _, _, t in text_items(p))]
    assert len(first_pages) == 3 and len(pdf.pages) >= 3
    pack = LetterPack.objects.get()
    assert pack.count == 3 and pack.printed_by.email == "adam@example.org"
    for message in letters_waiting:
        message.refresh_from_db()
        assert message.status == Status.PRINTED and message.sent_at and message.letter_pack == pack
    later.refresh_from_db()
    assert later.status == Status.TO_PRINT and later.letter_pack is None
    assert AuditEntry.objects.filter(action="messages.letters_printed").count() == 1


def test_printing_the_same_letters_twice_prints_them_once(login, letters_waiting):
    client = login("adam")
    client.post(reverse("messaging:letters_print"), {"ids": ids(letters_waiting)})
    again = client.post(reverse("messaging:letters_print"), {"ids": ids(letters_waiting)})
    assert again.status_code == 302 and again["Location"] == reverse("messaging:letters")
    assert LetterPack.objects.count() == 1
    page = client.get(reverse("messaging:letters"))
    assert b"printed already" in page.content and b"No letters are waiting" in page.content


def test_a_pack_prints_again_with_the_same_letters_and_date(login, letters_waiting):
    client = login("carol")
    first = pdf_of(client.post(reverse("messaging:letters_print"), {"ids": ids(letters_waiting)}))
    pack = LetterPack.objects.get()
    page = client.get(reverse("messaging:letters"))
    assert reverse("messaging:letter_pack", args=[pack.pk]).encode() in page.content
    again = pdf_of(client.get(reverse("messaging:letter_pack", args=[pack.pk])))
    assert [p.extract_text() for p in again.pages] == [p.extract_text() for p in first.pages]
    assert AuditEntry.objects.filter(action="messages.letters_reprinted").count() == 1


@pytest.mark.parametrize("typed", ["", "1;2", "abc", "1,,2", "9" * 40, "1\x002", "1," * 50_000])
def test_bad_ids_are_refused_plainly_and_print_nothing(login, letters_waiting, typed):
    response = login("adam").post(reverse("messaging:letters_print"), {"ids": typed})
    # A NUL byte is refused for every page by the middleware (400, its own plain page).
    assert response.status_code == (400 if "\x00" in typed else 302)
    assert LetterPack.objects.count() == 0
    assert not Message.objects.filter(status=Status.PRINTED).exists()


def test_ids_of_letters_not_waiting_print_nothing(login, letters_waiting, users):
    other = Message.objects.exclude(pk__in=[m.pk for m in letters_waiting])
    assert not other.exists()
    response = login("adam").post(reverse("messaging:letters_print"), {"ids": "999999"})
    assert response.status_code == 302 and LetterPack.objects.count() == 0


def test_only_the_coordinator_and_admin_support_print(login, letters_waiting):
    for name in ("fiona", "frank", "alice"):
        client = login(name)
        assert client.get(reverse("messaging:letters")).status_code == 403
        refused = client.post(reverse("messaging:letters_print"), {"ids": ids(letters_waiting)})
        assert refused.status_code == 403
    assert not Message.objects.filter(status=Status.PRINTED).exists()


def test_the_home_page_counts_letters_to_print_for_admin_support(login, letters_waiting):
    page = login("adam").get(reverse("home:home"))
    assert b"3 letters to print" in page.content
    assert b"letters to print" not in login("fiona").get(reverse("home:home")).content


@pytest.mark.django_db(transaction=True)
def test_two_people_printing_at_once_make_one_pack(users, question):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's test database is one connection; PostgreSQL runs this")
    from tests.messaging.conftest import ask, poster

    waiting = [ask(question, poster(n)) for n in range(4)]
    barrier, packs = threading.Barrier(3), []

    def go(user):
        barrier.wait()
        try:
            packs.append(services.letters_print(ids=[m.pk for m in waiting], actor=users[user]))
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(u,)) for u in ("adam", "carol", "adam")]
    [t.start() for t in threads]
    [t.join() for t in threads]
    made = [p for p in packs if p is not None]
    assert len(made) == 1 and LetterPack.objects.count() == 1
    assert Message.objects.filter(letter_pack=made[0], status=Status.PRINTED).count() == 4
