//! `catno rights`: show, set and explain a release's territory rights.

use std::path::Path;

use catno_core::rights::engine::{
    ReleaseRights, RightsEdit, RightsError, Rule, RuleRef, StoreId, Territory, TerritoryGroups, TrackKey,
    Use, parse_date, parse_territories,
};
use catno_core::rights::{status_word, track_key};
use clap::{Args, Subcommand};

use crate::Failure;
use crate::output::{Output, Table};

/// Stores that no store-scoped rule names answer like this one: the answer "on any other store".
const ANY_STORE: &str = "any-store";

#[derive(Subcommand)]
pub enum RightsCommand {
    /// The rules of a release (or of one track), and subset-rule violations.
    Show {
        #[arg(long)]
        release: i64,
        /// 1-based position of the track on the release.
        #[arg(long)]
        track: Option<u32>,
    },
    /// Add a rule: `catno rights set --release 3 --exclude JP,DE --store spotify`.
    Set(SetArgs),
    /// Remove rule K (as numbered by `show`).
    Remove {
        #[arg(long)]
        release: i64,
        #[arg(long)]
        track: Option<u32>,
        #[arg(long)]
        rule: usize,
    },
    /// Whether a track is available in a territory, and which rule decided.
    Explain {
        #[arg(long)]
        release: i64,
        #[arg(long)]
        track: Option<u32>,
        #[arg(long)]
        territory: String,
        /// Default: any store that no store-specific rule names.
        #[arg(long)]
        store: Option<String>,
        /// subscription, ad-supported, download or ugc (default: subscription).
        #[arg(long = "use")]
        usage: Option<String>,
        /// YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
    },
    /// Territory groups (built-in and the label's own).
    Groups,
    /// Define or redefine a territory group: `catno rights group Launch JP,KR,TW`.
    Group { name: String, territories: String },
}

#[derive(Args)]
pub struct SetArgs {
    #[arg(long)]
    release: i64,
    #[arg(long)]
    track: Option<u32>,
    /// Territories to make available: codes, groups or Worldwide.
    #[arg(long, conflicts_with = "exclude", required_unless_present = "exclude")]
    include: Option<String>,
    /// Territories to withhold.
    #[arg(long)]
    exclude: Option<String>,
    #[arg(long)]
    store: Option<String>,
    #[arg(long = "use")]
    usage: Option<String>,
    /// Street date in these territories.
    #[arg(long)]
    start: Option<String>,
    /// Last day available.
    #[arg(long)]
    end: Option<String>,
    /// First day of pre-order.
    #[arg(long)]
    preorder: Option<String>,
}

