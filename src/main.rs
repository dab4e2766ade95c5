//! The `incimap` command: parses arguments and hands each subcommand to its function in `cli`.

mod cli;

use clap::{Parser, Subcommand};

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
    Resolve(cli::resolve::Args),
    /// Signed geodesic distance to the Russia–Ukraine border.
    Distance(cli::distance::Args),
    /// Extract incidents (places, roles, dates, weapons) from article text.
    Extract(cli::extract::Args),
    /// Write GeoJSON layers, QGIS styles and an offline HTML map.
    Map(cli::map::Args),
    /// Distance-from-border statistics.
    Stats(cli::stats::Args),
    /// Inspect, build or refresh the gazetteer.
    Gazetteer(cli::gazetteer::Args),
}

fn main() {
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
