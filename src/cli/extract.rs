//! `incimap extract`.

use super::Global;

/// Arguments of `incimap extract`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Run `incimap extract`.
pub fn run(_global: &Global, _args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`incimap extract` is not built yet")
}
