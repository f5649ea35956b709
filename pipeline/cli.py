"""litmine command line: a thin layer over pipeline.api (each command has a Python twin there)."""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from .errors import LitmineError, Msg
from .settings import DEFAULT_INDEX, OcrOptions, Settings

EPILOG = {
    "rebuild": "example:\n  litmine rebuild corpus            # incremental; --full re-processes everything\n"
               "  litmine rebuild corpus --executor dask --scheduler tcp://10.0.0.5:8786\n"
               "  litmine rebuild reports.jsonl --text-column content --column year=pub_year  # record files\n"
               "  litmine rebuild scans/ --ocr force             # OCR every PDF page (default auto: scans, garbled fonts)\n"
               "formats: .pdf .txt .md .docx .html, record files .jsonl .json .csv .tsv (one document per\n"
               "record), bibliographic exports (RIS, EndNote, RefWorks, NoteExpress, CNKI, Web of Science)",
    "query": "example:\n  litmine query \"产业同质化\" --limit 5\n  litmine query 'innovation OR 创新 -金融' --kind problem --format json",
    "export": "example:\n  litmine export --format xlsx --out outputs/export",
    "claims": "example:\n  litmine claims --kind problem --doc 001_921ccb2a7e0d9137",
    "stats": "example:\n  litmine stats --metric 配套率 --format csv",
    "links": "example:\n  litmine links --relation same_issue",
    "show": "example:\n  litmine show C:001_921ccb2a7e0d9137:5111-5148",
    "label": "example:\n  litmine label C:001_921ccb2a7e0d9137:5111-5148 countermeasure",
    "topics": "example:\n  litmine topics            # list topics\n  litmine topics fit --k 6  # refit with a fixed K\n"
              "  litmine topics report     # write the HTML report again (no refit)",
    "evaluate": "example:\n  litmine evaluate --gold ../shared/gold/dev",
    "train": "example:\n  litmine train --gold ../shared/gold/dev   # writes outputs/models/claims/; --save-to models/claims",
    "kwic": "example:\n  litmine kwic 新质生产力 --width 20 --sort right\n"
            "  litmine kwic \"industrial cluster\" --lang en --format csv > kwic.csv",
    "freq": "example:\n  litmine freq --by year --top 20 --from 2015\n"
            "  litmine freq --by label --stopwords my_stopwords.txt --format csv > freq.csv",
    "cooc": "example:\n  litmine cooc --top-terms 60 --out outputs/cooc.graphml   # or .gexf, for Gephi\n"
            "  litmine cooc --kind problem --format csv",
    "trends": "example:\n  litmine trends 高质量发展 新质生产力\n  litmine trends --topic zh-3 --format json\n"
              "  litmine trends 改革开放 --plot outputs/trend.png",
    "serve": "example:\n  litmine serve                 # then open http://127.0.0.1:8001/\n"
             "  litmine serve --index outputs/big.sqlite --port 8010",
}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="litmine", description="Bilingual literature text mining: problems, "
                                "countermeasures, statistics, topics and cross-links, traceable to the page.")
    p.add_argument("--version", action="version", version=f"litmine {__import__('pipeline').__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def cmd(name: str, help_: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_, epilog=EPILOG.get(name),
                            formatter_class=argparse.RawDescriptionHelpFormatter)
        sp.add_argument("--index", default=str(DEFAULT_INDEX), help="index file (default: %(default)s)")
        return sp

    sp = cmd("rebuild", "build or update the index over a corpus (file or folder)")
    sp.add_argument("corpus", nargs="*", default=["corpus"], help="folders and/or files (default: corpus)")
    sp.add_argument("--jobs", type=int, default=None, help="worker processes (default: number of cores)")
    sp.add_argument("--full", action="store_true", help="re-process every document")
    sp.add_argument("--password", default=None, help="user password for encrypted PDFs")
    sp.add_argument("--strict", action="store_true", help="exit non-zero when any document failed")
    sp.add_argument("--refit-topics", action="store_true",
                    help="refit the topic model (default: new documents are assigned to the saved model until the"
                         " corpus drifts from it)")
    sp.add_argument("--executor", choices=["local", "dask"], default="local",
                    help="where the per-document stages run (default: local worker processes)")
    sp.add_argument("--scheduler", help="Dask scheduler address for --executor dask, e.g. tcp://10.0.0.5:8786")
    sp.add_argument("--text-column", metavar="NAME", help="record files: the column holding the text "
                    "(default: text/content/abstract/正文/… or the longest prose column)")
    sp.add_argument("--column", action="append", default=[], metavar="ROLE=NAME",
                    help="record files: name a metadata column (roles: title year date authors source url id "
                    "keywords doi); repeatable")
    sp.add_argument("--keep-traditional", action="store_true",
                    help="do not process Traditional Chinese as a Simplified copy")
    sp.add_argument("--claims-model", default=None, help="a claim classifier written by `litmine train`")
    sp.add_argument("--ocr", choices=["auto", "off", "force"], default="auto",
                    help="OCR PDF pages: auto (default) those without a usable text layer (scans, garbled "
                    "fonts), force every page, off none")
    sp.add_argument("--ocr-engine", choices=["rapidocr", "tesseract"], default="rapidocr",
                    help="rapidocr (default, models ship with it) or tesseract (apt-get install tesseract-ocr "
                    "tesseract-ocr-chi-sim)")
    sp.add_argument("--ocr-lang", default="zh,en", metavar="CODES", help="languages to read (default: zh,en)")
    sp.add_argument("--ocr-dpi", type=int, default=200, help="rasterisation resolution (default: 200)")
    sp.add_argument("--quiet", action="store_true")

    fmt_choices = ["table", "json", "csv"]
    sp = cmd("query", "ranked sentences matching words or phrases")
    sp.add_argument("q", metavar="QUERY")
    sp.add_argument("--doc")
    sp.add_argument("--lang", choices=["zh", "en", "mixed"])
    sp.add_argument("--section")
    sp.add_argument("--kind", help="problem | countermeasure | achievement | background")
    sp.add_argument("--topic")
    sp.add_argument("--limit", type=int, default=10)
    sp.add_argument("--no-expand", action="store_true", help="do not add glossary translations/synonyms of the terms")
    sp.add_argument("--format", choices=fmt_choices, default="table")

    sp = cmd("export", "write every table as csv, xlsx, jsonl or parquet")
    sp.add_argument("--format", choices=["csv", "xlsx", "jsonl", "parquet"], default="csv")
    sp.add_argument("--out", default="outputs/export")
    sp.add_argument("--force", action="store_true", help="overwrite existing files")

    sp = cmd("claims", "list tagged claims with provenance and evidence")
    sp.add_argument("--kind")
    sp.add_argument("--doc")
    sp.add_argument("--section")
    sp.add_argument("--topic")
    sp.add_argument("--limit", type=int)
    sp.add_argument("--format", choices=fmt_choices, default="table")

    sp = cmd("stats", "list statistics (value, unit, year, subject, metric)")
    sp.add_argument("--metric")
    sp.add_argument("--subject")
    sp.add_argument("--year", type=int)
    sp.add_argument("--doc")
    sp.add_argument("--limit", type=int)
    sp.add_argument("--format", choices=fmt_choices, default="table")

    sp = cmd("links", "list cross-links between claims and statistics")
    sp.add_argument("--relation", choices=["translation", "addresses", "same_issue", "same_measure", "same_metric"])
    sp.add_argument("--doc")
    sp.add_argument("--limit", type=int)
    sp.add_argument("--format", choices=fmt_choices, default="table")

    sp = cmd("show", "a claim, statistic or sentence with everything linked to it")
    sp.add_argument("id")
    sp.add_argument("--format", choices=["table", "json"], default="table")

    sp = cmd("label", "record a correction of a claim's label (kept across rebuilds, used in training)")
    sp.add_argument("claim_id")
    sp.add_argument("label")

    sp = cmd("topics", "list topics, or refit them (`topics fit`)")
    sp.add_argument("action", nargs="?", choices=["list", "fit", "report"], default="list")
    sp.add_argument("--out", default=None, help="report: where to write the HTML (default: <index dir>/report/topics.html)")
    sp.add_argument("--k", type=int)
    sp.add_argument("--engine", help="nmf | lda | tomotopy, or all: sweep every engine and keep the best")
    sp.add_argument("--save-to", default=None, help="also save the fitted model here (e.g. models/topics)")
    sp.add_argument("--format", choices=["table", "json"], default="table")

    def filters(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--doc", help="one document (doc_id)")
        sp.add_argument("--lang", choices=["zh", "en"])
        sp.add_argument("--kind", help="only sentences tagged problem | countermeasure | achievement | background")
        sp.add_argument("--from", dest="year_from", type=int, metavar="YEAR", help="documents of this year or later")
        sp.add_argument("--to", dest="year_to", type=int, metavar="YEAR", help="documents of this year or earlier")

    sp = cmd("kwic", "keyword in context: every use of a term with its left and right context")
    sp.add_argument("term")
    sp.add_argument("--width", type=int, default=30, help="characters of context each side (default: %(default)s)")
    sp.add_argument("--sort", choices=["position", "left", "right", "year"], default="position")
    sp.add_argument("--limit", type=int, default=0, help="at most this many lines (default: all)")
    filters(sp)
    sp.add_argument("--format", choices=fmt_choices, default="table")

    sp = cmd("freq", "word frequencies (stopwords removed) overall or per document, year or claim label")
    sp.add_argument("--by", choices=["none", "doc", "year", "label"], default="none")
    sp.add_argument("--top", type=int, default=30, help="words per group (default: %(default)s; 0: all)")
    sp.add_argument("--min-count", type=int, default=2)
    sp.add_argument("--stopwords", help="a file of extra stopwords, one per line")
    filters(sp)
    sp.add_argument("--format", choices=fmt_choices, default="table")

    sp = cmd("cooc", "word co-occurrence network (GraphML/GEXF for Gephi, or the edges as rows)")
    sp.add_argument("--unit", choices=["sentence", "paragraph"], default="sentence")
    sp.add_argument("--top-terms", type=int, default=60, help="most frequent words kept as nodes")
    sp.add_argument("--min-count", type=int, default=3, help="a word must occur in this many units")
    sp.add_argument("--edges", type=int, default=120, help="strongest edges kept (Jaccard)")
    sp.add_argument("--stopwords", help="a file of extra stopwords, one per line")
    sp.add_argument("--out", help="write the network to this .graphml or .gexf file")
    sp.add_argument("--force", action="store_true", help="overwrite --out")
    filters(sp)
    sp.add_argument("--format", choices=fmt_choices, default="table")

    sp = cmd("trends", "counts per year of terms, or of a topic (documents need a year)")
    sp.add_argument("terms", nargs="*", metavar="TERM")
    sp.add_argument("--topic", help="a topic id (zh-3) or number")
    sp.add_argument("--plot", help="also draw the series into this .png or .svg file")
    filters(sp)
    sp.add_argument("--format", choices=fmt_choices, default="table")

    sp = cmd("serve", "browse the index in a web browser (Datasette, read-only, on 127.0.0.1)")
    sp.add_argument("--port", type=int, default=8001)
    sp.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s, this machine only)")

    sp = cmd("evaluate", "score the index against a gold directory (shared/gold/FORMAT.md)")
    sp.add_argument("--gold", required=True)
    sp.add_argument("--format", choices=["table", "json"], default="table")

    sp = cmd("train", "retrain the claim classifier from gold data (+ your corrections)")
    sp.add_argument("--gold", required=True)
    sp.add_argument("--save-to", default=None,
                    help="where to write the model (default: beside the index; models/claims replaces the shipped one)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        return COMMANDS[args.command](args)
    except LitmineError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted: the previous index is unchanged.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: one line for the user, the traceback only on request
        if os.environ.get("LITMINE_DEBUG"):
            raise
        detail = str(exc).splitlines()[0][:200] if str(exc) else ""
        print("Error: " + Msg.INTERNAL.format(detail=f"{type(exc).__name__}: {detail}"), file=sys.stderr)
        return 70


# ---- output helpers ----------------------------------------------------------------------------
def _print_rows(rows: list[dict[str, Any]], fmt: str, columns: list[str], title: str = "") -> None:
    if fmt == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(columns)
        for r in rows:
            w.writerow([_cell(r.get(c)) for c in columns])
        sys.stdout.write(buf.getvalue())
        return
    from rich.console import Console
    from rich.table import Table

    console = Console(soft_wrap=False)
    table = Table(title=title or None, show_lines=False, expand=False)
    for c in columns:
        table.add_column(c, overflow="fold", max_width=70 if c in ("text", "highlighted", "context") else 28)
    for r in rows:
        table.add_row(*[_cell(r.get(c)) for c in columns])
    console.print(table)
    if not rows:
        console.print("(no results)")


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, list):
        return ";".join(map(str, v))
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False, sort_keys=True)
    return str(v)


