"""The SQLite index: schema, storage of processed documents, rebuild, query."""
