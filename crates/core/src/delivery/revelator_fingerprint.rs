//! What counts as "the remote release changed": the content a person edits in Revelator's web
//! UI (titles, artists, credits, identifiers, dates, genres, tracks and their files), never the
//! statuses and lock flags Revelator moves on its own while a release is delivered.

use catno_revelator::wire::{Release, Track};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

fn track_content(track: &Track) -> Value {
    json!({
        "name": track.name,
        "version": track.version,
        "artist": track.artist_name,
        "language": track.language_id,
        "audioLanguage": track.audio_language_id,
        "explicit": track.explicit,
        "number": track.track_number,
        "contributors": track.contributors,
        "composers": track.composers,
        "locals": track.tracks_locals,
        "audio": track.audio_ids(),
        "isrc": track.isrc,
        "p": track.copyright_p,
        "c": track.copyright_c,
    })
}

/// SHA-256 of the editable content of `release`, hex.
pub fn fingerprint(release: &Release) -> String {
    let content = json!({
        "name": release.name,
        "version": release.version,
        "artist": release.artist_name,
        "locals": release.releases_locals,
        "contributors": release.contributors,
        "p": release.copyright_p,
        "c": release.copyright_c,
        "label": release.label_name,
        "releaseDate": release.release_date,
        "upc": release.upc,
        "catalog": release.catalog,
        "language": release.language_id,
        "genres": [release.primary_music_style_id, release.secondary_music_style_id],
        "type": release.release_type_id,
        "compilation": release.is_compilation,
        "advisory": release.parental_advisory,
        "image": release.image,
        "tracks": release.tracks.iter().map(track_content).collect::<Vec<_>>(),
        "saleStart": release.sale_start_date,
    });
    let digest = Sha256::digest(content.to_string().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
