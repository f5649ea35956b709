"""Per-document processing: file → Document with structure, sentences, statistics and claims.

The stages, their order and what each needs and adds are declared in pipeline/stages.py; this
module runs them on one file. The corpus-level stages (topics, links) run over the index
afterwards (index/rebuild.py).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .document import Document
from .extract import read_document, read_source
from .extract.backend import ReadOptions
from .settings import Settings
from .stages import DocumentRun, DocumentStage, SegmentStage, StageSpec, load_document_stages

if TYPE_CHECKING:
    from .segment import Segmenter

if TYPE_CHECKING:
    from .extract.sources import Source


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
