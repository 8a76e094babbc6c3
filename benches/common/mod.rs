//! What the benchmark binaries share: the paths and test password they run with, timing one command
//! under `/usr/bin/time` (median wall time, largest peak RSS), and the input both the signing and the
//! verification benches measure (the 200-page noise PDF). Included by `#[path]` from each
//! bench, so there is one copy of the measuring code.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use motcua::pdf::{AssembleOptions, Profile, assemble};

pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");
pub const MOTCUA: &str = env!("CARGO_BIN_EXE_motcua");
pub const P12_PASSWORD: &str = "matkhau-thu-nghiem";
pub const PASSWORD_VAR: &str = "MOTCUA_BENCH_P12_PASSWORD";

/// One timed command: median wall time and largest peak resident memory of its runs.
#[derive(Clone, Copy)]
pub struct Run {
    pub seconds: f64,
    pub max_rss_kb: u64,
}

pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

pub fn os(text: impl AsRef<std::ffi::OsStr>) -> OsString {
    text.as_ref().to_os_string()
}

/// Runs `program args…` under `/usr/bin/time -f %M` `runs` times. `must_succeed`: a failing exit
/// status aborts the bench (the reference validators' exit codes say "untrusted" etc., so only
/// ours is held to it).
pub fn measure(
    work: &Path,
    runs: usize,
    program: &OsString,
    args: &[OsString],
    must_succeed: bool,
) -> Run {
    measure_with(work, runs, program, args, must_succeed, &|| {})
}

/// [`measure`] with `before_each` run (untimed) before every run, e.g. to remove the previous
/// run's output so each run writes a new file rather than replacing one (freeing a 67 MB file's
/// blocks costs either tool tens of milliseconds on ext4).
pub fn measure_with(
    work: &Path,
    runs: usize,
    program: &OsString,
    args: &[OsString],
    must_succeed: bool,
    before_each: &dyn Fn(),
) -> Run {
    let memory_file = work.join("time-max-rss.txt");
    let mut times = Vec::new();
    let mut rss = 0;
    for _ in 0..runs {
        before_each();
        let start = Instant::now();
        let output = Command::new("/usr/bin/time")
            .arg("-f")
            .arg("%M")
            .arg("-o")
            .arg(&memory_file)
            .arg(program)
            .args(args)
            .env(PASSWORD_VAR, P12_PASSWORD)
            .output()
            .unwrap_or_else(|e| panic!("cannot run /usr/bin/time {program:?}: {e}"));
        times.push(start.elapsed().as_secs_f64());
        assert!(
            !must_succeed || output.status.success(),
            "{program:?} {args:?} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let text = std::fs::read_to_string(&memory_file).unwrap_or_default();
        rss = rss.max(
            text.lines()
                .rev()
                .find_map(|l| l.trim().parse::<u64>().ok())
                .unwrap_or(0),
        );
    }
    Run {
        seconds: median(times),
        max_rss_kb: rss,
    }
}

/// A reference tool from the project's venv (`make test`/`make bench` install it there), else from PATH.
pub fn tool(venv_name: &str, fallback: &str) -> OsString {
    let venv = Path::new(ROOT).join(".tools/venv/bin").join(venv_name);
    if venv.exists() {
        venv.into_os_string()
    } else {
        os(fallback)
    }
}

/// A small deterministic generator (xorshift), so inputs are the same on every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 32) as u32
    }
}

/// Writes `image` as a JPEG of `quality` that declares `dpi`.
pub fn write_jpeg(image: &image::DynamicImage, path: &Path, quality: u8, dpi: u16) {
    let mut bytes = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality);
    encoder.set_pixel_density(image::codecs::jpeg::PixelDensity::dpi(dpi));
    encoder.encode_image(image).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// The signing and verification benches' input: 200 pages of 450×450 noise JPEGs (10 distinct ones
/// of about 100 KB), assembled as they are into a PDF of about 20 MB.
pub fn noise_pdf_200_pages(work: &Path) -> PathBuf {
    let folder = work.join("noise");
    std::fs::create_dir_all(&folder).unwrap();
    let mut inputs = Vec::new();
    for i in 0..200u64 {
        let path = folder.join(format!("noise-{i:03}.jpg"));
        if i < 10 {
            let mut rng = Rng(i + 7);
            let image = image::GrayImage::from_fn(450, 450, |_, _| image::Luma([rng.next() as u8]));
            write_jpeg(&image::DynamicImage::ImageLuma8(image), &path, 60, 72);
        } else {
            std::fs::copy(folder.join(format!("noise-{:03}.jpg", i % 10)), &path).unwrap();
        }
        inputs.push(path);
    }
    let out = work.join("big-200-pages.pdf");
    let options = AssembleOptions {
        profile: Profile::Archive,
        clean: false,
        ..AssembleOptions::default()
    };
    assemble(&inputs, &options, &out).unwrap();
    out
}
