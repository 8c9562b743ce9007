//! Performance figures for the rights engine (run with `cargo bench -p catno-rights`).
//!
//! Targets: effective availability for 100 tracks x 249 territories x 10 stores x 4 uses
//! <= 5 ms; compiling a 30-track release to DDEX deals for one store <= 1 ms.
//! A plain timing binary (no criterion) keeps the dependency tree small; it reports the
//! median and the best of many runs.
#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use catno_rights::*;

fn refs(text: &str) -> Vec<TerritoryRef> {
    parse_territories(text, &TerritoryGroups::new()).expect("bench territories")
}

fn store(id: &str) -> StoreId {
    StoreId::parse(id).expect("bench store")
}

/// A deliberately busy release: dated release rules, store- and use-scoped rules, and an
/// override on every track (the worst case: no track can reuse the release's rows).
fn release(track_count: i64) -> ReleaseRights {
    let date = |text| parse_date(text).expect("bench date");
    let mut rights = ReleaseRights::new((1..=track_count).map(TrackKey));
    rights.release = vec![
        Rule::include(refs("Worldwide")).starting(date("2027-01-15")).preorder_from(date("2026-12-01")),
        Rule::include(refs("JP, KR")).starting(date("2027-01-20")),
        Rule::exclude(refs("EU")).on_store(store("tiktok")),
        Rule::exclude(refs("Worldwide")).for_use(Use::Download).on_store(store("spotify")),
        Rule::include(refs("US, CA")).starting(date("2027-01-15")).ending(date("2029-12-31")),
        Rule::exclude(refs("DACH, CN, RU")),
    ];
    for key in 1..=track_count {
        let rules = rights.rules_of_mut(TrackKey(key));
        match key % 3 {
            0 => rules.push(Rule::exclude(refs("JP, DE, AT, CH, NL, AU, NZ"))),
            1 => rules.push(Rule::include(refs("Worldwide")).starting(date("2027-02-01"))),
            _ => {
                rules.push(Rule::exclude(refs("Nordics")).on_store(store("deezer")));
                rules.push(
                    Rule::include(refs("BR, MX")).for_use(Use::SubscriptionStream).ending(date("2028-06-30")),
                );
            }
        }
    }
    rights
}

/// Nothing can be shared: every (store, use) row of the release differs, every track has dated
/// rules scoped to every store, so every cell is an intersection of two dated windows.
fn adversarial(track_count: i64, stores: &[StoreId]) -> ReleaseRights {
    let date = |day: i64| parse_date("2027-01-01").expect("bench date") + time::Duration::days(day);
    let codes: Vec<Territory> = Territory::all().collect();
    let mut rights = ReleaseRights::new((1..=track_count).map(TrackKey));
    rights.release.push(Rule::include(refs("Worldwide")).starting(date(0)).ending(date(900)));
    for (i, store_id) in stores.iter().enumerate() {
        for (j, usage) in Use::ALL.into_iter().enumerate() {
            let code = TerritoryRef::Code(codes[(i * 4 + j) * 3]);
            rights.release.push(Rule::exclude([code]).on_store(store_id.clone()).for_use(usage));
        }
        rights.release.push(Rule::include(refs("EU")).on_store(store_id.clone()).starting(date(i as i64)));
    }
    for key in 1..=track_count {
        let rules = rights.rules_of_mut(TrackKey(key));
        rules.push(Rule::include(refs("Worldwide")).starting(date(key % 7)).ending(date(800 + key)));
        for (i, store_id) in stores.iter().enumerate() {
            let code = TerritoryRef::Code(codes[(key as usize * 7 + i * 13) % codes.len()]);
            rules.push(Rule::exclude([code]).on_store(store_id.clone()));
        }
    }
    rights
}

fn measure(name: &str, target: Duration, mut run: impl FnMut()) {
    for _ in 0..5 {
        run();
    }
    let mut samples: Vec<Duration> = (0..51)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect();
    samples.sort();
    let median = samples[samples.len() / 2];
    let verdict = if median <= target { "ok" } else { "OVER TARGET" };
    println!(
        "{name}: median {:.3} ms, best {:.3} ms (target {:.1} ms) {verdict}",
        median.as_secs_f64() * 1e3,
        samples[0].as_secs_f64() * 1e3,
        target.as_secs_f64() * 1e3
    );
}

fn main() {
    let groups = TerritoryGroups::new();
    let stores: Vec<StoreId> = Stores::new().ids().into_iter().take(10).collect();
    assert!(
        stores.contains(&store("tiktok"))
            && stores.contains(&store("spotify"))
            && stores.contains(&store("deezer"))
    );

    let hundred = release(100);
    measure(
        "effective 100 tracks x 249 territories x 10 stores x 4 uses (incl. rule resolution)",
        Duration::from_millis(5),
        || {
            black_box(effective(black_box(&hundred), &groups, &stores).expect("effective"));
        },
    );
    let worst = adversarial(100, &stores);
    let matrix = effective(&worst, &groups, &stores).expect("effective");
    measure(
        &format!(
            "effective, adversarial 100 tracks (nothing shared, {} distinct windows)",
            matrix.windows.len()
        ),
        Duration::from_millis(5),
        || {
            black_box(effective(black_box(&worst), &groups, &stores).expect("effective"));
        },
    );
    let plain = ReleaseRights { track_rules: Vec::new(), ..hundred.clone() };
    measure("effective, same release without track overrides", Duration::from_millis(5), || {
        black_box(effective(black_box(&plain), &groups, &stores).expect("effective"));
    });

    let thirty = release(30);
    let spotify = store("spotify");
    let deals = compile_ddex(&thirty, &groups, &spotify).expect("compile");
    let deal_count: usize =
        deals.release_deals.len() + deals.track_deals.iter().map(|t| t.deals.len()).sum::<usize>();
    measure(
        &format!("compile_ddex 30 tracks, one store ({deal_count} deals)"),
        Duration::from_millis(1),
        || {
            black_box(compile_ddex(black_box(&thirty), &groups, &spotify).expect("compile"));
        },
    );
    measure("compile_revelator 30 tracks, 10 stores", Duration::from_millis(5), || {
        black_box(compile_revelator(black_box(&thirty), &groups, &stores).expect("compile"));
    });
    measure("violations 100 tracks, 10 stores", Duration::from_millis(50), || {
        black_box(violations(black_box(&hundred), &groups, &stores).expect("violations"));
    });
}