def _settings(args: argparse.Namespace) -> Settings:
    kw: dict[str, Any] = {}
    if getattr(args, "jobs", None):
        kw["jobs"] = args.jobs
    if getattr(args, "password", None):
        kw["password"] = args.password
    columns = [("text", args.text_column)] if getattr(args, "text_column", None) else []
    for spec in getattr(args, "column", None) or []:
        role, sep, name = spec.partition("=")
        if not sep or not name.strip():
            raise LitmineError(Msg.SETTINGS_INVALID.format(name="--column", value=spec, why="write ROLE=NAME"))
        columns.append((role.strip(), name.strip()))
    if columns:
        kw["columns"] = tuple(columns)
    if getattr(args, "keep_traditional", False):
        kw["traditional"] = "off"
    if getattr(args, "claims_model", None):
        kw["claims_model"] = Path(args.claims_model)
    if getattr(args, "ocr", None):
        kw["ocr"] = OcrOptions(mode=args.ocr, engine=args.ocr_engine, dpi=args.ocr_dpi,
                               lang=tuple(c.strip() for c in args.ocr_lang.split(",") if c.strip()))
    return Settings(**kw)


# ---- commands ----------------------------------------------------------------------------------
def cmd_rebuild(args: argparse.Namespace) -> int:
    from .api import Index

    settings = _settings(args)
    progress_cb: Callable[[str, int, int, int], None] | None = None
    bar = None
    if sys.stderr.isatty() and not args.quiet:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        bar = Progress(TextColumn("[bold]indexing"), BarColumn(), MofNCompleteColumn(), TextColumn("documents"),
                       TextColumn("{task.fields[pages]} pages"), TimeRemainingColumn(), TextColumn("{task.description}"),
                       transient=True)
        task = bar.add_task("", total=None, pages=0)
        bar.start()

        def progress_cb(name: str, done: int, total: int, pages: int) -> None:
            bar.update(task, completed=done, total=total, description=name, pages=pages)
    try:
        summary = Index.rebuild(args.corpus, args.index, settings, full=args.full, progress=progress_cb,
                                refit_topics=args.refit_topics, executor=args.executor, scheduler=args.scheduler)
    finally:
        if bar is not None:
            bar.stop()
    if not args.quiet:
        print("\n".join(summary.lines()))
    if args.strict and summary.failed:
        return 1
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from .api import Index

    with Index.open(args.index) as ix:
        hits = ix.query(args.q, doc=args.doc, lang=args.lang, section=args.section, kind=args.kind,
                        topic=args.topic, limit=args.limit, expand=not args.no_expand)
    rows = []
    for h in hits:
        d = h.as_dict()
        d["stats"] = "; ".join(f"{s['span']}={s['value']:g} {s['unit'] or ''}".strip() if s["value"] is not None
                               else s["span"] for s in h.statistics)
        rows.append(d)
    if args.format == "json":
        print(json.dumps([h.as_dict() for h in hits], ensure_ascii=False, indent=2))
        return 0
    if args.format == "table":
        _print_hits(hits, args.q)
        return 0
    cols = ["sentence_id", "doc_id", "page", "start", "end", "section", "lang", "kind", "label", "score", "text", "stats", "links"]
    _print_rows(rows, args.format, cols, title=f"query: {args.q}")
    return 0


