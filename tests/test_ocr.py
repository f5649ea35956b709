"""OCR (extract/ocr/, extract/pdf/ocr.py): when a page is OCR'd, the options, the engines, and what an
OCR'd page gives (text through the same layout path, provenance). Fast tests first; the real scans
(three image-only Chinese PDFs and the mojibake page) are read in one slow test."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from pipeline.errors import DocumentError, LitmineError, Msg
from pipeline.extract.ocr import OcrOptions, Thresholds, load_thresholds, measure, ocr_reason
from pipeline.extract.ocr.engines import TesseractEngine, _tsv_lines
from pipeline.settings import Settings

from conftest import BAD_PDFS, SHARED
from pdf_fixtures import REALDATA, levenshtein

TH = Thresholds()
ZH = ("在全球产业链重构、技术革命加速与绿色转型深化的时代背景下，国家级新区承载着探索中国现代化产业体系"
      "建设路径的战略使命。以成渝地区双城经济圈核心引擎为研究对象，系统剖析其现代制造业集群体系的发展现状。")
EN = ("This paper analyses the class differences of subjective well-being between 2005 and 2013, and "
      "attempts to explore the effects of state redistribution capability on this change (p < 0.05).")


# --------------------------------------------------------------------------- the garbled detector

def test_healthy_text_is_not_garbled():
    for text in (ZH, EN, ZH + " " + EN, "2015 12 31 3,000 2015-09-21 2016-03-21 15.7% 189,175.14 " * 5):
        assert not measure(text).garbled(TH), text[:30]
        assert ocr_reason(text, n_images=1, invisible=False, th=TH) is None


def test_mojibake_of_every_kind_is_garbled():
    # a font without ToUnicode read as Latin codes (the shared medical journal page reads like this)
    soup = '! !"#$ % & ( )*+ "#$ ! ,-./012 23245/0670/2181 09 )*+ 6/0:;451 09 2<0= , % & .=: 57/22 >84/01.5233852 ' * 3
    # UTF-8 bytes decoded as GBK / Big5 (wrong code page): arbitrary, mostly rare, Han characters
    gbk = ZH.encode("utf-8").decode("gbk", errors="ignore")
    big5 = ZH.encode("utf-8").decode("big5", errors="ignore")
    lost = "\ufffd\ue001\ue002 " * 20 + ZH[:30]  # unmapped glyphs: replacement and private-use chars
    for text in (soup, gbk, big5, lost):
        q = measure(text)
        assert q.garbled(TH), (text[:30], q)
        assert ocr_reason(text, 0, False, TH) == "garbled text layer"


def test_why_a_page_is_ocred():
    assert ocr_reason("", n_images=1, invisible=False, th=TH) == "no text layer"
    assert ocr_reason("2016-03-07", n_images=1, invisible=False, th=TH) == "no text layer"  # a stamp on a scan
    assert ocr_reason("", n_images=0, invisible=False, th=TH) is None  # a blank page: nothing to read
    layer = "ZOq5 2016) 306 : ( ) 20I5 ( [20I6]0512 ) Z0l5 4 6 20 5 6 500 2013 5 I6 ( ) 2013 5 16 2015 5 15"
    assert ocr_reason(layer, n_images=1, invisible=True, th=TH) == "OCR layer without words"
    assert ocr_reason(layer, n_images=1, invisible=False, th=TH) is None  # visible digits are a table


def test_real_report_texts_simplified_and_traditional_are_not_garbled():
    """All 29 provincial reports and the 72 national ones (the 1954 report is Traditional Chinese)."""
    root = SHARED / "realdata/text/zh/gov_work_reports"
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "provincial_2025").glob("*.txt"))]
    with open(root / "national_1954_2025_wikisource.jsonl", encoding="utf-8") as fh:
        texts += [json.loads(line)["content"] for line in fh if line.strip()]
    assert len(texts) >= 100
    for text in texts:
        for k in range(0, len(text), 3000):  # page-sized pieces
            q = measure(text[k:k + 3000])
            assert not q.garbled(TH), (text[:20], k, q)


def test_thresholds_file_is_validated(tmp_path):
    shipped = load_thresholds(str(Path(__file__).resolve().parents[1] / "models"))
    assert shipped == Thresholds()  # the file and the defaults agree
    (tmp_path / "ocr").mkdir()
    (tmp_path / "ocr" / "text_layer.json").write_text('{"bad_share": 1.5}', encoding="utf-8")
    with pytest.raises(LitmineError, match="bad_share"):
        load_thresholds(str(tmp_path))
    (tmp_path / "ocr" / "text_layer.json").write_text('{"nope": 1}', encoding="utf-8")
    load_thresholds.cache_clear()
    with pytest.raises(LitmineError, match="unknown key"):
        load_thresholds(str(tmp_path))


# --------------------------------------------------------------------------- options

def test_ocr_options_are_validated_in_one_line():
    assert OcrOptions() == OcrOptions(mode="auto", engine="rapidocr", lang=("zh", "en"), dpi=200)
    for bad in ({"mode": "sometimes"}, {"engine": "abbyy"}, {"lang": ("fr",)}, {"dpi": 20}, {"lang": ()},
                {"engine": "rapidocr", "lang": ("zh-Hant",)}):
        with pytest.raises(LitmineError) as e:
            OcrOptions(**bad)  # type: ignore[arg-type]
        assert str(e.value).startswith("invalid setting ocr") and "\n" not in str(e.value)
    assert OcrOptions(engine="tesseract", lang="zh-Hant").lang == ("zh-Hant",)


def test_settings_carry_one_ocr_options_object():
    s = Settings(ocr="off")  # type: ignore[arg-type]
    assert s.ocr == OcrOptions(mode="off")
    assert s.replace(jobs=1).ocr == s.ocr  # asdict/replace round trip
    assert Settings().config_hash() != s.config_hash()  # OCR changes results: documents are re-read
    with pytest.raises(LitmineError):
        Settings(ocr={"mode": "auto", "speed": 3})  # type: ignore[arg-type]


def test_tesseract_engine_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr("shutil.which", lambda _name: None)
    with pytest.raises(LitmineError) as e:
        TesseractEngine(OcrOptions(engine="tesseract"))
    assert "apt-get install tesseract-ocr tesseract-ocr-chi-sim" in str(e.value)


def test_tesseract_words_are_grouped_into_lines():
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    rows = ["5\t1\t1\t1\t1\t1\t10\t20\t30\t12\t96\t产业", "5\t1\t1\t1\t1\t2\t42\t21\t30\t12\t90\t集群",
            "5\t1\t1\t1\t2\t1\t10\t40\t20\t12\t80\tGDP", "5\t1\t1\t1\t2\t2\t34\t40\t20\t12\t70\tgrew",
            "4\t1\t1\t1\t3\t0\t0\t0\t0\t0\t-1\t"]
    lines = _tsv_lines(head + "\n".join(rows) + "\n")
    assert [ln.text for ln in lines] == ["产业集群", "GDP grew"]
    assert lines[0].box == (10.0, 20.0, 72.0, 33.0) and lines[0].confidence == 0.93


# --------------------------------------------------------------------------- a rasterised page

@pytest.fixture(scope="module")
def scanned_page(tmp_path_factory) -> Path:
    """A small page of Chinese text rendered with the embedded test font, then rasterised (150 dpi,
    grey, JPEG) into an image-only PDF: a scan with no text layer."""
    pytest.importorskip("reportlab")
    import pypdfium2 as pdfium
    from reportlab.pdfgen import canvas

    from pipeline.devtools.render_pdf import register_font

    out = tmp_path_factory.mktemp("ocr")
    src = out / "page.pdf"
    c = canvas.Canvas(str(src), pagesize=(420, 160))
    c.setFont(register_font(), 14)
    c.drawString(30, 110, ZH[:24])
    c.drawString(30, 80, ZH[24:48])
    c.drawString(30, 50, "2024年研发投入增长12.5%。")
    c.save()
    pdf = pdfium.PdfDocument(str(src))
    image = pdf[0].render(scale=150 / 72).to_pil().convert("L")
    pdf.close()
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=70)
    scan = out / "scan.pdf"
    from PIL import Image

    Image.open(io.BytesIO(buf.getvalue())).save(scan, resolution=150.0)
    return scan


def _read(path: Path, mode: str):
    from pipeline.extract import read_document
    from pipeline.extract.backend import ReadOptions

    return read_document(path, options=ReadOptions(ocr=OcrOptions(mode=mode)))


def test_scanned_page_is_read_by_ocr_with_provenance(scanned_page):
    doc = _read(scanned_page, "auto")
    text = "".join(doc.text.split())
    want = ZH[:48] + "2024年研发投入增长12.5%。"
    assert levenshtein(want, text) <= 0.05 * len(want), text
    ocr = doc.meta["ocr"]
    assert ocr["producer"].startswith("rapidocr ") and ocr["mode"] == "auto"
    assert ocr["pages"][0][:2] == [1, "no text layer"]
    assert doc.pages[0].ocr == ocr["producer"]
    assert all(0 < conf <= 1 for _, _, _, conf in ocr["lines"])
    for page, start, end, _conf in ocr["lines"]:  # each line's offsets point at its text
        assert page == 1 and start is not None and doc.text[start:end].strip()
    assert all(b.hints.get("text_source") == "rapidocr" and 0 < b.hints["ocr_confidence"] <= 1 for b in doc.blocks)
    assert any(w.startswith("pages 1: read by OCR (rapidocr") for w in doc.warnings)


def test_ocr_off_reports_the_scan_and_says_how_to_read_it(scanned_page):
    with pytest.raises(DocumentError) as e:
        _read(scanned_page, "off")
    assert str(e.value) == Msg.PDF_NO_TEXT and "--ocr auto" in str(e.value)


def test_force_ocrs_a_page_with_a_good_text_layer(tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    from pipeline.devtools.render_pdf import register_font

    src = tmp_path / "text.pdf"
    c = canvas.Canvas(str(src), pagesize=(420, 100))
    c.setFont(register_font(), 14)
    c.drawString(30, 50, ZH[:24])
    c.save()
    assert "ocr" not in _read(src, "auto").meta  # a healthy text layer is kept
    doc = _read(src, "force")
    assert doc.meta["ocr"]["pages"][0][1] == "forced"
    assert levenshtein(ZH[:24], "".join(doc.text.split())) <= 2


# --------------------------------------------------------------------------- the real files

# pages `--ocr auto` must OCR among the shared real PDFs; every other page keeps its text layer
EXPECTED_OCR = {
    "bad_scanned_image_only_zh_econ_book_2p.pdf": {1, 2},
    "bad_scanned_image_only_zh_econ_book_8p.pdf": set(range(1, 9)),
    "bad_scanned_image_only_zh_journal_cjc.pdf": {1},
    "bad_zh_mojibake_textlayer_medical_journal.pdf": {1},
    "bad_encrypted_no_id_opens_but_empty.pdf": {2},  # the one page with an image
    "bad_malformed_pdfplumber_issue932.pdf": {1},
    "bad_zero_pages_pdfminer_175.pdf": {1, 2},
}


@pytest.mark.slow
def test_auto_ocrs_exactly_the_pages_without_a_usable_text_layer():
    """Every page of every shared real PDF: healthy ones (look-alike glyph fonts, tables, math,
    bilingual datasheets, fake-bold, Kangxi radicals) are never OCR'd."""
    from pipeline.document.model import Document
    from pipeline.extract.pdf.ocr import PdfOcr
    from pipeline.extract.pdf.reader import PdfBackend

    class Probe(PdfOcr):  # the production decision, without running the engine
        def read(self, page, pd, reason):  # type: ignore[no-untyped-def]
            self.marked.add(pd.number)
            return False

    pdfs = sorted(REALDATA.glob("*/*.pdf"))
    assert len(pdfs) >= 40
    got: dict[str, set[int]] = {}
    for path in pdfs:
        probe = Probe(OcrOptions(), str(Path(__file__).resolve().parents[1] / "models"))
        probe.marked = set()
        try:
            PdfBackend(path.read_bytes(), None, ocr=probe).build(Document(doc_id="x", path=str(path), format="pdf",
                                                                          sha256=""))
        except DocumentError:
            pass  # encrypted, truncated, empty; scans end here too (the probe read nothing)
        if probe.marked:
            got[path.name] = probe.marked
    assert got == {k: v for k, v in EXPECTED_OCR.items() if (BAD_PDFS / k).exists()}


