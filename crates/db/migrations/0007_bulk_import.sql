-- Bulk import of new releases (issue 8). The per-row insert triggers cost most of a large
-- import: every FTS5 insert run from a trigger flushes the index's pending terms (a statement
-- savepoint does), and every row wrote audit and outbox rows of its own. A write that sets
-- `audit_actor.bulk` inserts new releases and their tracks, credits and writers with these
-- triggers quiet, then maintains the search index, the audit log (who created which release,
-- and that it came from an import) and the sync outbox (every created release queued once) in
-- set-based statements of the same transaction (catno-db `bulk_create_releases`), and clears
-- the flag before it returns. `Db::begin` clears it too, so no other write runs with it set.
-- Only the insert triggers of the tables that write fills are gated; updates and deletes are
-- always logged and queued row by row.

ALTER TABLE audit_actor ADD COLUMN bulk INTEGER NOT NULL DEFAULT 0 CHECK (bulk IN (0, 1));

DROP TRIGGER releases_search_insert;
CREATE TRIGGER releases_search_insert AFTER INSERT ON releases WHEN (SELECT bulk FROM audit_actor WHERE id = 1) = 0 BEGIN
    INSERT INTO release_search (rowid, title, artist, codes) VALUES (
        new.id, new.title || ' ' || coalesce(new.version, ''), new.display_artist,
        coalesce(new.upc, '') || ' ' || replace(replace(coalesce(new.catalog_number, ''), '-', ''), ' ', ''));
END;

DROP TRIGGER tracks_search_insert;
CREATE TRIGGER tracks_search_insert AFTER INSERT ON tracks WHEN (SELECT bulk FROM audit_actor WHERE id = 1) = 0 BEGIN
    INSERT INTO track_search (rowid, title, artist, codes) VALUES (
        new.id, new.title || ' ' || coalesce(new.version, ''), new.display_artist, coalesce(new.isrc, ''));
END;

DROP TRIGGER audit_releases_insert;
CREATE TRIGGER audit_releases_insert AFTER INSERT ON releases WHEN (SELECT bulk FROM audit_actor WHERE id = 1) = 0 BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NEW.id, NULL, NULL, 'created', NULL, json_quote(NEW.title) FROM audit_actor a;
END;

DROP TRIGGER audit_tracks_insert;
CREATE TRIGGER audit_tracks_insert AFTER INSERT ON tracks WHEN (SELECT bulk FROM audit_actor WHERE id = 1) = 0 BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NULL, NEW.id, NULL, 'created', NULL, json_quote(NEW.title) FROM audit_actor a;
END;

DROP TRIGGER audit_release_artists_insert;
CREATE TRIGGER audit_release_artists_insert AFTER INSERT ON release_artists WHEN (SELECT bulk FROM audit_actor WHERE id = 1) = 0 BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NEW.release_id, NULL, NULL, 'artists', NULL, json_quote((SELECT name FROM artists WHERE id = NEW.artist_id) || ' (' || NEW.role || ')') FROM audit_actor a;
END;

DROP TRIGGER audit_release_tracks_insert;
CREATE TRIGGER audit_release_tracks_insert AFTER INSERT ON release_tracks WHEN (SELECT bulk FROM audit_actor WHERE id = 1) = 0 BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NEW.release_id, NEW.track_id, NULL, 'tracklist', NULL, json_quote('disc ' || NEW.disc_number || ' track ' || NEW.track_number) FROM audit_actor a;
END;

DROP TRIGGER audit_track_contributors_insert;
CREATE TRIGGER audit_track_contributors_insert AFTER INSERT ON track_contributors WHEN (SELECT bulk FROM audit_actor WHERE id = 1) = 0 BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NULL, NEW.track_id, NULL, 'contributors', NULL, json_quote((SELECT name FROM artists WHERE id = NEW.artist_id) || ' (' || NEW.role || ')') FROM audit_actor a;
END;

DROP TRIGGER audit_track_writers_insert;
CREATE TRIGGER audit_track_writers_insert AFTER INSERT ON track_writers WHEN (SELECT bulk FROM audit_actor WHERE id = 1) = 0 BEGIN
    INSERT INTO audit_log (change_id, actor, release_id, track_id, artist_id, field, before, after)
    SELECT a.change_id, a.name, NULL, NEW.track_id, NULL, 'writers', NULL, json_quote(NEW.name || ' (' || NEW.role || ', ' || (NEW.share_basis_points / 100.0) || ' %' || coalesce(', ' || NEW.publisher, '') || ')') FROM audit_actor a;
END;

DROP TRIGGER sync_releases_insert;
CREATE TRIGGER sync_releases_insert AFTER INSERT ON releases WHEN (SELECT bulk FROM audit_actor WHERE id = 1) = 0 BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT NEW.id, 'save' WHERE true
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;

DROP TRIGGER sync_release_artists_insert;
CREATE TRIGGER sync_release_artists_insert AFTER INSERT ON release_artists WHEN (SELECT bulk FROM audit_actor WHERE id = 1) = 0 BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT NEW.release_id, 'save' WHERE true
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;

DROP TRIGGER sync_release_tracks_insert;
CREATE TRIGGER sync_release_tracks_insert AFTER INSERT ON release_tracks WHEN (SELECT bulk FROM audit_actor WHERE id = 1) = 0 BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT NEW.release_id, 'save' WHERE true
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;

DROP TRIGGER sync_track_contributors_insert;
CREATE TRIGGER sync_track_contributors_insert AFTER INSERT ON track_contributors WHEN (SELECT bulk FROM audit_actor WHERE id = 1) = 0 BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT release_id, 'save' FROM release_tracks WHERE track_id = NEW.track_id
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;

DROP TRIGGER sync_track_writers_insert;
CREATE TRIGGER sync_track_writers_insert AFTER INSERT ON track_writers WHEN (SELECT bulk FROM audit_actor WHERE id = 1) = 0 BEGIN
    INSERT INTO sync_outbox (release_id, op) SELECT release_id, 'save' FROM release_tracks WHERE track_id = NEW.track_id
    ON CONFLICT (release_id) WHERE op = 'save' DO UPDATE SET revision = revision + 1;
END;
