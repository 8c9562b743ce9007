-- Media QC: analysis results keyed by the file's content, and what was last seen of each file
-- on disk, so that an unchanged file is never hashed or analysed twice and a changed one is.

-- One analysis of one content (sha256) by one kind of analyser. `report` is the JSON
-- AudioReport or ArtworkReport with the file's intrinsic findings; a target profile's rules
-- are applied when the report is read. A row of an older `analyzer_version` is replaced.
CREATE TABLE media_analyses (
    sha256           TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('audio', 'artwork')),
    analyzer_version INTEGER NOT NULL,
    report           TEXT NOT NULL,
    analyzed_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (sha256, kind)
) STRICT;

-- The last look at a file: while its size and modification time are unchanged its hashes
-- are taken as still true.
CREATE TABLE media_files (
    path       TEXT PRIMARY KEY,
    size_bytes INTEGER NOT NULL,
    mtime_ns   INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    md5        TEXT NOT NULL,
    seen_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX media_files_sha256 ON media_files (sha256);
