//! `GET /analytics/{revenue|consumption}/{dimension}` (NOTES 7.1; the router lowercases the path): seeded, deterministic numbers
//! in the documented envelope. The numbers mean nothing; the envelope, paging, granularity and
//! filters are what client tests exercise.

use crate::lookups;
use crate::state::State;
use crate::wire::{ApiError, ApiRequest, Page, Reply};
use serde_json::{Map, Value, json};
use time::{Date, Month};

impl State {
    pub(crate) fn analytics(
        &self,
        request: &ApiRequest,
        data_set: &str,
        dimension: &str,
    ) -> Result<Reply, ApiError> {
        if !matches!(data_set, "revenue" | "consumption") {
            return Err(ApiError::not_found(format!("Unknown analytics data set {data_set:?}.")));
        }
        let from = parse_date(request, "fromDate")?;
        let to = parse_date(request, "toDate")?;
        if to < from {
            return Err(ApiError::field("toDate", "toDate is before fromDate."));
        }
        let granularity = request.query_value("dateGranularity").filter(|g| !g.is_empty());
        let periods = periods(from, to, granularity)?;
        let release_filter: Vec<i64> =
            request.query_values("releaseIds").iter().filter_map(|v| v.parse().ok()).collect();
        let rows: Vec<(String, Map<String, Value>)> = match dimension {
            "bydistributor" => lookups::stores(self.config.store_profile)
                .iter()
                .map(|s| {
                    (format!("s{}", s.id), object(json!({"distributorId": s.id, "distributorName": s.name})))
                })
                .collect(),
            "byrelease" => self
                .releases
                .values()
                .filter(|r| release_filter.is_empty() || release_filter.contains(&r.id))
                .map(|r| {
                    (
                        format!("r{}", r.id),
                        object(json!({"releaseId": r.id, "releaseName": r.fields.get("name")})),
                    )
                })
                .collect(),
            "bytrack" => self
                .tracks
                .values()
                .map(|t| {
                    (
                        format!("t{}", t.id),
                        object(json!({"trackId": t.id, "trackName": t.fields.get("name")})),
                    )
                })
                .collect(),
            "bycountry" => ["US", "DE", "FR", "JP", "BR"]
                .iter()
                .map(|c| (format!("c{c}"), object(json!({"countryCode": c}))))
                .collect(),
            other => {
                return Err(ApiError::not_found(format!(
                    "The fake does not serve analytics dimension {other:?}."
                )));
            }
        };
        let page = Page::from_request(request, self.config.page_size_cap)?;
        let mut items = Vec::new();
        let (mut streams_total, mut downloads_total, mut revenue_total) = (0u64, 0u64, 0.0f64);
        for (date, period_key) in &periods {
            for (key, metadata) in &rows {
                let seed = fnv(&format!("{data_set}|{key}|{period_key}"));
                let streams = seed % 5_000;
                let downloads = (seed >> 20) % 40;
                let revenue = (streams as f64) * 0.0031 + (downloads as f64) * 0.7;
                streams_total += streams;
                downloads_total += downloads;
                revenue_total += revenue;
                let mut item = json!({"metadata": metadata, "streams": streams, "downloads": downloads});
                if data_set == "revenue" {
                    item["revenue"] = json!((revenue * 100.0).round() / 100.0);
                }
                if let Some(date) = date {
                    item["date"] = json!(format!("{date}T00:00:00"));
                }
                items.push(item);
            }
        }
        let mut envelope = page.envelope(items, json!({}));
        if let Some(object) = envelope.as_object_mut() {
            object.remove("additionalCounters");
            let mut totals = json!({"streamsCount": streams_total, "downloadsCount": downloads_total});
            if data_set == "revenue" {
                totals["revenue"] = json!((revenue_total * 100.0).round() / 100.0);
            }
            object.insert("totals".into(), totals);
            object.insert("fromDate".into(), json!(format!("{from}T00:00:00")));
            object.insert("toDate".into(), json!(format!("{to}T00:00:00")));
        }
        Ok(Reply::ok(envelope))
    }
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn parse_date(request: &ApiRequest, name: &str) -> Result<Date, ApiError> {
    let text = request
        .query_value(name)
        .ok_or_else(|| ApiError::field(name, format!("{name} is required (YYYY-MM-DD).")))?;
    let bad = || ApiError::field(name, format!("{name} {text:?} is not YYYY-MM-DD."));
    let mut parts = text.get(..10).ok_or_else(bad)?.split('-');
    let year: i32 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
    let month: u8 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
    let day: u8 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
    Date::from_calendar_date(year, Month::try_from(month).map_err(|_| bad())?, day).map_err(|_| bad())
}

/// `(date shown on rows, seed key)` per period; `All`/absent granularity has no `date`.
fn periods(from: Date, to: Date, granularity: Option<&str>) -> Result<Vec<(Option<Date>, String)>, ApiError> {
    let mut out = Vec::new();
    match granularity {
        None | Some("All") => out.push((None, format!("{from}..{to}"))),
        Some("Daily") => {
            let mut day = from;
            loop {
                out.push((Some(day), day.to_string()));
                match day.next_day() {
                    Some(next) if next <= to && out.len() < 1000 => day = next,
                    _ => break,
                }
            }
        }
        Some("Monthly") | Some("Yearly") => {
            let yearly = granularity == Some("Yearly");
            let mut cursor =
                Date::from_calendar_date(from.year(), if yearly { Month::January } else { from.month() }, 1)
                    .unwrap_or(from);
            while cursor <= to && out.len() < 1000 {
                out.push((Some(cursor.max(from)), cursor.to_string()));
                cursor = if yearly || cursor.month() == Month::December {
                    Date::from_calendar_date(cursor.year() + 1, Month::January, 1)
                } else {
                    Date::from_calendar_date(cursor.year(), cursor.month().next(), 1)
                }
                .map_err(|_| ApiError::bad_request("Date range out of bounds."))?;
            }
        }
        Some(other) => {
            return Err(ApiError::field(
                "dateGranularity",
                format!("dateGranularity {other:?} is not Daily, Monthly, Yearly or All."),
            ));
        }
    }
    Ok(out)
}

fn fnv(text: &str) -> u64 {
    text.bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |hash, b| (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}