def _print_hits(hits: list, q: str) -> None:
    """Readable results: one block per sentence, provenance first, matches in [brackets]."""
    if not hits:
        print(f"No sentence matches {q!r}. Try fewer words, or OR between alternatives.")
        return
    for i, h in enumerate(hits, 1):
        page = f"p.{h.page}" if h.page else "p.–"
        extra = []
        if h.label:
            extra.append(f"{h.label} {h.confidence:.2f}" if h.confidence is not None else h.label)
        if h.topic_id:
            extra.append(f"topic {h.topic_id}")
        if h.links:
            extra.append(f"{h.links} links")
        print(f"{i:>2}. {h.doc_id}  {page}  chars {h.start}-{h.end}  §{h.section[:40] or '–'}  "
              f"[{h.kind}/{h.lang}]" + (f"  ({', '.join(extra)})" if extra else ""))
        print(f"    {h.highlighted}")
        for s in h.statistics:
            val = f"{s['value']:g}" if s["value"] is not None else "—"
            meta = ", ".join(str(x) for x in (s["year"], s["subject"], s["metric"]) if x)
            print(f"      · {s['span']} = {val} {s['unit'] or ''}  ({meta})")


def cmd_export(args: argparse.Namespace) -> int:
    from .api import Index

    with Index.open(args.index) as ix:
        files = ix.export(args.out, args.format, force=args.force)
    for f in files:
        print(f)
    return 0


