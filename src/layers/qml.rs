//! QGIS layer styles (`.qml`), written beside each layer so QGIS opens it styled: incidents graduated
//! by `border_km`, bands as a transparent ramp, the border as a bold line.

use super::style::{self, Class, Rgb};

const HEAD: &str = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n\
<qgis version=\"3.22.0\" styleCategories=\"Symbology|Labeling|Fields\">\n";

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn options(pairs: &[(&str, String)]) -> String {
    let mut s = String::from("<Option type=\"Map\">");
    for (k, v) in pairs {
        s.push_str(&format!("<Option name=\"{k}\" type=\"QString\" value=\"{}\"/>", esc(v)));
    }
    s.push_str("</Option>");
    // Older readers look at <prop> elements; QGIS 3 reads the Option map.
    for (k, v) in pairs {
        s.push_str(&format!("<prop k=\"{k}\" v=\"{}\"/>", esc(v)));
    }
    s
}

fn marker_symbol(name: &str, fill: Rgb, size_mm: f64) -> String {
    format!(
        "<symbol type=\"marker\" name=\"{name}\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\
<layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\">{}</layer></symbol>\n",
        options(&[
            ("name", "circle".into()),
            ("color", fill.qgis(255)),
            ("outline_color", "35,35,35,255".into()),
            ("outline_style", "solid".into()),
            ("outline_width", "0.2".into()),
            ("outline_width_unit", "MM".into()),
            ("size", format!("{size_mm}")),
            ("size_unit", "MM".into()),
        ])
    )
}

fn line_symbol(name: &str, color: Rgb, width_mm: f64, dash: bool) -> String {
    format!(
        "<symbol type=\"line\" name=\"{name}\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\
<layer class=\"SimpleLine\" enabled=\"1\" locked=\"0\" pass=\"0\">{}</layer></symbol>\n",
        options(&[
            ("line_color", color.qgis(255)),
            ("line_style", if dash { "dash".into() } else { "solid".into() }),
            ("line_width", format!("{width_mm}")),
            ("line_width_unit", "MM".into()),
            ("capstyle", "round".into()),
            ("joinstyle", "round".into()),
        ])
    )
}

fn fill_symbol(name: &str, fill: Rgb, fill_alpha: u8, outline: Rgb, outline_alpha: u8, outline_mm: f64) -> String {
    format!(
        "<symbol type=\"fill\" name=\"{name}\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\
<layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">{}</layer></symbol>\n",
        options(&[
            ("color", fill.qgis(fill_alpha)),
            ("style", "solid".into()),
            ("outline_color", outline.qgis(outline_alpha)),
            ("outline_style", "solid".into()),
            ("outline_width", format!("{outline_mm}")),
            ("outline_width_unit", "MM".into()),
        ])
    )
}

fn single(symbol: String) -> String {
    format!(
        "{HEAD}<renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n\
<symbols>\n{symbol}</symbols>\n</renderer-v2>\n<blendMode>0</blendMode>\n<featureBlendMode>0</featureBlendMode>\n\
<layerOpacity>1</layerOpacity>\n</qgis>\n"
    )
}

fn graduated(attr: &str, ranges: &[(f64, f64, String)], symbols: Vec<String>, opacity: f64) -> String {
    let mut s = format!(
        "{HEAD}<renderer-v2 type=\"graduatedSymbol\" attr=\"{attr}\" graduatedMethod=\"GraduatedColor\" \
symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n<ranges>\n"
    );
    for (i, (lo, hi, label)) in ranges.iter().enumerate() {
        s.push_str(&format!(
            "<range lower=\"{lo:.6}\" upper=\"{hi:.6}\" symbol=\"{i}\" label=\"{}\" render=\"true\"/>\n",
            esc(label)
        ));
    }
    s.push_str("</ranges>\n<symbols>\n");
    for sym in symbols {
        s.push_str(&sym);
    }
    s.push_str(&format!(
        "</symbols>\n<mode name=\"manual\"/>\n<classificationMethod id=\"Manual\"/>\n</renderer-v2>\n\
<blendMode>0</blendMode>\n<featureBlendMode>0</featureBlendMode>\n<layerOpacity>{opacity}</layerOpacity>\n</qgis>\n"
    ));
    s
}

/// Incidents: circles graduated by `border_km` over `classes`.
pub fn incidents(classes: &[Class]) -> String {
    let ranges: Vec<(f64, f64, String)> = classes.iter().map(|c| (c.lower, c.upper, c.label.clone())).collect();
    let symbols = classes.iter().enumerate().map(|(i, c)| marker_symbol(&i.to_string(), c.color, 2.6)).collect();
    graduated("border_km", &ranges, symbols, 1.0)
}

/// Leaders: thin dashed grey lines.
pub fn leaders() -> String {
    single(line_symbol("0", style::LEADER, 0.3, true))
}

/// The land border: a bold dark line.
pub fn border() -> String {
    single(line_symbol("0", style::BORDER, 1.2, false))
}

/// Ukraine: a pale fill with a thin outline.
pub fn ukraine() -> String {
    single(fill_symbol("0", style::UKRAINE_FILL, 110, style::UKRAINE_OUTLINE, 255, 0.3))
}

/// Bands: graduated by `from_km`, a transparent ramp, strongest near the border.
pub fn bands(edges: &[f64]) -> String {
    let n = edges.len().saturating_sub(1);
    let ranges: Vec<(f64, f64, String)> = edges
        .windows(2)
        .map(|w| {
            let label = super::bands::Band { from_km: w[0], to_km: w[1], area: geo::MultiPolygon::new(vec![]) }.label();
            // A band's `from_km` falls in [lower, upper): the upper bound stops short of the next band.
            (w[0], (w[0] + w[1]) / 2.0, label)
        })
        .collect();
    let symbols = (0..n)
        .map(|i| fill_symbol(&i.to_string(), style::BAND, style::band_alpha(i, n), style::BAND, 200, 0.15))
        .collect();
    graduated("from_km", &ranges, symbols, 1.0)
}
