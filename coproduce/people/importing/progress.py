"""Progress while a file is read: a bar on the terminal, or a background job's page."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from coproduce.core.tabular import Progress


def _no_progress(amount: int) -> None:
    return None


Report = Callable[[float | None, str], None]  # (fraction done or None, words for people)


def _reporter(report: Report, total: int, unit: str) -> Progress:
    done = [0]

    def update(amount: int) -> None:
        done[0] += amount
        if unit == "B" and total:
            report(done[0] / total, f"Read {done[0] * 100 // total}% of the file")
        else:
            report(None, f"Read {done[0]:,} rows")

    return update


def progress_factory(
    enabled: bool, report: Report | None = None
) -> tuple[Callable[[int, str], Progress], Callable[[], None]]:
    """Make a tqdm bar on stderr that only appears when the work takes over two seconds,
    or (for a background job) pass the progress to `report`."""
    bars: list[Any] = []

    def make(total: int, unit: str) -> Progress:
        if report is not None:
            return _reporter(report, total, unit)
        if not enabled:
            return _no_progress
        from tqdm import tqdm

        bar = tqdm(
            total=total or None,
            unit=unit,
            unit_scale=True,
            delay=2,
            file=sys.stderr,
            desc="Reading",
            leave=False,
            mininterval=0.5,
        )
        bars.append(bar)
        pending = [0]

        def update(amount: int) -> None:
            pending[0] += amount
            if pending[0] >= 65536 or unit == "rows" and pending[0] >= 500:
                bar.update(pending[0])
                pending[0] = 0

        return update

    def close() -> None:
        for bar in bars:
            bar.close()

    return make, close
