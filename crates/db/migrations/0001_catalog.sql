-- Catno catalog schema, version 1. Migrations are append-only: never edit a merged one.

CREATE TABLE catalog_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE labels (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    dpid       TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE artists (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL COLLATE NOCASE,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX artists_name ON artists (name);

CREATE TABLE artist_localized_names (
    artist_id INTEGER NOT NULL REFERENCES artists (id) ON DELETE CASCADE,
    language  TEXT NOT NULL,
    name      TEXT NOT NULL,
    PRIMARY KEY (artist_id, language)
) STRICT, WITHOUT ROWID;

CREATE TABLE artist_dsp_ids (
    artist_id INTEGER NOT NULL REFERENCES artists (id) ON DELETE CASCADE,
    platform  TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (artist_id, platform)
) STRICT, WITHOUT ROWID;

CREATE TABLE releases (
    id                    INTEGER PRIMARY KEY,
    label_id              INTEGER NOT NULL REFERENCES labels (id),
    title                 TEXT NOT NULL,
    version               TEXT,
    display_artist        TEXT NOT NULL DEFAULT '',
    release_type          TEXT NOT NULL DEFAULT 'Album',
    upc                   TEXT,
    catalog_number        TEXT,
    p_line_year           INTEGER,
    p_line_holder         TEXT,
    c_line_year           INTEGER,
    c_line_holder         TEXT,
    genre                 TEXT,
    subgenre              TEXT,
    release_date          TEXT,
    original_release_date TEXT,
    parental_advisory     TEXT NOT NULL DEFAULT 'NotExplicit',
    metadata_language     TEXT,
    status                TEXT NOT NULL DEFAULT 'Draft',
    created_at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
-- Both list orders page through a covering index, so OFFSET skips index entries only.
CREATE INDEX releases_by_title ON releases (title COLLATE NOCASE, id);
CREATE INDEX releases_by_label_title ON releases (label_id, title COLLATE NOCASE, id);
CREATE INDEX releases_upc ON releases (upc) WHERE upc IS NOT NULL;

CREATE TABLE release_localized_titles (
    release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    language   TEXT NOT NULL,
    title      TEXT NOT NULL,
    PRIMARY KEY (release_id, language)
) STRICT, WITHOUT ROWID;

CREATE TABLE release_artists (
    id         INTEGER PRIMARY KEY,
    release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    artist_id  INTEGER NOT NULL REFERENCES artists (id),
    role       TEXT NOT NULL,
    sequence   INTEGER NOT NULL
) STRICT;
CREATE INDEX release_artists_release ON release_artists (release_id, sequence);
CREATE INDEX release_artists_artist ON release_artists (artist_id);

CREATE TABLE tracks (
    id             INTEGER PRIMARY KEY,
    isrc           TEXT,
    title          TEXT NOT NULL,
    version        TEXT,
    display_artist TEXT NOT NULL DEFAULT '',
    duration_ms    INTEGER,
    explicit       INTEGER NOT NULL DEFAULT 0,
    audio_language TEXT,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
-- Not unique: the same recording may legitimately appear twice while a catalog is being cleaned.
CREATE INDEX tracks_isrc ON tracks (isrc) WHERE isrc IS NOT NULL;

-- A track can sit on several releases; its position is per release.
CREATE TABLE release_tracks (
    release_id   INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    track_id     INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    disc_number  INTEGER NOT NULL DEFAULT 1,
    track_number INTEGER NOT NULL,
    PRIMARY KEY (release_id, disc_number, track_number),
    UNIQUE (release_id, track_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX release_tracks_track ON release_tracks (track_id);

CREATE TABLE track_localized_titles (
    track_id INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    title    TEXT NOT NULL,
    PRIMARY KEY (track_id, language)
) STRICT, WITHOUT ROWID;

CREATE TABLE track_contributors (
    id        INTEGER PRIMARY KEY,
    track_id  INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    artist_id INTEGER NOT NULL REFERENCES artists (id),
    role      TEXT NOT NULL,
    sequence  INTEGER NOT NULL
) STRICT;
CREATE INDEX track_contributors_track ON track_contributors (track_id, sequence);
CREATE INDEX track_contributors_artist ON track_contributors (artist_id);

CREATE TABLE track_writers (
    id                 INTEGER PRIMARY KEY,
    track_id           INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    name               TEXT NOT NULL,
    role               TEXT NOT NULL,
    publisher          TEXT,
    share_basis_points INTEGER NOT NULL CHECK (share_basis_points BETWEEN 0 AND 10000),
    sequence           INTEGER NOT NULL
) STRICT;
CREATE INDEX track_writers_track ON track_writers (track_id, sequence);

CREATE TABLE assets (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    path       TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    release_id INTEGER REFERENCES releases (id) ON DELETE CASCADE,
    track_id   INTEGER REFERENCES tracks (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX assets_release ON assets (release_id);
CREATE INDEX assets_track ON assets (track_id);
CREATE INDEX assets_sha256 ON assets (sha256);

-- Full-text search. Contentless tables keyed by the entity's rowid keep the index small; the
-- triggers below are the only writers. Codes (UPC, ISRC, catalog number) are indexed as
-- single tokens so a prefix such as "USRC17" finds them.
CREATE VIRTUAL TABLE release_search USING fts5 (
    title, artist, codes,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 4'
);
CREATE VIRTUAL TABLE track_search USING fts5 (
    title, artist, codes,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 4'
);

CREATE TRIGGER releases_search_insert AFTER INSERT ON releases BEGIN
    INSERT INTO release_search (rowid, title, artist, codes) VALUES (
        new.id, new.title || ' ' || coalesce(new.version, ''), new.display_artist,
        coalesce(new.upc, '') || ' ' || replace(replace(coalesce(new.catalog_number, ''), '-', ''), ' ', ''));
END;
CREATE TRIGGER releases_search_update AFTER UPDATE OF title, version, display_artist, upc, catalog_number ON releases BEGIN
    DELETE FROM release_search WHERE rowid = old.id;
    INSERT INTO release_search (rowid, title, artist, codes) VALUES (
        new.id, new.title || ' ' || coalesce(new.version, ''), new.display_artist,
        coalesce(new.upc, '') || ' ' || replace(replace(coalesce(new.catalog_number, ''), '-', ''), ' ', ''));
END;
CREATE TRIGGER releases_search_delete AFTER DELETE ON releases BEGIN
    DELETE FROM release_search WHERE rowid = old.id;
END;

CREATE TRIGGER tracks_search_insert AFTER INSERT ON tracks BEGIN
    INSERT INTO track_search (rowid, title, artist, codes) VALUES (
        new.id, new.title || ' ' || coalesce(new.version, ''), new.display_artist, coalesce(new.isrc, ''));
END;
CREATE TRIGGER tracks_search_update AFTER UPDATE OF title, version, display_artist, isrc ON tracks BEGIN
    DELETE FROM track_search WHERE rowid = old.id;
    INSERT INTO track_search (rowid, title, artist, codes) VALUES (
        new.id, new.title || ' ' || coalesce(new.version, ''), new.display_artist, coalesce(new.isrc, ''));
END;
CREATE TRIGGER tracks_search_delete AFTER DELETE ON tracks BEGIN
    DELETE FROM track_search WHERE rowid = old.id;
END;
