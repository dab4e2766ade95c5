//! One incident as a GeoJSON Point feature (every input field plus the computed ones) and its leader
//! line to the nearest border point.

use std::sync::{Arc, LazyLock};

use compact_str::CompactString;
use geographiclib_rs::{Geodesic, GeodesicLine, InverseGeodesic, capability as caps};

use super::json::{BBox, push_position, push_rounded, push_str, push_u64, push_value};
use crate::incidents::{Incident, Precision};
use crate::resolve::Status;

/// Properties `incimap map` adds to every incident (defined with the readers, which restore them).
pub use crate::incidents::schema::COMPUTED_FIELDS;

/// Leaders longer than this get intermediate geodesic points so they follow the ellipsoid on the map
/// (a straight lon/lat chord of 100 km strays about 0.1 km from the geodesic at these latitudes).
const LEADER_DENSIFY_KM: f64 = 100.0;

/// The WGS84 ellipsoid, set up once (its series coefficients are worth computing only once per run).
static WGS84: LazyLock<Geodesic> = LazyLock::new(Geodesic::wgs84);

/// The property name under which input field `name` is written.
pub fn input_field_name(name: &str) -> std::borrow::Cow<'_, str> {
    if is_computed(name) {
        let mut renamed = format!("input_{name}");
        // An input that already has `input_country` as well as `country`: keep prefixing.
        while is_computed(&renamed) {
            renamed.insert_str(0, "input_");
        }
        std::borrow::Cow::Owned(renamed)
    } else {
        std::borrow::Cow::Borrowed(name)
    }
}

/// Whether `name` is one of [`COMPUTED_FIELDS`] (asked for every field of every incident: a length check
/// first rules out most names without comparing text).
fn is_computed(name: &str) -> bool {
    (4..=14).contains(&name.len()) && COMPUTED_FIELDS.contains(&name)
}

fn status_name(s: Status) -> &'static str {
    s.as_str()
}

/// The precision's contract name.
pub fn precision_name(p: Precision) -> &'static str {
    match p {
        Precision::Exact => "exact",
        Precision::Near => "near",
        Precision::Region => "region",
    }
}

fn push_key(out: &mut Vec<u8>, first: &mut bool, key: &str) {
    if !*first {
        out.push(b',');
    }
    *first = false;
    push_str(out, key);
    out.push(b':');
}

