"""Finance exports: bank transfer batch (CSV and XLSX) and voucher orders (CSV).

Amounts are written from Decimal: as text with two places in CSV, and as numeric cells with
a 0.00 format in XLSX. The totals row is the ledger's own total for the batch."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from coproduce.rewards import selectors
from coproduce.rewards.models import PaymentBatch

BANK_HEADER = ["Payee", "Reference", "Payment reference", "Date", "What for", "Amount (GBP)"]
VOUCHER_HEADER = ["Person", "Reference", "Voucher", "Value (GBP)", "Code"]


def _safe(text: str) -> str:
    # Stop spreadsheet formula injection from names typed by people.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def bank_rows(batch: PaymentBatch) -> list[list[object]]:
    return [
        [
            _safe(entry.person.full_name),
            selectors.person_ref(entry.person),
            batch.reference,
            entry.on.isoformat(),
            _safe(entry.line.description),
            entry.amount,
        ]
        for entry in selectors.batch_bank_entries(batch)
    ]


def bank_csv(batch: PaymentBatch) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(BANK_HEADER)
    for row in bank_rows(batch):
        writer.writerow([*row[:-1], f"{row[-1]:.2f}"])
    writer.writerow(
        ["Total", "", batch.reference, "", "", f"{selectors.batch_bank_total(batch):.2f}"]
    )
    return out.getvalue()


def bank_xlsx(batch: PaymentBatch) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Bank transfers"
    sheet.append(BANK_HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in bank_rows(batch):
        sheet.append(row)
        sheet.cell(row=sheet.max_row, column=6).number_format = "0.00"
    sheet.append(["Total", "", batch.reference, "", "", selectors.batch_bank_total(batch)])
    total = sheet.cell(row=sheet.max_row, column=6)
    total.number_format = "0.00"
    total.font = Font(bold=True)
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    for column, width in zip("ABCDEF", (28, 14, 18, 12, 50, 14), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def voucher_csv(batch: PaymentBatch) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(VOUCHER_HEADER)
    for line in selectors.batch_voucher_lines(batch):
        voucher = getattr(line, "voucher", None)
        writer.writerow(
            [
                _safe(line.person.full_name),
                selectors.person_ref(line.person),
                _safe(line.voucher_kind or "Shopping"),
                f"{line.amount:.2f}",
                voucher.code if voucher else "",
            ]
        )
    return out.getvalue()


def year_summary_csv(summary: dict[str, object]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["Date", "Project", "What", "Minutes", "Form", "Amount (GBP)", "Status", "Counts as income"]
    )
    for line in summary["lines"]:  # type: ignore[attr-defined]
        writer.writerow(
            [
                line.on.isoformat(),
                _safe(line.project.title),
                _safe(line.description),
                line.minutes,
                line.get_form_display(),
                f"{line.amount:.2f}",
                line.get_status_display(),
                "yes" if line.is_income else "no",
            ]
        )
    writer.writerow([])
    writer.writerow(
        ["Income from rewards this tax year", "", "", "", "", f"{summary['income']:.2f}"]
    )
    writer.writerow(
        ["Expenses paid back (not income)", "", "", "", "", f"{summary['expenses']:.2f}"]
    )
    return out.getvalue()
