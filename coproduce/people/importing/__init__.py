"""Import people from a landlord's CSV or XLSX export: upsert by `external_ref`.

The rules (see docs/import-people.md):

* all-or-nothing per file: if any row is rejected, nothing is saved;
* idempotent: values are normalised before they are compared, so importing the same
  file twice reports every row as "unchanged" the second time;
* fast on big files: rows are streamed, the people already held are loaded in one query
  as (pk, one compact comparable string), and writes go out in batches inside one
  transaction. There are no per-row queries.

One module per step: `columns` (what each heading means and how a cell is checked),
`reading` (open the file through `core.tabular`, check the header), `walk` (one pass over
the rows), `writer` (batched SQL), `results`, `progress`, `service` (`analyse_file` checks a
file without writing, `import_file` writes it; both walk the file with the same code, so a
preview can never disagree with the import it leads to) and `cli` (`coproduce import-people`).
A committed import sends `coproduce.people.signals.people_imported`.
"""

from coproduce.people.importing.cli import cli_main
from coproduce.people.importing.columns import (
    BY_NAME,
    COLUMN_NAMES,
    COLUMNS,
    Column,
    RowError,
    template_csv,
)
from coproduce.people.importing.reading import SUPPORTED_SUFFIXES, ImportFileError
from coproduce.people.importing.results import ImportResult, PreviewRow, Rejection
from coproduce.people.importing.service import analyse_file, import_file

__all__ = [
    "BY_NAME",
    "COLUMNS",
    "COLUMN_NAMES",
    "SUPPORTED_SUFFIXES",
    "Column",
    "ImportFileError",
    "ImportResult",
    "PreviewRow",
    "Rejection",
    "RowError",
    "analyse_file",
    "cli_main",
    "import_file",
    "template_csv",
]
