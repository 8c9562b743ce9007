-- Territory rights: release-level defaults and per-track overrides, evaluated by catno-rights.
-- Track rules belong to a track *on a release*: the same recording may be cleared differently
-- on an album and on a compilation.

CREATE TABLE rights_rules (
    id             INTEGER PRIMARY KEY,
    release_id     INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    -- NULL: a release-level rule.
    track_id       INTEGER REFERENCES tracks (id) ON DELETE CASCADE,
    sequence       INTEGER NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('include', 'exclude')),
    -- Comma-separated ISO 3166-1 codes, group names or 'Worldwide', as the user named them, so
    -- that editing a group changes every rule that names it.
    territories    TEXT NOT NULL,
    store          TEXT,
    use_type       TEXT,
    start_date     TEXT,
    end_date       TEXT,
    preorder_date  TEXT
) STRICT;
CREATE INDEX rights_rules_release ON rights_rules (release_id, track_id, sequence);

-- The label's own territory groups; built-in groups (EU, DACH, …) live in code.
CREATE TABLE territory_groups (
    name        TEXT PRIMARY KEY COLLATE NOCASE,
    territories TEXT NOT NULL
) STRICT;

-- The label's own stores beside the built-in ones.
CREATE TABLE stores (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL
) STRICT;
