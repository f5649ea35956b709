"""The corpus walk: files and records → `Source`s, one per document to index.

- One file may yield many documents (a record file, a bibliographic export): each record is a
  Source with a locator `path#key` (key = `id=…` when the record has a unique id, else its line,
  row or entry number).
- Skipped by design (named in `Walk.skipped`): hidden files and folders, the index itself and its
  temporary copies, the folder the index lives in when it is inside the corpus (exports, reports
  and fitted models go there), README/SOURCES notes.
- Rejected (named with a reason in `Walk.rejected`, never processed): unsupported types, record
  files that cannot be parsed, records without text.
- A record whose text is the same as a text file's or another record's (whitespace- and
  Unicode-form-blind) is indexed once: the text file wins (its metadata is then taken from the
  record), else the record with the most metadata; the others are named as duplicates.
- Doc ids: a file's stem; a record's id (else `<file stem>_<text hash>`); when two sources would
  share an id, each gets its path (relative to its corpus root) in front, then the suffix or a hash.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DocumentError, LitmineError, Msg
from .backend import ReadOptions, Record, text_fingerprint
from .formats import BY_NAME, InputFormat, backend_class, detect, suffix_list

DOC_NOTES = ("README.md", "SOURCES.md")
BIBLIOGRAPHIC = ("ris", "endnote", "refworks", "noteexpress", "cnki", "wos", "wos_tab")
MIN_TITLE = 8  # normalised characters a title needs before it may identify a file
_ID_UNSAFE = re.compile(r"[\s:#/\\]+")  # ids appear inside sentence/claim ids (doc:start-end) and locators


@dataclass
class Source:
    """One document to index: a whole file, or one record of a file."""

    doc_id: str
    path: Path
    format: str
    sha256: str  # content hash: the file's bytes, or the record's text + metadata
    size: int
    key: str | None = None  # the record within the file (None: the whole file)
    record: Record | None = None  # carried to the worker so that the file is not parsed again
    metadata: dict[str, Any] | None = None  # taken over from a record with the same text (or title)
    # bibliographic references of the corpus a PDF may turn out to be (title found on its first page)
    candidates: list[tuple[str, dict[str, Any]]] | None = None
    root: Path | None = None

    @property
    def locator(self) -> str:
        return str(self.path) if self.key is None else f"{self.path}#{self.key}"

    @property
    def name(self) -> str:
        """What a user reads in the summary: the file name, with the record key."""
        return self.path.name if self.key is None else f"{self.path.name}#{self.key}"


@dataclass
class Walk:
    sources: list[Source] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (file or file#record, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # not documents by design
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file#record, kept as)
    # (normalised title, metadata, file#record) of every bibliographic reference, with or without abstract
    references: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)

    def summary_lines(self, limit: int = 3) -> list[str]:
        """Rejections and duplicates grouped per file and reason (a record file can reject thousands)."""
        out: list[str] = []
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for name, reason in self.rejected:
            file, _, rec = name.partition("#")
            groups[(file, _generic(reason))].append(rec)
        for (file, reason), recs in groups.items():
            if recs == [""]:
                out.append(f"{file}: {reason}")
            else:
                shown = ", ".join(r for r in recs[:limit]) + (", …" if len(recs) > limit else "")
                out.append(f"{file}: {len(recs)} record(s) rejected: {reason} ({shown})")
        dups: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for name, kept in self.duplicates:
            dups[name.partition("#")[0]].append((name.partition("#")[2], kept))
        for file, items in dups.items():
            shown = ", ".join(f"{r} = {k}" for r, k in items[:limit]) + (", …" if len(items) > limit else "")
            out.append(f"{file}: {len(items)} record(s) with the same text as another document, indexed once "
                       f"({shown})")
        return out


def _generic(reason: str) -> str:
    return re.sub(r"^(line|row|record) \d+: ", "", reason)


def walk(corpus: Path | str | list[Path] | list[str], options: ReadOptions | None = None,
         index: Path | str | None = None) -> Walk:
    """Every file under the corpus paths (folders recursively, or single files), as Sources."""
    options = options or ReadOptions()
    roots = [Path(c) for c in (corpus if isinstance(corpus, (list, tuple)) else [corpus])]
    result = Walk()
    files = _files(roots, index, result)
    pending: list[Source] = []
    record_sources: list[Source] = []
    for path, root in files:
        try:
            head_size = path.stat().st_size
        except OSError as exc:
            result.rejected.append((path.name, Msg.CANNOT_READ.format(detail=exc.strerror or exc)))
            continue
        fmt = detect(path)
        if fmt is None:
            result.rejected.append((path.name, _unsupported(path)))
            continue
        if not fmt.records:
            pending.append(Source("", path, fmt.name, _hash_file(path), head_size, root=root))
            continue
        record_sources += _record_sources(path, root, fmt, options, result)
    _dedupe(pending, record_sources, result)
    _match_titles(pending, result.references)
    sources = pending + record_sources
    _assign_ids(sources)
    result.sources = sorted(sources, key=lambda s: (s.doc_id, s.locator))
    return result


def _files(roots: list[Path], index: Path | str | None, result: Walk) -> list[tuple[Path, Path]]:
    index_path = Path(index).resolve() if index is not None else None
    out: list[tuple[Path, Path]] = []
    for root in roots:
        if not root.exists():
            raise LitmineError(Msg.CORPUS_MISSING.format(path=root))
        if root.is_file():
            out.append((root, root.parent))
            continue
        outputs = index_path.parent if index_path is not None else None
        skip_outputs = outputs is not None and outputs != root.resolve() and _inside(outputs, root.resolve())
        if skip_outputs and outputs is not None:
            result.skipped.append((outputs.name + "/", Msg.SKIPPED_OUTPUTS.format(folder=outputs.name + "/")))
        for p in sorted(root.rglob("*")):
            rel = p.relative_to(root).parts
            if any(part.startswith(".") for part in rel) or not p.is_file():
                continue  # hidden files and folders (.git, .venv, our own .index.tmp copies)
            rp = p.resolve()
            if skip_outputs and outputs is not None and _inside(rp, outputs):
                continue
            if index_path is not None and (rp == index_path or (rp.parent == index_path.parent and p.name.startswith(
                    (index_path.name + "-", "." + index_path.name)))):
                result.skipped.append((p.name, Msg.SKIPPED_INDEX))
                continue
            if p.name in DOC_NOTES:
                result.skipped.append((p.name, Msg.SKIPPED_DOCS))
                continue
            out.append((p, root))
    return out


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def _unsupported(path: Path) -> str:
    try:
        with open(path, "rb") as fh:
            if fh.read(16) == b"SQLite format 3\x00":
                return Msg.SKIPPED_SQLITE
    except OSError:
        pass
    return Msg.UNKNOWN_FORMAT.format(ext=path.suffix.lower() or "(none)", supported=suffix_list())


def _hash_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_records(path: Path, fmt: InputFormat, options: ReadOptions, data: bytes | None = None) -> list[Record]:
    """Every record of a record file (unusable ones carry `problem`). Raises DocumentError when the
    file as a whole cannot be read."""
    try:
        data = path.read_bytes() if data is None else data
    except OSError as exc:
        raise DocumentError(Msg.CANNOT_READ.format(detail=exc.strerror or exc)) from None
    if not data.strip():
        raise DocumentError(Msg.EMPTY_FILE)
    backend = backend_class(fmt)(path, data, options, fmt.name)
    records = list(backend.records())
    ids = Counter(r.rec_id for r in records if r.rec_id)
    for r in records:
        if r.rec_id and ids[r.rec_id] > 1:
            r.positional = True
    return records


def _record_sources(path: Path, root: Path, fmt: InputFormat, options: ReadOptions, result: Walk) -> list[Source]:
    try:
        records = read_records(path, fmt, options)
    except DocumentError as exc:
        result.rejected.append((path.name, str(exc)))
        return []
    out = []
    if fmt.name in BIBLIOGRAPHIC:
        result.references += [(_norm_title(r.title), r.metadata(), f"{path.name}#{r.key}") for r in records
                               if len(_norm_title(r.title)) >= MIN_TITLE]
    for r in records:
        if r.problem:
            result.rejected.append((f"{path.name}#{r.where}", r.problem))
            continue
        out.append(Source("", path, fmt.name, r.content_hash(), len(r.text.encode("utf-8")), key=r.key, record=r,
                          root=root))
    return out


def _dedupe(files: list[Source], records: list[Source], result: Walk) -> None:
    """Index a text that comes both as a file and as a record (or as two records) once."""
    if not records:
        return
    groups: dict[str, list[Source]] = defaultdict(list)
    for s in files:
        if s.format in ("txt", "md"):
            fp = _file_fingerprint(s.path)
            if fp:
                groups[fp].append(s)
    for s in records:
        assert s.record is not None
        groups[s.record.fingerprint()].append(s)
    drop: set[int] = set()
    for members in groups.values():
        if len(members) < 2 or all(s.record is None for s in members):
            continue
        # the same text under two different titles is two works (a shared placeholder abstract)
        for titled in _by_title(members):
            recs = [s for s in titled if s.record is not None]
            if not recs or len(titled) < 2:
                continue
            plain = [s for s in titled if s.record is None]
            # the richest record (an id breaks ties) lends its metadata; among records it is the one kept
            recs.sort(key=lambda s: (-len(s.record.metadata()), not s.record.rec_id) if s.record else (0, True))
            keep = plain[0] if plain else recs[0]
            if plain and recs[0].record is not None:
                keep.metadata = recs[0].record.metadata()
                if keep.metadata:  # re-process the file when the record's metadata changes
                    keep.sha256 = hashlib.sha256((keep.sha256 + recs[0].sha256).encode()).hexdigest()
            for s in recs:
                if s is not keep:
                    drop.add(id(s))
                    result.duplicates.append((s.name, keep.name))
    records[:] = [s for s in records if id(s) not in drop]


def _match_titles(files: list[Source], refs: list[tuple[str, dict[str, Any], str]]) -> None:
    """A PDF/Word file whose name starts with a reference's title (CNKI names downloads
    "题名_作者.pdf") takes that reference's metadata; the others carry the references to the
    worker, which looks for a title on the first page (match_reference)."""
    if not refs:
        return
    for s in files:
        if s.format not in ("pdf", "docx") or s.metadata:
            continue
        stem = _norm_title(s.path.stem)
        hits = [(t, md, name) for t, md, name in refs if stem.startswith(t)]
        if hits:
            t, md, name = max(hits, key=lambda h: len(h[0]))
            s.metadata = dict(md, meta=dict(md.get("meta") or {}, metadata_from=name))
        else:
            s.candidates = [(t, dict(md, meta=dict(md.get("meta") or {}, metadata_from=name))) for t, md, name in refs]


def match_reference(text: str, candidates: list[tuple[str, dict[str, Any]]]) -> dict[str, Any] | None:
    """The metadata of the longest reference title found in a document's opening text."""
    head = _norm_title(text[:FIRST_PAGE_CHARS])
    hits = [(t, md) for t, md in candidates if t and t in head]
    return max(hits, key=lambda h: len(h[0]))[1] if hits else None


