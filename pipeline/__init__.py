"""litmine: bilingual literature text mining with page provenance."""
__version__ = "0.1.0"
