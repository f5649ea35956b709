"""English statistics rules (sentences with no Chinese character); vocabulary in
models/statistics/english.tsv."""