def cmd_claims(args: argparse.Namespace) -> int:
    from .api import Index

    with Index.open(args.index) as ix:
        rows = ix.claims(kind=args.kind, doc=args.doc, section=args.section, topic=args.topic, limit=args.limit)
    if args.format == "table":
        for i, r in enumerate(rows, 1):
            ev = r["evidence"]
            cues = ", ".join(c.get("cue", "") for c in ev.get("cues", [])[:6]) if isinstance(ev.get("cues"), list) else ""
            sec = f" +{','.join(r['secondary'])}" if r["secondary"] else ""
            why = f"rule={ev.get('rule', '')}" + (f" heading={ev['heading_class']}" if ev.get("heading_class") else "") \
                + (f" cues: {cues}" if cues else "") + (" (corrected)" if r.get("corrected") else "")
            print(f"{i:>3}. {r['claim_id']}  p.{r['page'] or '–'}  §{(r['section'] or '–')[:40]}\n"
                  f"     {r['label']}{sec} {r['confidence']:.2f}  {why}\n     {r['text']}")
        if not rows:
            print("(no claims match)")
        return 0
    cols = ["claim_id", "doc_id", "page", "start", "end", "section", "lang", "label", "secondary", "confidence",
            "evidence", "topic_id", "text"]
    _print_rows(rows, args.format, cols, title="claims")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from .api import Index

    with Index.open(args.index) as ix:
        rows = ix.stats(metric=args.metric, subject=args.subject, year=args.year, doc=args.doc, limit=args.limit)
    if args.format == "table":
        for i, r in enumerate(rows, 1):
            val = f"{r['value']:g}" if r["value"] is not None else "—"
            year = (f"{r['year_start']}–" if r.get("year_start") else "") + (str(r["year"]) if r["year"] else "–")
            extra = " ".join(x for x in (r["approx"] if r["approx"] != "exact" else "", r["direction"] or "",
                                         r["modality"] if r["modality"] == "target" else "") if x)
            flags = f"  flags: {';'.join(r['flags'])}" if r["flags"] else ""
            print(f"{i:>3}. {r['span']}  = {val} {r['unit'] or ''}{(' ' + r['counter']) if r['counter'] else ''}"
                  f"  {extra}  year {year}  subject {r['subject'] or '–'}  metric {r['metric'] or '–'}{flags}\n"
                  f"     {r['stat_id']}  p.{r['page'] or '–'}  {r['source']}: {(r['context'] or '')[:160]}")
        if not rows:
            print("(no statistics match)")
        return 0
    cols = ["stat_id", "doc_id", "source", "page", "start", "end", "span", "value", "unit", "counter", "approx",
            "direction", "modality", "year", "year_start", "subject", "subject_text", "metric", "flags", "context"]
    _print_rows(rows, args.format, cols, title="statistics")
    return 0


