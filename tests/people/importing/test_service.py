"""The people import engine: upsert by external_ref, all-or-nothing, idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from coproduce.core.models import AuditEntry
from coproduce.people import importing
from coproduce.people.importing import ImportFileError, analyse_file, import_file, writer
from coproduce.people.models import Area, Channel, Person

HEADER = importing.COLUMN_NAMES


def row(ref: str, **values: str) -> dict[str, str]:
    base = {"external_ref": ref, "first_name": "Sam", "last_name": "Jones"}
    return {**base, **values}


def write_csv(path, rows, header=HEADER, *, bom: bool = False):
    lines = [",".join(header)]
    for values in rows:
        cells = []
        for name in header:
            text = values.get(name, "")
            cells.append(f'"{text}"' if ("," in text or '"' in text) else text)
        lines.append(",".join(cells))
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


@pytest.fixture
def three(tmp_path):
    return write_csv(
        tmp_path / "people.csv",
        [
            row("A1", email="a1@example.org", tenure="sheltered", area="Northfield"),
            row("A2", date_of_birth="21/04/1975", preferred_channels="phone;In person"),
            row("A3", contact_consent="yes", availability="weekend"),
        ],
    )


def test_it_creates_people_with_normalised_values(db, three):
    result = import_file(three)
    assert (result.created, result.updated, result.unchanged, result.rejected) == (3, 0, 0, 0)
    assert result.saved
    a1 = Person.objects.get(external_ref="A1")
    assert a1.tenure == "sheltered"
    assert a1.area.name == "Northfield"
    a2 = Person.objects.get(external_ref="A2")
    assert a2.date_of_birth == dt.date(1975, 4, 21)
    assert a2.preferred_channels == ["in_person", "phone"]
    a3 = Person.objects.get(external_ref="A3")
    assert a3.contact_consent is True
    assert a3.contact_consent_at is not None
    assert a3.availability == ["weekend"]
    assert a3.tenure == "general_needs"


def test_reimporting_the_same_file_changes_nothing(db, three):
    import_file(three)
    before = list(Person.objects.order_by("pk").values())
    again = import_file(three)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert list(Person.objects.order_by("pk").values()) == before


def test_it_writes_one_audit_entry_per_import(db, three):
    import_file(three)
    entries = AuditEntry.objects.filter(action="people.imported")
    assert entries.count() == 1
    assert "people.csv" in entries[0].summary
    assert "created: 3" in entries[0].summary


def test_labels_and_codes_and_case_compare_equal(db, tmp_path, area):
    first = write_csv(
        tmp_path / "one.csv",
        [row("B1", tenure="sheltered", area="Northfield", preferred_channels="phone;online")],
    )
    import_file(first)
    second = write_csv(
        tmp_path / "two.csv",
        [
            row(
                "B1",
                tenure="Sheltered or retirement housing",
                area="NORTHFIELD",
                preferred_channels="Online; PHONE",
            )
        ],
    )
    result = analyse_file(second)
    assert result.unchanged == 1
    assert Area.objects.count() == 1


def test_it_detects_and_saves_updates(db, tmp_path, three):
    import_file(three)
    changed = write_csv(
        tmp_path / "people.csv",
        [
            row("A1", email="new@example.org", tenure="sheltered", area="Northfield"),
            row("A2", date_of_birth="1975-04-21", preferred_channels="in_person;phone"),
            row("A3", contact_consent="no", availability="weekend"),
        ],
    )
    preview = analyse_file(changed)
    assert (preview.created, preview.updated, preview.unchanged) == (0, 2, 1)
    assert [(r.external_ref, r.changes) for r in preview.sample] == [
        ("A1", ["email"]),
        ("A3", ["contact_consent"]),
    ]
    result = import_file(changed)
    assert result.updated == 2
    assert Person.objects.get(external_ref="A1").email == "new@example.org"
    a3 = Person.objects.get(external_ref="A3")
    assert a3.contact_consent is False
    assert a3.contact_consent_at is None
    assert import_file(changed).unchanged == 3


def test_an_update_keeps_the_date_consent_was_given(db, tmp_path):
    import_file(write_csv(tmp_path / "a.csv", [row("C1", contact_consent="yes")]))
    given = Person.objects.get(external_ref="C1").contact_consent_at
    import_file(write_csv(tmp_path / "a.csv", [row("C1", contact_consent="yes", phone="0")]))
    person = Person.objects.get(external_ref="C1")
    assert person.phone == "0"
    assert person.contact_consent_at == given


def test_columns_left_out_keep_what_is_held(db, tmp_path):
    import_file(write_csv(tmp_path / "a.csv", [row("D1", email="d1@example.org")]))
    import_file(
        write_csv(
            tmp_path / "b.csv",
            [{"external_ref": "D1", "first_name": "Dee"}],
            header=("external_ref", "first_name"),
        )
    )
    person = Person.objects.get(external_ref="D1")
    assert (person.first_name, person.last_name, person.email) == ("Dee", "Jones", "d1@example.org")


def test_a_utf8_bom_is_accepted(db, tmp_path):
    result = import_file(write_csv(tmp_path / "bom.csv", [row("E1", first_name="Zoë")], bom=True))
    assert result.created == 1
    assert Person.objects.get(external_ref="E1").first_name == "Zoë"


def test_header_names_ignore_case_and_spaces(db, tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("External Ref,First Name,date-of-birth\nF1,Fay,1990-01-02\n")
    assert import_file(path).created == 1


def test_one_bad_row_saves_nothing_even_after_batches_were_written(db, tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "BATCH_SIZE", 2)
    rows = [row(f"G{n}", area=f"Area {n}") for n in range(7)]
    rows.append(row("G9", date_of_birth="31/02/1990"))
    result = import_file(write_csv(tmp_path / "g.csv", rows))
    assert not result.saved
    assert result.created == 7
    assert [(r.line, r.reason) for r in result.rejections] == [
        (9, "date_of_birth '31/02/1990' is not a real date in the form YYYY-MM-DD or DD/MM/YYYY")
    ]
    assert Person.objects.count() == 0
    assert Area.objects.count() == 0
    assert not AuditEntry.objects.filter(action="people.imported").exists()


def test_a_dry_run_saves_nothing(db, three):
    result = analyse_file(three)
    assert result.created == 3
    assert Person.objects.count() == 0
    assert Area.objects.count() == 0


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"date_of_birth": "2031-01-01"}, "is in the future"),
        ({"date_of_birth": "1890-01-01"}, "older than 120"),
        ({"date_of_birth": "1990/01/01"}, "not a real date"),
        ({"tenure": "council"}, "tenure 'council' is not one of"),
        ({"preferred_channels": "phone,online"}, "separate values with semicolons"),
        ({"email": "not-an-email"}, "is not an email address"),
        ({"contact_consent": "maybe"}, "contact_consent 'maybe' must be yes"),
        ({"first_name": ""}, "first_name is empty but is required"),
        ({"postcode": "TOO LONG POSTCODE"}, "too long"),
        ({"digital_access": "fibre"}, "digital_access 'fibre' is not one of"),
    ],
)
def test_bad_values_are_rejected_with_line_and_reason(db, tmp_path, values, reason):
    result = import_file(write_csv(tmp_path / "bad.csv", [row("H1"), row("H2", **values)]))
    assert not result.saved
    assert len(result.rejections) == 1
    assert result.rejections[0].line == 3
    assert reason in result.rejections[0].reason
    assert Person.objects.count() == 0


def test_duplicate_refs_are_rejected_with_both_line_numbers(db, tmp_path):
    result = import_file(write_csv(tmp_path / "d.csv", [row("J1"), row("J2"), row("J1")]))
    assert [(r.line, r.reason) for r in result.rejections] == [
        (4, "external_ref 'J1' is also on line 2")
    ]
    assert Person.objects.count() == 0


def test_every_bad_row_is_listed(db, tmp_path):
    rows = [row("K1", tenure="x"), row("K2"), row("K3", date_of_birth="x", email="y")]
    result = analyse_file(write_csv(tmp_path / "k.csv", rows))
    assert [r.line for r in result.rejections] == [2, 4]
    assert "date_of_birth" in result.rejections[1].reason
    assert "email" in result.rejections[1].reason


def test_non_utf8_bytes_are_rejected_naming_the_line(db, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"external_ref,first_name\nL1,Ann\nL2,Ren\xe9e\nL3,Bo\n")
    result = import_file(path)
    assert [r.line for r in result.rejections] == [3]
    assert "not UTF-8" in result.rejections[0].reason
    assert Person.objects.count() == 0


def test_a_row_with_too_many_values_is_rejected(db, tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("external_ref,first_name\nM1,Ann\nM2,Bo,extra\n")
    result = import_file(path)
    assert result.rejections[0].line == 3
    assert "has 3 values but the header has 2 columns" in result.rejections[0].reason


def test_line_numbers_count_quoted_newlines(db, tmp_path):
    path = tmp_path / "multi.csv"
    path.write_text('external_ref,first_name,address\nN1,Ann,"1 Road\nTown"\nN2,,x\n')
    result = analyse_file(path)
    assert [r.line for r in result.rejections] == [4]


def test_blank_lines_are_skipped(db, tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("external_ref,first_name\n\nP1,Ann\n,\n")
    assert import_file(path).created == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "empty.csv is empty"),
        ("bom-only.csv", b"\xef\xbb\xbf", "is empty"),
        ("header.csv", b"external_ref,first_name\n", "has column names but no people"),
        (
            "missing.csv",
            b"external_ref,last_name\nQ1,Jones\n",
            "missing required column first_name",
        ),
        (
            "extra.csv",
            b"external_ref,first_name,nickname\nQ1,Al,Big Al\n",
            "unknown column nickname",
        ),
        ("typo.csv", b"external_ref,first_name,emial\nQ1,Al,a@b.org\n", "did you mean email?"),
        ("twice.csv", b"external_ref,first_name,email,email\n", "email appears more than once"),
        ("semi.csv", b"external_ref;first_name\nQ1;Al\n", "semicolons between columns"),
        ("fake.xlsx", b"external_ref,first_name\nQ1,Al\n", "is not an Excel spreadsheet"),
        ("people.xls", b"whatever", "cannot import a file .xls"),
        ("people.txt", b"external_ref,first_name\n", "cannot import a file .txt"),
        ("bad-header.csv", b"external_ref,first_\xffname\nQ1,Al\n", "not UTF-8"),
    ],
)
def test_malformed_files_are_refused_and_change_nothing(db, tmp_path, name, content, message):
    Person.objects.create(external_ref="KEEP", first_name="Kept")
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as caught:
        import_file(path)
    assert message in str(caught.value)
    assert list(Person.objects.values_list("external_ref", flat=True)) == ["KEEP"]


def write_xlsx(path, rows):
    book = Workbook()
    sheet = book.active
    for values in rows:
        sheet.append(values)
    book.save(path)
    return path


def test_xlsx_files_import_with_typed_cells(db, tmp_path):
    path = write_xlsx(
        tmp_path / "people.xlsx",
        [
            ["external_ref", "first_name", "date_of_birth", "contact_consent", "phone"],
            [1001, "Ann", dt.datetime(1980, 5, 1), True, None],
            [None, None, None, None, None],
            ["X-2", "Bo", "02/03/1990", "no", "07700 900001"],
        ],
    )
    result = import_file(path)
    assert (result.created, result.rejected) == (2, 0)
    ann = Person.objects.get(external_ref="1001")
    assert ann.date_of_birth == dt.date(1980, 5, 1)
    assert ann.contact_consent is True
    assert Person.objects.get(external_ref="X-2").date_of_birth == dt.date(1990, 3, 2)
    assert import_file(path).unchanged == 2


def test_xlsx_rejections_use_spreadsheet_row_numbers(db, tmp_path):
    path = write_xlsx(
        tmp_path / "people.xlsx",
        [["external_ref", "first_name"], ["R1", "Ann"], ["R1", "Ann again"]],
    )
    result = import_file(path)
    assert [(r.line, r.reason) for r in result.rejections] == [
        (3, "external_ref 'R1' is also on line 2")
    ]
    assert Person.objects.count() == 0


def test_the_template_imports_cleanly(db, tmp_path):
    path = tmp_path / "template.csv"
    path.write_text(importing.template_csv())
    result = import_file(path)
    assert (result.created, result.rejected) == (1, 0)
    person = Person.objects.get(external_ref="HA-000123")
    assert person.preferred_channels == ["in_person", "phone"]
    assert person.address == "12 Mill Lane, Northfield"


@given(
    st.lists(st.sampled_from(list(Channel)), max_size=8),
    st.randoms(use_true_random=False),
)
def test_channel_lists_compare_equal_whatever_the_order_case_or_wording(chosen, rng):
    column = importing.BY_NAME["preferred_channels"]
    words = [rng.choice([c.value, c.label, c.label.upper(), c.value.title()]) for c in chosen]
    parsed = column.parse(" ; ".join(words))
    assert parsed == [c.value for c in Channel if c in chosen]
    shuffled = list(parsed)
    rng.shuffle(shuffled)
    assert column.canon(shuffled) == column.canon(parsed)


def test_consent_given_in_an_update_is_stamped_once(db, tmp_path):
    import_file(write_csv(tmp_path / "a.csv", [row("C2", contact_consent="no")]))
    assert Person.objects.get(external_ref="C2").contact_consent_at is None
    import_file(write_csv(tmp_path / "a.csv", [row("C2", contact_consent="yes", phone="1")]))
    given = Person.objects.get(external_ref="C2").contact_consent_at
    assert given is not None
    result = import_file(write_csv(tmp_path / "a.csv", [row("C2", contact_consent="1", phone="2")]))
    assert result.updated == 1
    person = Person.objects.get(external_ref="C2")
    assert (person.phone, person.contact_consent_at) == ("2", given)


def test_an_erased_persons_reference_is_refused_and_nothing_is_kept(db, tmp_path):
    from django.utils import timezone

    from coproduce.people.services import ref_fingerprint

    Person.objects.create(
        first_name="Erased",
        external_ref=None,
        erased_at=timezone.now(),
        erased_ref=ref_fingerprint("GONE1"),
    )
    path = write_csv(tmp_path / "p.csv", [row("NEW1"), row("GONE1")])
    result = import_file(path)
    assert not result.saved
    [rejection] = result.rejections
    assert rejection.line == 3 and "belonged to a person who has been erased" in rejection.reason
    assert not Person.objects.filter(external_ref__in=["NEW1", "GONE1"]).exists()


def test_a_restricted_persons_record_is_not_changed_by_a_file(db, tmp_path):
    Person.objects.create(
        first_name="Sam", last_name="Jones", external_ref="R1", processing_restricted=True
    )
    same = import_file(write_csv(tmp_path / "same.csv", [row("R1")]))
    assert same.saved and same.unchanged == 1  # nothing would change: nothing refused
    changed = import_file(write_csv(tmp_path / "new.csv", [row("R1", last_name="Smith")]))
    assert not changed.saved
    assert "restricted" in changed.rejections[0].reason
    assert Person.objects.get(external_ref="R1").last_name == "Jones"
