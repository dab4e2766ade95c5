//! `incimap map`.

use super::Global;

/// Arguments of `incimap map`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Run `incimap map`.
pub fn run(_global: &Global, _args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`incimap map` is not built yet")
}
