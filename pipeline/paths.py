"""Where things are by default: the project root, the shipped models/ and the index. A module of its
own (no imports) so readers and stages can use the defaults without importing settings."""
from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
_PACKAGE = Path(__file__).resolve().parent
# models/ stays at the top of the repository (editable data); a wheel carries it inside the package
# as pipeline/models (setup.py), so `pip install .` runs without the source tree.
DEFAULT_MODELS = _PACKAGE / "models" if (_PACKAGE / "models" / "claims").is_dir() else PROJECT_ROOT / "models"
DEFAULT_INDEX = Path("outputs") / "litmine.sqlite"
# WenQuanYi Micro Hei subset (Apache-2.0, devtools/make_font.py): the one CJK font the project ships,
# used by the PDF fixtures, the plots and the browser views (no system font needed).
CJK_FONT = _PACKAGE / "devtools" / "fonts" / "wqy-microhei-subset.ttf"
