//! Validation throughput on synthetic releases built in memory:
//! `cargo bench -p catno-validate [-- RELEASES TRACKS]` (default 100,000 × 10).
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use catno_domain::{
    Contributor, ContributorRole, Isrc, ParentalAdvisory, Release, ReleaseType, RightsLine, Track, Upc,
    WorkflowStatus, Writer, WriterRole, ids::gtin_check_digit,
};
use catno_validate::{CatalogContext, Profile, ReleaseBundle, RightsSummary, TrackAvailability, validate};
use time::macros::date;

const WORDS: &[&str] =
    &["night", "drive", "city", "lights", "ocean", "summer", "paper", "planes", "echo", "river"];

fn title(n: usize) -> String {
    let a = WORDS[n % WORDS.len()];
    let b = WORDS[(n / WORDS.len()) % WORDS.len()];
    // Every 7th title lowercase, every 11th with "ft.": the rules have something to find.
    let mut t = if n.is_multiple_of(7) { format!("{a} {b}") } else { format!("{} {}", cap(a), cap(b)) };
    if n.is_multiple_of(11) {
        t.push_str(" ft. Guest");
    }
    t
}

fn cap(w: &str) -> String {
    let mut c = w.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

fn upc(n: usize) -> Upc {
    let body = format!("50601{n:07}");
    let check = gtin_check_digit(&body).unwrap_or(0);
    Upc::parse(&format!("{body}{check}")).unwrap_or_else(|e| panic!("{e}"))
}

fn credit(artist_id: i64, name: &str, role: ContributorRole) -> Contributor {
    Contributor { id: artist_id, artist_id, artist_name: name.into(), role, sequence: 1 }
}

struct Synthetic {
    release: Release,
    tracks: Vec<Track>,
    audio: Vec<Option<String>>,
}

fn build(releases: usize, tracks_per: usize) -> Vec<Synthetic> {
    (0..releases)
        .map(|r| {
            let artist = format!("Artist {}", r % 5000);
            let artist_id = (r % 5000) as i64 + 1;
            let release = Release {
                id: r as i64 + 1,
                label_id: 1,
                label_name: "Acme".into(),
                title: title(r),
                version: None,
                display_artist: artist.clone(),
                localized_titles: Vec::new(),
                release_type: ReleaseType::Album,
                upc: Some(upc(r)),
                catalog_number: Some(format!("ACME{r:06}")),
                p_line: Some(RightsLine { year: 2026, holder: "Acme".into() }),
                c_line: Some(RightsLine { year: 2026, holder: "Acme".into() }),
                genre: Some("Electronic".into()),
                subgenre: None,
                release_date: Some("2027-03-01".into()),
                original_release_date: None,
                parental_advisory: ParentalAdvisory::NotExplicit,
                metadata_language: Some("en".into()),
                status: WorkflowStatus::Draft,
                artists: vec![credit(artist_id, &artist, ContributorRole::MainArtist)],
                updated_at: String::new(),
            };
            let tracks: Vec<Track> = (0..tracks_per)
                .map(|t| {
                    let id = (r * tracks_per + t) as i64 + 1;
                    Track {
                        id,
                        isrc: Isrc::parse(&format!("GBCTN{:02}{:05}", 10 + id / 100_000 % 90, id % 100_000))
                            .ok(),
                        title: title(r * 31 + t),
                        version: (t == 3).then(|| "Radio Edit".to_owned()),
                        display_artist: artist.clone(),
                        localized_titles: Vec::new(),
                        duration_ms: Some(200_000),
                        explicit: false,
                        audio_language: Some("en".into()),
                        contributors: vec![
                            credit(artist_id, &artist, ContributorRole::MainArtist),
                            credit(9999, "Bo Producer", ContributorRole::Producer),
                        ],
                        writers: vec![Writer {
                            id,
                            name: "Writer".into(),
                            role: WriterRole::Composer,
                            publisher: None,
                            share_basis_points: 10_000,
                        }],
                        updated_at: String::new(),
                    }
                })
                .collect();
            let audio = tracks.iter().map(|t| Some(format!("{:064x}", t.id))).collect();
            Synthetic { release, tracks, audio }
        })
        .collect()
}

fn context(all: &[Synthetic]) -> CatalogContext {
    let mut context = CatalogContext::default();
    for s in all {
        if let Some(upc) = &s.release.upc {
            context.add_upc(upc.as_str(), s.release.id);
        }
        for (t, audio) in s.tracks.iter().zip(&s.audio) {
            if let Some(isrc) = &t.isrc {
                context.add_isrc(isrc.as_str(), t.id, audio.clone());
            }
        }
        context.add_artist_name(&s.release.display_artist);
    }
    context.add_artist_name("ARTIST 1");
    context.retain_ambiguous_names();
    context
}

fn rights(s: &Synthetic) -> RightsSummary {
    RightsSummary {
        violations: Vec::new(),
        tracks: s.tracks.iter().map(|t| TrackAvailability { track_id: t.id, territories: 249 }).collect(),
        preorder_start: None,
    }
}

fn run(chunk: &[Synthetic], context: &CatalogContext, profile: &Profile) -> usize {
    let today = date!(2026 - 12 - 02);
    chunk
        .iter()
        .map(|s| {
            let bundle = ReleaseBundle {
                release: s.release.clone(),
                tracks: s.tracks.clone(),
                audio_sha256: s.audio.clone(),
                rights: rights(s),
                context,
            };
            validate(&bundle, profile, today).len()
        })
        .sum()
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let releases = args.first().copied().unwrap_or(100_000);
    let tracks = args.get(1).copied().unwrap_or(10);
    let profile = Profile::named("spotify").unwrap_or_else(|e| panic!("{e}"));

    let started = Instant::now();
    let all = build(releases, tracks);
    let built = started.elapsed();
    let started = Instant::now();
    let context = context(&all);
    let context_time = started.elapsed();
    println!("built {releases} releases × {tracks} tracks in {built:.2?}; context in {context_time:.2?}");

    let started = Instant::now();
    let findings = run(&all, &context, &profile);
    let serial = started.elapsed();
    println!(
        "one thread:  {releases} releases in {serial:.2?} ({findings} findings, {:.1} µs/release)",
        serial.as_secs_f64() * 1e6 / releases as f64
    );

    let threads = std::thread::available_parallelism().map_or(4, usize::from);
    let started = Instant::now();
    let per = all.len().div_ceil(threads).max(1);
    let parallel_findings: usize = std::thread::scope(|scope| {
        let handles: Vec<_> =
            all.chunks(per).map(|chunk| scope.spawn(|| run(chunk, &context, &profile))).collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    let parallel = started.elapsed();
    assert_eq!(parallel_findings, findings);
    println!("{threads} threads: {releases} releases in {parallel:.2?}");

    // One release, as after an edit: best of many runs.
    let one = &all[all.len() / 2..all.len() / 2 + 1];
    let mut best = Duration::MAX;
    for _ in 0..1000 {
        let started = Instant::now();
        std::hint::black_box(run(one, &context, &profile));
        best = best.min(started.elapsed());
    }
    println!("one release ({tracks} tracks): {best:.2?}");
}
