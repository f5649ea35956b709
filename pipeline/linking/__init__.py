"""Links between claims and between statistics (translation, addresses, same_issue, same_measure,
same_metric), by rules over lexical overlap, a bilingual glossary, numbers and section parallelism.

    from pipeline.linking import run_linking, load_glossary, expand_query_terms
    notes = run_linking(conn, settings)              # DELETE + recompute the links table
    expand_query_terms(["产业集群"], load_glossary(Path("models")))  # + "industrial cluster", …
"""
from .glossary import Glossary, expand_query_terms, load_glossary  # noqa: F401
from .stage import PRODUCER, VERSION, compute_links, link_id, load_params, run_linking  # noqa: F401
