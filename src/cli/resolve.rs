//! `incimap resolve`.

use super::Global;

/// Arguments of `incimap resolve`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Run `incimap resolve`.
pub fn run(_global: &Global, _args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`incimap resolve` is not built yet")
}
