"""Unlabelled text the claim classifier learns from: the shared real documents turned into Documents.

Weak labels (pipeline.training.claims_weak) are read off these documents' structure, so they go
through the real pipeline (read → structure → segment) and the classifier sees exactly what it
will see at tagging time. Sources (all under ../shared/realdata, see its MANIFEST.md):

  reports   29 provincial 2025 work reports (.txt) and the State Council reports 1978–2025
            (wikisource .jsonl, NPC resolutions left out; its wiki-link line breaks rejoined)
  papers    the seed papers (../shared/seeds) and the real papers among the PDFs
  policy    local policy sentences annotated with policy-content types (NLP_Policy)
  abstracts Chinese core-journal abstracts in economics, management and social science (CSL)
  english   NBER economics abstracts and the US government PDFs (rules, reports, summaries)

Each comes back as a CorpusDoc (the Document, its source name above, and any annotation the source
carries); held-out exclusion works on document ids.
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from pipeline.document.model import Block, Document, Sentence
from pipeline.errors import DocumentError

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
REALDATA = SHARED / "realdata"

PROVINCIAL = "text/zh/gov_work_reports/provincial_2025"
NATIONAL = "text/zh/gov_work_reports/national_1954_2025_wikisource.jsonl"
POLICY = "text/zh/policy_sentences_nlp_policy/sentence_classification.json"
CSL_DCP = ("text/zh/csl_benchmark/cls_dcp_dev.tsv", "text/zh/csl_benchmark/cls_dcp_test.tsv")
NBER = "text/en/nber_si_abstracts/nber_si_abstracts_nonempty.jsonl"
PAPER_PDFS = ("pdf/zh/zh_soc_journal_hong2017_redistribution_wellbeing_27p.pdf",
              "pdf/zh/zh_econ_journal_mgmtworld2024_digital_virtual_p1.pdf")
EN_POLICY_PDFS = ("pdf/en/en_us_federal_register_2020_17221_proposed_rule_15p.pdf",
                  "pdf/en/en_us_nist_sp800_223_report_34p.pdf",
                  "pdf/en/en_us_copyright_office_dmca_summary_18p.pdf")
EN_PAPER_PDFS = ("pdf/en/en_acl2020_s2orc_2col_15p.pdf", "pdf/en/en_naacl2006_shinyama_2col_8p.pdf")

# CSL disciplines whose abstracts are written like this literature (policy, economy, society)
SOCIAL_DISCIPLINES = ("经济", "管理", "社会", "政治", "法学", "公共", "民族", "新闻传播", "教育")
# national reports before reform and opening read like speeches of another era
NATIONAL_FROM_YEAR = 1978


@dataclass
class CorpusDoc:
    doc: Document
    source: str  # reports | papers | policy | abstracts | english
    # per sentence: the source's own annotation (NLP_Policy sentence types), else empty
    annotations: list[str] = field(default_factory=list)


@dataclass
class CorpusSpec:
    """Which sources to read; paths default to ../shared."""

    realdata: Path = REALDATA
    seeds: Path = SHARED / "seeds"
    sources: tuple[str, ...] = ("reports", "papers", "policy", "abstracts", "english")
    max_abstracts: int = 1500
    national_from_year: int = NATIONAL_FROM_YEAR
    exclude_docs: frozenset[str] = field(default_factory=frozenset)


def _hash_files(paths: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        if p.exists():
            h.update(p.name.encode("utf-8"))
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def source_files(spec: CorpusSpec) -> list[Path]:
    """Every input file the corpus reads (for the training-data hash)."""
    rd = spec.realdata
    files: list[Path] = []
    if "reports" in spec.sources:
        files += sorted((rd / PROVINCIAL).glob("*.txt")) + [rd / NATIONAL]
    if "papers" in spec.sources:
        files += sorted(spec.seeds.glob("*.txt")) + [rd / p for p in PAPER_PDFS]
    if "policy" in spec.sources:
        files.append(rd / POLICY)
    if "abstracts" in spec.sources:
        files += [rd / p for p in CSL_DCP]
    if "english" in spec.sources:
        files += [rd / NBER] + [rd / p for p in EN_POLICY_PDFS + EN_PAPER_PDFS]
    return [f for f in files if f.exists()]


def corpus_hash(spec: CorpusSpec) -> str:
    return _hash_files(source_files(spec))


# ---------------------------------------------------------------- national reports
_WIKI_TAIL = re.compile(r"\n\s*本作品(?:是|来自)中华人民共和国.*", re.S)


def national_reports(path: Path, from_year: int = NATIONAL_FROM_YEAR) -> Iterator[tuple[str, str, str]]:
    """(doc id, title, text) per State Council report (not the NPC resolutions on them); wiki links
    had broken lines mid-sentence, so lines are rejoined inside paragraphs (paragraphs are
    separated by blank lines)."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            title = (r.get("title") or "").strip()
            if "决议" in title or "政府工作报告" not in title:
                continue
            m = re.match(r"(\d{4})", title)
            year = int(m.group(1)) if m else 0
            if year < from_year:
                continue
            content = _WIKI_TAIL.sub("", r.get("content") or "").replace("\u200b", "").replace("\u200d", "")
            paras = [re.sub(r"\s*\n\s*", "", p).strip() for p in re.split(r"\n\s*\n", content)]
            paras = [p for p in paras if p]
            yield f"national_{year}", title, title + "\n" + "\n".join(paras) + "\n"


