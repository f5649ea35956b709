"""The pipeline's stages in one place: their order, what each needs and what it adds.

Per-document stages run in this order on one Document inside a worker (build.DocumentProcessor);
corpus stages run once over the whole index after every document is stored (rebuild.py).
Each stage declares `requires` and `produces` (like spaCy's requires/assigns): Document attributes
for per-document stages ("blocks.kind" is the `kind` of every block), index tables ("index.claims")
for corpus stages; storing a document (index/store.py) turns each produced attribute into the
index table of the same name.

Checked twice, with a real error:
- when a pipeline is assembled (`check_order`): a stage whose requirement no earlier enabled stage
  produces is a configuration error (`StageError`), before any document is read;
- per document (`DocumentRun.run`): a stage whose requirement failed on this document (an exception
  inside an earlier stage) is skipped with a warning instead of running on half-made input.

Stages load and validate their resources (lexicons, models, dictionaries) when they are constructed
(build.load_document_stages, build.load_corpus_stages): a bad row in a rule file is one
configuration error raised before the workers start, not an "internal error" per document. This
module only declares: it imports no stage package, so anything (settings included) may import it.

    from pipeline.stages import DOCUMENT_STAGES, CORPUS_STAGES
    for spec in DOCUMENT_STAGES + CORPUS_STAGES:
        print(spec.name, spec.requires, "→", spec.produces)
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from .document import Document
from .errors import DocumentError, LitmineError, Msg

if TYPE_CHECKING:  # settings.py validates stage names against this module: no import back at run time
    from .settings import Settings


class StageError(LitmineError):
    """The stages as configured cannot run (order, a missing requirement, a resource that does not load)."""


class DocumentStage(Protocol):
    """A loaded per-document stage: adds its `produces` to the document in place."""

    def __call__(self, doc: Document) -> None: ...


class CorpusStage(Protocol):
    """A loaded corpus stage: reads and writes index tables; returns notes for the rebuild summary.

    `changed_doc_ids`: the documents added, changed or removed since the last rebuild (None: all of
    them, e.g. a full rebuild), so an incremental stage does work in proportion to them; `refit`
    asks a model-fitting stage to refit even when its model still fits the corpus."""

    def __call__(self, conn: sqlite3.Connection, *, changed_doc_ids: list[str] | None = None,
                 refit: bool = False) -> list[str]: ...


@dataclass(frozen=True)
class StageSpec:
    name: str
    level: str  # "document" | "corpus"
    requires: tuple[str, ...]
    produces: tuple[str, ...]
    summary: str  # one line for the README table and --help
    optional: bool = True  # can be switched off with Settings.stages
    uses: tuple[str, ...] = ()  # read when present, not required (claims use statistics as evidence)


# Reading is not a DocumentStage (it makes the Document from a file): build.Reader runs it.
READ = StageSpec("read", "document", (), ("text", "pages", "blocks", "tables"),
                 "file → text with offsets, pages, blocks (with bounding boxes), tables", optional=False)

DOCUMENT_STAGES: tuple[StageSpec, ...] = (
    READ,
    StageSpec("structure", "document", ("blocks",),
              ("blocks.kind", "blocks.section_path", "blocks.role", "title", "year", "date", "authors", "source",
               "references"),
              "blocks → kind (title/abstract/heading/caption/reference/body), section path and role; "
              "document title, date, authors, source", optional=False),
    StageSpec("segment", "document", ("blocks.kind", "blocks.section_path"), ("sentences",),
              "blocks → sentences (verbatim text, offsets, language, tokens, section role)", optional=False),
    StageSpec("statistics", "document", ("sentences", "tables"), ("statistics",),
              "sentences + table cells → statistics (value, unit, year, subject, metric)"),
    StageSpec("claims", "document", ("sentences",), ("claims",),
              "sentences → claim label (problem/countermeasure/achievement/background), confidence, evidence",
              uses=("statistics",)),
)

# What storing a document puts in the index: every Document attribute becomes its table.
STORED: dict[str, str] = {"text": "index.documents", "pages": "index.pages", "blocks": "index.blocks",
                          "tables": "index.tables", "sentences": "index.sentences",
                          "statistics": "index.statistics", "claims": "index.claims"}

CORPUS_STAGES: tuple[StageSpec, ...] = (
    StageSpec("topics", "corpus", ("index.sentences",),
              ("index.topics", "index.topic_terms", "index.sentence_topics", "index.doc_topics"),
              "index sentences → topics, their terms, sentence and document topic mixes"),
    StageSpec("links", "corpus", ("index.sentences", "index.claims", "index.statistics"), ("index.links",),
              "index claims + statistics → links (translation, addresses, same_issue, same_measure, same_metric)",
              uses=("index.topics",)),
)

ALL_STAGES: tuple[StageSpec, ...] = DOCUMENT_STAGES + CORPUS_STAGES
OPTIONAL_STAGES: tuple[str, ...] = tuple(s.name for s in ALL_STAGES if s.optional)


def spec(name: str) -> StageSpec:
    for s in ALL_STAGES:
        if s.name == name:
            return s
    raise KeyError(name)


def enabled(settings: Settings, level: str | None = None) -> list[StageSpec]:
    """The stages that run under `settings`, in order (the mandatory ones always)."""
    return [s for s in ALL_STAGES if (level is None or s.level == level)
            and (not s.optional or s.name in settings.stages)]


def check_order(specs: list[StageSpec]) -> None:
    """Raise StageError when a stage requires something no earlier stage in `specs` produces."""
    have: set[str] = set()
    for s in specs:
        missing = [r for r in s.requires if r not in have]
        if missing:
            producers = sorted({p.name for p in ALL_STAGES for r in missing
                                if r in p.produces or r in (STORED.get(x) for x in p.produces)})
            raise StageError(Msg.STAGE_NEEDS.format(stage=s.name, needs=", ".join(missing),
                                                    producers=", ".join(producers) or "no stage"))
        have.update(s.produces)
        have.update(STORED[p] for p in s.produces if p in STORED)


@dataclass
class DocumentRun:
    """One document going through the stages: what has been produced so far, checked per stage."""

    doc: Document
    produced: set[str]

    @classmethod
    def after_read(cls, doc: Document) -> "DocumentRun":
        return cls(doc, set(READ.produces))

    def run(self, s: StageSpec, stage: DocumentStage) -> None:
        missing = [r for r in s.requires if r not in self.produced]
        if missing:
            self.doc.warnings.append(Msg.STAGE_SKIPPED.format(stage=s.name, needs=", ".join(missing)))
            return
        if not s.optional:
            stage(self.doc)  # reading/structure/segmentation errors are the document's (DocumentError)
            self.produced.update(s.produces)
            return
        try:
            stage(self.doc)
        except DocumentError:
            raise
        except Exception as exc:  # an optional stage's bug must not lose the document: keep it, say so
            self.doc.warnings.append(Msg.STAGE_FAILED.format(
                stage=s.name, detail=f"{type(exc).__name__}: {str(exc)[:120]}"))
            return
        self.produced.update(s.produces)


def stage_table() -> list[tuple[str, str, str, str]]:
    """(stage, level, needs, adds) rows: what README's "Where things happen" shows."""
    return [(s.name, s.level, ", ".join(s.requires) or "a file", ", ".join(s.produces)) for s in ALL_STAGES]

