//! Geoparsing news text into incidents: toponyms, region phrases, incident roles, dates and weapons.

use crate::border::BorderIndex;
use crate::incidents::{Incident, Unresolved};
use crate::resolve::Resolver;

/// The incidents an article describes (mentions with role `incident`), located and measured; incident
/// mentions that cannot be placed come back as [`Unresolved`]. `report_date` resolves relative dates.
/// (Placeholder: finds nothing.)
pub fn incidents_from_text(
    _text: &str,
    _source: &str,
    _report_date: Option<chrono::NaiveDate>,
    _resolver: &Resolver,
    _border: &BorderIndex,
) -> (Vec<Incident>, Vec<Unresolved>) {
    (Vec::new(), Vec::new())
}