def cmd_links(args: argparse.Namespace) -> int:
    from .api import Index

    with Index.open(args.index) as ix:
        rows = ix.links(relation=args.relation, doc=args.doc, limit=args.limit)
        if args.format == "table":
            for i, r in enumerate(rows, 1):
                flag = "  CONFLICT" if r["conflict"] else ""
                print(f"{i:>3}. {r['relation']}  score {r['score']:.3g}{flag}  {r['link_id']}\n"
                      f"     {r['source_id']}: {ix.describe(r['source_id'])[:110]}\n"
                      f"     {r['target_id']}: {ix.describe(r['target_id'])[:110]}")
            if not rows:
                print("(no links match)")
            return 0
    cols = ["link_id", "relation", "source_id", "target_id", "source_doc", "target_doc", "score", "conflict", "evidence"]
    _print_rows(rows, args.format, cols, title="links")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from .api import Index

    with Index.open(args.index) as ix:
        item = ix.item(args.id)
    if args.format == "json":
        print(json.dumps(item, ensure_ascii=False, indent=2))
        return 0
    head = {k: v for k, v in item.items() if k not in ("links", "statistics")}
    for k, v in head.items():
        print(f"{k:>11}: {_cell(v)}")
    for st in item.get("statistics") or []:
        val = f"{st['value']:g}" if st["value"] is not None else "—"
        meta = ", ".join(str(x) for x in (st["year"], st["subject"], st["metric"]) if x)
        print(f"  statistic: {st['span']} = {val} {st['unit'] or ''} ({meta})  {st['stat_id']}")
    if not item["links"]:
        print("      links: none")
    for rel, items in item["links"].items():
        print(f"\n{rel} ({len(items)})")
        for it in items:
            flag = "  CONFLICT" if it["conflict"] else ""
            print(f"  {it['direction']} {it['id']}  score={it['score']:.3g}{flag}\n      {it['text'][:160]}")
    return 0


