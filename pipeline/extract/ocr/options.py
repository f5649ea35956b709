"""The one set of OCR options (Docling's `OcrOptions` model): which engine, which languages, when.

    mode   auto   OCR the pages that need it: no text layer, a garbled one, or an invisible OCR
                  layer without words (quality.py says which, and why)
           force  OCR every page (the text layer is ignored)
           off    never OCR (scanned pages are reported, as before)
    engine rapidocr (default: PP-OCR models shipped in the wheel, run by onnxruntime) or
           tesseract (Debian's tesseract-ocr + tesseract-ocr-chi-sim; the binary must be on PATH)
    lang   ISO codes, ("zh", "en") by default; each engine accepts only what it ships without a
           download (rapidocr: zh+en in one model; tesseract: the installed traineddata)
    dpi    rasterisation resolution for pypdfium2 (200: CER and speed measured in README)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.errors import LitmineError, Msg

MODES = ("auto", "off", "force")
ENGINES = ("rapidocr", "tesseract")
# language code -> what each engine calls it (rapidocr's default Chinese model reads zh and en)
ENGINE_LANGS: dict[str, dict[str, str]] = {
    "rapidocr": {"zh": "ch", "en": "ch"},
    "tesseract": {"zh": "chi_sim", "zh-Hant": "chi_tra", "en": "eng"},
}


@dataclass(frozen=True)
class OcrOptions:
    """Validated on construction: a bad value is one SETTINGS_INVALID line, never a traceback."""

    mode: str = "auto"
    engine: str = "rapidocr"
    lang: tuple[str, ...] = ("zh", "en")
    dpi: int = 200

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise LitmineError(Msg.SETTINGS_INVALID.format(name="ocr", value=self.mode, why=" | ".join(MODES)))
        if self.engine not in ENGINES:
            raise LitmineError(Msg.SETTINGS_INVALID.format(name="ocr_engine", value=self.engine,
                                                           why=" | ".join(ENGINES)))
        lang = (self.lang,) if isinstance(self.lang, str) else tuple(self.lang)
        known = ENGINE_LANGS[self.engine]
        bad = [code for code in lang if code not in known]
        if not lang or bad:
            raise LitmineError(Msg.SETTINGS_INVALID.format(
                name="ocr_lang", value=",".join(bad or lang), why=f"{self.engine} reads " + ", ".join(known)))
        object.__setattr__(self, "lang", lang)
        if not isinstance(self.dpi, int) or isinstance(self.dpi, bool) or not 72 <= self.dpi <= 600:
            raise LitmineError(Msg.SETTINGS_INVALID.format(name="ocr_dpi", value=self.dpi, why="an integer in [72, 600]"))

    @classmethod
    def coerce(cls, value: Any) -> "OcrOptions":
        """OcrOptions from itself, a mode string ("auto"), a dict (as `dataclasses.asdict` gives) or None."""
        if isinstance(value, cls):
            return value
        if value is None:
            return cls()
        if isinstance(value, str):
            return cls(mode=value)
        if isinstance(value, dict):
            unknown = sorted(set(value) - {"mode", "engine", "lang", "dpi"})
            if unknown:
                raise LitmineError(Msg.SETTINGS_INVALID.format(name=f"ocr.{unknown[0]}", value=value[unknown[0]],
                                                               why="known: mode, engine, lang, dpi"))
            return cls(**value)
        raise LitmineError(Msg.SETTINGS_INVALID.format(name="ocr", value=value, why="auto | off | force"))

    @property
    def enabled(self) -> bool:
        return self.mode != "off"

    def as_config(self) -> dict[str, Any]:
        """What changes results (for the settings hash): all four fields."""
        return {"mode": self.mode, "engine": self.engine, "lang": list(self.lang), "dpi": self.dpi}
