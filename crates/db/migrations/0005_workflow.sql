-- Release workflow (review, approval, delivery states with their history), the per-release QC
-- checklist, and the audit log of every catalog change.
--
-- The audit log is written by triggers, not by the Rust write paths: no write path (editor, CLI,
-- import, autofix, rights editor, a future one) can forget it, and a rolled-back transaction
-- takes its audit rows with it. Who made the change and which change it belongs to come from
-- `audit_actor`, a one-row table that `Db::begin` sets at the start of every write
-- transaction. Writers are serialized by SQLite, so inside a write transaction the row holds
-- that transaction's actor. (A TEMP table would be per connection, but a trigger of the main
-- schema cannot name a TEMP table, and any connection without it could not write at all.)

CREATE TABLE audit_actor (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    name      TEXT NOT NULL,
    -- One number per write transaction: the audit rows of one edit share it.
    change_id INTEGER NOT NULL
) STRICT;
INSERT INTO audit_actor (id, name, change_id) VALUES (1, 'unknown', 0);

-- One row per changed field. `before` / `after` are JSON values (NULL when the thing did not
-- exist before / no longer exists). No foreign keys: the log outlives what it describes.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    change_id  INTEGER NOT NULL,
    at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor      TEXT NOT NULL,
    -- The release the change is about, when it is about one release (its fields, artists,
    -- tracklist, rights, cover, checklist, status).
    release_id INTEGER,
    -- The track it is about (its fields, credits, writers, audio, track-level rights).
    track_id   INTEGER,
    artist_id  INTEGER,
    field      TEXT NOT NULL,
    before     TEXT,
    after      TEXT
) STRICT;
CREATE INDEX audit_log_release ON audit_log (release_id, id) WHERE release_id IS NOT NULL;
CREATE INDEX audit_log_track ON audit_log (track_id, id) WHERE track_id IS NOT NULL;

