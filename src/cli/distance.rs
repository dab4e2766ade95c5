//! `incimap distance`.

use super::Global;

/// Arguments of `incimap distance`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Run `incimap distance`.
pub fn run(_global: &Global, _args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`incimap distance` is not built yet")
}
