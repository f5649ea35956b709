"""Is a page's text layer worth keeping, or should `--ocr auto` read the page image instead?

Measured on the text the PDF reader extracted (after its look-alike glyph repair), as shares of the
page's non-space characters:

    lost     U+FFFD, private-use and control chars: glyphs the font could not map to Unicode
    bad      lost + ASCII symbols (!"#$&*+/:;<=>?@[\\]^_`{|}~) + rare Han chars
    unclean  chars in whitespace-separated tokens that are not a word, a number or a CJK run
             (mojibake of a font without ToUnicode reads '>84/01.5233852 .=: 57/22')
    rare_han Han chars outside the common sets (GB 2312 and Big5 level 1: 8,836 characters, the
             everyday Simplified and Traditional repertoire) among all Han chars: CJK text decoded
             with the wrong code page lands on arbitrary, often rare, code points (GBK 56%, Big5,
             Shift-JIS, EUC-KR ~28%; the Traditional 1954 report at most 2.5%, real PDFs 3.3%)
    letters  letters (any script, Han included) among all chars

A page is OCR'd when it has (almost) no text but draws an image ("no text layer"), when its layer
is garbled (bad and unclean both high, or many rare Han, or many lost glyphs), or when its text is
an invisible OCR layer over a scan that holds few letters ("OCR layer without words": a previous
OCR that read only digits and punctuation). The thresholds are data (models/ocr/text_layer.json),
set from every page of the shared real PDFs; `python -m pipeline.devtools.ocr_survey` re-measures.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Optional

from pipeline.errors import LitmineError, Msg

THRESHOLDS_FILE = Path("ocr") / "text_layer.json"

_WS_RE = re.compile(r"\s")
_LOST_RE = re.compile("[\ufffd\ue000-\uf8ff\x00-\x1f]")
_SYMBOL_RE = re.compile("[" + re.escape("!\"#$&*+/:;<=>?@[\\]^_`{|}~") + "]")
_HAN_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_LETTER_RE = re.compile(r"[^\W\d_]")
# a word (with inner apostrophe/hyphen/dot), a number (with separators, %), or a run of non-ASCII
# (CJK text, full-width punctuation), with opening/closing brackets, quotes and punctuation around
_TOKEN_RE = re.compile(
    r"[(\[{“‘\"'（《【]*(?:[A-Za-z]+(?:['’\-.][A-Za-z]+)*\.?|[-+−]?\d+(?:[.,:/\-–]\d+)*%?|[^\x00-\x7f]+)"
    r"[)\]}”’\"'）》】.,;:!?，。；：、%]*")


@dataclass(frozen=True)
class Thresholds:
    min_chars: int = 20  # fewer non-space chars than this: no text layer
    garbled_min_chars: int = 40  # too little text to judge below this
    bad_share: float = 0.25
    unclean_share: float = 0.5
    rare_han_share: float = 0.2
    rare_han_min: int = 20
    lost_share: float = 0.2
    ocr_layer_letter_share: float = 0.35


@dataclass(frozen=True)
class TextQuality:
    chars: int  # non-space chars
    lost: float
    bad: float
    unclean: float
    rare_han: float
    han: int
    letters: float

    def garbled(self, th: Thresholds) -> bool:
        if self.chars < th.garbled_min_chars:
            return False
        return ((self.bad >= th.bad_share and self.unclean >= th.unclean_share)
                or (self.han >= th.rare_han_min and self.rare_han >= th.rare_han_share)
                or self.lost >= th.lost_share)


@lru_cache(maxsize=1)
def common_han() -> frozenset[str]:
    """The everyday Han characters: GB 2312 (6,763, Simplified) and Big5's level 1 (5,401 常用字,
    Traditional), from Python's codecs, no hand-made list. Not all of Big5: text decoded with the
    Big5 code page by mistake lands on its rarer level 2 (~28% of such mojibake)."""
    out = set()
    for o in list(range(0x4E00, 0xA000)) + list(range(0x3400, 0x4DC0)) + list(range(0xF900, 0xFB00)):
        ch = chr(o)
        try:
            if len(ch.encode("gb2312")) == 2:
                out.add(ch)
                continue
        except UnicodeEncodeError:
            pass
        try:
            b = ch.encode("big5")
        except UnicodeEncodeError:
            continue
        if len(b) == 2 and 0xA440 <= (b[0] << 8 | b[1]) <= 0xC67E:
            out.add(ch)
    return frozenset(out)


def measure(text: str) -> TextQuality:
    compact = _WS_RE.sub("", text)
    n = len(compact)
    if not n:
        return TextQuality(0, 0.0, 0.0, 0.0, 0.0, 0, 0.0)
    common = common_han()
    han = _HAN_RE.findall(compact)
    rare = sum(1 for ch in han if ch not in common)
    lost = len(_LOST_RE.findall(compact))
    tokens = text.split()
    clean = sum(len(t) for t in tokens if _TOKEN_RE.fullmatch(t))
    return TextQuality(chars=n, lost=lost / n, bad=(lost + len(_SYMBOL_RE.findall(compact)) + rare) / n,
                       unclean=1 - clean / n, rare_han=rare / len(han) if han else 0.0, han=len(han),
                       letters=len(_LETTER_RE.findall(compact)) / n)


def ocr_reason(text: str, n_images: int, invisible: bool, th: Thresholds) -> Optional[str]:
    """Why `--ocr auto` should OCR this page, or None to keep its text layer."""
    q = measure(text)
    if q.chars < th.min_chars:
        return "no text layer" if n_images else None
    if q.garbled(th):
        return "garbled text layer"
    if invisible and n_images and q.letters < th.ocr_layer_letter_share:
        return "OCR layer without words"
    return None


@lru_cache(maxsize=8)
def load_thresholds(models_dir: str) -> Thresholds:
    """models/ocr/text_layer.json, validated once per models dir (defaults when the file is absent)."""
    if not models_dir:
        return Thresholds()
    path = Path(models_dir) / THRESHOLDS_FILE
    if not path.exists():
        return Thresholds()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LitmineError(Msg.SETTINGS_FILE.format(path=path, detail=exc)) from None
    if not isinstance(data, dict):
        raise LitmineError(Msg.SETTINGS_FILE.format(path=path, detail="expected an object"))
    known = {f.name: f for f in fields(Thresholds)}
    kw: dict[str, float | int] = {}
    for key, value in data.items():
        if key.startswith("_"):
            continue
        f = known.get(key)
        if f is None:
            raise LitmineError(Msg.SETTINGS_INVALID.format(name=f"{path}.{key}", value=value,
                                                           why="unknown key (known: " + ", ".join(known) + ")"))
        is_int = f.type in (int, "int")
        ok = isinstance(value, int) if is_int else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok or value < 0 or (not is_int and value > 1):
            raise LitmineError(Msg.SETTINGS_INVALID.format(name=f"{path}.{key}", value=value,
                                                           why="a count ≥ 0" if is_int else "a share in [0, 1]"))
        kw[key] = value
    return Thresholds(**kw)  # type: ignore[arg-type]
