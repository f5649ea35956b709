"""Whole sentences from PDF layout (issue 9, part 3) on small synthetic PDFs: paragraphs cut by page
and column breaks, footnotes and their markers, page furniture, three columns, overprinted fake
bold, reference entries, unruled tables. Fonts are embedded (devtools.render_pdf) or base-14."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract.pdf import read_pdf

pytest.importorskip("reportlab")


def _canvas(path: Path, size=(595, 842)):
    from reportlab.pdfgen import canvas

    return canvas.Canvas(str(path), pagesize=size)


def _cjk(c, size: float = 10.0) -> None:
    from pipeline.devtools.render_pdf import register_font

    c.setFont(register_font(), size)


def _read(path: Path):
    return read_pdf(path, path.stem, "0")


def _zh_lines(text: str, per_line: int) -> list[str]:
    return [text[i:i + per_line] for i in range(0, len(text), per_line)]


# --------------------------------------------------------------------------- page breaks and footnotes

def test_a_sentence_cut_by_a_page_break_is_one_block_and_footnotes_leave_the_body(tmp_path):
    """Page 1 ends mid-sentence ("…中国人的收" | "入相对恶化…"), with a footnote under a separator
    rule whose superscript marker sits in the body; page numbers at the foot of both pages."""
    from pipeline.devtools.render_pdf import register_font

    font = register_font()
    path = tmp_path / "cut.pdf"
    c = _canvas(path)
    first = _zh_lines("本文利用两期调查数据比较分析了不同社会阶层的幸福感差异并尝试从国家再分配能力变化的视角探讨其原因。", 30)
    text = "伊斯特林等认为中国是证明其悖论的绝佳实例，但相关研究结论分歧颇大。一种观点认为不平等程度急剧增大，使得大多数的中国人的收"
    second = _zh_lines(text[-60:], 30)
    assert len(second[-1]) == 30  # the cut line is full
    y = 780
    for k, line in enumerate(first + second):
        indent = 20 if k in (0, len(first)) else 0
        _cjk(c, 10)
        c.drawString(72 + indent, y, line)
        if k == len(first) - 1:  # the footnote marker after the first paragraph's full stop
            _cjk(c, 6)
            c.drawString(72 + indent + c.stringWidth(line, font, 10) + 0.5, y + 4, "1")
        y -= 14
    c.line(72, 120, 200, 120)  # footnote separator
    _cjk(c, 8)
    c.drawString(72, 108, "1．本研究得到基金项目资助，作者感谢匿名评审人的意见。")
    _cjk(c, 9)
    c.drawString(290, 60, "1")
    c.showPage()
    _cjk(c, 10)
    c.drawString(72, 780, "入相对恶化，再加上失业率的增加和社会保障体系的弱化，从而导致生活满意度下降。")
    c.drawString(92, 766, "另一种观点则认为中国民众的总体幸福感呈上升趋势。")
    _cjk(c, 9)
    c.drawString(290, 60, "2")
    c.save()

    doc = _read(path)
    assert "收入相对恶化" in doc.text  # joined, no line break between the pages
    cut = next(b for b in doc.blocks if "收入相对恶化" in doc.text[b.start:b.end])
    assert cut.page == 1 and cut.hints["continues_on_page"] == 2
    assert doc.page_at(doc.text.index("入相对恶化")) == 2  # page spans stay exact
    note = next(b for b in doc.blocks if b.hints.get("footnote"))
    assert note.page == 1 and doc.text[note.start:note.end].startswith("1．本研究")
    assert note.start > doc.pages[-1].end  # after the running text
    body = doc.text[:doc.pages[-1].end]
    assert "基金项目" not in body and "¹" not in body and "原因。伊" not in body
    assert "探讨其原因。" in body and not any(ch.isdigit() for ch in body)  # marker and page numbers gone


def test_footnote_markers_stay_when_no_footnote_answers_them(tmp_path):
    """A raised digit is kept (as a superscript) when no footnote on its page carries that number."""
    path = tmp_path / "exp.pdf"
    c = _canvas(path)
    c.setFont("Helvetica", 11)
    c.drawString(72, 700, "The area is given in m")
    c.setFont("Helvetica", 7)
    c.drawString(72 + c.stringWidth("The area is given in m", "Helvetica", 11), 705, "2")
    c.setFont("Helvetica", 11)
    c.drawString(72, 686, "for every district in the survey period, as the tables show.")
    c.save()
    doc = _read(path)
    assert "given in m²" in doc.text


# --------------------------------------------------------------------------- columns

def _column(c, x: float, top: float, words: list[str], width: int = 150, size: float = 9) -> float:
    """Set words as a ragged-right column of Helvetica at x; returns the y below it."""
    c.setFont("Helvetica", size)
    y, line = top, ""
    for w in words:
        trial = (line + " " + w).strip()
        if c.stringWidth(trial, "Helvetica", size) > width:
            c.drawString(x, y, line)
            y -= size + 2
            line = w
        else:
            line = trial
    if line:
        c.drawString(x, y, line)
        y -= size + 2
    return y


def test_three_columns_read_column_by_column_and_a_cut_paragraph_joins(tmp_path):
    path = tmp_path / "three.pdf"
    c = _canvas(path, (612, 792))
    sentences = [f"Sentence number {k} of the rule states what operators must do before flight." for k in range(36)]
    words = " ".join(sentences).split()
    per = len(words) // 3 + 5  # the column breaks fall inside sentences
    cols = [words[:per], words[per:2 * per], words[2 * per:]]
    for k, ws in enumerate(cols):
        _column(c, 45 + k * 180, 740, ws)
    c.save()
    doc = _read(path)
    text = " ".join(doc.text.split())
    positions = [text.find(f"Sentence number {k} ") for k in range(36)]
    assert -1 not in positions and positions == sorted(positions)  # no interleaving of columns
    # the paragraph runs through the three columns: one block, sentences whole
    assert len([b for b in doc.blocks if b.kind == "body"]) == 1
    assert doc.blocks[0].hints.get("columns") == 3


# --------------------------------------------------------------------------- furniture

def test_margin_stamps_running_headers_and_line_numbers_are_dropped(tmp_path):
    path = tmp_path / "furniture.pdf"
    c = _canvas(path, (612, 792))
    for page in range(3):
        c.setFont("Helvetica", 8)
        c.drawString(72, 760, "Federal Register / Vol. 85, No. 152 / Proposed Rules")
        c.drawString(300, 30, str(page + 1))
        c.saveState()
        c.translate(20, 600)
        c.rotate(90)
        c.setFont("Helvetica", 5)
        c.drawString(0, 0, "jbell on DSKJLSW7X2PROD with PROPOSALS")
        c.restoreState()
        y = 700
        for k in range(12):
            c.setFont("Helvetica", 7)
            c.drawString(50, y, str(page * 12 + k + 1))  # line numbers
            c.setFont("Helvetica", 10)
            c.drawString(80, y, f"Body line {k} on page {page + 1} says what the agency proposes to require.")
            y -= 14
        c.showPage()
    c.save()
    doc = _read(path)
    assert "jbell" not in doc.text and "Federal Register" not in doc.text
    assert not any(line.strip().isdigit() for line in doc.text.split("\n"))
    assert "Body line 11 on page 3" in doc.text


def test_overprinted_fake_bold_comes_out_once(tmp_path):
    path = tmp_path / "bold.pdf"
    c = _canvas(path)
    _cjk(c, 16)
    for dx in (0, 0.25, 0.5, 0.75):  # four copies, a fraction of a point apart
        c.drawString(100 + dx, 700, "安徽安利合成革股份有限公司")
    c.setFont("Helvetica", 12)
    for dx in (0, 0.3):
        c.drawString(100 + dx, 660, "ANHUI ANLI ARTIFICIAL LEATHER CO.,LTD.")
    c.save()
    doc = _read(path)
    assert "安徽安利合成革股份有限公司" in doc.text
    assert doc.text.count("安") == 2 and doc.text.count("ANHUI") == 1


# --------------------------------------------------------------------------- references and tables

def test_reference_list_gives_one_block_per_entry(tmp_path):
    path = tmp_path / "refs.pdf"
    c = _canvas(path)
    c.setFont("Helvetica-Bold", 12)
    c.drawString(72, 760, "References")
    entries = [
        "Smith, John and Mary Lee. 2019. A long title about regional industrial clusters that wraps onto a "
        "second line of the list. Journal of Regional Studies 12(3): 45-67.",
        "Wang, Li. 2020. Short title. Economic Review 8: 1-9.",
        "Brown, Anne, Carl Diaz, and Eve Fox. 2018. Another title that is long enough to wrap over two "
        "lines of the page. In Proceedings of the Annual Meeting, pages 100-110.",
    ]
    y = 740
    for e in entries:
        words, first = e.split(), True
        line = ""
        for w in words:
            trial = (line + " " + w).strip()
            if c.stringWidth(trial, "Helvetica", 10) > 430:
                c.setFont("Helvetica", 10)
                c.drawString(72 if first else 90, y, line)  # hanging indent
                y -= 13
                first, line = False, w
            else:
                line = trial
        c.setFont("Helvetica", 10)
        c.drawString(72 if first else 90, y, line)
        y -= 13
    c.save()
    doc = _read(path)
    texts = [doc.text[b.start:b.end] for b in doc.blocks]
    assert texts[0] == "References"
    assert len(texts) == 4
    assert texts[1].startswith("Smith, John") and texts[1].endswith("45-67.")
    assert texts[3].startswith("Brown, Anne") and "pages 100-110." in texts[3]


def test_unruled_table_of_figures_becomes_a_table(tmp_path):
    path = tmp_path / "unruled.pdf"
    c = _canvas(path)
    _cjk(c, 9)
    c.drawString(72, 760, "表 1：资产负债表（单位：百万元）")
    rows = [("短期借款", "878", "727", "1,923"), ("应付债券", "0", "0", "0"),
            ("长期借款", "79", "1,020", "979"), ("负债合计", "2,711", "5,600", "6,868")]
    y = 740
    for label, *vals in rows:
        c.drawString(72, y, label)
        for k, v in enumerate(vals):
            c.drawRightString(300 + 70 * k, y, v)
        y -= 16
    c.drawString(72, y - 20, "公司负债结构保持稳定，长期借款占比有所下降。")
    c.save()
    doc = _read(path)
    (table,) = doc.tables
    assert table.caption.startswith("表 1")
    assert table.grid()[2] == ["长期借款", "79", "1,020", "979"]
    assert "1,020" not in doc.text and "长期借款占比" in doc.text
