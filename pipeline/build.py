"""Per-document processing: file → Document with structure, sentences, claims and statistics.

The corpus-level stages (topics, links) run over the index afterwards (index/rebuild.py).
Each stage states what it needs and adds; see pipeline/document/model.py for the data flow.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .document import Document
from .errors import DocumentError, Msg
from .extract import read_document, read_source
from .extract.backend import ReadOptions
from .extract.structure import annotate_structure
from .segment import Segmenter
from .settings import Settings

if TYPE_CHECKING:
    from .extract.sources import Source


class DocumentProcessor:
    """Holds the loaded resources (jieba, spaCy, lexicons, models): one per worker process."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        self.segmenter = Segmenter(self.settings.models_dir)
        self._stages: list[tuple[str, Callable[[Document], None]]] | None = None

    def stages(self) -> list[tuple[str, Callable[[Document], None]]]:
        if self._stages is None:
            self._stages = load_document_stages(self.settings)
        return self._stages

    def process(self, source: "Path | str | Source", doc_id: str | None = None) -> Document:
        """One document: a Source of the corpus walk, a file, or a record locator (`file.jsonl#id=…`)."""
        options = ReadOptions.from_settings(self.settings)
        if isinstance(source, (str, Path)):
            doc = read_document(source, doc_id=doc_id, options=options)
        else:
            doc = read_source(source, options)
        annotate_structure(doc)
        self.segmenter.segment(doc)
        if not any(s.kind in ("body", "abstract") for s in doc.sentences) and not doc.tables:
            # kept (its title/headings stay searchable), but the user should know nothing was tagged
            doc.warnings.append(Msg.NO_BODY)
        for name, stage in self.stages():
            try:
                stage(doc)
            except DocumentError:
                raise
            except Exception as exc:  # a stage bug must not lose the document: keep it, say so
                doc.warnings.append(Msg.STAGE_FAILED.format(stage=name, detail=f"{type(exc).__name__}: {str(exc)[:120]}"))
        return doc


def load_document_stages(settings: Settings) -> list[tuple[str, Callable[[Document], None]]]:
    """Per-document stages in order (statistics first: claims may use figures as evidence)."""
    stages: list[tuple[str, Callable[[Document], None]]] = []
    if "statistics" in settings.stages:
        from .statistics import annotate_statistics, load_lexicon

        lexicon = load_lexicon(settings.models_dir)
        stages.append(("statistics", lambda d: annotate_statistics(d, lexicon)))
    if "claims" in settings.stages:
        from .tagging import ClaimTagger

        tagger = ClaimTagger.load(settings.models_dir)

        def tag(d: Document) -> None:
            d.claims = tagger.tag_document(d)

        stages.append(("claims", tag))
    return stages


def process_file(path: Path, settings: Settings | None = None) -> Document:
    """Python twin of processing one file (extract → structure → segment → tag → statistics)."""
    return DocumentProcessor(settings).process(Path(path))
