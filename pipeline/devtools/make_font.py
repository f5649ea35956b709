"""Rebuild the CJK font subset that the PDF renderer embeds (pipeline/devtools/fonts/).

Why a committed font: reportlab's built-in CID font STSong-Light is not embedded, so what
pypdfium2/pdfplumber extract from a rendering depended on the host's Chinese fonts (a machine
without them dropped characters). An embedded TrueType subset makes every rendering carry its
glyphs and ToUnicode map: the same bytes, the same extracted text, on any machine.

Source: WenQuanYi Micro Hei 0.2.0-beta (Debian package fonts-wqy-microhei; Apache-2.0, see
fonts/LICENSE-wqy-microhei.txt): TrueType outlines (reportlab cannot embed CFF/OpenType-PS
fonts such as Noto CJK) and Latin, Greek and Cyrillic glyphs besides CJK, so one font serves
Chinese and English text. Coverage: every CJK Unified Ideograph of the basic block
(U+4E00–U+9FA5, simplified and traditional), GB 2312's symbols, Latin-1, general and CJK
punctuation, full-width forms, enclosed numerals, arrows and mathematical operators.

    apt-get download fonts-wqy-microhei && dpkg-deb -x fonts-wqy-microhei_*.deb /tmp/wqy
    python -m pipeline.devtools.make_font /tmp/wqy/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
(needs fontTools: pip install fonttools; only for this rebuild, not for rendering)
"""
from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILE = FONT_DIR / "wqy-microhei-subset.ttf"

# (first, last) code points, inclusive, kept when the source font has a glyph for them.
RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x017F),  # Latin-1 supplement, Latin extended-A
    (0x0370, 0x045F),  # Greek, Cyrillic
    (0x2000, 0x206F),  # general punctuation (– — ‘ ’ “ ” … ‰)
    (0x2100, 0x22FF),  # letterlike symbols, number forms, arrows, mathematical operators
    (0x2460, 0x24FF),  # enclosed alphanumerics (①)
    (0x2500, 0x25FF),  # box drawing, geometric shapes (■ □ ▲ ○)
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3200, 0x33FF),  # enclosed CJK, CJK compatibility (㈠ ㎡)
    (0x4E00, 0x9FA5),  # CJK unified ideographs (the basic block, as in GBK)
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half-width and full-width forms
)


def wanted_codepoints() -> set[int]:
    wanted = {cp for lo, hi in RANGES for cp in range(lo, hi + 1)}
    for cp in range(0x20, 0x10000):  # GB 2312's symbols (e.g. ※ § № ☆) wherever they sit
        if 0xD800 <= cp < 0xE000:
            continue
        try:
            chr(cp).encode("gb2312")
        except UnicodeEncodeError:
            continue
        wanted.add(cp)
    return wanted


def build(source: Path, out: Path = FONT_FILE) -> str:
    """Write the subset of `source` (a .ttf, or the first font of a .ttc) to `out`; returns its sha256."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont

    font = TTCollection(str(source)).fonts[0] if source.suffix.lower() == ".ttc" else TTFont(str(source))
    cmap = font.getBestCmap()
    opts = subset.Options()
    opts.name_IDs = ["*"]  # keep the copyright and licence records
    opts.notdef_outline = True
    opts.layout_features = []
    opts.hinting = False  # hinting is irrelevant to extraction and doubles the size
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=sorted(cp for cp in wanted_codepoints() if cp in cmap))
    sub.subset(font)
    font.recalcTimestamp = False  # reproducible bytes: keep the source's timestamp
    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(out))
    return hashlib.sha256(out.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.devtools.make_font", description=(__doc__ or "").split("\n")[0])
    ap.add_argument("source", type=Path, help="wqy-microhei.ttc (or another TrueType CJK font)")
    ap.add_argument("--out", type=Path, default=FONT_FILE)
    args = ap.parse_args(argv)
    digest = build(args.source, args.out)
    print(f"{args.out}  {args.out.stat().st_size} bytes  sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
