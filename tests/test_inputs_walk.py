"""The corpus walk (one registry of formats, Sources, skipped/rejected files) and record files."""
from __future__ import annotations

import json

import pytest

from pipeline.errors import LitmineError
from pipeline.extract import read_document, read_source
from pipeline.extract.backend import ReadOptions, split_authors
from pipeline.extract.dates import parse_date
from pipeline.extract.formats import SUPPORTED_SUFFIXES, detect
from pipeline.extract.sources import walk
from pipeline.settings import Settings

REPORT = "各位代表：\n一、过去一年工作回顾\n全年地区生产总值增长5.2%。\n产业协同发展仍存在短板。\n"


def _jsonl(path, rows):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")


def test_one_registry_names_every_supported_suffix():
    assert {".pdf", ".txt", ".docx", ".jsonl", ".csv", ".tsv"} <= set(SUPPORTED_SUFFIXES)
    from pipeline.settings import SUPPORTED_SUFFIXES as from_settings

    assert from_settings == SUPPORTED_SUFFIXES


def test_walk_skips_index_outputs_hidden_and_rejects_unknown_types(tmp_path):
    c = tmp_path / "c"
    (c / "outputs" / "export").mkdir(parents=True)
    (c / ".git").mkdir()
    (c / "a.txt").write_text("产业协同是核心。", encoding="utf-8")
    (c / ".git" / "x.txt").write_text("hidden", encoding="utf-8")
    (c / "outputs" / "export" / "sentences.csv").write_text("sentence_id,text\n1,x\n", encoding="utf-8")
    (c / "outputs" / "litmine.sqlite").write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    (c / "other.sqlite").write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    (c / "notes.xyz").write_text("hello")
    (c / "README.md").write_text("# about this folder")
    w = walk(c, index=c / "outputs" / "litmine.sqlite")
    assert [s.doc_id for s in w.sources] == ["a"]
    rejected = dict(w.rejected)
    assert rejected["notes.xyz"].startswith("unsupported file type '.xyz' (supported: .pdf")
    assert "SQLite" in rejected["other.sqlite"]
    assert {name for name, _ in w.skipped} == {"outputs/", "README.md"}


def test_same_stem_files_get_distinct_ids(tmp_path):
    c = tmp_path / "c"
    (c / "sub").mkdir(parents=True)
    for rel in ("a.txt", "a.md", "sub/a.txt", "b.txt"):
        (c / rel).write_text("产业协同发展。", encoding="utf-8")
    ids = sorted(s.doc_id for s in walk(c).sources)
    assert ids == ["a.md", "a.txt", "b", "sub/a"]


def test_jsonl_records_become_documents_with_metadata(tmp_path):
    p = tmp_path / "reports.jsonl"
    _jsonl(p, [
        {"id": "r1", "title": "2024年某省政府工作报告", "year": "2024", "content": REPORT, "url": "https://x/1",
         "region": "某省"},
        {"id": "r2", "title": "无年份的报告", "date": "2023年3月5日", "content": REPORT.replace("5.2", "6.1"),
         "authors": "张三；李四"},
        {"id": "r3", "title": "空", "content": "   "},
    ])
    (tmp_path / "bad.jsonl").write_text('{"text": "好"}\n{not json\n', encoding="utf-8")
    w = walk([p])
    assert [s.doc_id for s in w.sources] == ["r1", "r2"]
    assert w.rejected == [("reports.jsonl#line 3", "empty text (content)")]
    d1, d2 = (read_source(s) for s in w.sources)
    assert (d1.title, d1.year, d1.date, d1.meta["url"], d1.meta["region"]) == \
        ("2024年某省政府工作报告", 2024, None, "https://x/1", "某省")
    assert d1.path.endswith("reports.jsonl#id=r1") and d1.format == "jsonl"
    assert d1.text == REPORT and d1.blocks[0].start == 0  # offsets point into the record's text field
    assert (d2.year, d2.date, d2.authors) == (2023, "2023-03-05", ["张三", "李四"])
    # the locator stored in documents.path reads the same record again (evaluate, show)
    again = read_document(d1.path, doc_id="r1")
    assert again.text == d1.text and again.title == d1.title
    bad = walk([tmp_path / "bad.jsonl"])
    assert len(bad.sources) == 1 and bad.rejected[0][0] == "bad.jsonl#line 2"


def test_csv_and_tsv_columns_auto_detected_or_named(tmp_path):
    (tmp_path / "a.csv").write_text("标题,年份,作者,摘要,期刊\n"
                                    "区域协同研究,2021,\"王五,赵六\",区域产业协同发展存在同质化竞争问题。,经济地理\n",
                                    encoding="utf-8")
    d = read_source(walk([tmp_path / "a.csv"]).sources[0])
    assert (d.title, d.year, d.authors, d.source) == ("区域协同研究", 2021, ["王五", "赵六"], "经济地理")
    assert d.text.startswith("区域产业协同")
    long = "A study of regional industrial coordination and its policy instruments in the Yangtze delta. " * 2
    (tmp_path / "b.tsv").write_text(f"to title\t{long}\tShort title\n", encoding="utf-8")
    d = read_source(walk([tmp_path / "b.tsv"]).sources[0])
    assert d.text == long and d.meta["record"] == "row1"  # a headerless file: the prose column is the text
    (tmp_path / "c.csv").write_text("name,notes,yr\nAlpha,short,1999\n", encoding="utf-8")
    w = walk([tmp_path / "c.csv"])
    assert not w.sources and "no text column found (columns: name, notes, yr)" in w.rejected[0][1]
    opts = ReadOptions(columns=(("text", "notes"), ("year", "yr")))
    d = read_source(walk([tmp_path / "c.csv"], opts).sources[0], opts)
    assert (d.text, d.title, d.year) == ("short", "Alpha", 1999)
    w = walk([tmp_path / "c.csv"], ReadOptions(columns=(("text", "body"),)))
    assert "no column 'body' for text" in w.rejected[0][1]


