"""OCR engines behind one interface: an image in, text lines (box in pixels, confidence) out.

    rapidocr   RapidOCR 3 with the PP-OCRv6 small detection and recognition models its wheel ships
               (rapidocr/models/), run by onnxruntime on the CPU. Nothing is downloaded: the model
               files are checked before the engine is built and their absence is an error.
    tesseract  the `tesseract` binary (Debian: tesseract-ocr, tesseract-ocr-chi-sim), called once per
               page with TSV output; words are grouped into its own text lines.

One engine object per process and options (building RapidOCR loads ~30 MB of models).
"""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from pipeline.errors import LitmineError, Msg

from .options import ENGINE_LANGS, OcrOptions


@dataclass(frozen=True)
class OcrLine:
    text: str
    box: tuple[float, float, float, float]  # x0, top, x1, bottom in pixels of the image given
    confidence: float  # 0..1, the engine's own score for the line


class OcrEngine(ABC):
    name: str = ""

    @property
    @abstractmethod
    def producer(self) -> str:
        """Engine, version and models, for provenance: 'rapidocr 3.10.0 (PP-OCRv6 small; onnxruntime 1.32.0)'."""

    @abstractmethod
    def read(self, image: Any) -> list[OcrLine]:
        """Text lines of one page image (a numpy array, BGR or grey, as pypdfium2 renders it)."""


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


class RapidOcrEngine(OcrEngine):
    name = "rapidocr"

    def __init__(self, options: OcrOptions) -> None:
        try:
            import rapidocr
            from rapidocr import RapidOCR
        except ImportError as exc:  # an install without the OCR extra, or a broken onnxruntime
            raise LitmineError(Msg.OCR_UNAVAILABLE.format(engine=self.name, detail=f"{exc.name or exc}: "
                                                          "run make setup")) from None
        models = Path(rapidocr.__file__).parent / "models"
        shipped = sorted(p.name for p in models.glob("*.onnx"))
        if not any("det" in n for n in shipped) or not any("rec" in n for n in shipped):
            # RapidOCR would fetch missing models from the network: refuse instead
            raise LitmineError(Msg.OCR_UNAVAILABLE.format(engine=self.name, detail=f"no models in {models}"))
        self._models = ", ".join(n.removesuffix(".onnx") for n in shipped if "cls" not in n)
        params = {
            "Global.log_level": "error",
            "Global.use_cls": False,  # pages are rendered upright (/Rotate applied): no line flipping
            "Global.text_score": 0.3,  # keep low-confidence lines (their score is kept, and shown)
        }
        self._engine = RapidOCR(params=params)

    @property
    def producer(self) -> str:
        return f"rapidocr {_version('rapidocr')} ({self._models}; onnxruntime {_version('onnxruntime')})"

    def read(self, image: Any) -> list[OcrLine]:
        out = self._engine(image)
        boxes, txts, scores = getattr(out, "boxes", None), getattr(out, "txts", None), getattr(out, "scores", None)
        if boxes is None or txts is None or scores is None:
            return []
        lines = []
        for quad, text, score in zip(boxes, txts, scores):
            xs, ys = [float(p[0]) for p in quad], [float(p[1]) for p in quad]
            if text and text.strip():
                lines.append(OcrLine(text.strip(), (min(xs), min(ys), max(xs), max(ys)), round(float(score), 4)))
        return lines


class TesseractEngine(OcrEngine):
    name = "tesseract"

    def __init__(self, options: OcrOptions) -> None:
        exe = shutil.which("tesseract")
        if not exe:
            raise LitmineError(Msg.OCR_UNAVAILABLE.format(
                engine=self.name, detail="no tesseract on PATH: apt-get install tesseract-ocr tesseract-ocr-chi-sim"))
        self.exe: str = exe
        run = subprocess.run([self.exe, "--list-langs"], capture_output=True, text=True, check=False)
        have = set(run.stdout.split())
        want = list(dict.fromkeys(ENGINE_LANGS[self.name][code] for code in options.lang))
        missing = [w for w in want if w not in have]
        if missing:
            raise LitmineError(Msg.OCR_UNAVAILABLE.format(
                engine=self.name, detail="no traineddata for " + ", ".join(missing) + " (Debian: tesseract-ocr-"
                + missing[0].replace("_", "-") + ")"))
        self.langs = "+".join(want)
        first = (run.stdout + run.stderr).split()
        self._version = _tesseract_version(self.exe) or (first[0] if first else "?")

    @property
    def producer(self) -> str:
        return f"tesseract {self._version} ({self.langs})"

    def read(self, image: Any) -> list[OcrLine]:
        from PIL import Image

        buf = io.BytesIO()
        Image.fromarray(image[:, :, ::-1] if image.ndim == 3 else image).save(buf, format="PNG")
        run = subprocess.run([self.exe, "stdin", "stdout", "-l", self.langs, "--psm", "3", "tsv"],
                             input=buf.getvalue(), capture_output=True, check=False)
        if run.returncode != 0:
            raise LitmineError(Msg.OCR_FAILED.format(detail=run.stderr.decode("utf-8", "replace").strip()[:120]))
        return _tsv_lines(run.stdout.decode("utf-8", "replace"))


def _tesseract_version(exe: str) -> str:
    run = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False)
    words = (run.stdout or run.stderr).split()
    return words[1] if len(words) > 1 else ""


def _tsv_lines(tsv: str) -> list[OcrLine]:
    """Tesseract's word rows grouped by (block, paragraph, line); Chinese words joined without spaces."""
    groups: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") == "5" and (row.get("text") or "").strip():
            groups.setdefault((row["block_num"], row["par_num"], row["line_num"]), []).append(row)
    lines = []
    for words in groups.values():
        text = ""
        for w in words:
            t = w["text"].strip()
            text += t if not text or not (text[-1].isascii() and t[0].isascii()) else " " + t
        x0 = min(float(w["left"]) for w in words)
        top = min(float(w["top"]) for w in words)
        x1 = max(float(w["left"]) + float(w["width"]) for w in words)
        bottom = max(float(w["top"]) + float(w["height"]) for w in words)
        conf = sum(max(float(w["conf"]), 0.0) for w in words) / len(words) / 100
        lines.append(OcrLine(text, (x0, top, x1, bottom), round(conf, 4)))
    return lines


@lru_cache(maxsize=4)
def get_engine(options: OcrOptions) -> OcrEngine:
    """The engine for these options, built once per process (LitmineError when it cannot run)."""
    cls = {"rapidocr": RapidOcrEngine, "tesseract": TesseractEngine}[options.engine]
    return cls(options)