FIRST_PAGE_CHARS = 2000


def _by_title(members: list[Source]) -> list[list[Source]]:
    """Split sources with one text by title; untitled ones (files, records without a title) join
    the single titled group, or form their own when titles differ."""
    titles: dict[str, list[Source]] = defaultdict(list)
    untitled: list[Source] = []
    for s in members:
        t = _norm_title(s.record.title) if s.record is not None else ""
        (titles[t] if t else untitled).append(s)
    if len(titles) <= 1:
        return [untitled + next(iter(titles.values()), [])]
    return [untitled] + list(titles.values())


def _norm_title(title: str) -> str:
    return re.sub(r"[\W_]+", "", title.lower())


def _file_fingerprint(path: Path) -> str | None:
    from .text import decode_bytes

    try:
        text, _ = decode_bytes(path.read_bytes())
    except (OSError, DocumentError):
        return None
    return text_fingerprint(text) if text.strip() else None


def _assign_ids(sources: list[Source]) -> None:
    """Unique, readable doc ids; every source with a contested id is qualified by its path."""
    def base(s: Source) -> str:
        if s.record is None:
            return s.path.stem
        if s.record.rec_id and not s.record.positional:
            return _ID_UNSAFE.sub("_", s.record.rec_id).strip("_") or s.record.fingerprint()[:10]
        # no id: the title and text make a stable one (two works may share a placeholder abstract)
        h = hashlib.sha256(f"{_norm_title(s.record.title)}\n{s.record.fingerprint()}".encode()).hexdigest()
        return f"{s.path.stem}_{h[:10]}"

    def rel(s: Source) -> str:
        root = s.root or s.path.parent
        try:
            return s.path.relative_to(root).with_suffix("").as_posix()
        except ValueError:
            return s.path.with_suffix("").name

    steps = (
        base,
        lambda s: rel(s) if s.record is None else f"{rel(s)}/{base(s)}",
        lambda s: rel(s) + s.path.suffix.lower() if s.record is None else f"{rel(s)}{s.path.suffix.lower()}/{base(s)}",
        lambda s: f"{rel(s)}{s.path.suffix.lower()}" if s.record is None else
        f"{rel(s)}{s.path.suffix.lower()}/{base(s)}~{s.sha256[:8]}",
    )
    for s in sources:
        s.doc_id = steps[0](s)
    for step in steps[1:]:
        counts = Counter(s.doc_id for s in sources)
        clashes = [s for s in sources if counts[s.doc_id] > 1]
        if not clashes:
            return
        for s in clashes:
            s.doc_id = step(s)
    counts = Counter(s.doc_id for s in sources)
    seen: Counter[str] = Counter()
    for s in sorted(sources, key=lambda s: s.locator):
        if counts[s.doc_id] > 1:
            seen[s.doc_id] += 1
            s.doc_id = f"{s.doc_id}~{seen[s.doc_id]}"


def find_record(path: Path, key: str, options: ReadOptions | None = None) -> Record:
    """The record `key` of a record file (for re-reading a document from its locator)."""
    options = options or ReadOptions()
    fmt = detect(path)
    if fmt is None or not fmt.records:
        raise DocumentError(Msg.UNKNOWN_FORMAT.format(ext=path.suffix.lower() or "(none)", supported=suffix_list()))
    for r in read_records(path, fmt, options):
        if r.key == key:
            if r.problem:
                raise DocumentError(r.problem)
            return r
    raise DocumentError(Msg.CANNOT_READ.format(detail=f"no record {key} in {path.name}"))


__all__ = ["Source", "Walk", "walk", "find_record", "read_records", "BY_NAME"]
