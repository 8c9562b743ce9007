-- DDEX delivery history: every message written into a batch, per release and profile, so the
-- delivery view can show what changed since the last export. Rows are only ever added; the
-- newest row of a (release, profile) pair is "the last export".
CREATE TABLE ddex_exports (
    id          INTEGER PRIMARY KEY,
    release_id  INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    profile_id  TEXT NOT NULL,
    -- The store whose rights the deals followed (generic profiles may pick one).
    store       TEXT NOT NULL,
    batch_id    TEXT NOT NULL,
    message_id  TEXT NOT NULL,
    xml         TEXT NOT NULL,
    exported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX ddex_exports_release_profile ON ddex_exports (release_id, profile_id, id);
