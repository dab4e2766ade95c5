//! `index.html`: a self-contained offline map. The page carries its data inline and draws it with a
//! small SVG renderer of its own (`map.js`, `map.css` beside this file): no network request, no tile
//! server, no library. Pan by dragging, zoom with the wheel or the buttons, click an incident for its
//! properties; the legend toggles layers.

use geo::{MultiLineString, MultiPolygon, Simplify};

use super::bands::Band;
use super::json::{self, BBox};
use super::style::{self, Class};

const SCRIPT: &str = include_str!("map.js");
const CSS: &str = include_str!("map.css");

/// Display simplification of the polygons in the page, degrees (about 300 m): the page is for looking,
/// the GeoJSON layers keep full detail.
const SIMPLIFY_DEG: f64 = 0.003;

/// A bounded sample of incident and leader features (already serialised) for the page.
#[derive(Debug)]
pub struct Sample {
    max: usize,
    incidents: Vec<u8>,
    incident_count: u64,
    leaders: Vec<u8>,
    leader_count: u64,
}

impl Sample {
    /// Keep at most `max` incidents (and their leaders).
    pub fn new(max: usize) -> Sample {
        Sample { max, incidents: Vec::new(), incident_count: 0, leaders: Vec::new(), leader_count: 0 }
    }

    /// Offer one serialised incident feature; kept while under the limit.
    pub fn offer_incident(&mut self, feature: &[u8]) {
        if (self.incident_count as usize) < self.max {
            if self.incident_count > 0 {
                self.incidents.push(b',');
            }
            self.incidents.extend_from_slice(feature);
            self.incident_count += 1;
        }
    }

    /// Offer the leader of the incident just offered; kept when that incident was.
    pub fn offer_leader(&mut self, feature: &[u8]) {
        if self.leader_count < self.incident_count && (self.leader_count as usize) < self.max {
            if self.leader_count > 0 {
                self.leaders.push(b',');
            }
            self.leaders.extend_from_slice(feature);
            self.leader_count += 1;
        }
    }

    /// Whether an offer could still be kept (offers after this is false change nothing).
    pub fn takes_more(&self) -> bool {
        (self.incident_count as usize) < self.max
            || (self.leader_count < self.incident_count && (self.leader_count as usize) < self.max)
    }

    /// Incidents kept.
    pub fn incident_count(&self) -> u64 {
        self.incident_count
    }
}

/// A place drawn as a labelled dot for orientation (a regional capital).
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    /// ISO 3166 alpha-2 country code.
    pub country: String,
    /// A national capital (drawn bolder).
    pub capital: bool,
    /// Larger places win where labels would overlap.
    pub population: u64,
}

/// Countries whose regional capitals the page labels.
const LABEL_COUNTRIES: [&str; 3] = ["RU", "UA", "BY"];

/// The regional capitals of Russia, Ukraine and Belarus: each admin1 region's seat as the gazetteer stores it
/// ([`crate::gazetteer::Region::seat`]) that is a capital by its GeoNames feature code (`PPLC`, `PPLA`,
/// `PPLA2`; a few regions' stored seat is a suburb, `PPL`/`PPLX`, which would mislabel the map), within the
/// countries' outlines' bounding box (the western part of Russia the map draws). Sorted by population,
/// largest first.
pub fn regional_capitals(gaz: &crate::gazetteer::Gazetteer) -> Vec<Label> {
    let mut extent = BBox::EMPTY;
    for mp in [&gaz.boundaries.russia, &gaz.boundaries.ukraine, &gaz.boundaries.belarus] {
        for c in mp.0.iter().flat_map(|p| p.exterior().coords()) {
            extent.add(c.x, c.y);
        }
    }
    let mut seen = std::collections::HashSet::new();
    let mut labels: Vec<Label> = gaz
        .admin1
        .iter()
        .filter(|r| LABEL_COUNTRIES.iter().any(|cc| r.code.split('.').next() == Some(cc)))
        .filter_map(|r| r.seat.and_then(|s| gaz.places.get(s as usize)).map(|p| (r.seat, p)))
        .filter(|(_, p)| matches!(p.feature_code.as_str(), "PPLC" | "PPLA" | "PPLA2"))
        .filter(|(_, p)| {
            !extent.is_empty()
                && (extent.west..=extent.east).contains(&p.lon)
                && (extent.south..=extent.north).contains(&p.lat)
        })
        .filter(|(seat, _)| seen.insert(*seat))
        .map(|(_, p)| Label {
            name: p.name.to_string(),
            lat: p.lat,
            lon: p.lon,
            country: p.country.to_string(),
            capital: p.feature_code == "PPLC",
            population: p.population,
        })
        .collect();
    labels.sort_by(|a, b| b.population.cmp(&a.population).then_with(|| a.name.cmp(&b.name)));
    labels
}

