"""The stages, loaded: file → Document with structure, sentences, statistics and claims.

The stages, their order and what each needs and adds are declared in pipeline/stages.py; this
module loads them (each loader reads and validates its stage's resources) and runs the
per-document ones on one file. The corpus-level stages (topics, links) run over the index after
every document is stored (rebuild.py). The stage packages are imported inside the loaders: a
rebuild with a stage switched off never imports its libraries (gensim, scikit-learn).
"""
from __future__ import annotations

import sqlite3
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .document import Document
from .errors import LitmineError, Msg
from .extract import read_document, read_source
from .extract.backend import ReadOptions
from .settings import Settings
from .stages import READ, CorpusStage, DocumentRun, DocumentStage, StageError, StageSpec, check_order, enabled

if TYPE_CHECKING:
    from .segment import Segmenter

if TYPE_CHECKING:
    from .extract.sources import Source


# ---- per-document stage loaders ----------------------------------------------------------
def _loading(name: str, load: Callable[[], object]) -> object:
    """Run a stage's resource loader; anything it raises is a configuration error naming the stage."""
    try:
        return load()
    except LitmineError:
        raise
    except Exception as exc:  # a bad rule file, an unreadable model: one error, before any document
        detail = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
        raise StageError(Msg.STAGE_RESOURCE.format(stage=name, detail=detail)) from exc


# ---- per-document stages -------------------------------------------------------------------
def _structure(settings: Settings) -> DocumentStage:
    from .extract.structure import StructureStage

    return StructureStage(settings.models_dir)


class SegmentStage:
    """Sentences and tokens; holds the jieba tokenizer (and spaCy, loaded on first English text)."""

    def __init__(self, settings: Settings):
        from .segment import Segmenter

        self.segmenter = Segmenter(settings.models_dir)

    def __call__(self, doc: Document) -> None:
        self.segmenter.segment(doc)
        if not any(s.kind in ("body", "abstract") for s in doc.sentences) and not doc.tables:
            # kept (its title/headings stay searchable), but the user should know nothing was tagged
            doc.warnings.append(Msg.NO_BODY)


def _statistics(settings: Settings) -> DocumentStage:
    from .statistics import annotate_statistics, load_lexicon

    lexicon = load_lexicon(settings.models_dir)
    return lambda doc: annotate_statistics(doc, lexicon)


def _claims(settings: Settings) -> DocumentStage:
    from .tagging import ClaimTagger

    tagger = ClaimTagger.load(settings.claims_model or settings.models_dir)

    def tag(doc: Document) -> None:
        doc.claims = tagger.tag_document(doc)

    return tag


DOCUMENT_LOADERS: dict[str, Callable[[Settings], DocumentStage]] = {
    "structure": _structure, "segment": SegmentStage, "statistics": _statistics, "claims": _claims}


def load_document_stages(settings: Settings) -> list[tuple[StageSpec, DocumentStage]]:
    """The enabled per-document stages after reading, in order, each with its resources loaded."""
    specs = enabled(settings, "document")
    check_order(specs)
    return [(s, _load_document_stage(s, settings)) for s in specs if s is not READ]


def _load_document_stage(s: StageSpec, settings: Settings) -> DocumentStage:
    loader = DOCUMENT_LOADERS[s.name]
    return _loading(s.name, lambda: loader(settings))  # type: ignore[return-value]



# ---- corpus stages -------------------------------------------------------------------------
def _topics(settings: Settings) -> CorpusStage:
    from .topics.stage import run_topics, topic_settings

    topic_settings(settings)  # validates the topic options before any document is processed
    return lambda conn, changed_doc_ids=None, refit=False: run_topics(
        conn, settings, changed_doc_ids=changed_doc_ids, refit=refit)


def _links(settings: Settings) -> CorpusStage:
    from .linking import run_linking

    _ = settings.links  # the thresholds file is validated before any document is processed
    # progress(done, total) per document read; the stage also finds changed documents itself
    # (fingerprints), `changed_doc_ids` adds to them

    def links(conn: sqlite3.Connection, changed_doc_ids: list[str] | None = None, refit: bool = False,
              progress: Callable[[int, int], None] | None = None) -> list[str]:
        return run_linking(conn, settings, changed_doc_ids=changed_doc_ids, progress=progress)

    return links


CORPUS_LOADERS: dict[str, Callable[[Settings], CorpusStage]] = {"topics": _topics, "links": _links}


def load_corpus_stages(settings: Settings) -> list[tuple[StageSpec, CorpusStage]]:
    """The enabled corpus stages, in order, each with its resources loaded; checked against the
    per-document stages that fill the index tables they read."""
    specs = enabled(settings)
    check_order(specs)
    out = []
    for s in specs:
        if s.level == "corpus":
            loader = CORPUS_LOADERS[s.name]
            out.append((s, _loading(s.name, partial(loader, settings))))
    return out  # type: ignore[return-value]



class DocumentProcessor:
    """Holds the loaded stages (jieba, spaCy, lexicons, models): one per worker process.

    Constructing it loads and validates every enabled stage's resources, so a bad rule file
    raises one StageError here, before any document is read."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        self._stages: list[tuple[StageSpec, DocumentStage]] = load_document_stages(self.settings)

    def stages(self) -> list[tuple[StageSpec, DocumentStage]]:
        """The per-document stages after reading, in order, with their loaded callables."""
        return list(self._stages)

    @property
    def segmenter(self) -> Segmenter:
        """The loaded Segmenter (jieba with the user dictionary), for callers that tokenise too."""
        return next(stage.segmenter for _, stage in self._stages if isinstance(stage, SegmentStage))

    def process(self, source: "Path | str | Source", doc_id: str | None = None) -> Document:
        """One document: a Source of the corpus walk, a file, or a record locator (`file.jsonl#id=…`)."""
        options = ReadOptions.from_settings(self.settings)
        if isinstance(source, (str, Path)):
            doc = read_document(source, doc_id=doc_id, options=options)
        else:
            doc = read_source(source, options)
        run = DocumentRun.after_read(doc)
        for spec, stage in self._stages:
            run.run(spec, stage)
        return doc


def process_file(path: Path, settings: Settings | None = None) -> Document:
    """Python twin of processing one file (read → structure → segment → statistics → claims)."""
    return DocumentProcessor(settings).process(Path(path))