def cmd_label(args: argparse.Namespace) -> int:
    from .api import Index

    with Index.open(args.index) as ix:
        res = ix.label(args.claim_id, args.label)
    print(f"{res['claim_id']}: {res['previous']} → {res['label']} (kept across rebuilds; "
          "used by `litmine train`)")
    return 0


def cmd_topics(args: argparse.Namespace) -> int:
    from .api import Index

    if args.action == "fit":
        from .topics.stage import refit_topics

        kw: dict[str, Any] = {}
        if args.k:
            kw["topic_k"] = args.k
        if args.engine:
            kw["topic_engine"] = args.engine
        for line in refit_topics(Path(args.index), Settings(**kw), save_to=args.save_to):
            print(line)
        return 0
    if args.action == "report":
        with Index.open(args.index) as ix:
            print(ix.topics_report(args.out))
        return 0
    with Index.open(args.index) as ix:
        rows = ix.topics()
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        terms = ", ".join(f"{t[0]}" for t in r["terms"][:10])
        docs = ", ".join(f"{d['doc_id'][:12]}:{d['weight']:.2f}" for d in r["documents"][:4])
        print(f"{r['topic_id']:>7} [{r['lang']}] {r['label']}  prevalence={r['prevalence']:.3f}\n"
              f"         terms: {terms}\n         docs: {docs}")
        for ex in r["examples"][:2]:
            print(f"         e.g. {ex[:100]}")
    if not rows:
        print("(no topics: run `litmine rebuild`)")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate.run import evaluate, format_report

    report = evaluate(Path(args.index), Path(args.gold))
    if args.format == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_report(report))
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from .training import train

    for line in train(Path(args.index), Path(args.gold), save_to=args.save_to):
        print(line)
    return 0


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    return {k: getattr(args, k) for k in ("doc", "lang", "kind", "year_from", "year_to")
            if getattr(args, k, None) is not None}


