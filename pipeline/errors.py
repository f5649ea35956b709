"""User-facing messages in one catalogue so wording stays consistent (like spaCy's Errors)."""
from __future__ import annotations


class LitmineError(Exception):
    """An error meant for the user: one line, says what to do. Never shown with a traceback."""


class DocumentError(LitmineError):
    """A single input document cannot be read; the rest of the corpus goes on."""


class Msg:
    # ingestion (one line each; the file name is prefixed by the caller)
    PDF_ENCRYPTED = "encrypted PDF: try --password"
    PDF_BAD_PASSWORD = "encrypted PDF: the password given does not open it"
    PDF_NO_TEXT = "no text layer (scanned?): OCR is off, rebuild with --ocr auto"
    PDF_CORRUPT = "corrupt or truncated PDF ({detail})"
    PDF_ZERO_PAGES = "PDF has no pages"
    PDF_NOT_PDF = "not a PDF (starts like {what})"
    PDF_GARBLED = "text layer is garbled (broken font encoding): rebuild with --ocr auto (or force) to OCR it"
    # OCR (extract/ocr/)
    OCR_UNAVAILABLE = "OCR engine {engine} cannot run ({detail}); or rebuild with --ocr off"
    OCR_FAILED = "OCR failed ({detail})"
    OCR_PAGES = "pages {pages}: read by OCR ({producer}; {reasons}; mean line confidence {confidence:.2f})"
    OCR_PAGE_FAILED = "page {page}: OCR failed ({detail}), its text layer kept"
    OCR_NO_TEXT = "no text found, not even by OCR of the page images"
    EMPTY_FILE = "empty file"
    UNKNOWN_FORMAT = "unsupported file type '{ext}' (supported: {supported})"
    UNDECODABLE = "cannot decode text (not UTF-8/UTF-16/GB18030)"
    DOCX_CORRUPT = "corrupt .docx ({detail})"
    NO_TEXT = "no text found"
    CANNOT_READ = "cannot read file ({detail})"
    NO_BODY = "no body text found (only title, headings or front matter)"
    STAGE_FAILED = "{stage} stage failed: {detail}"
    PDF_OCR_LAYER = "pages {pages}: text layer is OCR over a scan (invisible text); expect OCR errors"
    PDF_REREAD = "pages {pages}: text re-read with pdfplumber (pypdfium2 lost characters)"
    PDF_PAGE_SKIPPED = "page {page}: cannot be read, skipped"
    # record files and bibliographic exports (one document per record)
    RECORD_NO_COLUMN = "no column '{name}' for {role} (columns: {columns})"
    RECORD_NO_TEXT_COLUMN = "no text column found (columns: {columns}): name it with --text-column NAME"
    RECORD_EMPTY = "empty text ({column})"
    RECORD_BAD_JSON = "{where}: not valid JSON ({detail})"
    RECORD_NOT_OBJECT = "not a JSON object"
    RECORD_NONE = "no records found"
    RECORD_BAD_CSV = "cannot parse as CSV/TSV ({detail})"
    RECORD_BAD_EXPORT = "cannot parse as {label} ({detail})"
    RECORD_DUPLICATE = "same text as {other}: indexed once, as {other}"
    RECORD_ID_REPEATED = "id '{id}' repeated in the file: told apart by a content hash"
    HTML_NO_MAIN = "no main text found in the web page"
    SKIPPED_INDEX = "the index itself (or its temporary copy)"
    SKIPPED_OUTPUTS = "inside the index's output folder {folder} (exports, reports, models)"
    SKIPPED_DOCS = "folder documentation (README/SOURCES), not a document"
    SKIPPED_SQLITE = "a SQLite database, not a document"
    INTERNAL = "internal error ({detail}); rerun with LITMINE_DEBUG=1 for details and report it"
    # corpus / index
    CORPUS_MISSING = "corpus path does not exist: {path}"
    CORPUS_EMPTY = "no supported documents under {path}"
    INDEX_MISSING = "no index at {path}: run `litmine rebuild` first"
    INDEX_OLD = "index at {path} was built by another schema version ({found}); run `litmine rebuild --full`"
    WORKER_DIED = "the worker process processing this file died (out of memory or a crash); try it alone with --jobs 1"
    WORKER_MISMATCH = ("Dask worker {worker} has other models or settings than this machine ({models}): install the"
                       " same litmine version and models/ on every worker")
    DASK_MISSING = "the Dask executor needs dask.distributed: pip install 'distributed'"
    DASK_UNREACHABLE = "cannot reach the Dask scheduler at {address} ({detail}): is `dask scheduler` running there?"
    DASK_NO_SCHEDULER = "--executor dask needs --scheduler tcp://HOST:PORT (the address `dask scheduler` prints)"
    OUT_EXISTS = "{path} already exists: use --force to overwrite"
    BAD_FORMAT = "unknown format '{value}': choose one of {choices}"
    # query
    QUERY_EMPTY = "empty query: give at least one word, e.g. litmine query \"产业链\""
    QUERY_QUOTES = "unbalanced quote in query: {query}"
    QUERY_ONLY_NOT = "a query cannot consist only of excluded terms (-word)"
    BAD_KIND = "unknown label '{value}': choose one of {choices}"
    NOT_FOUND = "no claim, statistic or sentence with id {id}"
    QUERY_FAILED = "query could not be run ({detail}); simplify the query"
    # analysis (kwic / freq / cooc / trends / serve)
    STOPWORDS_MISSING = "stopword file not found: {path}"
    TRENDS_WHAT = "give a term (litmine trends 新质生产力) or a topic (litmine trends --topic zh-3)"
    NO_YEARS = ("no document in the index has a year: trends need dated documents (record files with a"
                " year/date column, or titles/opening lines naming the year)")
    TOPIC_MISSING = "no topic {topic} in the index (topics: {known})"
    GRAPH_SUFFIX = "cannot tell the graph format of {path}: name it .graphml or .gexf"
    SERVE_MISSING = "litmine serve needs Datasette: pip install 'datasette' (it is in requirements.lock)"
    PORT_IN_USE = "port {port} is in use: choose another with --port"
    TOPICS_NONE = "no topic model saved in {path}: run `litmine rebuild` or `litmine topics fit` first"
    SERVE_VIEWS = "cannot add the browse views to {path} ({detail}): run `litmine rebuild --full` once"
    # evaluation / training
    GOLD_MISSING = "gold directory does not exist or holds no gold files: {path}"
    GOLD_BAD_LINE = "{file}:{line}: not valid JSON ({detail})"
    MODEL_MISSING = "no trained model at {path}: run `litmine train --gold DIR`"
    SETTINGS_INVALID = "invalid setting {name}={value!r}: {why}"
    RULE_ROW = "bad rule file {file} (line {line}): {why}"
    SETTINGS_FILE = "cannot read settings file {path}: {detail}"
    # stages (pipeline/stages.py)
    STAGE_NEEDS = "stage {stage} needs {needs}, which {producers} produces: switch it on or {stage} off"
    STAGE_RESOURCE = "configuration: stage {stage} cannot load its resources: {detail}"
    STAGE_SKIPPED = "{stage} stage skipped: it needs {needs}, which an earlier stage did not produce"
    RESOURCE_BAD = "bad resource file {file} (line {line}): {why}"