/// Everything the page shows.
pub struct PageData<'a> {
    pub incidents_total: u64,
    pub sample: &'a Sample,
    pub land_border: &'a MultiLineString<f64>,
    pub ukraine: &'a MultiPolygon<f64>,
    /// Context outlines: Russia (its western part) and Belarus.
    pub russia: &'a MultiPolygon<f64>,
    pub belarus: &'a MultiPolygon<f64>,
    /// Labelled places (see [`regional_capitals`]).
    pub labels: &'a [Label],
    /// The bands as the layers draw them (cut to Russian land, [`super::bands::clip_to_land`]).
    pub bands: &'a [Band],
    pub classes: &'a [Class],
}

fn push_feature_collection(out: &mut Vec<u8>, features: &[u8]) {
    out.extend_from_slice(b"{\"type\":\"FeatureCollection\",\"features\":[");
    out.extend_from_slice(features);
    out.extend_from_slice(b"]}");
}

/// A country polygon as the page draws it: without specks of holes ([`super::DISPLAY_HOLE_MIN_KM2`]),
/// simplified by [`SIMPLIFY_DEG`]; `null` when empty.
fn push_country(out: &mut Vec<u8>, mp: &MultiPolygon<f64>) {
    if mp.0.is_empty() {
        out.extend_from_slice(b"null");
        return;
    }
    let shown = super::without_small_holes(mp, super::DISPLAY_HOLE_MIN_KM2).simplify(SIMPLIFY_DEG);
    out.extend_from_slice(b"{\"type\":\"Feature\",\"properties\":{},\"geometry\":");
    json::push_multipolygon(out, &shown, &mut BBox::default());
    out.push(b'}');
}

fn push_classes(data: &mut Vec<u8>, classes: &[Class]) {
    data.push(b'[');
    for (i, c) in classes.iter().enumerate() {
        if i > 0 {
            data.push(b',');
        }
        data.extend_from_slice(b"{\"lower\":");
        json::push_fixed6(data, c.lower);
        data.extend_from_slice(b",\"upper\":");
        json::push_fixed6(data, c.upper);
        data.extend_from_slice(b",\"label\":");
        json::push_str(data, &c.label);
        data.extend_from_slice(b",\"color\":");
        json::push_str(data, &c.color.hex());
        data.push(b'}');
    }
    data.push(b']');
}

fn push_colors(data: &mut Vec<u8>) {
    let colors = [
        ("border", style::BORDER),
        ("ukraine_fill", style::UKRAINE_FILL),
        ("ukraine_outline", style::UKRAINE_OUTLINE),
        ("context_fill", style::CONTEXT_FILL),
        ("context_outline", style::CONTEXT_OUTLINE),
        ("leader", style::LEADER),
        ("band", style::BAND),
    ];
    data.push(b'{');
    for (i, (k, c)) in colors.iter().enumerate() {
        if i > 0 {
            data.push(b',');
        }
        json::push_str(data, k);
        data.push(b':');
        json::push_str(data, &c.hex());
    }
    data.push(b'}');
}

fn push_labels(data: &mut Vec<u8>, labels: &[Label]) {
    data.push(b'[');
    for (i, l) in labels.iter().enumerate() {
        if i > 0 {
            data.push(b',');
        }
        data.extend_from_slice(b"{\"name\":");
        json::push_str(data, &l.name);
        data.extend_from_slice(b",\"lon\":");
        json::push_rounded(data, l.lon, 5);
        data.extend_from_slice(b",\"lat\":");
        json::push_rounded(data, l.lat, 5);
        data.extend_from_slice(b",\"country\":");
        json::push_str(data, &l.country);
        data.extend_from_slice(if l.capital { b",\"capital\":true}" } else { b",\"capital\":false}" });
    }
    data.push(b']');
}

