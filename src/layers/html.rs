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

/// Everything the page shows.
pub struct PageData<'a> {
    pub incidents_total: u64,
    pub sample: &'a Sample,
    pub land_border: &'a MultiLineString<f64>,
    pub ukraine: &'a MultiPolygon<f64>,
    pub bands: &'a [Band],
    pub classes: &'a [Class],
}

fn push_feature_collection(out: &mut Vec<u8>, features: &[u8]) {
    out.extend_from_slice(b"{\"type\":\"FeatureCollection\",\"features\":[");
    out.extend_from_slice(features);
    out.extend_from_slice(b"]}");
}

/// Render the page.
pub fn page(d: &PageData) -> String {
    let mut data = Vec::with_capacity(d.sample.incidents.len() + d.sample.leaders.len() + (1 << 20));
    let mut bbox = BBox::EMPTY;
    data.extend_from_slice(b"{\"incidents_total\":");
    json::push_u64(&mut data, d.incidents_total);
    data.extend_from_slice(b",\"incidents_shown\":");
    json::push_u64(&mut data, d.sample.incident_count);

    data.extend_from_slice(b",\"classes\":[");
    for (i, c) in d.classes.iter().enumerate() {
        if i > 0 {
            data.push(b',');
        }
        data.extend_from_slice(b"{\"lower\":");
        json::push_fixed6(&mut data, c.lower);
        data.extend_from_slice(b",\"upper\":");
        json::push_fixed6(&mut data, c.upper);
        data.extend_from_slice(b",\"label\":");
        json::push_str(&mut data, &c.label);
        data.extend_from_slice(b",\"color\":");
        json::push_str(&mut data, &c.color.hex());
        data.push(b'}');
    }
    data.extend_from_slice(b"],\"colors\":{");
    let colors = [
        ("border", style::BORDER),
        ("ukraine_fill", style::UKRAINE_FILL),
        ("ukraine_outline", style::UKRAINE_OUTLINE),
        ("leader", style::LEADER),
        ("band", style::BAND),
    ];
    for (i, (k, c)) in colors.iter().enumerate() {
        if i > 0 {
            data.push(b',');
        }
        json::push_str(&mut data, k);
        data.push(b':');
        json::push_str(&mut data, &c.hex());
    }
    data.extend_from_slice(b"},\"ukraine\":");
    // Lakes and reservoirs are holes in the source polygons: the page draws the territory whole.
    let ukraine = MultiPolygon::new(
        d.ukraine.0.iter().map(|p| geo::Polygon::new(p.exterior().clone(), vec![])).collect::<Vec<_>>(),
    )
    .simplify(SIMPLIFY_DEG);
    let mut ub = BBox::EMPTY;
    data.extend_from_slice(b"{\"type\":\"Feature\",\"properties\":{},\"geometry\":");
    json::push_multipolygon(&mut data, &ukraine, &mut ub);
    data.extend_from_slice(b"},\"border\":");
    if d.land_border.0.is_empty() {
        data.extend_from_slice(b"null");
    } else {
        let simple = d.land_border.simplify(SIMPLIFY_DEG / 3.0);
        data.extend_from_slice(b"{\"type\":\"Feature\",\"properties\":{},\"geometry\":");
        json::push_multilinestring(&mut data, &simple, &mut bbox);
        data.push(b'}');
    }
    data.extend_from_slice(b",\"bands\":[");
    for (i, b) in d.bands.iter().enumerate() {
        if i > 0 {
            data.push(b',');
        }
        data.extend_from_slice(b"{\"label\":");
        json::push_str(&mut data, &b.label());
        data.extend_from_slice(b",\"alpha\":");
        json::push_rounded(&mut data, f64::from(style::band_alpha(i, d.bands.len())) / 255.0, 3);
        data.extend_from_slice(b",\"geometry\":");
        let mut bb = BBox::EMPTY;
        json::push_multipolygon(&mut data, &b.area.simplify(SIMPLIFY_DEG), &mut bb);
        bbox.merge(&bb);
        data.push(b'}');
    }
    data.extend_from_slice(b"],\"incidents\":");
    push_feature_collection(&mut data, &d.sample.incidents);
    data.extend_from_slice(b",\"leaders\":");
    push_feature_collection(&mut data, &d.sample.leaders);
    data.push(b'}');
    let _ = (bbox, ub);

    // Inside <script>, `</` could end the element early; `<\/` is the same JSON string.
    let data = String::from_utf8_lossy(&data).replace("</", "<\\/");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n\
<title>incimap: incidents near the Russia–Ukraine border</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n\
<div id=\"map\"></div>\n\
<script id=\"incimap-data\" type=\"application/json\">{data}</script>\n<script>\n{SCRIPT}</script>\n</body>\n</html>\n"
    )
}
