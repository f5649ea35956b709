"""Links between claims and between statistics (translation, addresses, same_issue, same_measure,
same_metric): within a document by rules over its structure, across documents through a sparse
similarity space (inverted index, learned term weights), incremental over rebuilds.

    from pipeline.linking import run_linking, load_glossary, expand_query_terms
    notes = run_linking(conn, settings)              # update the links table (incremental)
    expand_query_terms(["产业集群"], load_glossary(Path("models")))  # + "industrial cluster", …
(Scoring links against gold: pipeline.evaluate.links.score_links.)
"""
from __future__ import annotations

import importlib
from typing import Any

# Names resolve on first use (PEP 562): `litmine query` needs only the glossary, and importing the
# linking rules with it cost the command ~0.5 s of start-up.
_EXPORTS = {"Glossary": "glossary", "expand_query_terms": "glossary",
            "load_glossary": "glossary", "PRODUCER": "stage", "VERSION": "stage", "LinkStage": "stage", "compute_links": "stage",
            "link_id": "stage", "load_params": "stage", "run_linking": "stage"}
__all__ = ["Glossary", "PRODUCER", "VERSION", "compute_links", "expand_query_terms", "link_id", "load_glossary",
           "load_params", "run_linking"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
