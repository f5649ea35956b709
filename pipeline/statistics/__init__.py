"""Statistics: figures in prose sentences and table cells → `Statistic` records (see extract.py)."""
from .compare import metric_match, normalise_metric, subject_match
from .context import document_context
from .extract import (PRODUCER, annotate_statistics, extract_sentence_statistics, extract_table_statistics,
                      statistic_record)
from .lexicon import load_lexicon
from .numbers import ParsedNumber, format_number, parse_number

__all__ = ["PRODUCER", "ParsedNumber", "annotate_statistics", "document_context", "extract_sentence_statistics",
           "extract_table_statistics", "format_number", "load_lexicon", "metric_match", "normalise_metric",
           "parse_number", "statistic_record", "subject_match"]
