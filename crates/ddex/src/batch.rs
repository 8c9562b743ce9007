//! SFTP batch packaging per the DDEX ERN choreography (batch profile): one folder per release
//! holding `<ReleaseId>.xml` and `resources/`, and `BatchComplete_<BatchId>.xml` written last,
//! so a recipient that sees the manifest can trust everything else is complete.
//!
//! Everything the manifest says (message ids, release ids, parties) is read back from the ERN
//! messages themselves, so manifest and messages cannot disagree.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use md5::{Digest, Md5};

use crate::dom::{self, Element};
use crate::error::DdexError;
use crate::xml::Xml;

/// A file to deliver: copied from `source_path` to `resources/<file_name>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceFile {
    pub source_path: PathBuf,
    pub file_name: String,
    /// Lowercase hex MD5 the message declares; the copy is checked against it.
    pub md5: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchSummary {
    /// `<dir>/<batch_id>`.
    pub root: PathBuf,
    pub manifest: PathBuf,
    /// Release folder names (ICPNs), in delivery order.
    pub releases: Vec<String>,
}

struct MessageFacts {
    message_type: String,
    message_id: String,
    release_id: String,
    sender: (String, String),
    recipient: (String, String),
    created: String,
    test: bool,
    /// (file name, declared MD5 if any)
    files: Vec<(String, Option<String>)>,
}

fn party(root: &Element, tag: &str) -> (String, String) {
    let p = root.at(&["MessageHeader", tag]);
    let id = p.and_then(|p| p.child_text("PartyId")).unwrap_or_default().trim().to_owned();
    let name = p
        .and_then(|p| p.at(&["PartyName", "FullName"]))
        .map(|e| e.text.trim().to_owned())
        .unwrap_or_default();
    (id, name)
}

fn facts(xml: &str, index: usize) -> Result<MessageFacts, DdexError> {
    let arena = bumpalo::Bump::new();
    let root = dom::parse(xml, &arena)?;
    let field =
        |what: &str| DdexError::invalid(format!("releases[{index}]"), format!("the message has no {what}"));
    let message_id = root
        .at(&["MessageHeader", "MessageId"])
        .map(|e| e.text.trim().to_owned())
        .ok_or_else(|| field("MessageId"))?;
    let release_id = match root.name {
        "PurgeReleaseMessage" => root.at(&["PurgedRelease", "ReleaseId", "ICPN"]),
        _ => root
            .child("ReleaseList")
            .and_then(|l| l.children_named("Release").find_map(|r| r.at(&["ReleaseId", "ICPN"]))),
    }
    .map(|e| e.text.trim().to_owned())
    .ok_or_else(|| field("main release ICPN"))?;
    let mut file_elements = Vec::new();
    root.descendants("File", &mut file_elements);
    let mut files = Vec::new();
    for f in file_elements {
        // 4.3 writes URI `resources/<name>`; 3.8.2 FileName + FilePath `resources/`.
        let name = f.child_text("FileName").or_else(|| f.child_text("URI")).unwrap_or_default().trim();
        let name = name.strip_prefix("resources/").unwrap_or(name).to_owned();
        let hash =
            f.child("HashSum").and_then(|h| h.child_text("HashSumValue").or_else(|| h.child_text("HashSum")));
        files.push((name, hash.map(|h| h.trim().to_ascii_lowercase())));
    }
    Ok(MessageFacts {
        message_type: root.name.to_owned(),
        message_id,
        release_id,
        sender: party(&root, "MessageSender"),
        recipient: party(&root, "MessageRecipient"),
        created: root
            .at(&["MessageHeader", "MessageCreatedDateTime"])
            .map(|e| e.text.trim().to_owned())
            .unwrap_or_default(),
        test: root
            .at(&["MessageHeader", "MessageControlType"])
            .is_some_and(|e| e.text.trim() == "TestMessage"),
        files,
    })
}

