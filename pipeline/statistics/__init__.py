"""Statistics: figures in prose sentences and table cells → `Statistic` records.

core.py (the figure record, context, the record builder) is shared; zh/ holds the Chinese rules, en/
the English ones, tables.py the table cells; extract.py runs them over a document.
"""
from .context import document_context
from .core import PRODUCER
from .extract import annotate_statistics, extract_sentence_statistics, statistic_record
from .lexicon import load_lexicon
from .numbers import ParsedNumber, format_number, parse_number
from .score import metric_match, normalise_metric, score_statistics, subject_match
from .tables import extract_table_statistics

__all__ = ["PRODUCER", "ParsedNumber", "annotate_statistics", "document_context", "extract_sentence_statistics",
           "extract_table_statistics", "format_number", "load_lexicon", "metric_match", "normalise_metric",
           "parse_number", "score_statistics", "statistic_record", "subject_match"]
