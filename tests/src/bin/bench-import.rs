//! `bench-import`: how fast and in how much memory `etapolku import` reads a large Moodle backup.
//!
//! ```text
//! cargo build --release -p etapolku-server --bin etapolku
//! cargo run --release -p etapolku-tests --bin bench-import -- --size-mb 100 [--keep DIR]
//! ```
//!
//! 1. Writes a synthetic Moodle 4.5 course backup (`.mbz`, gzip tar) of about N MiB, streamed to
//!    disk: 12 weekly sections with pages (`@@PLUGINFILE@@` images), resources, folders, labels,
//!    links, assignments and a forum; about 70 % of the bytes in a few 20–100 MiB files, the rest
//!    in thousands of small ones. Blob contents are pseudo-random, so gzip cannot shrink them.
//! 2. Runs `etapolku import FILE --data-dir <fresh> --provider Bench --json` and measures its wall
//!    time and peak RSS (`getrusage(RUSAGE_CHILDREN)` once it has been waited for: it is this
//!    tool's first child; /proc is sampled meanwhile to show when the peak happens).
//! 3. Runs `tar -xzf FILE -C <fresh dir>` on the same disk for comparison.
//! 4. Prints, as its last line,
//!    `{"bytes": n, "import_s": x, "tar_s": y, "ratio": x/y, "peak_rss_mb": m}`.
//!
//! It asserts nothing about time or memory: it prints figures (see tests/README.md).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result, bail};
use clap::Parser;
use flate2::Compression;
use flate2::write::GzEncoder;
use nix::sys::resource::{UsageWho, getrusage};
use sha1::{Digest, Sha1};

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;
/// sha1 of the empty string: the contenthash of Moodle's directory records.
const EMPTY_SHA1: &str = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
/// Backup time written into the XML and the tar headers (17 June 2025).
const BACKUP_TIME: u64 = 1_750_153_208;
/// Moodle writes directories with this mtime (2013-01-01).
const DIR_MTIME: u64 = 1_356_998_400;
/// The importer's default entry cap (content/src/archive/mod.rs, `Limits::max_entries`).
const IMPORTER_MAX_ENTRIES: usize = 50_000;