fn is_safe_name(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// Lowercase hex MD5 of a file, streamed.
pub(crate) fn md5_file(path: &Path) -> Result<String, DdexError> {
    let mut file = fs::File::open(path).map_err(|e| DdexError::io(path, e))?;
    let mut hasher = Md5::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).map_err(|e| DdexError::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// Writes `<dir>/<batch_id>/`: per release `<ICPN>/<ICPN>.xml` and `<ICPN>/resources/*`
/// (copied, MD5-checked against both the given and the declared hash), then
/// `BatchComplete_<batch_id>.xml` last. Refuses an existing batch folder, a release twice,
/// messages of different sender/recipient, and files the message does not name (or named
/// files not supplied). On error the batch has no manifest, so recipients ignore it.
pub fn write_batch(
    dir: &Path,
    batch_id: &str,
    releases: &[(String, Vec<ResourceFile>)],
) -> Result<BatchSummary, DdexError> {
    let batch_err = |message: String| DdexError::Batch { batch: batch_id.to_owned(), message };
    if !is_safe_name(batch_id) {
        return Err(batch_err("a batch id is letters, digits, '_', '-' and '.' only".to_owned()));
    }
    if releases.is_empty() {
        return Err(batch_err("a batch needs at least one message".to_owned()));
    }
    let mut all = Vec::with_capacity(releases.len());
    for (i, (xml, files)) in releases.iter().enumerate() {
        let f = facts(xml, i)?;
        if !is_safe_name(&f.release_id) {
            return Err(batch_err(format!("release id {:?} cannot name a folder", f.release_id)));
        }
        if all.iter().any(|(g, _, _): &(MessageFacts, _, _)| g.release_id == f.release_id) {
            return Err(batch_err(format!(
                "release {} appears twice; a batch carries each release once",
                f.release_id
            )));
        }
        if let Some((first, _, _)) = all.first()
            && (first.sender.0 != f.sender.0 || first.recipient.0 != f.recipient.0)
        {
            return Err(batch_err(format!(
                "message for {} has another sender or recipient than the first",
                f.release_id
            )));
        }
        for (name, _) in &f.files {
            if !files.iter().any(|r| &r.file_name == name) {
                return Err(batch_err(format!(
                    "release {}: the message names {name} but no such file was supplied",
                    f.release_id
                )));
            }
        }
        for r in files {
            if !is_safe_name(&r.file_name) {
                return Err(batch_err(format!("{:?} is not a plain file name", r.file_name)));
            }
            match f.files.iter().find(|(name, _)| name == &r.file_name) {
                None => {
                    return Err(batch_err(format!(
                        "release {}: {} is not named in the message",
                        f.release_id, r.file_name
                    )));
                }
                Some((_, Some(declared))) if *declared != r.md5.to_ascii_lowercase() => {
                    return Err(DdexError::HashMismatch {
                        file: r.file_name.clone(),
                        expected: declared.clone(),
                        actual: r.md5.clone(),
                    });
                }
                Some(_) => {}
            }
        }
        all.push((f, xml, files));
    }

    let root = dir.join(batch_id);
    if root.exists() {
        return Err(batch_err(format!("{} already exists", root.display())));
    }
    let mut names = Vec::new();
    for (f, xml, files) in &all {
        let release_dir = root.join(&f.release_id);
        let resources = release_dir.join("resources");
        fs::create_dir_all(&resources).map_err(|e| DdexError::io(&resources, e))?;
        for r in files.iter() {
            let target = resources.join(&r.file_name);
            fs::copy(&r.source_path, &target).map_err(|e| DdexError::io(&r.source_path, e))?;
            let actual = md5_file(&target)?;
            if actual != r.md5.to_ascii_lowercase() {
                return Err(DdexError::HashMismatch {
                    file: r.source_path.display().to_string(),
                    expected: r.md5.clone(),
                    actual,
                });
            }
        }
        let message = release_dir.join(format!("{}.xml", f.release_id));
        fs::write(&message, xml.as_bytes()).map_err(|e| DdexError::io(&message, e))?;
        names.push(f.release_id.clone());
    }

    let manifest_xml = manifest(batch_id, &all.iter().map(|(f, _, _)| f).collect::<Vec<_>>())?;
    let manifest = root.join(format!("BatchComplete_{batch_id}.xml"));
    // Written under a temporary name and renamed, so the manifest never appears half-written.
    let partial = root.join(format!(".BatchComplete_{batch_id}.xml.part"));
    fs::write(&partial, manifest_xml.as_bytes()).map_err(|e| DdexError::io(&partial, e))?;
    fs::rename(&partial, &manifest).map_err(|e| DdexError::io(&manifest, e))?;
    Ok(BatchSummary { root, manifest, releases: names })
}

/// The ERN choreography `ManifestMessage` (ern-c 1.5 shape, as real batch senders write it).
fn manifest(batch_id: &str, messages: &[&MessageFacts]) -> Result<String, DdexError> {
    let first = messages
        .first()
        .ok_or_else(|| DdexError::Batch { batch: batch_id.to_owned(), message: "empty".to_owned() })?;
    // The latest message time keeps the manifest deterministic for the same messages.
    let created = messages.iter().map(|m| m.created.as_str()).max().unwrap_or_default();
    let mut x = Xml::new();
    x.open(
        "ern-c:ManifestMessage",
        &[
            ("MessageVersionId", "ern-c/15"),
            ("xmlns:ern-c", "http://ddex.net/xml/ern-c/15"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://ddex.net/xml/ern-c/15 http://ddex.net/xml/ern-c/15/ern-choreography.xsd",
            ),
        ],
    );
    x.open("MessageHeader", &[]);
    for (tag, (id, name)) in [("MessageSender", &first.sender), ("MessageRecipient", &first.recipient)] {
        x.open(tag, &[]);
        x.leaf("PartyId", id);
        x.open("PartyName", &[]);
        x.leaf("FullName", name);
        x.close("PartyName");
        x.close(tag);
    }
    x.leaf("MessageCreatedDateTime", created);
    x.close("MessageHeader");
    x.leaf("IsTestFlag", if messages.iter().any(|m| m.test) { "true" } else { "false" });
    x.leaf("RootDirectory", batch_id);
    x.leaf("NumberOfMessages", &messages.len().to_string());
    for m in messages {
        x.open("MessageInBatch", &[]);
        x.leaf("MessageType", &m.message_type);
        x.leaf("MessageId", &m.message_id);
        x.leaf("URL", &format!("{0}/{0}.xml", m.release_id));
        x.open("IncludedReleaseId", &[]);
        x.leaf_with(
            "ICPN",
            &[("IsEan", if m.release_id.len() == 12 { "false" } else { "true" })],
            &m.release_id,
        );
        x.close("IncludedReleaseId");
        x.leaf("DeliveryType", "NewReleaseDelivery");
        x.leaf("ProductType", "AudioProduct");
        x.close("MessageInBatch");
    }
    x.close("ern-c:ManifestMessage");
    x.finish()
}
