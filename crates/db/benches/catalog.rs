//! Catalog benchmark: seeds 100,000 releases / 1,000,000 tracks into a catalog file on disk,
//! then measures opening it, paging, and search latency (p50/p95).
//!
//! `cargo bench -p catno-db --bench catalog` (set `CATNO_BENCH_TRACKS` for a smaller run, and
//! `CATNO_BENCH_KEEP=PATH` to write the catalog to PATH and keep it, e.g. for
//! `cargo run --release -p catno-core --example validate_timing -- PATH`).
#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::time::{Duration, Instant};

use catno_db::{Db, OpenMode};
use sqlx::SqliteConnection;

const WORDS: &[&str] = &[
    "night", "drive", "summer", "echo", "river", "golden", "midnight", "city", "lights", "ocean", "fire",
    "dream", "shadow", "heart", "wild", "blue", "storm", "velvet", "neon", "paper", "glass", "silver",
    "morning", "winter", "dance", "electric", "harbour", "static", "canción", "luz", "mar", "corazón", "夜",
    "街", "光", "rain", "thunder", "desert", "forest", "moon", "sun", "star", "highway", "signal",
];
const FIRST: &[&str] =
    &["Aurora", "Jonas", "Lucía", "Hikari", "Sam", "Rosa", "Eli", "Mika", "Dana", "Kenji", "Nora", "Theo"];
const LAST: &[&str] = &[
    "Vale",
    "Eld",
    "Ferrer",
    "Sato",
    "Okafor",
    "Mendel",
    "Park",
    "Halvorsen",
    "Whitlock",
    "Mori",
    "Lind",
    "Costa",
];

/// A small deterministic generator, so every run seeds the same catalog.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

fn title(rng: &mut Rng) -> String {
    let n = 1 + rng.next() % 3;
    let mut words: Vec<String> = Vec::new();
    for _ in 0..n {
        let w = rng.pick(WORDS);
        let mut c = w.chars();
        words.push(match c.next() {
            Some(f) => f.to_uppercase().chain(c).collect(),
            None => String::new(),
        });
    }
    words.join(" ")
}

fn gtin(body: u64) -> String {
    let body = format!("{body:012}");
    format!("{body}{}", catno_domain::ids::gtin_check_digit(&body).unwrap())
}

fn sql_text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

async fn exec(conn: &mut SqliteConnection, sql: &str) {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(conn).await.unwrap();
}

