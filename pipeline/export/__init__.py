"""Exports of the index: tables (csv/xlsx/jsonl/parquet) and the links graph (GraphML)."""
from .tables import FORMATS, TABLES, export  # noqa: F401
