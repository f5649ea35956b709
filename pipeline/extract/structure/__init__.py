"""Structure: what each block is, which section it sits in, what that section does, and what the
document is (title, date, authors, venue).

Needs: Document.blocks (from any reader; PDF blocks may carry font hints; a record reader may have set
       title/year/date/authors/source already — those are kept).
Adds:  block.kind (export-contract kinds, plus "table" for table rows), block.section_path, block.role,
       block.lang; Document.title/year/date/authors/source, Document.lang, Document.references.

Passes, one module each: paragraphs.py (lines a producer broke inside a paragraph), headings.py (every
heading form), kinds.py (title, front matter, abstract, body, captions, references), roles.py (the
section role of each part), metadata.py (title, date, authors, venue).
"""
from __future__ import annotations

from pathlib import Path

from ...document import Document
from .headings import heading_level, heading_style
from .kinds import annotate_kinds
from .metadata import annotate_metadata
from .paragraphs import join_wrapped_lines
from .patterns import (ABSTRACT_RE, AFFIL_RE, CAPTION_RE, CJK, FRONT_ANYWHERE_RE, FRONT_RE, KEYWORDS_RE,
                       REF_ENTRY_RE, REFERENCES_RE, SALUTATION_RE, SOURCE_NOTE_RE, content_span, detect_lang)
from .roles import assign_roles, load_role_cues

__all__ = [
    "ABSTRACT_RE", "AFFIL_RE", "CAPTION_RE", "CJK", "FRONT_ANYWHERE_RE", "FRONT_RE", "KEYWORDS_RE",
    "REF_ENTRY_RE", "REFERENCES_RE", "SALUTATION_RE", "SOURCE_NOTE_RE", "annotate_structure", "content_span",
    "detect_lang", "heading_level", "heading_style", "StructureStage",
]


def annotate_structure(doc: Document, models_dir: Path | None = None) -> None:
    """Kinds, sections, roles and metadata of one document."""
    cues = load_role_cues(Path(models_dir) / "structure" / "section_roles.tsv" if models_dir else None)
    join_wrapped_lines(doc)
    found_title = annotate_kinds(doc)
    annotate_metadata(doc, found_title, models_dir)
    assign_roles(doc, cues)


class StructureStage:
    """The structure stage with its resources (section role cues) loaded and validated up front."""

    def __init__(self, models_dir: Path | None = None):
        self.models_dir = Path(models_dir) if models_dir else None
        load_role_cues(self.models_dir / "structure" / "section_roles.tsv" if self.models_dir else None)

    def __call__(self, doc: Document) -> None:
        annotate_structure(doc, self.models_dir)