/// Inserts rows in statements of `batch` rows: one round trip per batch, not per row.
async fn seed(conn: &mut SqliteConnection, releases: u64, tracks_per_release: u64) {
    let mut rng = Rng(0x5eed_cafe_f00d);
    exec(conn, "INSERT INTO labels (id, name) VALUES (1,'Label 1'),(2,'Label 2'),(3,'Label 3'),(4,'Label 4'),(5,'Label 5'),(6,'Label 6'),(7,'Label 7'),(8,'Label 8'),(9,'Label 9'),(10,'Label 10')").await;
    let artists: u64 = 20_000;
    let mut sql = String::new();
    for a in 1..=artists {
        if sql.is_empty() {
            sql.push_str("INSERT INTO artists (id, name) VALUES ");
        } else {
            sql.push(',');
        }
        sql.push_str(&format!("({a},{})", sql_text(&format!("{} {} {a}", rng.pick(FIRST), rng.pick(LAST)))));
        if a % 500 == 0 {
            exec(conn, &sql).await;
            sql.clear();
        }
    }
    let batch = 200;
    let (mut rel_sql, mut trk_sql, mut rt_sql, mut cr_sql) =
        (String::new(), String::new(), String::new(), String::new());
    let mut track_id = 0u64;
    for r in 1..=releases {
        let artist_id = 1 + rng.next() % artists;
        let artist = format!("Artist {artist_id}");
        let release_title = title(&mut rng);
        rel_sql.push_str(if rel_sql.is_empty() { "INSERT INTO releases (id, label_id, title, display_artist, release_type, upc, catalog_number, release_date) VALUES " } else { "," });
        rel_sql.push_str(&format!(
            "({r},{},{},{},'Album','{}','CAT{r:06}','2026-{:02}-{:02}')",
            1 + r % 10,
            sql_text(&release_title),
            sql_text(&artist),
            gtin(500_000_000_000 + r),
            1 + r % 12,
            1 + r % 28
        ));
        cr_sql.push_str(if cr_sql.is_empty() {
            "INSERT INTO release_artists (release_id, artist_id, role, sequence) VALUES "
        } else {
            ","
        });
        cr_sql.push_str(&format!("({r},{artist_id},'MainArtist',1)"));
        for n in 1..=tracks_per_release {
            track_id += 1;
            trk_sql.push_str(if trk_sql.is_empty() {
                "INSERT INTO tracks (id, isrc, title, display_artist, duration_ms) VALUES "
            } else {
                ","
            });
            trk_sql.push_str(&format!(
                "({track_id},'GBCTN{:02}{:05}',{},{},{})",
                track_id / 100_000 % 100,
                track_id % 100_000,
                sql_text(&title(&mut rng)),
                sql_text(&artist),
                120_000 + rng.next() % 240_000
            ));
            rt_sql.push_str(if rt_sql.is_empty() {
                "INSERT INTO release_tracks (release_id, track_id, disc_number, track_number) VALUES "
            } else {
                ","
            });
            rt_sql.push_str(&format!("({r},{track_id},1,{n})"));
        }
        if r % batch == 0 || r == releases {
            for sql in [&mut rel_sql, &mut cr_sql, &mut trk_sql, &mut rt_sql] {
                exec(conn, sql).await;
                sql.clear();
            }
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let tracks: u64 =
        std::env::var("CATNO_BENCH_TRACKS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let per_release = 10;
    let releases = tracks / per_release;
    let dir = tempfile::tempdir().unwrap();
    let path = match std::env::var_os("CATNO_BENCH_KEEP") {
        Some(keep) => std::path::PathBuf::from(keep),
        None => dir.path().join("bench.sqlite"),
    };
    assert!(!path.exists(), "{} exists; the bench seeds a new catalog", path.display());

    let db = Db::open(&path, OpenMode::CreateIfMissing).await.unwrap();
    let started = Instant::now();
    let mut tx = db.begin().await.unwrap();
    seed(&mut tx, releases, per_release).await;
    tx.commit().await.unwrap();
    let seeding = started.elapsed();
    db.close().await;
    let size = std::fs::metadata(&path).unwrap().len()
        + std::fs::metadata(path.with_extension("sqlite-wal")).map(|m| m.len()).unwrap_or(0);

    let started = Instant::now();
    let db = Db::open(&path, OpenMode::Existing).await.unwrap();
    let mut conn = db.read().await.unwrap();
    let counts = catno_db::counts(&mut conn).await.unwrap();
    let open = started.elapsed();
    assert_eq!(counts.tracks as u64, tracks);

    let mut page_times = Vec::new();
    for (what, label, offset) in [
        ("first page, all labels", None, 0),
        ("middle page, all labels", None, releases as i64 / 2),
        ("last page, all labels", None, releases as i64 - 100),
        ("first page, one label", Some(3), 0),
        ("last page, one label", Some(3), releases as i64 / 10 - 100),
    ] {
        let mut samples = Vec::new();
        for _ in 0..20 {
            let t = Instant::now();
            let page = catno_db::list_releases(&mut conn, label, offset, 100).await.unwrap();
            samples.push(t.elapsed());
            assert_eq!(page.items.len(), 100);
        }
        samples.sort();
        page_times.push((what, percentile(&samples, 0.5), percentile(&samples, 0.95)));
    }
    let mut samples = Vec::new();
    for r in 0..200 {
        let t = Instant::now();
        catno_db::list_release_tracks(&mut conn, 1 + (r * 499) % releases as i64, 0, 100).await.unwrap();
        samples.push(t.elapsed());
    }
    samples.sort();
    let tracklist = (percentile(&samples, 0.5), percentile(&samples, 0.95));

    let mut rng = Rng(0xabcdef);
    let mut queries: Vec<String> = Vec::new();
    for i in 0..300u64 {
        queries.push(match i % 6 {
            0 => rng.pick(WORDS).to_owned(),
            1 => format!("{} {}", rng.pick(WORDS), rng.pick(WORDS)),
            2 => rng.pick(WORDS).chars().take(3).collect(),
            3 => format!("GBCTN{:02}{:03}", rng.next() % 10, rng.next() % 1000),
            4 => gtin(500_000_000_000 + 1 + rng.next() % releases),
            _ => format!("{} {}", rng.pick(FIRST), rng.pick(LAST)),
        });
    }
    let mut samples = Vec::new();
    let mut hits = 0;
    for q in &queries {
        let t = Instant::now();
        hits += catno_db::search(&mut conn, q, 50).await.unwrap().len();
        samples.push(t.elapsed());
    }
    samples.sort();
    assert!(hits > 0);

    println!("catalog benchmark: {releases} releases, {tracks} tracks, file {:.0} MB", size as f64 / 1e6);
    println!("seeding                      {:.1} s", seeding.as_secs_f64());
    println!("open + count                 {}", ms(open));
    for (what, p50, p95) in page_times {
        println!("page of 100 ({what:<24}) p50 {}  p95 {}", ms(p50), ms(p95));
    }
    println!("tracklist of a release       p50 {}  p95 {}", ms(tracklist.0), ms(tracklist.1));
    println!(
        "search ({} queries, ≤50 hits per kind) p50 {}  p95 {}  max {}",
        queries.len(),
        ms(percentile(&samples, 0.5)),
        ms(percentile(&samples, 0.95)),
        ms(*samples.last().unwrap())
    );
}
