"""Links between claims and between statistics (translation, addresses, same_issue, same_measure,
same_metric): within a document by rules over its structure, across documents through a sparse
similarity space (inverted index, learned term weights), incremental over rebuilds.

    from pipeline.linking import run_linking, score_links, load_glossary, expand_query_terms
    notes = run_linking(conn, settings)              # update the links table (incremental)
    report = score_links(conn, Path("../shared/gold/dev"))
    expand_query_terms(["产业集群"], load_glossary(Path("models")))  # + "industrial cluster", …
"""
from .evaluate import score_links  # noqa: F401
from .glossary import Glossary, expand_query_terms, load_glossary  # noqa: F401
from .stage import PRODUCER, VERSION, LinkStage, compute_links, link_id, load_params, run_linking  # noqa: F401