#[derive(Parser, Debug)]
#[command(
    name = "bench-import",
    about = "Builds a synthetic Moodle backup of about N MiB, imports it with `etapolku import` \
             and compares the time with `tar -xzf`; prints figures, asserts nothing"
)]
struct Args {
    /// Approximate size of the generated backup, in MiB.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=16_384))]
    size_mb: u64,
    /// Work in DIR (created if missing, must be empty) and keep everything: the backup, the tar
    /// output and the import's data directory. Without it a temporary directory under $TMPDIR
    /// is used and removed at the end.
    #[arg(long, value_name = "DIR")]
    keep: Option<PathBuf>,
    /// Only write the backup into the --keep directory and stop (to import it by other means).
    #[arg(long, requires = "keep")]
    generate_only: bool,
    /// The etapolku binary [default: target/release/etapolku of this tool's target directory].
    #[arg(long, value_name = "PATH")]
    etapolku: Option<PathBuf>,
    /// Import and extract the backup this many times and report the median times (the peak RSS
    /// is the largest of all runs).
    #[arg(long, value_name = "K", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=20))]
    runs: u32,
    /// Write the first import's /proc samples to FILE as CSV (seconds, RSS KiB, bytes read and
    /// written so far).
    #[arg(long, value_name = "FILE")]
    samples: Option<PathBuf>,
    /// Generator seed: the same seed and size give the same backup, byte for byte.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

fn main() -> std::process::ExitCode {
    match run(Args::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench-import: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<()> {
    let etapolku = if args.generate_only {
        None
    } else {
        Some(find_etapolku(args.etapolku.as_deref())?)
    };
    if cfg!(debug_assertions) {
        println!("note: this tool is a debug build; the generator is slower (use --release)");
    }

    // Everything lives in one work directory on one disk.
    let (_temp, work) = match &args.keep {
        Some(dir) => {
            fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            if fs::read_dir(dir)?.next().is_some() {
                bail!("--keep {}: the directory is not empty", dir.display());
            }
            (None, dir.canonicalize()?)
        }
        None => {
            let t = tempfile::Builder::new()
                .prefix("bench-import-")
                .tempdir()
                .context("creating a temporary directory")?;
            let path = t.path().to_owned();
            (Some(t), path)
        }
    };
    warn_if_short_of_space(&work, args.size_mb * MIB);

    // 1. The backup.
    let mbz = work.join(format!("bench-{}mb.mbz", args.size_mb));
    let started = Instant::now();
    let plan = plan(args.size_mb * MIB, args.seed);
    println!(
        "planned a Moodle 4.5 course backup: {} sections, {} activities, {} blobs ({} large, {} small; {:.1} MiB), {} archive entries ({:.1} s)",
        plan.expected.modules,
        plan.activities,
        plan.blobs,
        plan.large,
        plan.blobs - plan.large,
        plan.blob_bytes as f64 / MIB as f64,
        plan.entries.len() + 1,
        started.elapsed().as_secs_f64()
    );
    if plan.entries.len() + 1 > IMPORTER_MAX_ENTRIES {
        println!(
            "warning: more than {IMPORTER_MAX_ENTRIES} entries: the importer's default cap will refuse this backup"
        );
    }
    let started = Instant::now();
    write_mbz(&plan, &mbz)?;
    let bytes = fs::metadata(&mbz)?.len();
    println!(
        "wrote {} ({:.1} MiB) in {:.1} s",
        mbz.display(),
        bytes as f64 / MIB as f64,
        started.elapsed().as_secs_f64()
    );
    let Some(etapolku) = etapolku else {
        println!(
            "--generate-only: stopping here; the backup stays in {}",
            work.display()
        );
        return Ok(());
    };

    // 2. The imports, all before any other child: RUSAGE_CHILDREN's ru_maxrss is the largest
    // peak of all waited-for children, so it is the imports' peak only while they come first.
    let runs = args.runs;
    let keep = args.keep.is_some();
    let numbered = |name: &str, i: u32| {
        if runs == 1 {
            work.join(name)
        } else {
            work.join(format!("{name}-{i}"))
        }
    };
    let mut import_times = Vec::new();
    let mut peak_rss_kib = 0;
    for i in 1..=runs {
        let data_dir = numbered("data", i);
        let import = run_import(&etapolku, &mbz, &data_dir, i == 1)?;
        peak_rss_kib = peak_rss_kib.max(import.peak_rss_kib);
        // After the first run ru_maxrss covers the earlier runs too: show what /proc saw.
        let (what, kib) = if i == 1 {
            ("peak RSS", import.peak_rss_kib)
        } else {
            let sampled = import.samples.iter().map(|s| s.rss_kib).max();
            ("sampled peak RSS", sampled.unwrap_or(0))
        };
        println!(
            "import{}: {:.3} s, {what} {:.1} MiB",
            run_label(i, runs),
            import.seconds,
            kib as f64 / KIB as f64
        );
        if i == 1 {
            print_rss_profile(&import.samples, bytes);
            if let Some(csv) = &args.samples {
                write_samples(csv, &import.samples)?;
            }
            compare_report(&import.report, &plan.expected);
            let (blob_files, blob_bytes) = tree_size(&data_dir.join("blobs"));
            let (all_files, all_bytes) = tree_size(&data_dir);
            println!(
                "data dir: {} files, {:.1} MiB; of which blobs/: {} files, {:.1} MiB",
                all_files,
                all_bytes as f64 / MIB as f64,
                blob_files,
                blob_bytes as f64 / MIB as f64
            );
        }
        if !keep {
            fs::remove_dir_all(&data_dir)
                .with_context(|| format!("removing {}", data_dir.display()))?;
        }
        import_times.push(import.seconds);
    }

    // 3. tar -xzf of the same file into a fresh folder on the same disk.
    let mut tar_times = Vec::new();
    for i in 1..=runs {
        let tar_out = numbered("tar-out", i);
        fs::create_dir(&tar_out)?;
        nix::unistd::sync();
        let started = Instant::now();
        let status = Command::new("tar")
            .arg("-xzf")
            .arg(&mbz)
            .arg("-C")
            .arg(&tar_out)
            .status()
            .context("running tar")?;
        let seconds = started.elapsed().as_secs_f64();
        if !status.success() {
            bail!("tar -xzf {} failed: {status}", mbz.display());
        }
        println!("tar -xzf{}: {seconds:.3} s", run_label(i, runs));
        if !keep {
            fs::remove_dir_all(&tar_out)
                .with_context(|| format!("removing {}", tar_out.display()))?;
        }
        tar_times.push(seconds);
    }

    // 4. The figures.
    let import_s = median(&mut import_times);
    let tar_s = median(&mut tar_times);
    if runs > 1 {
        println!("medians of {runs} runs: import {import_s:.3} s, tar {tar_s:.3} s");
    }
    if keep {
        println!("kept: {}", work.display());
    }
    let ratio = if tar_s > 0.0 { import_s / tar_s } else { 0.0 };
    println!(
        "{{\"bytes\": {bytes}, \"import_s\": {import_s:.3}, \"tar_s\": {tar_s:.3}, \"ratio\": {ratio:.2}, \"peak_rss_mb\": {:.1}}}",
        peak_rss_kib as f64 / KIB as f64
    );
    Ok(())
}

fn run_label(i: u32, runs: u32) -> String {
    if runs == 1 {
        String::new()
    } else {
        format!(" (run {i}/{runs})")
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

// ------------------------------------------------------------------------------------------------
// Finding the server binary

fn find_etapolku(given: Option<&Path>) -> Result<PathBuf> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = match given {
        Some(p) => p.to_owned(),
        None => {
            // This tool runs from <target>/<profile>/; the server's release build is beside it.
            let beside = std::env::current_exe()
                .ok()
                .and_then(|exe| Some(exe.parent()?.parent()?.join("release").join("etapolku")));
            match beside {
                Some(p) if p.is_file() => p,
                _ => workspace.join("target").join("release").join("etapolku"),
            }
        }
    };
    if !path.is_file() {
        bail!(
            "the server binary {} is missing: build it first with\n  cargo build --release -p etapolku-server --bin etapolku\n(or name it with --etapolku PATH)",
            path.display()
        );
    }
    let built = fs::metadata(&path)?.modified()?;
    let newest = ["server", "content", "migrations"]
        .iter()
        .filter_map(|c| newest_mtime(&workspace.join(c).join("src")))
        .max();
    if newest.is_some_and(|n| n > built) {
        println!(
            "warning: {} is older than the sources; rebuild with `cargo build --release -p etapolku-server --bin etapolku`",
            path.display()
        );
    }
    let path = path.canonicalize().unwrap_or(path);
    println!("server binary: {}", path.display());
    Ok(path)
}

fn newest_mtime(dir: &Path) -> Option<SystemTime> {
    let mut newest = None;
    for entry in fs::read_dir(dir).ok()?.flatten() {
        let Ok(meta) = entry.metadata() else { continue };
        let t = if meta.is_dir() {
            newest_mtime(&entry.path())
        } else {
            meta.modified().ok()
        };
        newest = newest.max(t);
    }
    newest
}

fn warn_if_short_of_space(dir: &Path, size: u64) {
    // The backup, the importer's unpacked copy and blobs, and tar's copy: about 4× the size.
    if let Ok(st) = nix::sys::statvfs::statvfs(dir) {
        let free = st.blocks_available().saturating_mul(st.fragment_size());
        if free < size.saturating_mul(4) {
            println!(
                "warning: {:.0} MiB free in {}, and a run needs about {:.0} MiB",
                free as f64 / MIB as f64,
                dir.display(),
                (size * 4) as f64 / MIB as f64
            );
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Pseudo-random numbers

/// splitmix64: fast, and its output does not compress.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// The content of one blob: byte `i` depends only on (seed, i), so the stream is the same
/// whatever the read sizes (it is read twice: for its sha1, then into the archive).
struct Noise {
    seed: u64,
    pos: u64,
    size: u64,
}

impl Noise {
    fn new(seed: u64, size: u64) -> Noise {
        Noise { seed, pos: 0, size }
    }
}

impl Read for Noise {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = (self.size - self.pos).min(buf.len() as u64) as usize;
        let mut i = 0;
        while i < n {
            let word = mix(self.seed ^ (self.pos / 8).wrapping_mul(0xD6E8_FEB8_6659_FD93));
            let bytes = word.to_le_bytes();
            let off = (self.pos % 8) as usize;
            let take = (8 - off).min(n - i);
            buf[i..i + take].copy_from_slice(&bytes[off..off + take]);
            i += take;
            self.pos += take as u64;
        }
        Ok(n)
    }
}

fn sha1_of(mut source: impl Read) -> io::Result<String> {
    let mut hasher = Sha1::new();
    let mut buf = vec![0u8; 256 * KIB as usize];
    loop {
        let n = source.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

// ------------------------------------------------------------------------------------------------
// The plan of the backup: every entry, with the XML texts made and the blobs hashed

enum Body {
    Dir,
    Text(Vec<u8>),
    Noise { seed: u64, size: u64 },
}

struct Entry {
    path: String,
    body: Body,
}

/// What the importer should report for the plan (content/README.md: one module per section,
/// one item per activity, files = distinct blobs).
#[derive(Default, Debug)]
struct Expected {
    modules: u64,
    items: BTreeMap<String, u64>,
    exercises: u64,
    files: u64,
    bytes: u64,
}

struct Plan {
    entries: Vec<Entry>,
    expected: Expected,
    activities: usize,
    blobs: usize,
    large: usize,
    blob_bytes: u64,
}

struct BlobSpec {
    sha1: String,
    size: u64,
    seed: u64,
}

/// A file of an activity or section: one files.xml record.
struct Attachment {
    blob: usize,
    /// `/` or `/sub folder/`.
    filepath: String,
    filename: String,
    mimetype: &'static str,
}

enum Kind {
    Page {
        images: Vec<Attachment>,
        multilang: bool,
    },
    Label,
    Resource(Attachment),
    Folder(Vec<Attachment>),
    Url,
    Assign,
    Forum,
}

impl Kind {
    fn modname(&self) -> &'static str {
        match self {
            Kind::Page { .. } => "page",
            Kind::Label => "label",
            Kind::Resource(_) => "resource",
            Kind::Folder(_) => "folder",
            Kind::Url => "url",
            Kind::Assign => "assign",
            Kind::Forum => "forum",
        }
    }
}

struct Activity {
    cmid: u64,
    instance: u64,
    context: u64,
    section: usize,
    title: String,
    visible: bool,
    kind: Kind,
}

struct SectionSpec {
    id: u64,
    number: usize,
    name: String,
    banner: Option<Attachment>,
    sequence: Vec<u64>,
}

const COURSE_ID: u64 = 2;
const COURSE_CONTEXT: u64 = 15;

const TOPICS: [(&str, &str); 12] = [
    ("Omat voimavarat", "Egna resurser"),
    ("Lepo ja uni", "Vila och sömn"),
    ("Liikkuminen", "Att röra på sig"),
    ("Syöminen", "Att äta"),
    ("Stressi ja tunteet", "Stress och känslor"),
    ("Sosiaalinen tuki", "Socialt stöd"),
    ("Palvelut ja oikeudet", "Tjänster och rättigheter"),
    ("Puhuminen läheisen kanssa", "Att tala med den du vårdar"),
    ("Arjen rutiinit", "Vardagsrutiner"),
    ("Kuntoutussuunnitelma", "Rehabiliteringsplan"),
    ("Tulevaisuuden suunnittelu", "Att planera framåt"),
    ("Katse taaksepäin", "Att se tillbaka"),
];

const WORDS_FI: [&str; 24] = [
    "omaishoitaja",
    "hyvinvointi",
    "lepo",
    "arki",
    "voimavara",
    "läheinen",
    "tuki",
    "jaksaminen",
    "tauko",
    "liikunta",
    "uni",
    "tunne",
    "yhdessä",
    "päivä",
    "viikko",
    "harjoitus",
    "keho",
    "mieli",
    "ystävä",
    "palvelu",
    "tärkeä",
    "hetki",
    "rauhallinen",
    "kävely",
];

const WORDS_SV: [&str; 16] = [
    "närståendevårdare",
    "välbefinnande",
    "vila",
    "vardag",
    "resurs",
    "stöd",
    "ork",
    "paus",
    "motion",
    "sömn",
    "känsla",
    "tillsammans",
    "dag",
    "vecka",
    "övning",
    "stund",
];

fn paragraphs(rng: &mut Rng, words: &[&str], count: u64) -> String {
    let mut out = String::new();
    for _ in 0..count {
        out.push_str("<p>");
        let n = rng.range(30, 90);
        for i in 0..n {
            let w = *rng.pick(words);
            if i == 0 {
                let mut c = w.chars();
                if let Some(first) = c.next() {
                    out.extend(first.to_uppercase());
                    out.push_str(c.as_str());
                }
            } else {
                out.push(' ');
                out.push_str(w);
            }
            if i + 1 < n && rng.next().is_multiple_of(11) {
                out.push('.');
            }
        }
        out.push_str(".</p>");
    }
    out
}

fn multilang(fi: &str, sv: &str) -> String {
    format!(
        "<span lang=\"fi\" class=\"multilang\">{fi}</span><span lang=\"sv\" class=\"multilang\">{sv}</span>"
    )
}

/// How `@@PLUGINFILE@@` references are written: every byte but unreserved ones percent-encoded.
fn url_encode(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

struct Blobs {
    specs: Vec<BlobSpec>,
    rng: Rng,
}

impl Blobs {
    fn add(&mut self, size: u64) -> usize {
        let seed = self.rng.next();
        // Reading from a generator cannot fail.
        let sha1 = sha1_of(Noise::new(seed, size)).unwrap_or_default();
        self.specs.push(BlobSpec { sha1, size, seed });
        self.specs.len() - 1
    }
}

/// A small file's size, taken from the budget.
fn take_small(rng: &mut Rng, budget: &mut u64) -> u64 {
    let size = small_size(rng).min((*budget).max(1));
    *budget = budget.saturating_sub(size);
    size
}

/// Small file sizes: log-uniform between 2 KiB and 160 KiB (mean about 36 KiB).
fn small_size(rng: &mut Rng) -> u64 {
    let (lo, hi) = ((2 * KIB) as f64, (160 * KIB) as f64);
    (lo * (hi / lo).powf(rng.unit())) as u64
}

fn plan(target: u64, seed: u64) -> Plan {
    let mut rng = Rng(mix(seed));
    let mut blobs = Blobs {
        specs: Vec::new(),
        rng: Rng(mix(seed ^ 0xB10B)),
    };
    // Leave about 1 % for XML, tar headers and gzip framing.
    let budget = target - target / 100;
    let large_budget = budget * 7 / 10;
    let mut small_budget = budget - large_budget;

    let mut next_cmid = 1000u64;
    let mut next_instance = 1u64;
    let mut new_activity = |section: usize, title: String, kind: Kind| {
        let cmid = next_cmid;
        next_cmid += 1;
        let instance = next_instance;
        next_instance += 1;
        Activity {
            cmid,
            instance,
            context: 5000 + cmid,
            section,
            title,
            visible: true,
            kind,
        }
    };

    // Sections: 0 (general) and 12 weeks, each with a banner image in its summary.
    // The course logo, made with the first page (a blob nothing refers to is not imported).
    let mut logo = None;
    let mut sections = Vec::new();
    for number in 0..=TOPICS.len() {
        let name = if number == 0 {
            String::new()
        } else {
            let (fi, sv) = TOPICS[number - 1];
            multilang(
                &format!("Viikko {number}: {fi}"),
                &format!("Vecka {number}: {sv}"),
            )
        };
        let banner = (number > 0).then(|| {
            let size = small_size(&mut rng);
            small_budget = small_budget.saturating_sub(size);
            Attachment {
                blob: blobs.add(size),
                filepath: "/".into(),
                filename: format!("viikko-{number}-kansikuva.jpg"),
                mimetype: "image/jpeg",
            }
        });
        sections.push(SectionSpec {
            id: 100 + number as u64,
            number,
            name,
            banner,
            sequence: Vec::new(),
        });
    }
    let weeks = TOPICS.len();

    // The activities that carry the bytes, assigned to weeks in a shuffled order.
    let mut content = Vec::new();
    let mut large = 0;
    let mut rest = large_budget;
    while rest > 0 {
        let size = rng.range(20 * MIB, 100 * MIB).min(rest);
        rest -= size;
        large += 1;
        // Titles start with an ASCII letter: the importer panicked on a title starting with
        // "Ä" (content/src/html.rs `segments`), found by this tool; not this benchmark's subject.
        let (ext, mimetype, what, stem) = *rng.pick(&[
            ("mp4", "video/mp4", "Video", "video"),
            ("mp4", "video/mp4", "Video", "video"),
            ("mp3", "audio/mpeg", "Rentoutusharjoitus, äänite", "äänite"),
            ("pdf", "application/pdf", "Opas", "opas"),
        ]);
        let att = Attachment {
            blob: blobs.add(size),
            filepath: "/".into(),
            filename: format!("{stem}-{large}.{ext}"),
            mimetype,
        };
        content.push((format!("{what} {large}"), Kind::Resource(att)));
    }
    let mut pages = 0;
    let mut folders = 0;
    let mut resources = 0;
    while small_budget > 0 {
        let roll = rng.unit();
        if roll < 0.55 {
            pages += 1;
            let mut images = Vec::new();
            for i in 1..=rng.range(2, 8) {
                let size = take_small(&mut rng, &mut small_budget);
                let (ext, mimetype) = *rng.pick(&[("jpg", "image/jpeg"), ("png", "image/png")]);
                images.push(Attachment {
                    blob: blobs.add(size),
                    filepath: "/".into(),
                    filename: format!("kuva {i} (päivä {pages}).{ext}"),
                    mimetype,
                });
                if small_budget == 0 {
                    break;
                }
            }
            // Every page also shows the course logo: one blob, many records.
            images.push(Attachment {
                blob: *logo.get_or_insert_with(|| blobs.add(8 * KIB)),
                filepath: "/".into(),
                filename: "logo.png".into(),
                mimetype: "image/png",
            });
            let multilang = pages % 2 == 0;
            content.push((
                format!("Lukuteksti {pages}"),
                Kind::Page { images, multilang },
            ));
        } else if roll < 0.62 {
            folders += 1;
            let mut files = Vec::new();
            for i in 1..=rng.range(20, 80) {
                let size = take_small(&mut rng, &mut small_budget);
                let filepath = match i % 3 {
                    0 => "/".to_owned(),
                    1 => "/materiaalit/".to_owned(),
                    _ => format!("/osa {}/", i % 4),
                };
                let (ext, mimetype) = *rng.pick(&[
                    ("pdf", "application/pdf"),
                    ("jpg", "image/jpeg"),
                    ("mp3", "audio/mpeg"),
                    (
                        "docx",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    ),
                ]);
                files.push(Attachment {
                    blob: blobs.add(size),
                    filepath,
                    filename: format!("liite-{i}.{ext}"),
                    mimetype,
                });
                if small_budget == 0 {
                    break;
                }
            }
            content.push((format!("Materiaalikansio {folders}"), Kind::Folder(files)));
        } else {
            resources += 1;
            let size = take_small(&mut rng, &mut small_budget);
            let (ext, mimetype) = *rng.pick(&[
                ("pdf", "application/pdf"),
                ("png", "image/png"),
                ("mp3", "audio/mpeg"),
            ]);
            let att = Attachment {
                blob: blobs.add(size),
                filepath: "/".into(),
                filename: format!("tehtäväpohja-{resources}.{ext}"),
                mimetype,
            };
            content.push((format!("Tehtäväpohja {resources}"), Kind::Resource(att)));
        }
    }
    rng.shuffle(&mut content);

    let mut activities = Vec::new();
    activities.push(new_activity(0, "Ilmoitukset".into(), Kind::Forum));
    activities.push(new_activity(0, "Tervetuloa".into(), Kind::Label));
    let per_week = content.len().div_ceil(weeks).max(1);
    let mut content = content.into_iter();
    for week in 1..=weeks {
        activities.push(new_activity(week, format!("Viikko {week}"), Kind::Label));
        for (title, kind) in content.by_ref().take(per_week) {
            activities.push(new_activity(week, title, kind));
        }
        activities.push(new_activity(
            week,
            format!("Lisätietoa, viikko {week}"),
            Kind::Url,
        ));
        activities.push(new_activity(
            week,
            format!("Viikon tehtävä {week}"),
            Kind::Assign,
        ));
    }
    // A few hidden ones: kept, hidden (content/README.md).
    for a in activities.iter_mut().skip(7).step_by(97) {
        a.visible = false;
    }
    for a in &activities {
        sections[a.section].sequence.push(a.cmid);
    }

    let expected = expectations(&sections, &activities, &blobs.specs);
    let entries = entries(seed, &sections, &activities, &blobs.specs);
    Plan {
        entries,
        expected,
        activities: activities.len(),
        blobs: blobs.specs.len(),
        large,
        blob_bytes: blobs.specs.iter().map(|b| b.size).sum(),
    }
}

fn expectations(sections: &[SectionSpec], activities: &[Activity], blobs: &[BlobSpec]) -> Expected {
    let mut e = Expected {
        modules: sections.len() as u64,
        ..Expected::default()
    };
    for a in activities {
        let kind = match &a.kind {
            Kind::Page { .. } | Kind::Label => "page",
            Kind::Resource(att) if att.mimetype.starts_with("video/") => "video",
            Kind::Resource(att) if att.mimetype.starts_with("audio/") => "audio",
            Kind::Resource(_) => "file",
            Kind::Folder(_) => "folder",
            Kind::Url => "link",
            Kind::Assign => {
                e.exercises += 1;
                "exercise"
            }
            Kind::Forum => "discussion",
        };
        *e.items.entry(kind.to_owned()).or_insert(0) += 1;
    }
    // Every blob is referenced by something the importer carries.
    e.files = blobs.len() as u64;
    e.bytes = blobs.iter().map(|b| b.size).sum();
    e
}

/// One files.xml record.
struct FileRow<'a> {
    id: u64,
    hash: &'a str,
    context: u64,
    component: &'a str,
    filearea: &'a str,
    itemid: u64,
    filepath: &'a str,
    filename: &'a str,
    size: u64,
    mimetype: &'a str,
    sortorder: u64,
}

fn file_row(out: &mut String, r: &FileRow<'_>) {
    let mimetype = if r.mimetype.is_empty() {
        "$@NULL@$"
    } else {
        r.mimetype
    };
    let _ = write!(
        out,
        "  <file id=\"{id}\">\n    <contenthash>{hash}</contenthash>\n    <contextid>{context}</contextid>\n    <component>{component}</component>\n    <filearea>{filearea}</filearea>\n    <itemid>{itemid}</itemid>\n    <filepath>{filepath}</filepath>\n    <filename>{filename}</filename>\n    <userid>2</userid>\n    <filesize>{size}</filesize>\n    <mimetype>{mimetype}</mimetype>\n    <status>0</status>\n    <timecreated>{t}</timecreated>\n    <timemodified>{t}</timemodified>\n    <source>{filename}</source>\n    <author>Etäpolku</author>\n    <license>allrightsreserved</license>\n    <sortorder>{sortorder}</sortorder>\n    <repositorytype>$@NULL@$</repositorytype>\n    <repositoryid>$@NULL@$</repositoryid>\n    <reference>$@NULL@$</reference>\n  </file>\n",
        id = r.id,
        hash = r.hash,
        context = r.context,
        component = r.component,
        filearea = r.filearea,
        itemid = r.itemid,
        filepath = esc(r.filepath),
        filename = esc(r.filename),
        size = r.size,
        t = BACKUP_TIME - 86_400,
        sortorder = r.sortorder,
    );
}

/// Writes the records of one file area (with Moodle's `.` directory records) and returns the
/// ids, for inforef.xml.
fn area_rows(
    files_xml: &mut String,
    next_id: &mut u64,
    blobs: &[BlobSpec],
    (context, component, filearea, itemid): (u64, &str, &str, u64),
    atts: &[&Attachment],
    main_sortorder: bool,
) -> Vec<u64> {
    let mut ids = Vec::new();
    let mut dirs: Vec<&str> = vec!["/"];
    for a in atts {
        if !dirs.contains(&a.filepath.as_str()) {
            dirs.push(&a.filepath);
        }
    }
    for dir in dirs {
        *next_id += 1;
        ids.push(*next_id);
        file_row(
            files_xml,
            &FileRow {
                id: *next_id,
                hash: EMPTY_SHA1,
                context,
                component,
                filearea,
                itemid,
                filepath: dir,
                filename: ".",
                size: 0,
                mimetype: "",
                sortorder: 0,
            },
        );
    }
    for a in atts {
        *next_id += 1;
        ids.push(*next_id);
        let blob = &blobs[a.blob];
        file_row(
            files_xml,
            &FileRow {
                id: *next_id,
                hash: &blob.sha1,
                context,
                component,
                filearea,
                itemid,
                filepath: &a.filepath,
                filename: &a.filename,
                size: blob.size,
                mimetype: a.mimetype,
                sortorder: u64::from(main_sortorder),
            },
        );
    }
    ids
}

fn inforef(file_ids: &[u64]) -> Vec<u8> {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<inforef>\n");
    if !file_ids.is_empty() {
        s.push_str("  <fileref>\n");
        for id in file_ids {
            let _ = writeln!(s, "    <file>\n      <id>{id}</id>\n    </file>");
        }
        s.push_str("  </fileref>\n");
    }
    s.push_str("</inforef>");
    s.into_bytes()
}

fn text(s: &str) -> Body {
    Body::Text(format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{s}").into_bytes())
}

fn entries(
    seed: u64,
    sections: &[SectionSpec],
    activities: &[Activity],
    blobs: &[BlobSpec],
) -> Vec<Entry> {
    let mut rng = Rng(mix(seed ^ 0x7E47));
    let mut out = Vec::new();
    let mut files_xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<files>\n");
    let mut next_file_id = 0u64;
    let dir = |out: &mut Vec<Entry>, path: &str| {
        out.push(Entry {
            path: path.to_owned(),
            body: Body::Dir,
        })
    };
    let file = |out: &mut Vec<Entry>, path: String, body: Body| out.push(Entry { path, body });

    // moodle_backup.xml
    let backup_id = format!("{:016x}{:016x}", mix(seed ^ 1), mix(seed ^ 2));
    let site_hash = format!("{:016x}{:016x}", mix(seed ^ 3), mix(seed ^ 4));
    let mut mb = String::new();
    let _ = write!(
        mb,
        "<moodle_backup>\n  <information>\n    <name>backup-moodle2-course-{COURSE_ID}-omahyva-20250617-1240.mbz</name>\n    <moodle_version>2024100705</moodle_version>\n    <moodle_release>4.5.5 (Build: 20250609)</moodle_release>\n    <backup_version>2024100700</backup_version>\n    <backup_release>4.5</backup_release>\n    <backup_date>{BACKUP_TIME}</backup_date>\n    <mnet_remoteusers>0</mnet_remoteusers>\n    <include_files>1</include_files>\n    <include_file_references_to_external_content>0</include_file_references_to_external_content>\n    <original_wwwroot>https://moodle.example.org</original_wwwroot>\n    <original_site_identifier_hash>{site_hash}</original_site_identifier_hash>\n    <original_course_id>{COURSE_ID}</original_course_id>\n    <original_course_format>weeks</original_course_format>\n    <original_course_fullname>Omaishoitajan hyvinvointi (synteettinen testikurssi)</original_course_fullname>\n    <original_course_shortname>OMAHYVA</original_course_shortname>\n    <original_course_startdate>1750118400</original_course_startdate>\n    <original_course_enddate>1757376000</original_course_enddate>\n    <original_course_contextid>{COURSE_CONTEXT}</original_course_contextid>\n    <original_system_contextid>1</original_system_contextid>\n    <details>\n      <detail backup_id=\"{backup_id}\">\n        <type>course</type>\n        <format>moodle2</format>\n        <interactive>1</interactive>\n        <mode>10</mode>\n        <execution>1</execution>\n        <executiontime>0</executiontime>\n      </detail>\n    </details>\n    <contents>\n      <activities>\n"
    );
    for a in activities {
        let _ = write!(
            mb,
            "        <activity>\n          <moduleid>{cmid}</moduleid>\n          <sectionid>{sid}</sectionid>\n          <modulename>{m}</modulename>\n          <title>{title}</title>\n          <directory>activities/{m}_{cmid}</directory>\n          <insubsection></insubsection>\n        </activity>\n",
            cmid = a.cmid,
            sid = sections[a.section].id,
            m = a.kind.modname(),
            title = esc(&a.title),
        );
    }
    mb.push_str("      </activities>\n      <sections>\n");
    for s in sections {
        let _ = write!(
            mb,
            "        <section>\n          <sectionid>{id}</sectionid>\n          <title>{n}</title>\n          <directory>sections/section_{id}</directory>\n          <parentcmid></parentcmid>\n          <modname></modname>\n        </section>\n",
            id = s.id,
            n = s.number,
        );
    }
    let _ = write!(
        mb,
        "      </sections>\n      <course>\n        <courseid>{COURSE_ID}</courseid>\n        <title>OMAHYVA</title>\n        <directory>course</directory>\n      </course>\n    </contents>\n    <settings>\n"
    );
    let setting =
        |mb: &mut String, level: &str, scope: Option<(&str, &str)>, name: &str, value: &str| {
            let _ = write!(mb, "      <setting>\n        <level>{level}</level>\n");
            if let Some((tag, v)) = scope {
                let _ = writeln!(mb, "        <{tag}>{v}</{tag}>");
            }
            let _ = write!(
                mb,
                "        <name>{name}</name>\n        <value>{value}</value>\n      </setting>\n"
            );
        };
    for (name, value) in [
        ("filename", "backup.mbz"),
        ("imscc11", "0"),
        ("users", "0"),
        ("anonymize", "0"),
        ("role_assignments", "0"),
        ("activities", "1"),
        ("blocks", "1"),
        ("files", "1"),
        ("filters", "1"),
        ("comments", "0"),
        ("badges", "0"),
        ("calendarevents", "1"),
        ("userscompletion", "0"),
        ("logs", "0"),
        ("grade_histories", "0"),
        ("questionbank", "1"),
        ("groups", "1"),
        ("competencies", "0"),
        ("customfield", "1"),
        ("contentbankcontent", "1"),
        ("xapistate", "0"),
        ("legacyfiles", "1"),
    ] {
        setting(&mut mb, "root", None, name, value);
    }
    for s in sections {
        let key = format!("section_{}", s.id);
        for suffix in ["included", "userinfo"] {
            let value = if suffix == "included" { "1" } else { "0" };
            setting(
                &mut mb,
                "section",
                Some(("section", &key)),
                &format!("{key}_{suffix}"),
                value,
            );
        }
    }
    for a in activities {
        let key = format!("{}_{}", a.kind.modname(), a.cmid);
        for suffix in ["included", "userinfo"] {
            let value = if suffix == "included" { "1" } else { "0" };
            setting(
                &mut mb,
                "activity",
                Some(("activity", &key)),
                &format!("{key}_{suffix}"),
                value,
            );
        }
    }
    mb.push_str("    </settings>\n  </information>\n</moodle_backup>");
    file(&mut out, "moodle_backup.xml".into(), text(&mb));

    // course/
    dir(&mut out, "course/");
    let summary = multilang(
        &format!(
            "<p>Kahdentoista viikon verkkokurssi omaishoitajan omasta hyvinvoinnista.</p>{}",
            paragraphs(&mut rng, &WORDS_FI, 1)
        ),
        &format!(
            "<p>En tolv veckors webbkurs om närståendevårdarens eget välbefinnande.</p>{}",
            paragraphs(&mut rng, &WORDS_SV, 1)
        ),
    );
    let course_xml = format!(
        "<course id=\"{COURSE_ID}\" contextid=\"{COURSE_CONTEXT}\">\n  <shortname>OMAHYVA</shortname>\n  <fullname>Omaishoitajan hyvinvointi (synteettinen testikurssi)</fullname>\n  <idnumber></idnumber>\n  <summary>{summary}</summary>\n  <summaryformat>1</summaryformat>\n  <format>weeks</format>\n  <showgrades>1</showgrades>\n  <newsitems>5</newsitems>\n  <startdate>1750118400</startdate>\n  <enddate>1757376000</enddate>\n  <marker>0</marker>\n  <maxbytes>0</maxbytes>\n  <legacyfiles>0</legacyfiles>\n  <showreports>0</showreports>\n  <visible>1</visible>\n  <groupmode>0</groupmode>\n  <groupmodeforce>0</groupmodeforce>\n  <defaultgroupingid>0</defaultgroupingid>\n  <lang>fi</lang>\n  <theme></theme>\n  <timecreated>{t}</timecreated>\n  <timemodified>{t}</timemodified>\n  <requested>0</requested>\n  <showactivitydates>1</showactivitydates>\n  <showcompletionconditions>1</showcompletionconditions>\n  <pdfexportfont>$@NULL@$</pdfexportfont>\n  <enablecompletion>1</enablecompletion>\n  <completionnotify>0</completionnotify>\n  <category id=\"1\">\n    <name>Kuntoutus</name>\n    <description>$@NULL@$</description>\n  </category>\n  <tags>\n  </tags>\n  <customfields>\n  </customfields>\n  <courseformatoptions>\n  </courseformatoptions>\n</course>",
        summary = esc(&summary),
        t = BACKUP_TIME - 86_400 * 30,
    );
    file(&mut out, "course/course.xml".into(), text(&course_xml));
    file(
        &mut out,
        "course/inforef.xml".into(),
        Body::Text(inforef(&[])),
    );
    file(
        &mut out,
        "course/roles.xml".into(),
        text(
            "<roles>\n  <role_overrides>\n  </role_overrides>\n  <role_assignments>\n  </role_assignments>\n</roles>",
        ),
    );
    file(
        &mut out,
        "course/filters.xml".into(),
        text(
            "<filters>\n  <filter_actives>\n    <filter_active>\n      <filter>multilang</filter>\n      <active>1</active>\n    </filter_active>\n  </filter_actives>\n  <filter_configs>\n  </filter_configs>\n</filters>",
        ),
    );

    // sections/
    dir(&mut out, "sections/");
    for s in sections {
        let base = format!("sections/section_{}", s.id);
        dir(&mut out, &format!("{base}/"));
        let mut summary = String::new();
        let mut ids = Vec::new();
        if let Some(banner) = &s.banner {
            let _ = write!(
                summary,
                "<p><img src=\"@@PLUGINFILE@@/{}\" alt=\"\" width=\"1200\" height=\"300\" role=\"presentation\" class=\"img-fluid\"></p>",
                url_encode(&banner.filename)
            );
            summary.push_str(&paragraphs(&mut rng, &WORDS_FI, 1));
            ids = area_rows(
                &mut files_xml,
                &mut next_file_id,
                blobs,
                (COURSE_CONTEXT, "course", "section", s.id),
                &[banner],
                false,
            );
        }
        let name = if s.name.is_empty() {
            "$@NULL@$".to_owned()
        } else {
            esc(&s.name)
        };
        let sequence = s
            .sequence
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let section_xml = format!(
            "<section id=\"{id}\">\n  <number>{number}</number>\n  <name>{name}</name>\n  <summary>{summary}</summary>\n  <summaryformat>1</summaryformat>\n  <sequence>{sequence}</sequence>\n  <visible>1</visible>\n  <availabilityjson>$@NULL@$</availabilityjson>\n  <component>$@NULL@$</component>\n  <itemid>$@NULL@$</itemid>\n  <timemodified>{t}</timemodified>\n</section>",
            id = s.id,
            number = s.number,
            summary = esc(&summary),
            t = BACKUP_TIME - 86_400 * 7,
        );
        file(&mut out, format!("{base}/section.xml"), text(&section_xml));
        file(
            &mut out,
            format!("{base}/inforef.xml"),
            Body::Text(inforef(&ids)),
        );
    }

    // activities/
    dir(&mut out, "activities/");
    for a in activities {
        let m = a.kind.modname();
        let base = format!("activities/{m}_{}", a.cmid);
        dir(&mut out, &format!("{base}/"));
        let component = format!("mod_{m}");
        let area = |filearea: &'static str| (a.context, component.as_str(), filearea, 0);
        let intro = format!("<p>{}</p>", esc(&a.title));
        let t = BACKUP_TIME - 86_400 * 3;
        let (body, ids) = match &a.kind {
            Kind::Page {
                images,
                multilang: ml,
            } => {
                let mut variants = Vec::new();
                let both = [&WORDS_FI[..], &WORDS_SV[..]];
                let finnish = [&WORDS_FI[..]];
                for words in if *ml { &both[..] } else { &finnish[..] } {
                    let n = rng.range(1, 3);
                    let mut html = paragraphs(&mut rng, words, n);
                    for img in images {
                        let _ = write!(
                            html,
                            "<p><img src=\"@@PLUGINFILE@@/{}\" alt=\"{}\" width=\"640\" height=\"360\" class=\"img-fluid atto_image_button_text-bottom\"></p>",
                            url_encode(&img.filename),
                            esc(&img.filename)
                        );
                        html.push_str(&paragraphs(&mut rng, words, 1));
                    }
                    variants.push(html);
                }
                let html = match variants.as_slice() {
                    [fi, sv] => multilang(fi, sv),
                    _ => variants.concat(),
                };
                let refs: Vec<&Attachment> = images.iter().collect();
                let ids = area_rows(
                    &mut files_xml,
                    &mut next_file_id,
                    blobs,
                    area("content"),
                    &refs,
                    false,
                );
                (
                    format!(
                        "<page id=\"{i}\">\n    <name>{name}</name>\n    <intro>{intro}</intro>\n    <introformat>1</introformat>\n    <content>{content}</content>\n    <contentformat>1</contentformat>\n    <legacyfiles>0</legacyfiles>\n    <legacyfileslast>$@NULL@$</legacyfileslast>\n    <display>5</display>\n    <displayoptions>a:3:{{s:12:\"printheading\";s:1:\"1\";s:10:\"printintro\";s:1:\"0\";s:17:\"printlastmodified\";s:1:\"1\";}}</displayoptions>\n    <revision>1</revision>\n    <timemodified>{t}</timemodified>\n  </page>",
                        i = a.instance,
                        name = esc(&a.title),
                        intro = esc(&intro),
                        content = esc(&html),
                    ),
                    ids,
                )
            }
            Kind::Label => {
                let html = multilang(
                    &paragraphs(&mut rng, &WORDS_FI, 1),
                    &paragraphs(&mut rng, &WORDS_SV, 1),
                );
                (
                    format!(
                        "<label id=\"{i}\">\n    <name>{name}</name>\n    <intro>{html}</intro>\n    <introformat>1</introformat>\n    <timemodified>{t}</timemodified>\n  </label>",
                        i = a.instance,
                        name = esc(&a.title),
                        html = esc(&html),
                    ),
                    Vec::new(),
                )
            }
            Kind::Resource(att) => {
                let ids = area_rows(
                    &mut files_xml,
                    &mut next_file_id,
                    blobs,
                    area("content"),
                    &[att],
                    true,
                );
                (
                    format!(
                        "<resource id=\"{i}\">\n    <name>{name}</name>\n    <intro>{intro}</intro>\n    <introformat>1</introformat>\n    <tobemigrated>0</tobemigrated>\n    <legacyfiles>0</legacyfiles>\n    <legacyfileslast>$@NULL@$</legacyfileslast>\n    <display>0</display>\n    <displayoptions>a:1:{{s:10:\"printintro\";i:1;}}</displayoptions>\n    <filterfiles>0</filterfiles>\n    <revision>1</revision>\n    <timemodified>{t}</timemodified>\n  </resource>",
                        i = a.instance,
                        name = esc(&a.title),
                        intro = esc(&intro),
                    ),
                    ids,
                )
            }
            Kind::Folder(files) => {
                let refs: Vec<&Attachment> = files.iter().collect();
                let ids = area_rows(
                    &mut files_xml,
                    &mut next_file_id,
                    blobs,
                    area("content"),
                    &refs,
                    false,
                );
                (
                    format!(
                        "<folder id=\"{i}\">\n    <name>{name}</name>\n    <intro>{intro}</intro>\n    <introformat>1</introformat>\n    <revision>1</revision>\n    <timemodified>{t}</timemodified>\n    <display>0</display>\n    <showexpanded>1</showexpanded>\n    <showdownloadfolder>1</showdownloadfolder>\n    <forcedownload>1</forcedownload>\n  </folder>",
                        i = a.instance,
                        name = esc(&a.title),
                        intro = esc(&intro),
                    ),
                    ids,
                )
            }
            Kind::Url => (
                format!(
                    "<url id=\"{i}\">\n    <name>{name}</name>\n    <intro>{intro}</intro>\n    <introformat>1</introformat>\n    <externalurl>https://www.kela.fi/omaishoitajat?viikko={i}&amp;kieli=fi</externalurl>\n    <display>0</display>\n    <displayoptions>a:1:{{s:10:\"printintro\";i:1;}}</displayoptions>\n    <parameters>a:0:{{}}</parameters>\n    <timemodified>{t}</timemodified>\n  </url>",
                    i = a.instance,
                    name = esc(&a.title),
                    intro = esc(&intro),
                ),
                Vec::new(),
            ),
            Kind::Assign => {
                let task = paragraphs(&mut rng, &WORDS_FI, 2);
                (
                    format!(
                        "<assign id=\"{i}\">\n    <name>{name}</name>\n    <intro>{task}</intro>\n    <introformat>1</introformat>\n    <alwaysshowdescription>1</alwaysshowdescription>\n    <submissiondrafts>0</submissiondrafts>\n    <sendnotifications>0</sendnotifications>\n    <sendlatenotifications>0</sendlatenotifications>\n    <sendstudentnotifications>1</sendstudentnotifications>\n    <duedate>0</duedate>\n    <cutoffdate>0</cutoffdate>\n    <gradingduedate>0</gradingduedate>\n    <allowsubmissionsfromdate>0</allowsubmissionsfromdate>\n    <grade>0</grade>\n    <timemodified>{t}</timemodified>\n    <completionsubmit>1</completionsubmit>\n    <requiresubmissionstatement>0</requiresubmissionstatement>\n    <teamsubmission>0</teamsubmission>\n    <blindmarking>0</blindmarking>\n    <markingworkflow>0</markingworkflow>\n    <activity></activity>\n    <activityformat>1</activityformat>\n    <timelimit>0</timelimit>\n    <submissionattachments>0</submissionattachments>\n    <plugin_configs>\n    </plugin_configs>\n    <overrides>\n    </overrides>\n  </assign>",
                        i = a.instance,
                        name = esc(&a.title),
                        task = esc(&task),
                    ),
                    Vec::new(),
                )
            }
            Kind::Forum => (
                format!(
                    "<forum id=\"{i}\">\n    <type>news</type>\n    <name>{name}</name>\n    <intro>{intro}</intro>\n    <introformat>1</introformat>\n    <duedate>0</duedate>\n    <cutoffdate>0</cutoffdate>\n    <assessed>0</assessed>\n    <forcesubscribe>1</forcesubscribe>\n    <trackingtype>1</trackingtype>\n    <timemodified>{t}</timemodified>\n    <discussions>\n    </discussions>\n  </forum>",
                    i = a.instance,
                    name = esc(&a.title),
                    intro = esc(&intro),
                ),
                Vec::new(),
            ),
        };
        let activity_xml = format!(
            "<activity id=\"{i}\" moduleid=\"{cmid}\" modulename=\"{m}\" contextid=\"{ctx}\">\n  {body}\n</activity>",
            i = a.instance,
            cmid = a.cmid,
            ctx = a.context,
        );
        let module_xml = format!(
            "<module id=\"{cmid}\" version=\"2024100700\">\n  <modulename>{m}</modulename>\n  <sectionid>{sid}</sectionid>\n  <sectionnumber>{sn}</sectionnumber>\n  <idnumber></idnumber>\n  <added>{t}</added>\n  <score>0</score>\n  <indent>0</indent>\n  <visible>{v}</visible>\n  <visibleoncoursepage>1</visibleoncoursepage>\n  <visibleold>{v}</visibleold>\n  <groupmode>0</groupmode>\n  <groupingid>0</groupingid>\n  <completion>1</completion>\n  <completiongradeitemnumber>$@NULL@$</completiongradeitemnumber>\n  <completionpassgrade>0</completionpassgrade>\n  <completionview>0</completionview>\n  <completionexpected>0</completionexpected>\n  <availability>$@NULL@$</availability>\n  <showdescription>0</showdescription>\n  <downloadcontent>1</downloadcontent>\n  <lang></lang>\n  <tags>\n  </tags>\n</module>",
            cmid = a.cmid,
            sid = sections[a.section].id,
            sn = sections[a.section].number,
            v = u8::from(a.visible),
        );
        file(&mut out, format!("{base}/module.xml"), text(&module_xml));
        file(&mut out, format!("{base}/{m}.xml"), text(&activity_xml));
        file(
            &mut out,
            format!("{base}/inforef.xml"),
            Body::Text(inforef(&ids)),
        );
        file(
            &mut out,
            format!("{base}/grades.xml"),
            text(
                "<activity_gradebook>\n  <grade_items>\n  </grade_items>\n  <grade_letters>\n  </grade_letters>\n</activity_gradebook>",
            ),
        );
        file(
            &mut out,
            format!("{base}/roles.xml"),
            text(
                "<roles>\n  <role_overrides>\n  </role_overrides>\n  <role_assignments>\n  </role_assignments>\n</roles>",
            ),
        );
        file(
            &mut out,
            format!("{base}/filters.xml"),
            text(
                "<filters>\n  <filter_actives>\n  </filter_actives>\n  <filter_configs>\n  </filter_configs>\n</filters>",
            ),
        );
        file(
            &mut out,
            format!("{base}/completion.xml"),
            text("<completions>\n</completions>"),
        );
    }

    // files/ — each blob once, however many records refer to it.
    files_xml.push_str("</files>");
    file(
        &mut out,
        "files.xml".into(),
        Body::Text(files_xml.into_bytes()),
    );
    dir(&mut out, "files/");
    let mut by_hash: Vec<&BlobSpec> = blobs.iter().collect();
    by_hash.sort_by(|a, b| a.sha1.cmp(&b.sha1));
    by_hash.dedup_by(|a, b| a.sha1 == b.sha1);
    let mut last_prefix = String::new();
    for b in by_hash {
        let prefix = &b.sha1[..2];
        if prefix != last_prefix {
            dir(&mut out, &format!("files/{prefix}/"));
            last_prefix = prefix.to_owned();
        }
        file(
            &mut out,
            format!("files/{prefix}/{}", b.sha1),
            Body::Noise {
                seed: b.seed,
                size: b.size,
            },
        );
    }

    // The rest of a Moodle 4.5 course backup, empty here.
    for (name, xml) in [
        (
            "questions.xml",
            "<question_categories>\n</question_categories>",
        ),
        ("roles.xml", "<roles_definition>\n</roles_definition>"),
        (
            "groups.xml",
            "<groups>\n  <groupings>\n  </groupings>\n</groups>",
        ),
        ("scales.xml", "<scales_definition>\n</scales_definition>"),
        (
            "outcomes.xml",
            "<outcomes_definition>\n</outcomes_definition>",
        ),
        (
            "gradebook.xml",
            "<gradebook>\n  <attributes>\n  </attributes>\n  <grade_categories>\n  </grade_categories>\n  <grade_items>\n  </grade_items>\n  <grade_letters>\n  </grade_letters>\n  <grade_settings>\n  </grade_settings>\n</gradebook>",
        ),
        (
            "completion.xml",
            "<course_completion>\n</course_completion>",
        ),
        ("badges.xml", "<badges>\n</badges>"),
    ] {
        file(&mut out, name.into(), text(xml));
    }
    file(
        &mut out,
        "moodle_backup.log".into(),
        Body::Text(b"[info] backup written by etapolku bench-import\n".to_vec()),
    );
    out
}

// ------------------------------------------------------------------------------------------------
// Writing the archive: .ARCHIVE_INDEX first, as Moodle does, then every entry, streamed

fn write_mbz(plan: &Plan, path: &Path) -> Result<()> {
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let gz = GzEncoder::new(
        BufWriter::with_capacity(MIB as usize, file),
        Compression::fast(),
    );
    let mut tar = tar::Builder::new(gz);

    let mut index = format!("Moodle archive file index. Count: {}\n", plan.entries.len());
    for e in &plan.entries {
        match &e.body {
            Body::Dir => {
                let _ = writeln!(index, "{}\td\t0\t?", e.path);
            }
            Body::Text(t) => {
                let _ = writeln!(index, "{}\tf\t{}\t{BACKUP_TIME}", e.path, t.len());
            }
            Body::Noise { size, .. } => {
                let _ = writeln!(index, "{}\tf\t{size}\t{BACKUP_TIME}", e.path);
            }
        }
    }
    append(
        &mut tar,
        ".ARCHIVE_INDEX",
        tar::EntryType::Regular,
        index.len() as u64,
        DIR_MTIME,
        index.as_bytes(),
    )?;
    let total = plan.entries.len();
    let mut written = 0u64;
    let mut next_report = 256 * MIB;
    for (n, e) in plan.entries.iter().enumerate() {
        match &e.body {
            Body::Dir => append(
                &mut tar,
                &e.path,
                tar::EntryType::Directory,
                0,
                DIR_MTIME,
                io::empty(),
            )?,
            Body::Text(t) => append(
                &mut tar,
                &e.path,
                tar::EntryType::Regular,
                t.len() as u64,
                BACKUP_TIME,
                t.as_slice(),
            )?,
            Body::Noise { seed, size } => {
                append(
                    &mut tar,
                    &e.path,
                    tar::EntryType::Regular,
                    *size,
                    BACKUP_TIME,
                    Noise::new(*seed, *size),
                )?;
                written += size;
            }
        }
        if written >= next_report {
            println!(
                "  … {} MiB of blobs written ({}/{} entries)",
                written / MIB,
                n + 1,
                total
            );
            next_report += 256 * MIB;
        }
    }
    let gz = tar.into_inner().context("finishing the tar stream")?;
    let buffered = gz.finish().context("finishing the gzip stream")?;
    let file = buffered
        .into_inner()
        .map_err(|e| e.into_error())
        .context("writing the backup")?;
    file.sync_all().context("syncing the backup to disk")?;
    Ok(())
}

fn append<W: Write>(
    tar: &mut tar::Builder<W>,
    path: &str,
    kind: tar::EntryType,
    size: u64,
    mtime: u64,
    data: impl Read,
) -> Result<()> {
    let mut header = tar::Header::new_ustar();
    header.set_entry_type(kind);
    header.set_size(size);
    header.set_mode(if kind == tar::EntryType::Directory {
        0o755
    } else {
        0o644
    });
    header.set_uid(0);
    header.set_gid(0);
    header.set_mtime(mtime);
    tar.append_data(&mut header, path, data)
        .with_context(|| format!("writing {path} into the archive"))
}

// ------------------------------------------------------------------------------------------------
// Running the import

struct Sample {
    seconds: f64,
    rss_kib: u64,
    read_bytes: u64,
    written_bytes: u64,
}

struct ImportRun {
    seconds: f64,
    peak_rss_kib: u64,
    samples: Vec<Sample>,
    report: serde_json::Value,
}

fn run_import(etapolku: &Path, mbz: &Path, data_dir: &Path, first: bool) -> Result<ImportRun> {
    let before = getrusage(UsageWho::RUSAGE_CHILDREN)
        .context("getrusage")?
        .max_rss();
    if first && before != 0 {
        println!("warning: a child ran before the import; its peak RSS may be counted too");
    }
    nix::unistd::sync();
    let started = Instant::now();
    let mut child = Command::new(etapolku)
        .arg("import")
        .arg(mbz)
        .arg("--data-dir")
        .arg(data_dir)
        .args(["--provider", "Bench", "--json"])
        // A fresh SQLite database in the data directory, whatever the caller's environment says.
        .env_remove("DATABASE_URL")
        .env_remove("ETAPOLKU_DATA_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {}", etapolku.display()))?;
    let pid = child.id();
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let done = Arc::clone(&done);
        thread::spawn(move || sample_proc(pid, started, &done))
    };
    let mut stdout = child.stdout.take().context("no stdout pipe")?;
    let mut stderr = child.stderr.take().context("no stderr pipe")?;
    let out_reader = thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err_reader = thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let status = child.wait().context("waiting for the import")?;
    let seconds = started.elapsed().as_secs_f64();
    done.store(true, Ordering::Relaxed);
    let peak_rss_kib = u64::try_from(
        getrusage(UsageWho::RUSAGE_CHILDREN)
            .context("getrusage")?
            .max_rss(),
    )
    .unwrap_or(0);
    let samples = sampler.join().unwrap_or_default();
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    if !status.success() {
        bail!(
            "the import failed ({status}) after {seconds:.1} s:\n{}",
            stderr.trim_end()
        );
    }
    let noted: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    for line in &noted[noted.len().saturating_sub(3)..] {
        println!("  import stderr: {line}");
    }
    let last = stdout
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let report: serde_json::Value = serde_json::from_str(last).with_context(|| {
        format!("the last line of `etapolku import --json` is not JSON: {last:?}")
    })?;
    Ok(ImportRun {
        seconds,
        peak_rss_kib,
        samples,
        report,
    })
}

/// Samples the child's RSS and I/O counters every 20 ms until it exits.
fn sample_proc(pid: u32, started: Instant, done: &AtomicBool) -> Vec<Sample> {
    let mut samples = Vec::new();
    while !done.load(Ordering::Relaxed) {
        let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let Some(rss_kib) = proc_field(&status, "VmRSS:") else {
            // Gone, or a zombie waiting to be reaped.
            break;
        };
        let io = fs::read_to_string(format!("/proc/{pid}/io")).unwrap_or_default();
        samples.push(Sample {
            seconds: started.elapsed().as_secs_f64(),
            rss_kib,
            read_bytes: proc_field(&io, "rchar:").unwrap_or(0),
            written_bytes: proc_field(&io, "wchar:").unwrap_or(0),
        });
        thread::sleep(Duration::from_millis(20));
    }
    samples
}

fn proc_field(text: &str, key: &str) -> Option<u64> {
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

/// When the memory was used: the samples grouped into phases by the importer's file I/O
/// (reading the upload, unpacking, reading what was unpacked, quiet: fsync, the database), with
/// the largest RSS seen in each.
fn print_rss_profile(samples: &[Sample], archive_bytes: u64) {
    let Some(peak) = samples.iter().max_by_key(|s| s.rss_kib) else {
        return;
    };
    let mib = |b: u64| b as f64 / MIB as f64;
    println!(
        "sampled peak RSS {:.1} MiB at {:.2} s, when the importer had read {:.0} MiB and written {:.0} MiB (the archive is {:.0} MiB)",
        peak.rss_kib as f64 / KIB as f64,
        peak.seconds,
        mib(peak.read_bytes),
        mib(peak.written_bytes),
        mib(archive_bytes)
    );
    println!("phases by the importer's file I/O (/proc/PID/io rchar, wchar; sampled every 20 ms):");
    println!("   from s     to s   activity          read MiB   written MiB   max RSS MiB");
    for p in phases(samples) {
        println!(
            "  {:7.2}  {:7.2}   {:<15}  {:9.0}   {:11.0}   {:11.1}",
            p.start,
            p.end,
            p.label,
            mib(p.read),
            mib(p.written),
            p.max_rss_kib as f64 / KIB as f64
        );
    }
}

fn write_samples(path: &Path, samples: &[Sample]) -> Result<()> {
    let mut csv = String::from("seconds,rss_kib,read_bytes,written_bytes\n");
    for s in samples {
        let _ = writeln!(
            csv,
            "{:.3},{},{},{}",
            s.seconds, s.rss_kib, s.read_bytes, s.written_bytes
        );
    }
    fs::write(path, csv).with_context(|| format!("writing {}", path.display()))?;
    println!("samples written to {}", path.display());
    Ok(())
}

struct Phase {
    start: f64,
    end: f64,
    label: &'static str,
    read: u64,
    written: u64,
    max_rss_kib: u64,
}

fn phases(samples: &[Sample]) -> Vec<Phase> {
    // Less than this between two samples (12.5 MiB/s) is quiet: CPU work, fsync, the database,
    // or creating many tiny files.
    const QUIET: u64 = 256 * KIB;
    let mut out: Vec<Phase> = Vec::new();
    for w in samples.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let read = b.read_bytes.saturating_sub(a.read_bytes);
        let written = b.written_bytes.saturating_sub(a.written_bytes);
        let label = match (read > QUIET, written > QUIET) {
            (true, true) => "reading+writing",
            (true, false) => "reading",
            (false, true) => "writing",
            (false, false) => "quiet",
        };
        let p = Phase {
            start: a.seconds,
            end: b.seconds,
            label,
            read,
            written,
            max_rss_kib: a.rss_kib.max(b.rss_kib),
        };
        push_phase(&mut out, p);
    }
    // Fold blips (shorter than 0.1 s, little I/O) into the phase before them.
    let mut merged: Vec<Phase> = Vec::new();
    for mut p in out {
        if p.end - p.start < 0.1
            && p.read + p.written < 8 * MIB
            && let Some(last) = merged.last_mut()
        {
            p.label = last.label;
        }
        push_phase(&mut merged, p);
    }
    merged
}

fn push_phase(phases: &mut Vec<Phase>, p: Phase) {
    match phases.last_mut() {
        Some(last) if last.label == p.label => {
            last.end = p.end;
            last.read += p.read;
            last.written += p.written;
            last.max_rss_kib = last.max_rss_kib.max(p.max_rss_kib);
        }
        _ => phases.push(p),
    }
}

/// The import's report against what the generator put in; a difference is printed, not fatal.
fn compare_report(report: &serde_json::Value, expected: &Expected) {
    let num = |key: &str| report.get(key).and_then(serde_json::Value::as_u64);
    println!(
        "report: program {} version {}, {} modules, items {}, {} exercises, {} files, {:.1} MiB, {} skipped, {} warnings",
        report
            .get("program_id")
            .map_or("?".into(), ToString::to_string),
        num("version").map_or("?".into(), |v| v.to_string()),
        num("modules").map_or("?".into(), |v| v.to_string()),
        report.get("items").map_or("?".into(), ToString::to_string),
        num("exercises").map_or("?".into(), |v| v.to_string()),
        num("files").map_or("?".into(), |v| v.to_string()),
        num("bytes").unwrap_or(0) as f64 / MIB as f64,
        report
            .get("skipped")
            .and_then(|v| v.as_array())
            .map_or(0, Vec::len),
        report
            .get("warnings")
            .and_then(|v| v.as_array())
            .map_or(0, Vec::len),
    );
    let mut differences = Vec::new();
    for (key, want) in [
        ("modules", expected.modules),
        ("exercises", expected.exercises),
        ("files", expected.files),
        ("bytes", expected.bytes),
    ] {
        if num(key) != Some(want) {
            differences.push(format!("{key}: expected {want}, got {:?}", num(key)));
        }
    }
    let items: BTreeMap<String, u64> = report
        .get("items")
        .and_then(|v| v.as_object())
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_u64()?)))
                .filter(|(_, v)| *v > 0)
                .collect()
        })
        .unwrap_or_default();
    if items != expected.items {
        differences.push(format!(
            "items: expected {:?}, got {items:?}",
            expected.items
        ));
    }
    if report.get("duplicate").and_then(serde_json::Value::as_bool) == Some(true) {
        differences.push("the import says duplicate, in a fresh data directory".into());
    }
    for w in report
        .get("warnings")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .take(5)
    {
        println!("  warning from the import: {w}");
    }
    if differences.is_empty() {
        println!("report matches the generated backup");
    } else {
        for d in differences {
            println!("warning: report differs from the generated backup: {d}");
        }
    }
}

/// Files and bytes under a directory.
fn tree_size(dir: &Path) -> (u64, u64) {
    let mut files = 0;
    let mut bytes = 0;
    let Ok(rd) = fs::read_dir(dir) else {
        return (0, 0);
    };
    for entry in rd.flatten() {
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_dir() {
            let (f, b) = tree_size(&entry.path());
            files += f;
            bytes += b;
        } else {
            files += 1;
            bytes += meta.len();
        }
    }
    (files, bytes)
}
