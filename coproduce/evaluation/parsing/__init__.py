"""Read evidence files for the annual health check: pure Python, no Django.

Four readers, each taking the file's bytes and its name (the name picks the format and is
used in messages):

* `read_transcript`: a meeting transcript (.vtt, .srt, .txt, .docx) split into speaker turns;
* `read_survey`: the Tenant Satisfaction Measures perception survey export (.csv, .xlsx);
* `read_tsm_figures`: TSM management figures (RP, BS, CH, NM codes) (.csv, .xlsx);
* `read_document`: the text of a .pdf, .docx or .txt document.

Every problem with a file raises `EvidenceError`, a `ValueError` whose message is one
plain-English line that names the file and, where it can, the line and column. A reader
either returns everything in the file or raises: there is never a partial result, so the
caller can import all-or-nothing. The accepted formats are described in
docs/evidence-formats.md.

One module per kind of file: `transcripts`, `survey`, `figures` and `documents`, over `common`
(the error, file names, UTF-8) and `tables` (header and row rules for the CSV/XLSX files, read
by `coproduce.core.tabular`); transcripts are read by `coproduce.core.transcripts`.
"""

from coproduce.core.transcripts import Turn
from coproduce.evaluation.parsing.common import EvidenceError
from coproduce.evaluation.parsing.documents import read_document
from coproduce.evaluation.parsing.figures import Figure, read_tsm_figures
from coproduce.evaluation.parsing.measures import TSM_MEASURES
from coproduce.evaluation.parsing.survey import SurveyFile, SurveyRow, read_survey
from coproduce.evaluation.parsing.transcripts import read_transcript

__all__ = [
    "TSM_MEASURES",
    "EvidenceError",
    "Figure",
    "SurveyFile",
    "SurveyRow",
    "Turn",
    "read_document",
    "read_survey",
    "read_transcript",
    "read_tsm_figures",
]
