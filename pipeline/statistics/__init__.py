"""Statistics: figures in prose sentences and table cells → `Statistic` records.

core.py (the figure record, context, the record builder) is shared; zh/ holds the Chinese rules, en/
the English ones, tables.py the table cells; extract.py runs them over a document; compare.py says
when two metric phrases or subjects are the same (links and scoring share it).
"""
from .compare import metric_match, normalise_metric, subject_match
from .context import document_context
from .core import PRODUCER
from .extract import annotate_statistics, extract_sentence_statistics, statistic_record
from .lexicon import load_lexicon
from .numbers import ParsedNumber, format_number, parse_number
from .tables import extract_table_statistics

__all__ = ["PRODUCER", "ParsedNumber", "annotate_statistics", "document_context", "extract_sentence_statistics",
           "extract_table_statistics", "format_number", "load_lexicon", "metric_match", "normalise_metric",
           "parse_number", "statistic_record", "subject_match"]
