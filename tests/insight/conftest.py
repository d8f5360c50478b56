import pytest

from .helpers import make_items, write_csv


@pytest.fixture
def items_csv(tmp_path):
    rows = make_items()
    return write_csv(tmp_path / "items.csv", ["id", "text"], [(i, t) for i, t, _ in rows]), rows


@pytest.fixture
def promises_csv(tmp_path):
    return write_csv(
        tmp_path / "promises.csv",
        ["code", "title", "description"],
        [
            ("P1", "Repairs fixed quickly", "We mend repairs like boilers and windows fast"),
            ("P2", "Quiet homes", "We act on noise and noisy neighbours at night"),
            ("P3", "Staff who listen", "Our staff are kind and listen to tenants"),
        ],
    )
