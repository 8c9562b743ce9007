-- Sync with a delivery backend (Revelator first). Local changes enter a durable outbox through
-- triggers, so they are recorded in the same transaction as the change whatever the write path;
-- what the remote side last said of each release is kept beside it, never in catalog tables
-- (writing it back must not enqueue another push).

-- Pending operations, pushed in id order. Saves send the whole release, so a release has at most
-- one pending `save`: later edits fold into it and bump `revision`; a push removes the row only
-- if the revision it pushed is still the newest, so an edit made during a push is never lost.
CREATE TABLE sync_outbox (
    id              INTEGER PRIMARY KEY,
    release_id      INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    op              TEXT NOT NULL CHECK (op IN ('save', 'deliver', 'takedown')),
    -- JSON: the stores and dates of a deliver or takedown.
    payload         TEXT NOT NULL DEFAULT '{}',
    revision        INTEGER NOT NULL DEFAULT 1,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    -- The raw remote response (or transport error) of the last failed attempt.
    last_error      TEXT,
    enqueued_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE UNIQUE INDEX sync_outbox_one_save ON sync_outbox (release_id) WHERE op = 'save';
CREATE INDEX sync_outbox_release ON sync_outbox (release_id, id);

-- The remote copy of a release as of Catno's last successful push or pull.
CREATE TABLE sync_releases (
    release_id         INTEGER PRIMARY KEY REFERENCES releases (id) ON DELETE CASCADE,
    backend            TEXT NOT NULL,
    remote_id          TEXT,
    -- JSON of the backend's ids for the release, its tracks and uploaded files (by SHA-256).
    remote_ref         TEXT,
    state              TEXT NOT NULL CHECK (state IN ('pending', 'synced', 'failed', 'conflict')),
    -- Hash of the remote object right after Catno wrote it: a different hash on the next read
    -- is a change Catno did not make.
    remote_fingerprint TEXT,
    -- JSON of the take-down-and-redeliver plan waiting for the user when locked tracks changed.
    plan               TEXT,
    last_error         TEXT,
    synced_at          TEXT,
    updated_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- Per-store delivery status as the remote reports it.
CREATE TABLE sync_store_status (
    release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    store      TEXT NOT NULL,
    status     TEXT NOT NULL,
    raw        TEXT,
    checked_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (release_id, store)
) STRICT, WITHOUT ROWID;

-- The remote validation of a release (JSON list of messages), as last fetched.
CREATE TABLE sync_remote_validation (
    release_id INTEGER PRIMARY KEY REFERENCES releases (id) ON DELETE CASCADE,
    messages   TEXT NOT NULL,
    checked_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- Every release already in the catalog has yet to reach the remote.
INSERT INTO sync_outbox (release_id, op) SELECT id, 'save' FROM releases;

-- The enqueue statement, repeated per trigger because SQLite has no procedures. `WHERE true`
-- keeps the parser from reading ON CONFLICT as a join constraint.
CREATE TRIGGER sync_releases_insert AFTER INSERT ON releases BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT NEW.id, 'save' WHERE true
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;
-- Not on `status` (workflow, local only) nor on `updated_at` alone: a child row's trigger covers
-- the change that touched it.
CREATE TRIGGER sync_releases_update AFTER UPDATE OF
    label_id, title, version, display_artist, release_type, upc, catalog_number, p_line_year,
    p_line_holder, c_line_year, c_line_holder, genre, subgenre, release_date, original_release_date,
    parental_advisory, metadata_language ON releases BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT NEW.id, 'save' WHERE true
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;

CREATE TRIGGER sync_release_titles_insert AFTER INSERT ON release_localized_titles BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT NEW.release_id, 'save' WHERE true
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER sync_release_titles_update AFTER UPDATE ON release_localized_titles BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT NEW.release_id, 'save' WHERE true
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER sync_release_titles_delete AFTER DELETE ON release_localized_titles BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT OLD.release_id, 'save' WHERE EXISTS (SELECT 1 FROM releases WHERE id = OLD.release_id)
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;

CREATE TRIGGER sync_release_artists_insert AFTER INSERT ON release_artists BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT NEW.release_id, 'save' WHERE true
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER sync_release_artists_update AFTER UPDATE ON release_artists BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT NEW.release_id, 'save' WHERE true
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER sync_release_artists_delete AFTER DELETE ON release_artists BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT OLD.release_id, 'save' WHERE EXISTS (SELECT 1 FROM releases WHERE id = OLD.release_id)
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;

CREATE TRIGGER sync_release_tracks_insert AFTER INSERT ON release_tracks BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT NEW.release_id, 'save' WHERE true
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER sync_release_tracks_update AFTER UPDATE ON release_tracks BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT NEW.release_id, 'save' WHERE true
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER sync_release_tracks_delete AFTER DELETE ON release_tracks BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT OLD.release_id, 'save' WHERE EXISTS (SELECT 1 FROM releases WHERE id = OLD.release_id)
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;

-- A track's change reaches every release it sits on.
CREATE TRIGGER sync_tracks_update AFTER UPDATE OF
    isrc, title, version, display_artist, duration_ms, explicit, audio_language ON tracks BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT release_id, 'save' FROM release_tracks WHERE track_id = NEW.id
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER sync_track_titles_insert AFTER INSERT ON track_localized_titles BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT release_id, 'save' FROM release_tracks WHERE track_id = NEW.track_id
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER sync_track_titles_update AFTER UPDATE ON track_localized_titles BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT release_id, 'save' FROM release_tracks WHERE track_id = NEW.track_id
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER sync_track_titles_delete AFTER DELETE ON track_localized_titles BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT release_id, 'save' FROM release_tracks WHERE track_id = OLD.track_id
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER sync_track_contributors_insert AFTER INSERT ON track_contributors BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT release_id, 'save' FROM release_tracks WHERE track_id = NEW.track_id
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER sync_track_contributors_update AFTER UPDATE ON track_contributors BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT release_id, 'save' FROM release_tracks WHERE track_id = NEW.track_id
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER sync_track_contributors_delete AFTER DELETE ON track_contributors BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT release_id, 'save' FROM release_tracks WHERE track_id = OLD.track_id
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER sync_track_writers_insert AFTER INSERT ON track_writers BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT release_id, 'save' FROM release_tracks WHERE track_id = NEW.track_id
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER sync_track_writers_update AFTER UPDATE ON track_writers BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT release_id, 'save' FROM release_tracks WHERE track_id = NEW.track_id
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER sync_track_writers_delete AFTER DELETE ON track_writers BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT release_id, 'save' FROM release_tracks WHERE track_id = OLD.track_id
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;

-- An artist's new name changes the display of every release that credits them.
CREATE TRIGGER sync_artists_rename AFTER UPDATE OF name ON artists BEGIN
    INSERT INTO sync_outbox (release_id, op)
    SELECT release_id, 'save' FROM release_artists WHERE artist_id = NEW.id
    UNION SELECT rt.release_id, 'save' FROM track_contributors c JOIN release_tracks rt ON rt.track_id = c.track_id
          WHERE c.artist_id = NEW.id
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;

CREATE TRIGGER sync_rights_insert AFTER INSERT ON rights_rules BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT NEW.release_id, 'save' WHERE true
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER sync_rights_update AFTER UPDATE ON rights_rules BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT NEW.release_id, 'save' WHERE true
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER sync_rights_delete AFTER DELETE ON rights_rules BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT OLD.release_id, 'save' WHERE EXISTS (SELECT 1 FROM releases WHERE id = OLD.release_id)
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;

-- Cover and audio files: on the release itself, or on a track of it.
CREATE TRIGGER sync_assets_insert AFTER INSERT ON assets BEGIN
    INSERT INTO sync_outbox (release_id, op)
    SELECT NEW.release_id, 'save' WHERE NEW.release_id IS NOT NULL
    UNION SELECT release_id, 'save' FROM release_tracks WHERE track_id = NEW.track_id
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER sync_assets_update AFTER UPDATE ON assets BEGIN
    INSERT INTO sync_outbox (release_id, op)
    SELECT NEW.release_id, 'save' WHERE NEW.release_id IS NOT NULL
    UNION SELECT release_id, 'save' FROM release_tracks WHERE track_id = NEW.track_id
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER sync_assets_delete AFTER DELETE ON assets BEGIN
    INSERT INTO sync_outbox (release_id, op)
    SELECT OLD.release_id, 'save' WHERE EXISTS (SELECT 1 FROM releases WHERE id = OLD.release_id)
    UNION SELECT release_id, 'save' FROM release_tracks WHERE track_id = OLD.track_id
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;