fn push_bands(data: &mut Vec<u8>, bands: &[Band]) {
    data.push(b'[');
    for (i, b) in bands.iter().enumerate() {
        if i > 0 {
            data.push(b',');
        }
        data.extend_from_slice(b"{\"label\":");
        json::push_str(data, &b.label());
        data.extend_from_slice(b",\"alpha\":");
        json::push_rounded(data, f64::from(style::band_alpha(i, bands.len())) / 255.0, 3);
        data.extend_from_slice(b",\"geometry\":");
        json::push_multipolygon(data, &b.area.simplify(SIMPLIFY_DEG), &mut BBox::default());
        data.push(b'}');
    }
    data.push(b']');
}

/// The page's data as JSON: the layers, the context, the legend's classes and colours.
fn page_data(d: &PageData) -> Vec<u8> {
    let mut data = Vec::with_capacity(d.sample.incidents.len() + d.sample.leaders.len() + (1 << 20));
    data.extend_from_slice(b"{\"incidents_total\":");
    json::push_u64(&mut data, d.incidents_total);
    data.extend_from_slice(b",\"incidents_shown\":");
    json::push_u64(&mut data, d.sample.incident_count);
    data.extend_from_slice(b",\"classes\":");
    push_classes(&mut data, d.classes);
    data.extend_from_slice(b",\"colors\":");
    push_colors(&mut data);
    data.extend_from_slice(b",\"ukraine\":");
    push_country(&mut data, d.ukraine);
    data.extend_from_slice(b",\"russia\":");
    push_country(&mut data, d.russia);
    data.extend_from_slice(b",\"belarus\":");
    push_country(&mut data, d.belarus);
    data.extend_from_slice(b",\"labels\":");
    push_labels(&mut data, d.labels);
    data.extend_from_slice(b",\"border\":");
    if d.land_border.0.is_empty() {
        data.extend_from_slice(b"null");
    } else {
        let simple = d.land_border.simplify(SIMPLIFY_DEG / 3.0);
        data.extend_from_slice(b"{\"type\":\"Feature\",\"properties\":{},\"geometry\":");
        json::push_multilinestring(&mut data, &simple, &mut BBox::default());
        data.push(b'}');
    }
    data.extend_from_slice(b",\"bands\":");
    push_bands(&mut data, d.bands);
    data.extend_from_slice(b",\"incidents\":");
    push_feature_collection(&mut data, &d.sample.incidents);
    data.extend_from_slice(b",\"leaders\":");
    push_feature_collection(&mut data, &d.sample.leaders);
    data.push(b'}');
    data
}

/// Render the page.
pub fn page(d: &PageData) -> String {
    // Inside <script>, `</` could end the element early; `<\/` is the same JSON string.
    let data = String::from_utf8_lossy(&page_data(d)).replace("</", "<\\/");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n\
<title>incimap: incidents near the Russia–Ukraine border</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n\
<div id=\"map\"></div>\n\
<script id=\"incimap-data\" type=\"application/json\">{data}</script>\n<script>\n{SCRIPT}</script>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The labelled places are the regional capitals: the border oblasts' centres on both sides, the three
    /// national capitals (bolder), no place outside the mapped part of Russia, no seat that GeoNames files
    /// as a suburb.
    #[test]
    fn regional_capitals_are_the_oblast_centres() {
        let gaz = crate::gazetteer::Gazetteer::embedded().unwrap();
        let labels = regional_capitals(&gaz);
        let find = |name: &str| labels.iter().find(|l| l.name == name);
        for name in ["Belgorod", "Kursk", "Bryansk", "Voronezh", "Kharkiv", "Sumy", "Chernihiv", "Luhansk", "Homyel'"] {
            let l = find(name).unwrap_or_else(|| panic!("no label for {name}"));
            assert!(!l.capital, "{name} is not a national capital");
        }
        for name in ["Moscow", "Kyiv", "Minsk"] {
            assert!(find(name).is_some_and(|l| l.capital), "{name} as a capital");
        }
        // Belgorod at its known coordinates (50.61° N, 36.58° E).
        let b = find("Belgorod").unwrap();
        assert!((b.lat - 50.61).abs() < 0.01 && (b.lon - 36.58).abs() < 0.01);
        assert!(find("Vladivostok").is_none(), "beyond the map's part of Russia");
        assert!(find("Khimki").is_none(), "a suburb filed as a region's seat");
        assert!(labels.windows(2).all(|w| w[0].population >= w[1].population), "largest first");
    }
}