pub async fn run(path: &Path, command: RightsCommand, out: &Output) -> Result<(), Failure> {
    let catalog = crate::open_catalog(path).await?;
    match command {
        RightsCommand::Show { release, track } => {
            let view = catalog.rights(release).await?;
            let key = track.map(|p| track_key(&view.rights, p)).transpose()?;
            print_rules(out, &view.rights, key, &view);
        }
        RightsCommand::Set(args) => {
            let (_, groups, _) = catalog.rights_inputs(args.release).await?;
            let rule = rule_from_args(&args, &groups)?;
            let edit = match args.track {
                None => RightsEdit::AddReleaseRule { rule },
                Some(position) => {
                    let (rights, _, _) = catalog.rights_inputs(args.release).await?;
                    RightsEdit::AddTrackRule { track: track_key(&rights, position)?, rule }
                }
            };
            let view = catalog.edit_rights(args.release, edit).await?;
            let key = args.track.map(|p| track_key(&view.rights, p)).transpose()?;
            print_rules(out, &view.rights, key, &view);
        }
        RightsCommand::Remove { release, track, rule } => {
            let (rights, _, _) = catalog.rights_inputs(release).await?;
            let key = track.map(|p| track_key(&rights, p)).transpose()?;
            let index = rule.checked_sub(1).ok_or_else(|| Failure::Usage("--rule counts from 1".into()))?;
            let view = catalog
                .edit_rights(release, RightsEdit::Remove { at: RuleRef { track: key, index } })
                .await?;
            print_rules(out, &view.rights, key, &view);
        }
        RightsCommand::Explain { release, track, territory, store, usage, date } => {
            let territory =
                Territory::parse(&territory).map_err(|e| Failure::Usage(format!("--territory: {e}")))?;
            let store = StoreId::parse(store.as_deref().unwrap_or(ANY_STORE))
                .map_err(|e| Failure::Usage(format!("--store: {e}")))?;
            let usage = usage
                .map(|u| Use::parse(&u))
                .transpose()
                .map_err(|e| Failure::Usage(format!("--use: {e}")))?
                .unwrap_or(Use::SubscriptionStream);
            let date = match date {
                Some(d) => parse_date(&d).map_err(|e| Failure::Usage(format!("--date: {e}")))?,
                None => time::OffsetDateTime::now_utc().date(),
            };
            let answer = catalog.explain_rights(release, track, territory, store, usage, date).await?;
            let subject = track.map_or("the release".to_owned(), |p| format!("track {p}"));
            let store_name = if answer.store.as_str() == ANY_STORE {
                "any store without rules of its own".to_owned()
            } else {
                answer.store.to_string()
            };
            out.detail(
                &answer,
                &format!(
                    "{}: {subject} in {} on {} for {} on {}\n{}",
                    status_word(answer.decision.status),
                    answer.territory,
                    store_name,
                    answer.usage,
                    answer.date,
                    answer.decision.reason
                ),
            );
            if !answer.decision.available {
                return Err(Failure::Findings);
            }
        }
        RightsCommand::Groups => {
            let groups = catalog.rights_vocabulary().await?.groups;
            out.list(
                &groups,
                Table::new(
                    &["GROUP", "SOURCE", "TERRITORIES"],
                    groups.iter().map(|g| {
                        vec![
                            g.name.clone(),
                            if g.builtin { "built-in" } else { "label" }.to_owned(),
                            g.territories.iter().map(|t| t.code()).collect::<Vec<_>>().join(" "),
                        ]
                    }),
                ),
            );
        }
        RightsCommand::Group { name, territories } => {
            let codes: Vec<String> =
                territories.split([',', ' ']).filter(|c| !c.is_empty()).map(str::to_owned).collect();
            let group = catalog.define_territory_group(&name, &codes).await?;
            out.message(&group, &format!("group {} = {}", group.name, codes.join(" ")));
        }
    }
    Ok(())
}

fn rule_from_args(args: &SetArgs, groups: &TerritoryGroups) -> Result<Rule, Failure> {
    let bad = |flag: &'static str| move |e: RightsError| Failure::Usage(format!("{flag}: {e}"));
    let mut rule = match (&args.include, &args.exclude) {
        (Some(include), _) => Rule::include(parse_territories(include, groups).map_err(bad("--include"))?),
        (None, Some(exclude)) => Rule::exclude(parse_territories(exclude, groups).map_err(bad("--exclude"))?),
        (None, None) => return Err(Failure::Usage("give --include or --exclude".into())),
    };
    if let Some(store) = &args.store {
        rule = rule.on_store(StoreId::parse(store).map_err(bad("--store"))?);
    }
    if let Some(usage) = &args.usage {
        rule = rule.for_use(Use::parse(usage).map_err(bad("--use"))?);
    }
    if let Some(start) = &args.start {
        rule = rule.starting(parse_date(start).map_err(bad("--start"))?);
    }
    if let Some(end) = &args.end {
        rule = rule.ending(parse_date(end).map_err(bad("--end"))?);
    }
    if let Some(preorder) = &args.preorder {
        rule = rule.preorder_from(parse_date(preorder).map_err(bad("--preorder"))?);
    }
    rule.validate().map_err(|e| Failure::Usage(e.to_string()))?;
    Ok(rule)
}

fn print_rules(
    out: &Output,
    rights: &ReleaseRights,
    track: Option<TrackKey>,
    view: &catno_core::rights::RightsView,
) {
    if out.json {
        out.detail(view, "");
        return;
    }
    let rules = match track {
        None => &rights.release[..],
        Some(key) => rights.rules_of(key),
    };
    let subject = match track.and_then(|k| view.tracks.iter().find(|t| t.track_id == k.0)) {
        Some(t) => format!("track {} ({})", t.position, t.title),
        None => "release".to_owned(),
    };
    if rules.is_empty() {
        println!(
            "{subject}: no rules ({})",
            if track.is_some() { "follows the release" } else { "available worldwide" }
        );
    } else {
        println!("{subject}:");
        for (index, rule) in rules.iter().enumerate() {
            println!("  #{} {}", index + 1, rule.describe());
        }
    }
    for violation in &view.violations {
        println!("violation: {}", violation.message);
    }
}
