"""TSM management figures (.csv, .xlsx)."""

from __future__ import annotations

from coproduce.evaluation.parsing import (
    TSM_MEASURES,
    Figure,
    read_tsm_figures,
)
from tests.evaluation.parsing.builders import csv_bytes, error_of, make_xlsx

# --------------------------------------------------------------------------- TSM figures


def test_tsm_measures_are_all_22():
    assert len(TSM_MEASURES) == 22
    assert TSM_MEASURES["TP01"] == "Overall satisfaction"
    assert TSM_MEASURES["TP06"] == (
        "Satisfaction that the landlord listens to tenant views and acts upon them"
    )
    assert TSM_MEASURES["RP01"] == "Homes that do not meet the Decent Homes Standard"
    assert TSM_MEASURES["BS01"] == "Gas safety checks"
    assert (
        TSM_MEASURES["NM01"] == "Anti-social behaviour cases relative to the size of the landlord"
    )
    assert list(TSM_MEASURES)[:12] == [f"TP{n:02d}" for n in range(1, 13)]


def test_tsm_figures_csv():
    data = csv_bytes(
        "Code,Value,Year,Description\n"
        "RP01,2.5%,2024/25,Non-decent homes\n"
        "rp2,97,2024/25,\n"
        'CH01 ,"1,031.2",2024/25,Complaints per 1000 homes\n'
    )
    assert read_tsm_figures(data, "tsm.csv") == [
        Figure("RP01", 2.5, "2024/25", "Non-decent homes"),
        Figure("RP02", 97.0, "2024/25", ""),
        Figure("CH01", 1031.2, "2024/25", "Complaints per 1000 homes"),
    ]


def test_tsm_figures_values():
    data = csv_bytes(
        "code,value,year\nRP01,2.5%,2024/25\nBS01,99.8,2024/25\nCH01,31.2,2024/25\nNM01,45,\n"
    )
    assert read_tsm_figures(data, "tsm.csv") == [
        Figure("RP01", 2.5, "2024/25", ""),
        Figure("BS01", 99.8, "2024/25", ""),
        Figure("CH01", 31.2, "2024/25", ""),
        Figure("NM01", 45.0, "", ""),
    ]


def test_tsm_figures_xlsx_percent_cells():
    data = make_xlsx(
        [["code", "value", "description"], ["BS02", 0.985, "Fire"], ["CH02", "85%", ""]],
        percent_cells=("B2",),
    )
    assert read_tsm_figures(data, "figures.xlsx") == [
        Figure("BS02", 98.5, "", "Fire"),
        Figure("CH02", 85.0, "", ""),
    ]


def test_tsm_figures_errors():
    assert "line 3: 'TP01' is not a TSM management measure code" in error_of(
        read_tsm_figures, csv_bytes("code,value\nRP01,1\nTP01,2\n"), "f.csv"
    )
    assert "'BS06'" in error_of(read_tsm_figures, csv_bytes("code,value\nBS06,1\n"), "f.csv")
    assert "must be a number" in error_of(
        read_tsm_figures, csv_bytes("code,value\nRP01,lots\n"), "f.csv"
    )
    assert "more than 100" in error_of(
        read_tsm_figures, csv_bytes("code,value\nBS03,101\n"), "f.csv"
    )
    assert "negative" in error_of(read_tsm_figures, csv_bytes("code,value\nCH01,-1\n"), "f.csv")
    assert "lines 2 and 3" in error_of(
        read_tsm_figures, csv_bytes("code,value,year\nRP01,1,2025\nRP01,2,2025\n"), "f.csv"
    )
    assert "'value'" in error_of(read_tsm_figures, csv_bytes("code,year\nRP01,2025\n"), "f.csv")
    assert "'notes'" in error_of(
        read_tsm_figures, csv_bytes("code,value,notes\nRP01,1,x\n"), "f.csv"
    )
    assert "no rows" in error_of(read_tsm_figures, csv_bytes("code,value\n"), "f.csv")
    assert error_of(read_tsm_figures, b"", "f.xlsx") == "The file is empty."
    assert "not a TSM management measure code" in error_of(
        read_tsm_figures, csv_bytes("code,value\nBS01(1),1\n"), "f.csv"
    )
    assert "one part of CH01" in error_of(
        read_tsm_figures, csv_bytes("code,value\nCH01(1),1\n"), "f.csv"
    )


def test_tsm_figures_same_code_in_different_years_is_fine():
    data = csv_bytes("code,value,year\nRP01,3,2023/24\nRP01,2,2024/25\n")
    assert [figure.value for figure in read_tsm_figures(data, "f.csv")] == [3.0, 2.0]