# ---------------------------------------------------------------- sentence sets
def _stand_in(doc_id: str, sentences: list[tuple[str, str, str]], title: str = "") -> Document:
    """A Document made of given sentences (text, kind, lang), one block each."""
    text = "\n".join(t for t, _, _ in sentences)
    doc = Document(doc_id=doc_id, path="", format="txt", sha256=hashlib.sha256(text.encode()).hexdigest(),
                   text=text, title=title)
    pos = 0
    for i, (t, kind, lang) in enumerate(sentences):
        doc.blocks.append(Block(pos, pos + len(t), kind=kind, lang=lang))
        doc.sentences.append(Sentence(start=pos, end=pos + len(t), text=t, kind=kind, lang=lang, page=None,
                                      section_path=[], block_index=i, index=i))
        pos += len(t) + 1
    return doc


def policy_documents(path: Path) -> list[CorpusDoc]:
    """NLP_Policy sentences grouped per policy document, with their sentence types."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    by_doc: dict[str, list[dict]] = {}
    for r in rows:
        by_doc.setdefault(str(r.get("uid")), []).append(r)
    docs = []
    for uid, rs in sorted(by_doc.items()):
        rs.sort(key=lambda r: int(str(r.get("sid", "0_0")).rsplit("_", 1)[-1] or 0))
        rs = [r for r in rs if (r.get("sentence") or "").strip()]
        doc = _stand_in(f"policy_{uid}", [(r["sentence"].strip(), "body", "zh") for r in rs])
        docs.append(CorpusDoc(doc, "policy", [str(r.get("sentence_type") or "") for r in rs]))
    return docs


def _split(text: str, lang: str) -> list[str]:
    if lang == "en":
        parts = re.split(r"(?<=[.!?])\s+(?=[A-Z(])", text.strip())
    else:
        # CSL abstracts often end sentences with a half-width "." after a Chinese character
        parts = re.split(r"(?<=[。！？!?])|(?<=[\u4e00-\u9fff）)]\.)", text.strip())
    return [p.strip() for p in parts if len(p.strip()) >= 4]


def abstract_documents(paths: Iterable[Path], limit: int) -> list[CorpusDoc]:
    """CSL abstracts of the social disciplines (TSV: prompt, abstract, discipline)."""
    seen: set[str] = set()
    docs: list[CorpusDoc] = []
    for path in paths:
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh, delimiter="\t"):
                if len(row) < 3 or not any(d in row[2] for d in SOCIAL_DISCIPLINES):
                    continue
                text = row[1].strip()
                if text[:60] in seen:
                    continue
                seen.add(text[:60])
                sents = [(s, "abstract", "zh") for s in _split(text, "zh")]
                if sents:
                    docs.append(CorpusDoc(_stand_in(f"csl_{hashlib.sha1(text.encode()).hexdigest()[:10]}", sents),
                                          "abstracts"))
                if len(docs) >= limit:
                    return docs
    return docs


def nber_documents(path: Path) -> list[CorpusDoc]:
    docs = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            sents = [(s, "abstract", "en") for s in _split(r.get("abstract") or "", "en")]
            if sents:
                docs.append(CorpusDoc(_stand_in(str(r.get("id")), sents, title=r.get("title") or ""), "english"))
    return docs


# ---------------------------------------------------------------- everything
def _process(processor, path: Path, doc_id: str, source: str) -> CorpusDoc | None:
    try:
        return CorpusDoc(processor.process(path, doc_id=doc_id), source)
    except DocumentError:
        return None


def load_corpus(spec: CorpusSpec | None = None) -> list[CorpusDoc]:
    """All training documents of the chosen sources, minus `exclude_docs`, in a stable order."""
    from pipeline.build import DocumentProcessor
    from pipeline.settings import Settings

    spec = spec or CorpusSpec()
    rd = spec.realdata
    processor = DocumentProcessor(Settings(jobs=1, stages=()))
    # the classifier reads characters and words itself: jieba's tokens (most of the time spent
    # reading ~100 reports) are not needed here
    processor.segmenter.tokens_and_search = lambda text, lang: ([], [])  # type: ignore[method-assign]
    docs: list[CorpusDoc] = []
    skip = spec.exclude_docs

    def add(cd: CorpusDoc | None) -> None:
        if cd is not None and cd.doc.doc_id not in skip:
            docs.append(cd)

    if "reports" in spec.sources:
        for p in sorted((rd / PROVINCIAL).glob("*.txt")):
            if p.stem not in skip:
                add(_process(processor, p, p.stem, "reports"))
        if (rd / NATIONAL).exists():
            with tempfile.TemporaryDirectory(prefix="litmine-national-") as tmp:
                for doc_id, _title, text in national_reports(rd / NATIONAL, spec.national_from_year):
                    if doc_id in skip:
                        continue
                    p = Path(tmp) / f"{doc_id}.txt"
                    p.write_text(text, encoding="utf-8")
                    add(_process(processor, p, doc_id, "reports"))
    if "papers" in spec.sources:
        for p in sorted(spec.seeds.glob("*.txt")):
            if p.stem not in skip:
                add(_process(processor, p, p.stem, "papers"))
        for rel in PAPER_PDFS:
            if (rd / rel).exists() and Path(rel).stem not in skip:
                add(_process(processor, rd / rel, Path(rel).stem, "papers"))
    if "policy" in spec.sources and (rd / POLICY).exists():
        for d in policy_documents(rd / POLICY):
            add(d)
    if "abstracts" in spec.sources:
        for d in abstract_documents([rd / p for p in CSL_DCP if (rd / p).exists()], spec.max_abstracts):
            add(d)
    if "english" in spec.sources:
        if (rd / NBER).exists():
            for d in nber_documents(rd / NBER):
                add(d)
        for rel in EN_POLICY_PDFS + EN_PAPER_PDFS:
            if (rd / rel).exists() and Path(rel).stem not in skip:
                add(_process(processor, rd / rel, Path(rel).stem, "english"))
    return docs
