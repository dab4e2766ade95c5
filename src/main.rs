//! The `incimap` command: parses arguments and hands each subcommand to its function in `cli`.

mod cli;

use clap::{Parser, Subcommand};

/// mimalloc instead of glibc's malloc: `map` and `extract` allocate on some threads and free on others,
/// which glibc serialises behind its arena locks (about a fifth of `map`'s time on a million rows).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Give freed memory back to the OS after 100 ms (mimalloc's default is 1 s) and commit new arena memory
/// only as it is used. With the defaults `map --format geojsonseq` on a million rows peaked at 285–299 MB, at
/// the 300 MB bar; with these (and without transparent huge pages: the `no_thp` feature in Cargo.toml), at
/// about 150 MB, and `extract` on 10 MB at about 110 MB. A shorter delay saved little memory and cost time in
/// page faults (10 ms: `extract` 0.55 s instead of 0.45 s). See docs/benchmarks.md. Option numbers are those
/// of `mi_option_e` in mimalloc 3's `mimalloc.h`: libmimalloc-sys 0.1.49 names only mimalloc 2's.
fn configure_allocator() {
    const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option is a plain store into mimalloc's option table, valid at any time.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 100);
    }
}

#[derive(Parser)]
#[command(
    name = "incimap",
    version,
    about = "Locate strikes and crashes near the Russia–Ukraine border from news reports: resolve places, measure distance to the border, map and count them."
)]
struct Cli {
    #[command(flatten)]
    global: cli::Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Resolve place names to GeoNames places.
    #[command(after_help = "Examples:\n  incimap resolve Petropavlovka --region \"Voronezh region\"\n  \
                            incimap resolve --format json < names.txt > places.json")]
    Resolve(cli::resolve::Args),
    /// Signed geodesic distance to the Russia–Ukraine border.
    #[command(after_help = "Examples:\n  incimap distance --lat 50.61 --lon 36.58\n  \
                            incimap distance --format csv --input points.csv > distances.csv")]
    Distance(cli::distance::Args),
    /// Extract incidents (places, roles, dates, weapons) from article text.
    #[command(after_help = "Examples:\n  incimap extract --date 2024-01-15 --format csv article.txt\n  \
                            incimap extract --format json --text-column notes acled_export.csv")]
    Extract(cli::extract::Args),
    /// Write GeoJSON layers, QGIS styles and an offline HTML map.
    #[command(after_help = "Examples:\n  incimap map examples/ -o output/\n  \
                            incimap map --format gpkg --since 2024-05 --region \"Belgorod Oblast\" cir_events.csv -o out/")]
    Map(cli::map::Args),
    /// Distance-from-border statistics.
    #[command(after_help = "Examples:\n  incimap stats --by region --by month examples/\n  \
                            incimap stats --weapon drone --format csv --chart bands.svg output/incidents.geojson")]
    Stats(cli::stats::Args),
    /// Inspect, build or refresh the gazetteer.
    #[command(after_help = "Examples:\n  incimap gazetteer info\n  incimap gazetteer refresh --countries RU,UA,BY")]
    Gazetteer(cli::gazetteer::Args),
}

fn main() {
    configure_allocator();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Resolve(args) => cli::resolve::run(&cli.global, args),
        Command::Distance(args) => cli::distance::run(&cli.global, args),
        Command::Extract(args) => cli::extract::run(&cli.global, args),
        Command::Map(args) => cli::map::run(&cli.global, args),
        Command::Stats(args) => cli::stats::run(&cli.global, args),
        Command::Gazetteer(args) => cli::gazetteer::run(&cli.global, args),
    };
    std::process::exit(cli::report(result));
}
