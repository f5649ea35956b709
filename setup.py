"""Packaging detail pyproject.toml cannot say: models/ (top of the repository, where users edit it)
ships inside the wheel as the package data `pipeline/models` (pipeline/paths.py finds either)."""
from setuptools import find_packages, setup

setup(packages=find_packages(include=["pipeline*"]) + ["pipeline.models"],
      package_dir={"pipeline.models": "models"})