def cmd_kwic(args: argparse.Namespace) -> int:
    from .api import Index

    with Index.open(args.index) as ix:
        lines = ix.kwic(args.term, width=args.width, sort=args.sort, limit=args.limit or None, **_filters(args))
    rows = [ln.as_dict() for ln in lines]
    if args.format == "table":
        if not rows:
            print(f"(no use of {args.term!r})")
        w = max(1, args.width)
        for r in rows:
            where = f"{r['title'][:16]} {r['year'] or ''} p.{r['page'] or '–'}"
            print(f"{_pad_left(r['left'], w)} [{r['keyword']}] {_pad_right(r['right'], w)}  {where}")
        return 0
    _print_rows(rows, args.format, ["doc_id", "title", "year", "page", "start", "end", "section", "label", "left",
                                    "keyword", "right", "sentence_id"])
    return 0


def _width(s: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in s)


def _pad_left(s: str, w: int) -> str:
    return " " * max(0, w * 2 - _width(s)) + s if any(ord(c) > 0x2E80 for c in s) else s.rjust(w)


def _pad_right(s: str, w: int) -> str:
    return s + " " * max(0, w * 2 - _width(s)) if any(ord(c) > 0x2E80 for c in s) else s.ljust(w)


def cmd_freq(args: argparse.Namespace) -> int:
    from .api import Index

    with Index.open(args.index) as ix:
        rows = [r.as_dict() for r in ix.freq(by=args.by, top=args.top, min_count=args.min_count,
                                             stopwords=args.stopwords, **_filters(args))]
    if args.format == "table":
        group = None
        for r in rows:
            if r["group"] != group:
                group = r["group"]
                print(f"\n{group}" if args.by != "none" else "")
            print(f"  {r['rank']:>3}. {r['term']}  {r['count']}  ({r['per_10k']:g}/10k words, {r['documents']} docs)")
        if not rows:
            print("(no words)")
        return 0
    _print_rows(rows, args.format, ["group", "rank", "term", "count", "per_10k", "documents"])
    return 0


def cmd_cooc(args: argparse.Namespace) -> int:
    from .api import Index

    with Index.open(args.index) as ix:
        net = ix.cooc(unit=args.unit, top_terms=args.top_terms, min_count=args.min_count, max_edges=args.edges,
                      stopwords=args.stopwords, **_filters(args))
    if args.out:
        path = net.write(args.out, force=args.force)
        print(f"{path}: {len(net.nodes)} words, {len(net.edges)} edges over {net.units} {args.unit}s")
        return 0
    if args.format == "table":
        for e in net.edges:
            print(f"  {e['source']} — {e['target']}  jaccard {e['jaccard']:.3f}  together {e['count']}")
        if not net.edges:
            print("(no co-occurrences)")
        return 0
    _print_rows(net.rows(), args.format, ["source", "target", "count", "jaccard"])
    return 0


def cmd_trends(args: argparse.Namespace) -> int:
    from .api import Index

    with Index.open(args.index) as ix:
        trend_rows = ix.trends(args.terms, topic=args.topic, **_filters(args))
    rows = [r.as_dict() for r in trend_rows]
    if args.plot:
        from .plotting import plot_trends

        print(plot_trends(trend_rows, args.plot))
    if args.format == "table":
        series = None
        for r in rows:
            if r["series"] != series:
                series = r["series"]
                print(f"\n{series}")
            extra = f"  weight {r['weight']:.3f}" if r["weight"] is not None else ""
            print(f"  {r['year']}  {r['hits']:>5}  ({r['per_10k']:g}/10k sentences; {r['documents_with']}/"
                  f"{r['documents']} docs){extra}")
        return 0
    _print_rows(rows, args.format, ["series", "year", "documents", "sentences", "hits", "documents_with", "per_10k",
                                    "weight"])
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(Path(args.index), host=args.host, port=args.port)


COMMANDS = {"kwic": cmd_kwic, "freq": cmd_freq, "cooc": cmd_cooc, "trends": cmd_trends, "serve": cmd_serve,
            "rebuild": cmd_rebuild, "query": cmd_query, "export": cmd_export, "claims": cmd_claims,
            "stats": cmd_stats, "links": cmd_links, "show": cmd_show, "label": cmd_label, "topics": cmd_topics,
            "evaluate": cmd_evaluate, "train": cmd_train}

if __name__ == "__main__":
    sys.exit(main())
