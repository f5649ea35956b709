"""`pip install .` (not editable) gives a working litmine: models/ (top of the repository) and the
browser assets travel in the wheel as package data, and rebuild/query/serve run from anywhere."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile

import pytest

from conftest import CORPUS, ROOT

pytestmark = pytest.mark.slow


def test_wheel_carries_models_and_runs_rebuild_query_serve(tmp_path):
    wheels = tmp_path / "wheels"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                            str(wheels), str(ROOT)], capture_output=True, text=True, timeout=600,
                           cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    wheel = next(wheels.glob("litmine-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"pipeline/models/{p.relative_to(ROOT / 'models').as_posix()}" for p in (ROOT / "models").rglob("*")
               if p.is_file()}
    assert shipped and shipped <= names
    assert {"pipeline/serve/static/litmine.css", "pipeline/devtools/fonts/wqy-microhei-subset.ttf"} <= names
    # a clean venv with the wheel; its dependencies come from this environment (no downloads in tests)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True, timeout=600,
                   capture_output=True)
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (tmp_path / "venv" / site.split(str(venv) + "/", 1)[1] / "zz-deps.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n")
    work = tmp_path / "elsewhere"
    work.mkdir()
    corpus = work / "docs"
    corpus.mkdir()
    shutil.copy(CORPUS / "003_e59572d61d3faf91.txt", corpus)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    where = subprocess.run([str(py), "-c", "import pipeline, pipeline.paths as p; print(pipeline.__file__);"
                            " print(p.DEFAULT_MODELS)"], capture_output=True, text=True, cwd=work, env=env, check=True)
    assert str(venv) in where.stdout.splitlines()[0] and where.stdout.splitlines()[1].startswith(str(venv))
    litmine = venv / "bin" / "litmine"
    res = subprocess.run([str(litmine), "rebuild", "docs", "--index", "out/ix.sqlite", "--quiet"], cwd=work, env=env,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    res = subprocess.run([str(litmine), "query", "产业", "--index", "out/ix.sqlite", "--limit", "2"], cwd=work,
                         env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0 and "003_e59572d61d3faf91" in res.stdout, res.stderr
    res = subprocess.run([str(py), "-c", "from pipeline.serve import datasette_app; import sys;"
                          " ds = datasette_app('out/ix.sqlite'); print(sorted(ds.databases))"], cwd=work, env=env,
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0 and "'ix'" in res.stdout, res.stderr
