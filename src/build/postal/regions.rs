//! The GeoNames codes of a postal file's region names: «Белгородская Область» → `RU.09`,
//! «ГРАЙВОРОНСКИЙ РАЙОН» → `RU.09.…`, `Kharkivska` → `UA.07`.
//!
//! Each name is read by the resolver's region engine, the one every query uses, over the GeoNames places
//! and regions read so far. Its answer is checked against the rows themselves: the rows that are a GeoNames
//! place (same name within [`super::MERGE_KM`]) vote for that place's admin1. A clear majority of votes
//! wins over an engine answer it contradicts, and stands in for an engine that knows no answer (a region
//! name the engine does not read, such as GeoNames' «Алтай Республика» against its own "Altai"); each such
//! decision is reported.

use std::collections::HashMap;

use crate::gazetteer::Gazetteer;
use crate::resolve::Resolver;

/// Votes a region name needs before they may overrule or stand in for the region engine.
pub const MIN_VOTES: u32 = 5;
/// Share of its votes the winning admin1 must have to overrule or stand in for the engine.
pub const MIN_VOTE_SHARE: f64 = 0.8;

/// An oblast as a postal file names it: country and admin name 1.
pub type OblastName = (String, String);
/// A district as a postal file names it: country, admin name 1 and admin name 2.
pub type DistrictName = (String, String, String);

/// The codes found for a postal file's region names.
#[derive(Debug, Default)]
pub struct RegionCodes {
    /// Oblast name → admin1 code without the country (`09`).
    pub admin1: HashMap<OblastName, String>,
    /// District name → admin2 code without country and admin1 (`469534`), where GeoNames has the district.
    pub admin2: HashMap<DistrictName, String>,
}

/// Votes: oblast name → admin1 code → rows.
pub type Votes = HashMap<OblastName, HashMap<String, u32>>;

/// Work out the codes of `oblasts` and `districts` with the region engine over `gaz` (GeoNames places and
/// regions), checked against `votes`; `warnings` gets a line for every name decided by the votes.
pub fn region_codes(
    gaz: &Gazetteer,
    oblasts: &[OblastName],
    districts: &[DistrictName],
    votes: &Votes,
    warnings: &mut Vec<String>,
) -> RegionCodes {
    let resolver = Resolver::new(gaz);
    let mut codes = RegionCodes::default();
    for oblast in oblasts {
        let engine = engine_admin1(&resolver, &oblast.0, &oblast.1);
        let voted = votes.get(oblast).and_then(majority);
        let chosen = match (engine, voted) {
            (Some(e), Some(v)) if e != v => {
                warnings.push(format!(
                    "postal region {:?} ({}): the rows' GeoNames namesakes lie in {}.{v}, not in {}.{e} as its name reads; taken as {}.{v}",
                    oblast.1, oblast.0, oblast.0, oblast.0, oblast.0
                ));
                Some(v)
            }
            (Some(e), _) => Some(e),
            (None, Some(v)) => {
                warnings.push(format!(
                    "postal region {:?} ({}): its name is not one the region engine reads; its rows' GeoNames namesakes place it in {}.{v}",
                    oblast.1, oblast.0, oblast.0
                ));
                Some(v)
            }
            (None, None) => None,
        };
        if let Some(code) = chosen {
            codes.admin1.insert(oblast.clone(), code);
        }
    }
    for district in districts {
        let Some(a1) = codes.admin1.get(&(district.0.clone(), district.1.clone())) else { continue };
        let prefix = format!("{}.{a1}.", district.0);
        if let Some(code) = engine_admin2(&resolver, &district.2, &prefix) {
            codes.admin2.insert(district.clone(), code);
        }
    }
    codes
}

/// The admin1 code (without the country) the region engine reads `name` as, in country `cc`. A name with
/// no generic word ("Kharkivska", "Москва") is read as it stands and then as an oblast's adjective.
fn engine_admin1(resolver: &Resolver, cc: &str, name: &str) -> Option<String> {
    if name.trim().is_empty() {
        return None;
    }
    let prefix = format!("{cc}.");
    let find = |text: &str| {
        resolver
            .regions(text)
            .into_iter()
            .find(|h| h.level == 1 && h.code.starts_with(&prefix))
            .map(|h| h.code[prefix.len()..].to_string())
    };
    find(name).or_else(|| find(&format!("{name} oblast")))
}

/// The admin2 code (without country and admin1) of the district the engine reads `name` as, among the
/// districts whose codes start with `prefix` (`RU.09.`).
fn engine_admin2(resolver: &Resolver, name: &str, prefix: &str) -> Option<String> {
    if name.trim().is_empty() {
        return None;
    }
    let find = |text: &str| {
        resolver
            .regions(text)
            .into_iter()
            .find(|h| h.level == 2 && h.code.starts_with(prefix))
            .map(|h| h.code[prefix.len()..].to_string())
    };
    find(name).or_else(|| find(&format!("{name} district")))
}

/// The admin1 code with a clear majority of the votes ([`MIN_VOTES`], [`MIN_VOTE_SHARE`]).
fn majority(votes: &HashMap<String, u32>) -> Option<String> {
    let total: u32 = votes.values().sum();
    let (code, &n) = votes.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?;
    (n >= MIN_VOTES && f64::from(n) >= MIN_VOTE_SHARE * f64::from(total)).then(|| code.clone())
}
