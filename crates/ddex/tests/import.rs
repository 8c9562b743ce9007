mod common;

use catno_ddex::{generate, import_ern43, profile};
use common::{TestResult, album, simple_deals};

/// Equality with a readable failure: the first differing line.
fn same(a: &str, b: &str) {
    if let Some((n, (x, y))) = a.lines().zip(b.lines()).enumerate().find(|(_, (x, y))| x != y) {
        panic!("line {}: {x:?} != {y:?}", n + 1);
    }
    assert_eq!(a.lines().count(), b.lines().count());
}

#[test]
fn generated_ern43_imports_back_and_regenerates_byte_identical() -> TestResult {
    let generic = profile("generic-ern43")?;
    let first = generate(&album()?, generic)?.xml;
    let imported = import_ern43(&first)?;
    assert_eq!(imported.release.upc.as_ref().map(|u| u.as_str()), Some("036000291452"));
    assert_eq!(imported.release.localized_titles.len(), 2);
    assert_eq!(imported.tracks.len(), 3);
    assert_eq!(imported.tracks[1].track.version.as_deref(), Some("Radio Edit"));
    assert_eq!(imported.tracks[1].track.title, "Tide & Time");
    assert_eq!((imported.tracks[2].disc, imported.tracks[2].number), (2, 1));
    assert_eq!(imported.tracks[0].track.writers.len(), 2);
    assert_eq!(imported.release.p_line.as_ref().map(|p| p.holder.as_str()), Some("Nightjar Records"));
    assert!(!imported.deals.release_deals.is_empty());
    assert_eq!(imported.deals.track_deals.len(), 3);
    let second = generate(&imported, generic)?.xml;
    same(&first, &second);
    Ok(())
}

#[test]
fn single_disc_compilation_round_trips_too() -> TestResult {
    let generic = profile("generic-ern43")?;
    let mut input = album()?;
    input.deals = simple_deals()?;
    input.release.release_type = catno_domain::ReleaseType::Compilation;
    input.tracks[2].disc = 1;
    input.tracks[2].number = 3;
    input.artwork = None;
    let first = generate(&input, generic)?.xml;
    let second = generate(&import_ern43(&first)?, generic)?.xml;
    same(&first, &second);
    Ok(())
}

#[test]
fn ern382_is_not_imported_as_43() -> TestResult {
    let xml = generate(&album()?, profile("generic-ern382")?)?.xml;
    assert!(import_ern43(&xml).is_err());
    Ok(())
}
