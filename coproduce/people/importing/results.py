"""What an import (or its dry run) found: counts, rejected rows and a sample for the preview."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Rejection:
    line: int
    reason: str


@dataclass
class PreviewRow:
    line: int
    external_ref: str
    name: str
    action: str  # "create" or "update"
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    file_name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    sample: list[PreviewRow] = field(default_factory=list)
    saved: bool = False

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected

    def counts_line(self) -> str:
        return (
            f"created: {self.created}, updated: {self.updated}, "
            f"unchanged: {self.unchanged}, rejected: {self.rejected}"
        )
