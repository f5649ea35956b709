"""Developer tools: fixture generators used by tests and benchmarks (need the dev extras)."""
