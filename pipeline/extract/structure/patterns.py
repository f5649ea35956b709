"""Line patterns shared by the structure passes and the segmenter: labels, front matter, captions,
reference entries; block content spans (without markup) and language detection."""
from __future__ import annotations

import re

from ...document import Block

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{CJK}]")
_LATIN_RE = re.compile(r"[A-Za-z]")

# Markup some text extractions carry (markdown tables, bold, bullets): not part of the content.
_LEAD_MARKUP = re.compile(r"^(?:[|*#>\s\u200b-\u200d\ufeff]|-\s)+")
_TRAIL_MARKUP = re.compile(r"(?:[|*\s\u200b-\u200d\ufeff])+$")

ABSTRACT_RE = re.compile(r"^(?:摘\s*要|内容提要|提\s*要|Abstract|ABSTRACT|Summary)\s*[:：]?\s*", re.I)
KEYWORDS_RE = re.compile(r"^(?:关键词|关键字|Key\s*words?|KEYWORDS|Keywords)\s*[:：]?\s*", re.I)
REFERENCES_RE = re.compile(r"^(?:参考文献|References|REFERENCES|Bibliography|引用文献)\s*(?:[（(]\s*References\s*[）)])?"
                           r"\s*[:：]?\s*$", re.I)
FRONT_RE = re.compile(
    r"^(?:收稿日期|录用日期|修回日期|发布日期|网络出版|基金项目|项目基金|资助项目|作者简介|通讯作者|通信作者|"
    r"中图分类号|分类号|文献标志码|文献标识码|文章编号|DOI|doi|Doi|引用格式|本文引用格式|"
    r"Received|Accepted|Published|Citation|Cite this|How to cite|Copyright\s*(?:©|\(c\)|\d{4})|©|Open Access|This work is licensed|"
    r"Foundation item|Fund|Biography|Corresponding author|E-?mail|当前位置|摘自|来源[:：]|相关主题|"
    r"Strategic Study of CAE|https?://|<https?://|www\.)",
    re.I,
)
FRONT_ANYWHERE_RE = re.compile(r"(?:文献标志码|文章编号|中图分类号|Creative Commons|CC BY|版权所有|All rights reserved)", re.I)
AFFIL_RE = re.compile(r"(?:\b\d{6}\b|University|College|Institute|Academy|School of|大学|学院|研究院|研究所|研究中心|党校|委员会)")
# Forms of address in speeches and reports ("各位代表！") are not statements.
SALUTATION_RE = re.compile(r"^(?:各位代表|各位委员|同志们|女士们、先生们|朋友们)[！!：:，,]?$")
CAPTION_RE = re.compile(r"^(?:图|表|附表|附图)\s*\d+(?:[.\-]\d+)?|^(?:Table|Fig\.?|Figure)\s*\d+", re.I)
SOURCE_NOTE_RE = re.compile(r"^(?:数据来源|资料来源|注[:：]|Source[:：]|Note[s]?[:：])", re.I)
REF_ENTRY_RE = re.compile(r"^(?:\[\[?\d+\]?\]|［\d+］|\d+\.\s+[A-Z\u4e00-\u9fff].*\[[JMDRNC]\]|^\[\d+\])")

def content_span(doc_text: str, block: Block) -> tuple[int, int]:
    """Offsets of the block's content without leading/trailing markup (| ** # - bullets)."""
    raw = doc_text[block.start:block.end]
    m = _LEAD_MARKUP.match(raw)
    lead = m.end() if m else 0
    m2 = _TRAIL_MARKUP.search(raw, lead)
    trail = len(raw) - m2.start() if m2 else 0
    return block.start + lead, max(block.start + lead, block.end - trail)


def detect_lang(text: str) -> str:
    cjk = len(_CJK_RE.findall(text))
    latin = len(_LATIN_RE.findall(text))
    if cjk == 0 and latin == 0:
        return "zh"
    # Latin letters are ~5x denser per meaningful unit than CJK characters
    if cjk >= 2 and latin / 5 <= cjk * 0.3:
        return "zh"
    if cjk <= 1 or cjk * 5 < latin * 0.15:
        return "en"
    return "mixed"
# The licence/copyright note that closes a scraped text ("本作品…属于公有领域", "Public domain").
LICENCE_RE = re.compile(r"(?:公有领域|本作品(?:是|在|不适用)|著作权法|Public domain|Creative Commons|CC BY|"
                        r"All rights reserved|版权所有|本文来源|转载请注明)", re.I)
