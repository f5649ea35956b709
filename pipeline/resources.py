"""Where the shipped data lives, in a source checkout and in an installed wheel.

`models/` stays at the repository top (editable data, reviewed in diffs); a wheel maps it into the
package as `pipeline/models/` (pyproject.toml `package-dir`), so `pip install .` runs without the
source tree. Every module finds models and fonts through this file, never through `__file__` hops.
"""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _models_dir() -> Path:
    installed = _PACKAGE / "models"  # inside a wheel
    if (installed / "claims").is_dir():
        return installed
    return _PACKAGE.parent / "models"  # a source checkout / editable install


MODELS_DIR: Path = _models_dir()
# WenQuanYi Micro Hei subset (Apache-2.0, pipeline/devtools/make_font.py): the one CJK font the
# project ships, used by the PDF fixtures, the plots and the browser views (no system font needed).
CJK_FONT: Path = _PACKAGE / "devtools" / "fonts" / "wqy-microhei-subset.ttf"
