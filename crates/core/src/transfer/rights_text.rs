//! Territory rules as one cell of text: the sentence `Rule::describe` prints, rules `;` apart,
//! so the template's `rights` and `track_rights` columns read as they are written back:
//! `include Worldwide on all stores; exclude DE, AT on spotify`,
//! `include JP on all stores for download from 2026-03-01 through 2027-02-28, pre-order from 2026-02-01`.

use catno_rights::{Rule, StoreId, TerritoryGroups, Use};

pub(crate) fn format_rules(rules: &[Rule]) -> String {
    rules.iter().map(Rule::describe).collect::<Vec<_>>().join("; ")
}

/// Every rule of a cell, each checked on its own; `Err` names the rule that is refused.
pub(crate) fn parse_rules(text: &str, groups: &TerritoryGroups) -> Result<Vec<Rule>, String> {
    text.split(';')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| parse_rule(part, groups).map_err(|e| format!("\"{part}\": {e}")))
        .collect()
}

const KEYWORDS: [&str; 5] = ["on", "for", "from", "through", "preorder"];

fn parse_rule(text: &str, groups: &TerritoryGroups) -> Result<Rule, String> {
    let normalized = text.replace(", pre-order from", " preorder").replace(" pre-order from", " preorder");
    let mut tokens = normalized.split_whitespace().peekable();
    let kind = tokens.next().unwrap_or_default().to_ascii_lowercase();
    let mut territories = Vec::new();
    while let Some(token) = tokens.peek() {
        if KEYWORDS.contains(&token.to_ascii_lowercase().as_str()) {
            break;
        }
        territories.push(*token);
        tokens.next();
    }
    let territories =
        catno_rights::parse_territories(&territories.join(" "), groups).map_err(|e| e.to_string())?;
    let mut rule = match kind.as_str() {
        "include" => Rule::include(territories),
        "exclude" => Rule::exclude(territories),
        other => return Err(format!("starts with \"{other}\"; a rule starts with include or exclude")),
    };
    while let Some(keyword) = tokens.next() {
        let mut value = || tokens.next().ok_or_else(|| format!("\"{keyword}\" needs a value"));
        match keyword.to_ascii_lowercase().as_str() {
            "on" => {
                let store = value()?;
                if store.eq_ignore_ascii_case("all") {
                    match tokens.next() {
                        Some(s) if s.eq_ignore_ascii_case("stores") => {}
                        _ => return Err("write \"on all stores\" or \"on STORE\"".into()),
                    }
                } else {
                    rule = rule.on_store(StoreId::parse(store).map_err(|e| e.to_string())?);
                }
            }
            "for" => rule = rule.for_use(Use::parse(value()?).map_err(|e| e.to_string())?),
            "from" => rule = rule.starting(date(value()?)?),
            "through" => rule = rule.ending(date(value()?)?),
            "preorder" => rule = rule.preorder_from(date(value()?)?),
            other => return Err(format!("\"{other}\" is not on/for/from/through/pre-order from")),
        }
    }
    rule.validate().map_err(|e| e.to_string())?;
    Ok(rule)
}

fn date(text: &str) -> Result<time::Date, String> {
    catno_rights::parse_date(text.trim_end_matches(',')).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use catno_rights::{Territory, TerritoryRef};

    #[test]
    fn described_rules_parse_back() {
        let groups = TerritoryGroups::default();
        let jp = Territory::parse("JP").expect("JP");
        let de = Territory::parse("DE").expect("DE");
        let day = |t: &str| catno_rights::parse_date(t).expect("date");
        let rules = vec![
            Rule::include([TerritoryRef::Worldwide]),
            Rule::exclude([TerritoryRef::Code(de)]).on_store(StoreId::parse("spotify").expect("store")),
            Rule::include([TerritoryRef::Code(jp)])
                .for_use(Use::Download)
                .starting(day("2026-03-01"))
                .ending(day("2027-02-28"))
                .preorder_from(day("2026-02-01")),
        ];
        let text = format_rules(&rules);
        assert_eq!(parse_rules(&text, &groups).expect("parse"), rules, "{text}");
        assert!(parse_rules("include XX", &groups).is_err());
        assert!(parse_rules("exclude DE from 2026-01-01", &groups).is_err(), "dates on exclude");
        assert!(parse_rules("allow DE", &groups).is_err());
        assert_eq!(parse_rules("exclude de, at", &groups).expect("short form").len(), 1);
    }
}
