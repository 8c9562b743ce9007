mod common;

use std::fs;
use std::path::Path;

use catno_ddex::{DdexError, ReleaseMessageInput, ResourceFile, generate, profile, write_batch};
use common::{TestResult, album};
use md5::{Digest, Md5};

/// Writes real files for the album's audio and artwork and points the input's hashes at them.
fn with_files(
    input: &mut ReleaseMessageInput,
    dir: &Path,
) -> Result<Vec<ResourceFile>, Box<dyn std::error::Error>> {
    let mut files = Vec::new();
    let mut add = |name: &str, bytes: &[u8]| -> Result<String, Box<dyn std::error::Error>> {
        let path = dir.join(format!("src-{name}"));
        fs::write(&path, bytes)?;
        let md5 = hex::encode(Md5::digest(bytes));
        files.push(ResourceFile { source_path: path, file_name: name.to_owned(), md5: md5.clone() });
        Ok(md5)
    };
    for (i, t) in input.tracks.iter_mut().enumerate() {
        if let Some(audio) = &mut t.audio {
            audio.md5 = add(&audio.file_name.clone(), format!("fLaC audio {i}").as_bytes())?;
        }
    }
    if let Some(art) = &mut input.artwork {
        art.md5 = add(&art.file_name.clone(), b"\xff\xd8\xff jpeg")?;
    }
    Ok(files)
}

#[test]
fn batch_has_release_folders_resources_and_the_manifest_last() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let mut first = album()?;
    let files = with_files(&mut first, tmp.path())?;
    let xml = generate(&first, profile("generic-ern43")?)?.xml;

    let mut second = album()?;
    second.release.upc = Some(catno_domain::Upc::parse("4006381333931")?);
    second.header.message_id = "NJR-0002-r7".to_owned();
    second.tracks.iter_mut().for_each(|t| t.audio = None);
    second.artwork = None;
    let xml2 = generate(&second, profile("generic-ern43")?)?.xml;

    let out = tmp.path().join("out");
    fs::create_dir(&out)?;
    let summary = write_batch(&out, "20260105100000000", &[(xml.clone(), files), (xml2, Vec::new())])?;
    let root = out.join("20260105100000000");
    assert_eq!(summary.root, root);
    assert_eq!(summary.releases, ["036000291452", "4006381333931"]);
    assert_eq!(fs::read_to_string(root.join("036000291452/036000291452.xml"))?, xml);
    assert_eq!(fs::read(root.join("036000291452/resources/036000291452_01_002.flac"))?, b"fLaC audio 1");
    assert!(root.join("036000291452/resources/036000291452.jpg").is_file());
    assert!(root.join("4006381333931/resources").is_dir());

    let manifest = fs::read_to_string(&summary.manifest)?;
    assert_eq!(summary.manifest, root.join("BatchComplete_20260105100000000.xml"));
    for needle in [
        "<ern-c:ManifestMessage MessageVersionId=\"ern-c/15\"",
        "<NumberOfMessages>2</NumberOfMessages>",
        "<MessageId>NJR-0001-r42</MessageId>",
        "<MessageId>NJR-0002-r7</MessageId>",
        "<URL>036000291452/036000291452.xml</URL>",
        "<ICPN IsEan=\"true\">4006381333931</ICPN>",
        "<IsTestFlag>true</IsTestFlag>",
        "<PartyId>PADPIDA2011072101T</PartyId>",
    ] {
        assert!(manifest.contains(needle), "missing {needle}\n{manifest}");
    }
    // Nothing else at the root: no leftover temporary manifest.
    let mut entries: Vec<String> = fs::read_dir(&root)?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    assert_eq!(entries, ["036000291452", "4006381333931", "BatchComplete_20260105100000000.xml"]);

    // The same batch id again is refused rather than mixed into the delivered one.
    let again = write_batch(&out, "20260105100000000", &[(xml, Vec::new())]);
    assert!(matches!(again, Err(DdexError::Batch { .. })));
    Ok(())
}

#[test]
fn wrong_hash_or_missing_file_writes_no_manifest() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let mut input = album()?;
    let mut files = with_files(&mut input, tmp.path())?;
    let xml = generate(&input, profile("generic-ern382")?)?.xml;

    // The source changed after the message was made: the copy's MD5 no longer matches.
    fs::write(&files[0].source_path, b"tampered")?;
    let err = write_batch(tmp.path(), "b1", &[(xml.clone(), files.clone())]).err().ok_or("must fail")?;
    assert!(matches!(err, DdexError::HashMismatch { .. }), "{err}");
    assert!(!tmp.path().join("b1/BatchComplete_b1.xml").exists());

    // A file the message names but nobody supplied.
    files.remove(1);
    let err = write_batch(tmp.path(), "b2", &[(xml.clone(), files.clone())]).err().ok_or("must fail")?;
    assert!(err.to_string().contains("036000291452_01_002.flac"), "{err}");

    // The same release twice.
    let mut bare = album()?;
    bare.tracks.iter_mut().for_each(|t| t.audio = None);
    bare.artwork = None;
    let bare = generate(&bare, profile("generic-ern43")?)?.xml;
    let err = write_batch(tmp.path(), "b3", &[(bare.clone(), Vec::new()), (bare, Vec::new())])
        .err()
        .ok_or("must fail")?;
    assert!(err.to_string().contains("twice"), "{err}");
    assert!(!tmp.path().join("b3").exists(), "refused before writing anything");
    Ok(())
}
