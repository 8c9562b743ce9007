//! XSD validation through libxml2 (Rust has no complete XSD validator). A [`SchemaValidator`]
//! parses the schema once (the 4.3 AVS alone is 3 MB) and validates any number of messages.
//! libxml2 does not resolve `xs:IDREF`s in element content, so [`check_references`] does
//! what the schema cannot.

use std::collections::BTreeMap;
use std::path::Path;

use libxml::parser::Parser;
use libxml::schemas::{SchemaParserContext, SchemaValidationContext};

use crate::check::Finding;
use crate::dom::{self, Element};
use crate::error::DdexError;
use crate::profile::ErnVersion;

/// One loaded schema. Holds libxml2 pointers, so it is not `Send`: keep one per thread (or
/// behind the thread that validates), and reuse it for every message.
pub struct SchemaValidator {
    context: SchemaValidationContext,
    schema: String,
}

impl std::fmt::Debug for SchemaValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchemaValidator").field("schema", &self.schema).finish()
    }
}

impl SchemaValidator {
    /// Loads `release-notification.xsd` of `version` from a folder laid out like
    /// `CATNO_DDEX_SCHEMAS` (`ern43/`, `ern382/`).
    pub fn for_version(schemas_dir: &Path, version: ErnVersion) -> Result<Self, DdexError> {
        Self::from_file(&schemas_dir.join(version.schema_folder()).join("release-notification.xsd"))
    }

    /// Loads one XSD; its imports are resolved relative to it (offline).
    pub fn from_file(path: &Path) -> Result<Self, DdexError> {
        let schema = path.display().to_string();
        if !path.is_file() {
            return Err(DdexError::Schema { path: schema, message: "no such file".to_owned() });
        }
        let mut parser = SchemaParserContext::from_file(&schema);
        let context =
            SchemaValidationContext::from_parser(&mut parser).map_err(|errors| DdexError::Schema {
                path: schema.clone(),
                message: errors
                    .iter()
                    .filter_map(|e| e.message.as_deref())
                    .map(str::trim)
                    .collect::<Vec<_>>()
                    .join("; "),
            })?;
        Ok(SchemaValidator { context, schema })
    }

    /// Validates one message; an empty list means valid. Each schema error becomes an error
    /// finding with field `xml:line N`.
    pub fn validate(&mut self, xml: &str) -> Result<Vec<Finding>, DdexError> {
        let doc = Parser::default().parse_string(xml).map_err(|e| DdexError::Parse {
            context: format!("validating against {}", self.schema),
            message: e.to_string(),
        })?;
        match self.context.validate_document(&doc) {
            Ok(()) => Ok(Vec::new()),
            Err(errors) => Ok(errors
                .into_iter()
                .map(|e| {
                    let field = e.line.map(|l| format!("xml:line {l}")).unwrap_or_else(|| "xml".to_owned());
                    Finding::error(field, e.message.as_deref().unwrap_or("schema error").trim().to_owned())
                })
                .collect()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum RefKind {
    Party,
    Resource,
    Release,
    Technical,
}

/// Element name -> (kind, is a declaration).
fn ref_role(element: &str, parent: &str) -> Option<(RefKind, bool)> {
    Some(match element {
        "PartyReference" if parent == "Party" => (RefKind::Party, true),
        "ResourceReference" => (RefKind::Resource, true),
        "ReleaseReference" if matches!(parent, "Release" | "TrackRelease" | "ClipRelease") => {
            (RefKind::Release, true)
        }
        "TechnicalResourceDetailsReference" => (RefKind::Technical, true),
        "ArtistPartyReference" | "ContributorPartyReference" | "ReleaseLabelReference" => {
            (RefKind::Party, false)
        }
        "ReleaseResourceReference" | "LinkedReleaseResourceReference" => (RefKind::Resource, false),
        "DealReleaseReference" | "ResourceGroupReleaseReference" => (RefKind::Release, false),
        _ => return None,
    })
}

fn walk<'a>(el: &'a Element<'a>, parent: &str, out: &mut Vec<(RefKind, bool, &'a str, &'a str)>) {
    if let Some((kind, declares)) = ref_role(el.name, parent) {
        out.push((kind, declares, el.name, el.text.trim()));
    }
    for c in el.children {
        walk(c, el.name, out);
    }
}

/// Reference integrity of an ERN message (either version): every used Party/Resource/Release
/// reference is declared, none is declared twice, and every resource is used by a release.
pub fn check_references(xml: &str) -> Result<Vec<Finding>, DdexError> {
    let arena = bumpalo::Bump::new();
    let root = dom::parse(xml, &arena)?;
    let mut refs = Vec::new();
    walk(&root, "", &mut refs);
    let mut declared: BTreeMap<(RefKind, &str), usize> = BTreeMap::new();
    for (kind, _, _, value) in refs.iter().filter(|r| r.1) {
        *declared.entry((*kind, *value)).or_default() += 1;
    }
    let mut findings = Vec::new();
    for ((_, value), count) in &declared {
        if *count > 1 {
            findings.push(Finding::error(
                format!("xml:{value}"),
                format!("reference {value} is declared {count} times"),
            ));
        }
    }
    for (kind, _, element, value) in refs.iter().filter(|r| !r.1) {
        if !declared.contains_key(&(*kind, *value)) {
            findings.push(Finding::error(
                format!("xml:{element}={value}"),
                format!("{element} {value} points at nothing"),
            ));
        }
    }
    for (kind, value) in declared.keys() {
        let used = refs.iter().any(|(k, declares, _, v)| !declares && k == kind && v == value);
        if *kind == RefKind::Resource && !used {
            findings.push(Finding::warning(
                format!("xml:ResourceReference={value}"),
                format!("resource {value} is in no release"),
            ));
        }
    }
    Ok(findings)
}
