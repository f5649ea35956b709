"""Statistics: figures in prose sentences and table cells → `Statistic` records (see extract.py)."""
from .context import document_context
from .extract import (PRODUCER, annotate_statistics, extract_sentence_statistics, extract_table_statistics,
                      statistic_record)
from .lexicon import load_lexicon
from .numbers import ParsedNumber, format_number, parse_number
from .score import metric_match, normalise_metric, score_statistics, subject_match

__all__ = ["PRODUCER", "ParsedNumber", "annotate_statistics", "document_context", "extract_sentence_statistics",
           "extract_table_statistics", "format_number", "load_lexicon", "metric_match", "normalise_metric",
           "parse_number", "score_statistics", "statistic_record", "subject_match"]
