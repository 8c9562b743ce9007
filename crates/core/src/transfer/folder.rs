//! Folder import: a delivery folder of masters and artwork matched to the catalog by the
//! identifiers in the file names (ISRC for audio, UPC/EAN for artwork), attached as assets
//! and queued for media QC. Planned first: ambiguous matches and two files for one slot are
//! problems, and with problems nothing is attached.

use std::path::{Path, PathBuf};

use catno_domain::{Isrc, Upc};
use serde::{Deserialize, Serialize};

use crate::jobs::Jobs;
use crate::qc::{AssetOwner, AttachedAsset, MediaKind, qc_profile};
use crate::{Catalog, Error, Result};

const AUDIO_EXTENSIONS: &[&str] =
    &["wav", "wave", "flac", "aif", "aiff", "mp3", "m4a", "aac", "ogg", "opus", "wv"];
const ARTWORK_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "tif", "tiff", "webp"];
/// Deeper folders are not a delivery folder but a disk.
const MAX_DEPTH: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FolderFile {
    pub path: String,
    pub kind: MediaKind,
    /// `ISRC GBCTN2690001` or `UPC 5060123459999`: what in the name matched.
    pub matched_by: Option<String>,
    pub owner: Option<AssetOwner>,
    pub release_id: Option<i64>,
    /// The title of the matched track or release.
    pub title: Option<String>,
    /// Why a file did not match.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FolderProblem {
    pub path: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FolderPlan {
    pub folder: String,
    pub matched: Vec<FolderFile>,
    /// Media files whose name carries no identifier the catalog knows.
    pub unmatched: Vec<FolderFile>,
    /// Files that are not audio or artwork (PDFs, text, hidden files).
    pub ignored: Vec<String>,
    pub problems: Vec<FolderProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FolderImport {
    pub plan: FolderPlan,
    /// One per matched file, with the QC job started on it.
    pub attached: Vec<AttachedAsset>,
}

/// Identifiers in a file name: ISRCs (hyphens allowed, `GB-CTN-26-90001`) and UPC/EANs with
/// a valid check digit, in order of appearance.
pub(crate) fn identifiers(name: &str) -> (Vec<String>, Vec<String>) {
    let stem = Path::new(name).file_stem().and_then(|s| s.to_str()).unwrap_or(name);
    let mut isrcs = Vec::new();
    let mut upcs = Vec::new();
    for token in stem.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).filter(|t| !t.is_empty()) {
        let mut candidates = vec![token.replace('-', "")];
        candidates.extend(token.split('-').map(str::to_owned));
        for candidate in candidates {
            if candidate.len() == 12
                && let Ok(isrc) = Isrc::parse(&candidate)
            {
                let isrc = isrc.as_str().to_owned();
                if !isrcs.contains(&isrc) {
                    isrcs.push(isrc);
                }
            } else if candidate.chars().all(|c| c.is_ascii_digit())
                && (12..=14).contains(&candidate.len())
                && let Ok(upc) = Upc::parse(&candidate)
            {
                let upc = upc.as_str().to_owned();
                if !upcs.contains(&upc) {
                    upcs.push(upc);
                }
            }
        }
    }
    (isrcs, upcs)
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<()> {
    let io = |e: std::io::Error| Error::Io { path: dir.display().to_string(), message: e.to_string() };
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).map_err(io)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if depth < MAX_DEPTH {
                walk(&path, depth + 1, out)?;
            }
        } else {
            out.push(path);
        }
    }
    Ok(())
}

