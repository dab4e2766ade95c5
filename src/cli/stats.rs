//! `incimap stats`.

use super::Global;

/// Arguments of `incimap stats`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Run `incimap stats`.
pub fn run(_global: &Global, _args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`incimap stats` is not built yet")
}