def test_settings_and_cli_name_columns(tmp_path):
    assert Settings(columns={"text": "abstract"}).columns == (("text", "abstract"),)
    with pytest.raises(LitmineError, match="invalid setting columns"):
        Settings(columns=(("colour", "x"),))
    from pipeline.cli import main

    (tmp_path / "r.csv").write_text("name,notes\nAlpha,产业协同发展的主要问题是同质化竞争。\n", encoding="utf-8")
    rc = main(["rebuild", str(tmp_path / "r.csv"), "--index", str(tmp_path / "ix.sqlite"), "--text-column",
               "notes", "--column", "title=name", "--jobs", "1", "--quiet"])
    assert rc == 0
    from pipeline.api import Index

    with Index.open(tmp_path / "ix.sqlite") as ix:
        docs = ix.documents()
        assert [d["title"] for d in docs] == ["Alpha"]


def test_records_that_repeat_a_file_are_indexed_once_and_lend_their_metadata(tmp_path):
    c = tmp_path / "c"
    (c / "reports").mkdir(parents=True)
    (c / "reports" / "2024年某省政府工作报告.txt").write_text(REPORT, encoding="utf-8")
    _jsonl(c / "reports.jsonl", [
        {"id": "2024年某省政府工作报告", "title": "2024年某省政府工作报告", "year": 2024,
         "text": REPORT.replace("\n", "\n  ")},  # the same text, indented differently
        {"id": "other", "title": "另一份", "year": 2023, "text": "另一份报告的正文。"},
    ])
    w = walk(c)
    assert sorted(s.doc_id for s in w.sources) == ["2024年某省政府工作报告", "other"]
    assert w.duplicates == [("reports.jsonl#id=2024年某省政府工作报告", "2024年某省政府工作报告.txt")]
    assert "indexed once" in w.summary_lines()[0]
    d = read_source(next(s for s in w.sources if s.format == "txt"))
    assert (d.year, d.title) == (2024, "2024年某省政府工作报告")


def test_same_text_under_different_titles_is_two_works(tmp_path):
    _jsonl(tmp_path / "a.jsonl", [{"title": "Paper one", "abstract": "-"}, {"title": "Paper two", "abstract": "-"},
                                  {"title": "Paper three", "abstract": "Same words."},
                                  {"title": "Paper four", "abstract": "Same words."}])
    w = walk([tmp_path / "a.jsonl"])
    assert len(w.sources) == 2 and not w.duplicates and len(w.rejected) == 2  # "-" is no text
    assert all(s.doc_id.startswith("a_") for s in w.sources)  # no id column: file stem + text hash


def test_dates_and_authors_are_parsed_in_usual_spellings():
    assert parse_date("2025年3月5日") == ("2025-03-05", 2025)
    assert parse_date("2019/7") == ("2019-07", 2019)
    assert parse_date(2000) == ("2000", 2000)
    assert parse_date("5 March 2021") == ("2021-03-05", 2021)
    assert parse_date("n.d.") == (None, None)
    assert split_authors("Smith, John") == ["Smith, John"]
    assert split_authors("A. Smith; B. Jones") == ["A. Smith", "B. Jones"]
    assert split_authors("张三，李四") == ["张三", "李四"]


def test_record_year_from_the_congress_session_when_no_column_gives_it(tmp_path):
    _jsonl(tmp_path / "n.jsonl", [{"title": "第十届全国人民代表大会第五次会议关于政府工作报告的决议",
                                   "content": "会议充分肯定国务院过去一年的工作。"}])
    d = read_source(walk([tmp_path / "n.jsonl"]).sources[0])
    assert d.year == 2007 and d.meta["year_from"] == "congress session"


def test_traditional_chinese_is_processed_simplified_and_the_original_kept(tmp_path):
    from pipeline.extract.chinese import original_text

    text = "我們第一屆全國人民代表大會第一次會議，已經光榮地完成了制定憲法的任務。經濟發展需要產業協同。"
    _jsonl(tmp_path / "t.jsonl", [{"id": "t", "title": "報告", "text": text}])
    d = read_source(walk([tmp_path / "t.jsonl"]).sources[0])
    assert d.text.startswith("我们第一届全国人民代表大会") and len(d.text) == len(text)
    assert original_text(d.text, d.meta) == text and d.meta["script"] == "traditional"
    assert original_text(d.text[2:5], d.meta, 2) == text[2:5]
    plain = read_source(walk([tmp_path / "t.jsonl"]).sources[0], ReadOptions(traditional="off"))
    assert plain.text == text


def test_sniffing_keeps_plain_text_plain(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text("TY is not a tag here\n正文", encoding="utf-8")
    assert detect(p).name == "txt"
