"""Trilingual full-text search over every app's records (docs/library.md).

- ``registry``: apps register what they want searchable (``register_source``).
- ``backends``: one ``SearchBackend`` interface; SQLite FTS5 and PostgreSQL implement it.
- ``indexing``: keeps the index in step through the task worker; ``rebuild``.
"""
