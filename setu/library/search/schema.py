"""The full-text index's DDL, written once: migrations and the search backends both run it.

Frozen like a migration: ``library/migrations/0001_initial.py`` imports these lists, and the
backends' ``ensure_schema`` (``rebuild`` after a table rebuild dropped the triggers) runs the
same statements, so a rebuilt index is exactly the migrated one. The module imports nothing,
so loading it from a migration loads no app code. Changing the index means new lists here
(``..._V2``) and a new migration that moves from these to those; never edit these in place,
or databases migrated before and after the edit would differ. Every statement is idempotent
(``IF NOT EXISTS``), because ``ensure_schema`` runs them against an existing database.
"""

# SQLite: an FTS5 table over the pre-tokenised columns of library_searchentry (external
# content), kept in step by triggers.
SQLITE_SCHEMA = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS library_search_fts USING fts5(
        title_tokens, tokens,
        content='library_searchentry', content_rowid='id',
        tokenize="unicode61 categories 'L* N* Co Mn Mc' remove_diacritics 0"
    )""",
    """CREATE TRIGGER IF NOT EXISTS library_search_ai AFTER INSERT ON library_searchentry BEGIN
        INSERT INTO library_search_fts(rowid, title_tokens, tokens)
        VALUES (new.id, new.title_tokens, new.tokens);
    END""",
    """CREATE TRIGGER IF NOT EXISTS library_search_ad AFTER DELETE ON library_searchentry BEGIN
        INSERT INTO library_search_fts(library_search_fts, rowid, title_tokens, tokens)
        VALUES ('delete', old.id, old.title_tokens, old.tokens);
    END""",
    """CREATE TRIGGER IF NOT EXISTS library_search_au
        AFTER UPDATE OF title_tokens, tokens ON library_searchentry BEGIN
        INSERT INTO library_search_fts(library_search_fts, rowid, title_tokens, tokens)
        VALUES ('delete', old.id, old.title_tokens, old.tokens);
        INSERT INTO library_search_fts(rowid, title_tokens, tokens)
        VALUES (new.id, new.title_tokens, new.tokens);
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS library_search_au",
    "DROP TRIGGER IF EXISTS library_search_ad",
    "DROP TRIGGER IF EXISTS library_search_ai",
    "DROP TABLE IF EXISTS library_search_fts",
]

# PostgreSQL: generated tsvector columns with GIN indexes.
POSTGRES_SCHEMA = [
    """ALTER TABLE library_searchentry ADD COLUMN IF NOT EXISTS search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, tokens)) STORED""",
    """ALTER TABLE library_searchentry ADD COLUMN IF NOT EXISTS title_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, title_tokens)) STORED""",
    """CREATE INDEX IF NOT EXISTS library_searchentry_vector_gin
        ON library_searchentry USING gin (search_vector)""",
    """CREATE INDEX IF NOT EXISTS library_searchentry_title_gin
        ON library_searchentry USING gin (title_vector)""",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS library_searchentry_title_gin",
    "DROP INDEX IF EXISTS library_searchentry_vector_gin",
    "ALTER TABLE library_searchentry DROP COLUMN IF EXISTS title_vector",
    "ALTER TABLE library_searchentry DROP COLUMN IF EXISTS search_vector",
]