# My own transcription (read off the page image, not from any OCR output) of three paragraphs of
# page 4 of the 8-page scanned book (302 characters): the two under the running head, and the last.
TRANSCRIBED_P4 = json.loads((Path(__file__).parent / "data/ocr/transcriptions.json").read_text(encoding="utf-8"))[0][
    "paragraphs"]


def _best_window_cer(reference: str, text: str) -> float:
    """CER of `reference` against the stretch of `text` that matches it best (anchored on its ends)."""
    head, tail = reference[:6], reference[-6:]
    best = 1.0
    starts = [i for i in range(len(text)) if levenshtein(head, text[i:i + 6]) <= 2] or [0]
    for s in starts[:20]:
        for e in (j + 6 for j in range(s, min(len(text), s + 2 * len(reference)))
                  if levenshtein(tail, text[j:j + 6]) <= 2):
            best = min(best, levenshtein(reference, text[s:e]) / len(reference))
    return best


@pytest.mark.slow
def test_the_scanned_pdfs_index_as_chinese_text_with_ocr_provenance(tmp_path):
    """The three image-only scans and the mojibake page, through a rebuild with default settings:
    Chinese text, OCR flagged per page in the index, sentences and statistics found in it."""
    from pipeline.api import Index

    names = ["bad_scanned_image_only_zh_econ_book_2p.pdf", "bad_scanned_image_only_zh_econ_book_8p.pdf",
             "bad_scanned_image_only_zh_journal_cjc.pdf", "bad_zh_mojibake_textlayer_medical_journal.pdf"]
    corpus = tmp_path / "scans"
    corpus.mkdir()
    for name in names:
        (corpus / name).write_bytes((BAD_PDFS / name).read_bytes())
    ix_path = tmp_path / "ix.sqlite"
    Index.rebuild(corpus, ix_path, Settings(jobs=2, stages=("claims", "statistics")))
    from pipeline.index.schema import open_index

    conn = open_index(ix_path)
    try:
        docs = {r["doc_id"]: r for r in conn.execute("SELECT doc_id, status, meta FROM documents")}
        assert {d: r["status"] for d, r in docs.items()} == {Path(n).stem: "ok" for n in names}
        ocr_pages = conn.execute("SELECT doc_id, count(*) FROM pages WHERE ocr LIKE 'rapidocr %' GROUP BY doc_id")
        assert dict(ocr_pages.fetchall()) == {"bad_scanned_image_only_zh_econ_book_2p": 2,
                                              "bad_scanned_image_only_zh_econ_book_8p": 8,
                                              "bad_scanned_image_only_zh_journal_cjc": 1,
                                              "bad_zh_mojibake_textlayer_medical_journal": 1}
        text = {d: "".join(s for (s,) in conn.execute("SELECT text FROM sentences WHERE doc_id = ? ORDER BY idx", (d,)))
                for d in docs}
        for d in docs:
            if d.startswith("bad_scanned"):
                han = sum(1 for ch in text[d] if "\u4e00" <= ch <= "\u9fff")
                assert han >= 50, (d, han)  # the journal page holds one figure note (~80)
        meta = json.loads(docs["bad_zh_mojibake_textlayer_medical_journal"]["meta"])
        assert meta["ocr"]["pages"][0][1] == "garbled text layer"
        assert "Agarose electrophoresis" in text["bad_zh_mojibake_textlayer_medical_journal"]
        book = "".join(text["bad_scanned_image_only_zh_econ_book_8p"].split())
        errors = sum(_best_window_cer(para, book) * len(para) for para in TRANSCRIBED_P4)
        assert errors / sum(map(len, TRANSCRIBED_P4)) <= 0.05  # 1.7% when measured (README, OCR)
        n_stats = conn.execute("SELECT count(*) FROM statistics WHERE doc_id LIKE 'bad_scanned%'").fetchone()[0]
        assert n_stats > 0  # numbers in OCR'd text are found like any other
    finally:
        conn.close()
