//! `incimap gazetteer refresh`.

use super::Global;
use super::gazetteer::RefreshArgs;

/// Run `incimap gazetteer refresh`.
pub fn run(_global: &Global, _args: RefreshArgs) -> anyhow::Result<()> {
    anyhow::bail!("`incimap gazetteer refresh` is not built yet")
}