-- Every status change of a release, with who and why. `audit_mark` is the newest audit_log id
-- when it happened: the audit rows after it are the changes since (approval, delivery).
CREATE TABLE release_transitions (
    id          INTEGER PRIMARY KEY,
    release_id  INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    actor       TEXT NOT NULL,
    reason      TEXT,
    -- The store a delivery went to, when the transition is a delivery to one store.
    store       TEXT,
    audit_mark  INTEGER NOT NULL,
    at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX release_transitions_release ON release_transitions (release_id, id);
CREATE INDEX releases_status ON releases (status, id);

-- The manual QC items ticked on a release (the item list is code: catno-domain's
-- `CHECKLIST`). Unticking deletes the row; the audit log keeps the history.
CREATE TABLE release_checks (
    release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    item       TEXT NOT NULL,
    checked_by TEXT NOT NULL,
    checked_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- The newest audit_log id when ticked: a later change to what the item looks at makes
    -- the tick stale.
    audit_mark INTEGER NOT NULL,
    PRIMARY KEY (release_id, item)
) STRICT, WITHOUT ROWID;

-- Releases and tracks: one row per changed column (`IS NOT` treats NULL as a value).
CREATE TRIGGER audit_releases_insert AFTER INSERT ON releases BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NEW.id, NULL, NULL, 'created', NULL, json_quote(NEW.title) FROM audit_actor a;
END;
CREATE TRIGGER audit_releases_update AFTER UPDATE ON releases BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NEW.id, NULL, NULL, c.column1, c.column2, c.column3
    FROM audit_actor a, (VALUES
        ('label_id', json_quote(OLD.label_id), json_quote(NEW.label_id)),
        ('title', json_quote(OLD.title), json_quote(NEW.title)),
        ('version', json_quote(OLD.version), json_quote(NEW.version)),
        ('display_artist', json_quote(OLD.display_artist), json_quote(NEW.display_artist)),
        ('release_type', json_quote(OLD.release_type), json_quote(NEW.release_type)),
        ('upc', json_quote(OLD.upc), json_quote(NEW.upc)),
        ('catalog_number', json_quote(OLD.catalog_number), json_quote(NEW.catalog_number)),
        ('p_line_year', json_quote(OLD.p_line_year), json_quote(NEW.p_line_year)),
        ('p_line_holder', json_quote(OLD.p_line_holder), json_quote(NEW.p_line_holder)),
        ('c_line_year', json_quote(OLD.c_line_year), json_quote(NEW.c_line_year)),
        ('c_line_holder', json_quote(OLD.c_line_holder), json_quote(NEW.c_line_holder)),
        ('genre', json_quote(OLD.genre), json_quote(NEW.genre)),
        ('subgenre', json_quote(OLD.subgenre), json_quote(NEW.subgenre)),
        ('release_date', json_quote(OLD.release_date), json_quote(NEW.release_date)),
        ('original_release_date', json_quote(OLD.original_release_date), json_quote(NEW.original_release_date)),
        ('parental_advisory', json_quote(OLD.parental_advisory), json_quote(NEW.parental_advisory)),
        ('metadata_language', json_quote(OLD.metadata_language), json_quote(NEW.metadata_language)),
        ('status', json_quote(OLD.status), json_quote(NEW.status))) c
    WHERE c.column2 IS NOT c.column3;
END;
CREATE TRIGGER audit_releases_delete AFTER DELETE ON releases BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, OLD.id, NULL, NULL, 'deleted', json_quote(OLD.title), NULL FROM audit_actor a;
END;
CREATE TRIGGER audit_tracks_insert AFTER INSERT ON tracks BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NULL, NEW.id, NULL, 'created', NULL, json_quote(NEW.title) FROM audit_actor a;
END;
CREATE TRIGGER audit_tracks_update AFTER UPDATE ON tracks BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NULL, NEW.id, NULL, c.column1, c.column2, c.column3
    FROM audit_actor a, (VALUES
        ('isrc', json_quote(OLD.isrc), json_quote(NEW.isrc)),
        ('title', json_quote(OLD.title), json_quote(NEW.title)),
        ('version', json_quote(OLD.version), json_quote(NEW.version)),
        ('display_artist', json_quote(OLD.display_artist), json_quote(NEW.display_artist)),
        ('duration_ms', json_quote(OLD.duration_ms), json_quote(NEW.duration_ms)),
        ('explicit', json_quote(OLD.explicit), json_quote(NEW.explicit)),
        ('audio_language', json_quote(OLD.audio_language), json_quote(NEW.audio_language))) c
    WHERE c.column2 IS NOT c.column3;
END;
CREATE TRIGGER audit_tracks_delete AFTER DELETE ON tracks BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NULL, OLD.id, NULL, 'deleted', json_quote(OLD.title), NULL FROM audit_actor a;
END;
CREATE TRIGGER audit_artists_rename AFTER UPDATE OF name ON artists WHEN OLD.name IS NOT NEW.name BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NULL, NULL, NEW.id, 'name', json_quote(OLD.name), json_quote(NEW.name) FROM audit_actor a;
END;

-- Child rows: what was there before and after, as the text a reviewer reads. An edit that
-- rewrites rows (the rights editor replaces a release's rules) shows as removals and additions
-- in one change; core pairs the identical ones away when it reads the log.
CREATE TRIGGER audit_release_localized_titles_insert AFTER INSERT ON release_localized_titles BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NEW.release_id, NULL, NULL, 'localized_title:' || NEW.language, NULL, json_quote(NEW.title) FROM audit_actor a;
END;
CREATE TRIGGER audit_release_localized_titles_update AFTER UPDATE ON release_localized_titles BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NEW.release_id, NULL, NULL, 'localized_title:' || NEW.language, json_quote(OLD.title), json_quote(NEW.title) FROM audit_actor a WHERE (OLD.title) IS NOT (NEW.title);
END;
CREATE TRIGGER audit_release_localized_titles_delete AFTER DELETE ON release_localized_titles BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, OLD.release_id, NULL, NULL, 'localized_title:' || OLD.language, json_quote(OLD.title), NULL FROM audit_actor a;
END;
CREATE TRIGGER audit_release_artists_insert AFTER INSERT ON release_artists BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NEW.release_id, NULL, NULL, 'artists', NULL, json_quote((SELECT name FROM artists WHERE id = NEW.artist_id) || ' (' || NEW.role || ')') FROM audit_actor a;
END;
CREATE TRIGGER audit_release_artists_update AFTER UPDATE ON release_artists BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NEW.release_id, NULL, NULL, 'artists', json_quote((SELECT name FROM artists WHERE id = OLD.artist_id) || ' (' || OLD.role || ')'), json_quote((SELECT name FROM artists WHERE id = NEW.artist_id) || ' (' || NEW.role || ')') FROM audit_actor a WHERE ((SELECT name FROM artists WHERE id = OLD.artist_id) || ' (' || OLD.role || ')') IS NOT ((SELECT name FROM artists WHERE id = NEW.artist_id) || ' (' || NEW.role || ')');
END;
CREATE TRIGGER audit_release_artists_delete AFTER DELETE ON release_artists BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, OLD.release_id, NULL, NULL, 'artists', json_quote((SELECT name FROM artists WHERE id = OLD.artist_id) || ' (' || OLD.role || ')'), NULL FROM audit_actor a;
END;
CREATE TRIGGER audit_release_tracks_insert AFTER INSERT ON release_tracks BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NEW.release_id, NEW.track_id, NULL, 'tracklist', NULL, json_quote('disc ' || NEW.disc_number || ' track ' || NEW.track_number) FROM audit_actor a;
END;
CREATE TRIGGER audit_release_tracks_update AFTER UPDATE ON release_tracks BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NEW.release_id, NEW.track_id, NULL, 'tracklist', json_quote('disc ' || OLD.disc_number || ' track ' || OLD.track_number), json_quote('disc ' || NEW.disc_number || ' track ' || NEW.track_number) FROM audit_actor a WHERE ('disc ' || OLD.disc_number || ' track ' || OLD.track_number) IS NOT ('disc ' || NEW.disc_number || ' track ' || NEW.track_number);
END;
CREATE TRIGGER audit_release_tracks_delete AFTER DELETE ON release_tracks BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, OLD.release_id, OLD.track_id, NULL, 'tracklist', json_quote('disc ' || OLD.disc_number || ' track ' || OLD.track_number), NULL FROM audit_actor a;
END;
CREATE TRIGGER audit_track_localized_titles_insert AFTER INSERT ON track_localized_titles BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NULL, NEW.track_id, NULL, 'localized_title:' || NEW.language, NULL, json_quote(NEW.title) FROM audit_actor a;
END;
CREATE TRIGGER audit_track_localized_titles_update AFTER UPDATE ON track_localized_titles BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NULL, NEW.track_id, NULL, 'localized_title:' || NEW.language, json_quote(OLD.title), json_quote(NEW.title) FROM audit_actor a WHERE (OLD.title) IS NOT (NEW.title);
END;
CREATE TRIGGER audit_track_localized_titles_delete AFTER DELETE ON track_localized_titles BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NULL, OLD.track_id, NULL, 'localized_title:' || OLD.language, json_quote(OLD.title), NULL FROM audit_actor a;
END;
CREATE TRIGGER audit_track_contributors_insert AFTER INSERT ON track_contributors BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NULL, NEW.track_id, NULL, 'contributors', NULL, json_quote((SELECT name FROM artists WHERE id = NEW.artist_id) || ' (' || NEW.role || ')') FROM audit_actor a;
END;
CREATE TRIGGER audit_track_contributors_update AFTER UPDATE ON track_contributors BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NULL, NEW.track_id, NULL, 'contributors', json_quote((SELECT name FROM artists WHERE id = OLD.artist_id) || ' (' || OLD.role || ')'), json_quote((SELECT name FROM artists WHERE id = NEW.artist_id) || ' (' || NEW.role || ')') FROM audit_actor a WHERE ((SELECT name FROM artists WHERE id = OLD.artist_id) || ' (' || OLD.role || ')') IS NOT ((SELECT name FROM artists WHERE id = NEW.artist_id) || ' (' || NEW.role || ')');
END;
CREATE TRIGGER audit_track_contributors_delete AFTER DELETE ON track_contributors BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NULL, OLD.track_id, NULL, 'contributors', json_quote((SELECT name FROM artists WHERE id = OLD.artist_id) || ' (' || OLD.role || ')'), NULL FROM audit_actor a;
END;
CREATE TRIGGER audit_track_writers_insert AFTER INSERT ON track_writers BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NULL, NEW.track_id, NULL, 'writers', NULL, json_quote(NEW.name || ' (' || NEW.role || ', ' || (NEW.share_basis_points / 100.0) || ' %' || coalesce(', ' || NEW.publisher, '') || ')') FROM audit_actor a;
END;
CREATE TRIGGER audit_track_writers_update AFTER UPDATE ON track_writers BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NULL, NEW.track_id, NULL, 'writers', json_quote(OLD.name || ' (' || OLD.role || ', ' || (OLD.share_basis_points / 100.0) || ' %' || coalesce(', ' || OLD.publisher, '') || ')'), json_quote(NEW.name || ' (' || NEW.role || ', ' || (NEW.share_basis_points / 100.0) || ' %' || coalesce(', ' || NEW.publisher, '') || ')') FROM audit_actor a WHERE (OLD.name || ' (' || OLD.role || ', ' || (OLD.share_basis_points / 100.0) || ' %' || coalesce(', ' || OLD.publisher, '') || ')') IS NOT (NEW.name || ' (' || NEW.role || ', ' || (NEW.share_basis_points / 100.0) || ' %' || coalesce(', ' || NEW.publisher, '') || ')');
END;
CREATE TRIGGER audit_track_writers_delete AFTER DELETE ON track_writers BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NULL, OLD.track_id, NULL, 'writers', json_quote(OLD.name || ' (' || OLD.role || ', ' || (OLD.share_basis_points / 100.0) || ' %' || coalesce(', ' || OLD.publisher, '') || ')'), NULL FROM audit_actor a;
END;
CREATE TRIGGER audit_rights_rules_insert AFTER INSERT ON rights_rules BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NEW.release_id, NEW.track_id, NULL, 'rights', NULL, json_quote(NEW.kind || ' ' || NEW.territories || coalesce(' store ' || NEW.store, '') || coalesce(' use ' || NEW.use_type, '') || coalesce(' from ' || NEW.start_date, '') || coalesce(' until ' || NEW.end_date, '') || coalesce(' pre-order ' || NEW.preorder_date, '')) FROM audit_actor a;
END;
CREATE TRIGGER audit_rights_rules_update AFTER UPDATE ON rights_rules BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NEW.release_id, NEW.track_id, NULL, 'rights', json_quote(OLD.kind || ' ' || OLD.territories || coalesce(' store ' || OLD.store, '') || coalesce(' use ' || OLD.use_type, '') || coalesce(' from ' || OLD.start_date, '') || coalesce(' until ' || OLD.end_date, '') || coalesce(' pre-order ' || OLD.preorder_date, '')), json_quote(NEW.kind || ' ' || NEW.territories || coalesce(' store ' || NEW.store, '') || coalesce(' use ' || NEW.use_type, '') || coalesce(' from ' || NEW.start_date, '') || coalesce(' until ' || NEW.end_date, '') || coalesce(' pre-order ' || NEW.preorder_date, '')) FROM audit_actor a WHERE (OLD.kind || ' ' || OLD.territories || coalesce(' store ' || OLD.store, '') || coalesce(' use ' || OLD.use_type, '') || coalesce(' from ' || OLD.start_date, '') || coalesce(' until ' || OLD.end_date, '') || coalesce(' pre-order ' || OLD.preorder_date, '')) IS NOT (NEW.kind || ' ' || NEW.territories || coalesce(' store ' || NEW.store, '') || coalesce(' use ' || NEW.use_type, '') || coalesce(' from ' || NEW.start_date, '') || coalesce(' until ' || NEW.end_date, '') || coalesce(' pre-order ' || NEW.preorder_date, ''));
END;
CREATE TRIGGER audit_rights_rules_delete AFTER DELETE ON rights_rules BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, OLD.release_id, OLD.track_id, NULL, 'rights', json_quote(OLD.kind || ' ' || OLD.territories || coalesce(' store ' || OLD.store, '') || coalesce(' use ' || OLD.use_type, '') || coalesce(' from ' || OLD.start_date, '') || coalesce(' until ' || OLD.end_date, '') || coalesce(' pre-order ' || OLD.preorder_date, '')), NULL FROM audit_actor a;
END;
CREATE TRIGGER audit_assets_insert AFTER INSERT ON assets BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NEW.release_id, NEW.track_id, NULL, lower(NEW.kind), NULL, json_quote(NEW.path || ' (sha256 ' || substr(NEW.sha256, 1, 12) || ')') FROM audit_actor a;
END;
CREATE TRIGGER audit_assets_update AFTER UPDATE ON assets BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NEW.release_id, NEW.track_id, NULL, lower(NEW.kind), json_quote(OLD.path || ' (sha256 ' || substr(OLD.sha256, 1, 12) || ')'), json_quote(NEW.path || ' (sha256 ' || substr(NEW.sha256, 1, 12) || ')') FROM audit_actor a WHERE (OLD.path || ' (sha256 ' || substr(OLD.sha256, 1, 12) || ')') IS NOT (NEW.path || ' (sha256 ' || substr(NEW.sha256, 1, 12) || ')');
END;
CREATE TRIGGER audit_assets_delete AFTER DELETE ON assets BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, OLD.release_id, OLD.track_id, NULL, lower(OLD.kind), json_quote(OLD.path || ' (sha256 ' || substr(OLD.sha256, 1, 12) || ')'), NULL FROM audit_actor a;
END;
CREATE TRIGGER audit_release_checks_insert AFTER INSERT ON release_checks BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NEW.release_id, NULL, NULL, 'check:' || NEW.item, NULL, json_quote(NEW.checked_by) FROM audit_actor a;
END;
CREATE TRIGGER audit_release_checks_update AFTER UPDATE ON release_checks BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NEW.release_id, NULL, NULL, 'check:' || NEW.item, json_quote(OLD.checked_by), json_quote(NEW.checked_by) FROM audit_actor a WHERE (OLD.checked_by) IS NOT (NEW.checked_by);
END;
CREATE TRIGGER audit_release_checks_delete AFTER DELETE ON release_checks BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, OLD.release_id, NULL, NULL, 'check:' || OLD.item, json_quote(OLD.checked_by), NULL FROM audit_actor a;
END;