fn push_opt_str(out: &mut Vec<u8>, v: Option<&str>) {
    match v {
        Some(s) => push_str(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// The keys of one set of input field names as written (`"name":`, renamed by [`input_field_name`] and
/// JSON-escaped): made once for a table's shared names instead of for every row.
#[derive(Debug)]
pub struct PropertyKeys {
    names: Arc<[CompactString]>,
    keys: Vec<Vec<u8>>,
}

impl PropertyKeys {
    /// The keys of the fields named `names` (see [`crate::incidents::Fields::names`]).
    pub fn new(names: &Arc<[CompactString]>) -> PropertyKeys {
        let keys = names
            .iter()
            .map(|n| {
                let mut key = Vec::new();
                push_str(&mut key, &input_field_name(n));
                key.push(b':');
                key
            })
            .collect();
        PropertyKeys { names: names.clone(), keys }
    }

    /// Whether these are the keys of `names` (the same shared allocation).
    pub fn serves(&self, names: &Arc<[CompactString]>) -> bool {
        Arc::ptr_eq(&self.names, names)
    }
}

/// Append a key that is already written as JSON (`"name":`), after a comma unless it is the first.
fn push_raw_key(out: &mut Vec<u8>, first: &mut bool, key: &[u8]) {
    if !*first {
        out.push(b',');
    }
    *first = false;
    out.extend_from_slice(key);
}

/// Append the `properties` object of an incident.
pub fn push_incident_properties(out: &mut Vec<u8>, inc: &Incident) {
    push_properties(out, inc, None);
}

/// [`push_incident_properties`], with the input fields' keys taken from `keys` when they are for this
/// incident's field names.
fn push_properties(out: &mut Vec<u8>, inc: &Incident, keys: Option<&PropertyKeys>) {
    out.push(b'{');
    let mut first = true;
    let keys = keys.filter(|k| k.serves(inc.fields.names()));
    for (i, (k, v)) in inc.fields.iter().enumerate() {
        // `date` and `weapon` are written normalised (ISO date, weapon class); the input's own text is
        // kept as `input_date`/`weapon_text` only when it says something else.
        let normalised = match k {
            "date" => Some(inc.date.as_deref()),
            "weapon" => Some(inc.weapon.as_deref()),
            "event_type" => Some(inc.event_type.map(|t| t.as_str())),
            _ => None,
        };
        if let Some(norm) = normalised {
            let text = crate::incidents::value_text(v);
            if norm.is_some() && text.as_deref().zip(norm).is_some_and(|(t, n)| t.eq_ignore_ascii_case(n)) {
                continue;
            }
            if text.is_none() {
                continue;
            }
        }
        match keys.and_then(|keys| keys.keys.get(i)) {
            // The input's own wording of a weapon normalised to its class.
            _ if k == "weapon" => push_raw_key(out, &mut first, b"\"weapon_text\":"),
            Some(key) => push_raw_key(out, &mut first, key),
            None => push_key(out, &mut first, &input_field_name(k)),
        }
        push_value(out, v);
    }
    push_raw_key(out, &mut first, b"\"date\":");
    push_opt_str(out, inc.date.as_deref());
    push_raw_key(out, &mut first, b"\"weapon\":");
    push_opt_str(out, inc.weapon.as_deref());
    let m = &inc.measurement;
    push_raw_key(out, &mut first, b"\"border_km\":");
    push_rounded(out, m.border_km, 3);
    push_raw_key(out, &mut first, b"\"country\":");
    push_opt_str(out, m.country);
    push_raw_key(out, &mut first, b"\"inside_ukraine\":");
    out.extend_from_slice(if m.inside_ukraine { b"true" } else { b"false" });
    let place = inc.place.as_ref();
    push_raw_key(out, &mut first, b"\"geonameid\":");
    match place {
        Some(p) => push_u64(out, u64::from(p.geonameid)),
        None => out.extend_from_slice(b"null"),
    }
    push_raw_key(out, &mut first, b"\"place_name\":");
    push_opt_str(out, place.map(|p| p.name.as_str()));
    push_raw_key(out, &mut first, b"\"admin1_name\":");
    push_opt_str(out, place.map(|p| p.admin1_name.as_str()).filter(|s| !s.is_empty()));
    push_raw_key(out, &mut first, b"\"place_source\":");
    push_opt_str(out, place.map(|p| p.source.as_str()));
    push_raw_key(out, &mut first, b"\"status\":");
    push_opt_str(out, inc.status.map(status_name));
    push_raw_key(out, &mut first, b"\"score\":");
    match place {
        Some(p) => push_rounded(out, p.score, 3),
        None => out.extend_from_slice(b"null"),
    }
    push_raw_key(out, &mut first, b"\"precision\":");
    push_str(out, precision_name(inc.precision));
    push_raw_key(out, &mut first, b"\"event_type\":");
    push_opt_str(out, inc.event_type.map(|t| t.as_str()));
    push_raw_key(out, &mut first, b"\"evidence\":");
    push_opt_str(out, inc.evidence.as_deref());
    push_raw_key(out, &mut first, b"\"input_file\":");
    push_str(out, &inc.source);
    push_raw_key(out, &mut first, b"\"input_line\":");
    push_u64(out, inc.line);
    out.push(b'}');
}

/// Append a complete Point feature for an incident with feature `id`.
pub fn push_incident_feature(out: &mut Vec<u8>, id: u64, inc: &Incident, bbox: &mut BBox) {
    push_incident_feature_with(out, id, inc, bbox, None);
}

/// [`push_incident_feature`] with the input fields' keys made beforehand (see [`PropertyKeys`]).
pub fn push_incident_feature_with(
    out: &mut Vec<u8>,
    id: u64,
    inc: &Incident,
    bbox: &mut BBox,
    keys: Option<&PropertyKeys>,
) {
    out.extend_from_slice(b"{\"type\":\"Feature\",\"id\":");
    push_u64(out, id);
    out.extend_from_slice(b",\"geometry\":{\"type\":\"Point\",\"coordinates\":");
    push_position(out, geo::coord! { x: inc.lon, y: inc.lat }, bbox);
    out.extend_from_slice(b"},\"properties\":");
    push_properties(out, inc, keys);
    out.push(b'}');
}

/// Append a LineString feature from the incident to its nearest border point, or return false (and
/// append nothing) when the incident has no finite measurement.
pub fn push_leader_feature(out: &mut Vec<u8>, id: u64, inc: &Incident, bbox: &mut BBox) -> bool {
    let m = &inc.measurement;
    let nb = m.nearest_border;
    if !(m.border_km.is_finite() && nb.lat.is_finite() && nb.lon.is_finite()) {
        return false;
    }
    // An incident on the border line itself has no leader (a one-point line is invalid).
    let same = |a: f64, b: f64| super::json::round_coord(a) == super::json::round_coord(b);
    if same(inc.lat, nb.lat) && same(inc.lon, nb.lon) {
        return false;
    }
    out.extend_from_slice(b"{\"type\":\"Feature\",\"id\":");
    push_u64(out, id);
    out.extend_from_slice(b",\"geometry\":{\"type\":\"LineString\",\"coordinates\":[");
    push_position(out, geo::coord! { x: inc.lon, y: inc.lat }, bbox);
    let km = m.border_km.abs();
    if km > LEADER_DENSIFY_KM {
        // Long leaders follow the geodesic: points every ≤ 100 km along one geodesic line. Its distance and
        // azimuth come from the border measurement when it kept them (the same inverse, solved once).
        let g = &*WGS84;
        let (s12, azi1) = if m.geodesic_m.is_finite() && m.azimuth_deg.is_finite() {
            (m.geodesic_m, m.azimuth_deg)
        } else {
            let (s12, azi1, _azi2, _a12): (f64, f64, f64, f64) = g.inverse(inc.lat, inc.lon, nb.lat, nb.lon);
            (s12, azi1)
        };
        let line = GeodesicLine::new(
            g,
            inc.lat,
            inc.lon,
            azi1,
            Some(caps::LATITUDE | caps::LONGITUDE | caps::DISTANCE_IN),
            None,
            None,
        );
        let steps = (km / LEADER_DENSIFY_KM).ceil() as usize;
        for i in 1..steps {
            let (_a12, lat, lon, ..) =
                line._gen_position(false, s12 * i as f64 / steps as f64, caps::LATITUDE | caps::LONGITUDE);
            out.push(b',');
            push_position(out, geo::coord! { x: lon, y: lat }, bbox);
        }
    }
    out.push(b',');
    push_position(out, geo::coord! { x: nb.lon, y: nb.lat }, bbox);
    out.extend_from_slice(b"]},\"properties\":{\"incident_id\":");
    push_u64(out, id);
    out.extend_from_slice(b",\"border_km\":");
    push_rounded(out, m.border_km, 3);
    out.extend_from_slice(b",\"inside_ukraine\":");
    out.extend_from_slice(if m.inside_ukraine { b"true" } else { b"false" });
    out.extend_from_slice(b",\"place_name\":");
    push_opt_str(out, inc.place.as_ref().map(|p| p.name.as_str()));
    out.extend_from_slice(b"}}");
    true
}