impl Catalog {
    /// The dry run of [`Catalog::import_folder`]: what each file would become. Writes nothing.
    pub async fn plan_folder_import(&self, folder: &Path) -> Result<FolderPlan> {
        if !folder.is_dir() {
            return Err(Error::Io { path: folder.display().to_string(), message: "not a folder".into() });
        }
        let mut files = Vec::new();
        walk(folder, 0, &mut files)?;
        let mut plan = FolderPlan {
            folder: folder.display().to_string(),
            matched: Vec::new(),
            unmatched: Vec::new(),
            ignored: Vec::new(),
            problems: Vec::new(),
        };
        let mut conn = self.db().read().await?;
        for path in files {
            let display = path.display().to_string();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
            let kind = if name.starts_with('.') {
                None
            } else if AUDIO_EXTENSIONS.contains(&ext.as_str()) {
                Some(MediaKind::Audio)
            } else if ARTWORK_EXTENSIONS.contains(&ext.as_str()) {
                Some(MediaKind::Artwork)
            } else {
                None
            };
            let Some(kind) = kind else {
                plan.ignored.push(display);
                continue;
            };
            let mut file = FolderFile {
                path: display.clone(),
                kind,
                matched_by: None,
                owner: None,
                release_id: None,
                title: None,
                reason: None,
            };
            let (isrcs, upcs) = identifiers(&name);
            if isrcs.len() > 1 || upcs.len() > 1 {
                plan.problems.push(FolderProblem {
                    path: display,
                    message: format!(
                        "the name carries several identifiers ({}); keep one",
                        isrcs.iter().chain(&upcs).cloned().collect::<Vec<_>>().join(", ")
                    ),
                });
                continue;
            }
            // Audio belongs to a recording (ISRC); artwork to a product (UPC), else a track.
            let by_isrc = match (kind, isrcs.first(), upcs.first()) {
                (MediaKind::Artwork, _, Some(_)) => None,
                (_, Some(isrc), _) => Some(isrc.clone()),
                _ => None,
            };
            if let Some(isrc) = by_isrc {
                let tracks = catno_db::tracks_by_isrc(&mut conn, &isrc).await?;
                file.matched_by = Some(format!("ISRC {isrc}"));
                match tracks.as_slice() {
                    [] => file.reason = Some(format!("no track has ISRC {isrc}")),
                    [(id, title, release_id)] => {
                        file.owner = Some(AssetOwner::Track { id: *id });
                        file.release_id = *release_id;
                        file.title = Some(title.clone());
                    }
                    several => plan.problems.push(FolderProblem {
                        path: display.clone(),
                        message: format!(
                            "ISRC {isrc} is on {} tracks ({}); attach it from the track instead",
                            several.len(),
                            several.iter().map(|t| t.0.to_string()).collect::<Vec<_>>().join(", ")
                        ),
                    }),
                }
            } else if let Some(upc) = upcs.first() {
                file.matched_by = Some(format!("UPC {upc}"));
                match catno_db::release_id_by_upc(&mut conn, upc).await? {
                    Some(id) => {
                        let release = catno_db::get_release(&mut conn, id).await?;
                        if kind == MediaKind::Audio {
                            file.reason = Some(format!(
                                "audio named by UPC {upc} only; add the track's ISRC to the name"
                            ));
                        } else {
                            file.owner = Some(AssetOwner::Release { id });
                            file.release_id = Some(id);
                            file.title = Some(release.title);
                        }
                    }
                    None => file.reason = Some(format!("no release has UPC {upc}")),
                }
            } else {
                file.reason = Some("no ISRC or UPC/EAN in the file name".into());
            }
            if file.owner.is_some() {
                plan.matched.push(file);
            } else if file.matched_by.is_some() || file.reason.is_some() {
                plan.unmatched.push(file);
            }
        }
        // One master per track and one cover per release and kind.
        for (index, file) in plan.matched.iter().enumerate() {
            if let Some(first) =
                plan.matched[..index].iter().find(|f| f.owner == file.owner && f.kind == file.kind)
            {
                plan.problems.push(FolderProblem {
                    path: file.path.clone(),
                    message: format!(
                        "{} for the same {} as {}; keep one",
                        file.kind.as_str(),
                        match file.owner {
                            Some(AssetOwner::Release { .. }) => "release",
                            _ => "track",
                        },
                        first.path
                    ),
                });
            }
        }
        Ok(plan)
    }

    /// Attaches every matched file of `folder` and starts its QC (`profile_id`) on `jobs`.
    /// Refused, attaching nothing, when the plan has problems.
    pub async fn import_folder(&self, jobs: &Jobs, folder: &Path, profile_id: &str) -> Result<FolderImport> {
        qc_profile(profile_id)?;
        let plan = self.plan_folder_import(folder).await?;
        if let Some(first) = plan.problems.first() {
            return Err(Error::Invalid(format!(
                "{}: {} problem(s), nothing attached; first: {}: {}",
                folder.display(),
                plan.problems.len(),
                first.path,
                first.message
            )));
        }
        let mut attached = Vec::with_capacity(plan.matched.len());
        for file in &plan.matched {
            let Some(owner) = file.owner else { continue };
            attached.push(self.attach_asset(jobs, owner, Path::new(&file.path), profile_id).await?);
        }
        Ok(FolderImport { plan, attached })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_in_file_names() {
        assert_eq!(identifiers("01 GBCTN2690001 First Light.wav"), (vec!["GBCTN2690001".into()], vec![]));
        assert_eq!(identifiers("GB-CTN-26-90001.flac"), (vec!["GBCTN2690001".into()], vec![]));
        assert_eq!(identifiers("5060123459999_cover.jpg"), (vec![], vec!["5060123459999".into()]));
        assert_eq!(identifiers("5060123459999-01-GBCTN2690001.wav").0, vec!["GBCTN2690001".to_owned()]);
        assert_eq!(identifiers("5060123459991.jpg").1, Vec::<String>::new(), "bad check digit");
        assert_eq!(identifiers("notes.wav"), (vec![], vec![]));
    }
}
