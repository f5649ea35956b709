"""Corpus analysis for analysts (the tools KH Coder, AntConc or CiteSpace users expect), computed
from the index: keyword in context (kwic), word frequencies (freq), word co-occurrence networks
(cooc) and counts by year (trends). Each has a CLI command and a twin on `pipeline.api.Index`.

    from pipeline.index import schema
    from pipeline.analysis import kwic, freq, cooc, trends
    conn = schema.open_index("outputs/litmine.sqlite")
    lines = kwic(conn, "新质生产力", width=20, sort="right")
    top = freq(conn, by="year", top=20)
    net = cooc(conn, top_terms=60); net.write("outputs/cooc.graphml")
    rows = trends(conn, terms=["高质量发展"])
"""
from .cooc import CoocNetwork, cooc  # noqa: F401
from .freq import FreqRow, freq  # noqa: F401
from .kwic import KwicLine, kwic  # noqa: F401
from .trends import TrendRow, trends  # noqa: F401
