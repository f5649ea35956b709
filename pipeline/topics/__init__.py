"""Topic modelling over the index's units (paragraphs by default), Chinese and English separately.

    from pipeline.topics import TopicSettings, TopicUnit, fit_topics, save_model, render_report
    result = fit_topics(lambda: index.iter_topic_units("zh"), "zh", TopicSettings())
    save_model(result, Path("models/topics/zh"))
    render_report([result], Path("outputs/report/topics.html"), doc_titles)

Engines: "nmf" (default, scikit-learn NMF on TF-IDF), "lda" (gensim LdaModel, reference),
"tomotopy" (optional extra). K is chosen by a sweep over K x seeds on coherence and stability.
"""
from .clean import clean_tokens, load_stopwords  # noqa: F401
from .fit import fit_topics, k_candidates  # noqa: F401
from .report import render_report  # noqa: F401
from .store import load_model, save_model  # noqa: F401
from .types import (  # noqa: F401
    ENGINES, Topic, TopicModelResult, TopicSettings, TopicUnit, tomotopy_available,
)
