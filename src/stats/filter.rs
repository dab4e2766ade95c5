//! Which incidents `map` and `stats` keep: a date range, an oblast, a weapon class, an event type. The same
//! selection for both commands, with the region and weapon read by the engines the rest of the tool uses (the
//! resolver's regions, the geoparser's weapon lexicon).

use crate::extract::events::EventType;
use crate::incidents::Incident;

use super::Keyer;

/// The incidents to keep; every part given must hold. An incident without the field a part asks about (no
/// date, no region, no weapon) is left out by that part.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Keep incidents on or after this ISO date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub since: Option<String>,
    /// Keep incidents on or before this ISO date.
    pub until: Option<String>,
    /// Keep incidents in this first-level region (its GeoNames code, `RU.09`).
    pub region: Option<String>,
    /// Keep incidents of this weapon class (`drone`, ...) or, for words of no class, this weapon as written.
    pub weapon: Option<String>,
    pub event_type: Option<EventType>,
}

impl Filter {
    /// Whether nothing is asked: every incident is kept.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// Whether `inc` is kept. `keyer` finds its region (as `stats --by region` does).
    ///
    /// A date of a month or a year is kept when any day of it is in the range: `2024-05` is kept by
    /// `--since 2024-05-20`.
    pub fn keeps(&self, inc: &Incident, keyer: &mut Keyer) -> bool {
        if self.since.is_some() || self.until.is_some() {
            let Some(date) = inc.date.as_deref() else { return false };
            let (first, last) = day_range(date);
            if self.since.as_deref().is_some_and(|s| last.as_str() < day_range(s).0.as_str())
                || self.until.as_deref().is_some_and(|u| first.as_str() > day_range(u).1.as_str())
            {
                return false;
            }
        }
        if let Some(code) = &self.region
            && keyer.key(super::GroupBy::Region, inc) != *code
        {
            return false;
        }
        if let Some(w) = &self.weapon
            && !inc.weapon.as_deref().is_some_and(|iw| iw.eq_ignore_ascii_case(w))
        {
            return false;
        }
        self.event_type.is_none_or(|t| inc.event_type == Some(t))
    }
}

/// The first and last day an ISO date of any precision covers, as comparable text (`2024-05` →
/// `2024-05-01`, `2024-05-31`; a day past a month's end compares as it should).
fn day_range(date: &str) -> (String, String) {
    match date.len() {
        4 => (format!("{date}-01-01"), format!("{date}-12-31")),
        7 => (format!("{date}-01"), format!("{date}-31")),
        _ => (date.to_string(), date.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_cover_their_days() {
        assert_eq!(day_range("2024"), ("2024-01-01".into(), "2024-12-31".into()));
        assert_eq!(day_range("2024-02"), ("2024-02-01".into(), "2024-02-31".into()));
        assert!(day_range("2024-02").1.as_str() < "2024-03-01");
        assert!(Filter::default().is_empty());
    }
}
