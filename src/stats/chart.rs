//! SVG charts of a [`Report`]: per panel, a histogram of incidents per distance band (left axis) and the
//! cumulative share of incidents up to each band's upper edge (right axis). With groups, one panel for all
//! incidents followed by one per group (at most [`MAX_PANELS`]), two to a row.

use std::fmt::Write;

use super::{BandCount, Report};

/// Most group panels drawn; further groups are named in a note.
pub const MAX_PANELS: usize = 24;

const PANEL_W: f64 = 620.0;
const PANEL_H: f64 = 340.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 64.0;
const TOP: f64 = 48.0;
const BOTTOM: f64 = 76.0;
const INSIDE_COLOUR: &str = "#e08a3c";
const OUTSIDE_COLOUR: &str = "#4a7fb5";
const CURVE_COLOUR: &str = "#b22222";

/// The chart of `report` as a standalone SVG document.
///
/// ```
/// let mut stats = incimap::stats::Stats::new(incimap::stats::Bands::default(), 0);
/// stats.add(12.0, &[]);
/// let svg = incimap::stats::chart::svg(&stats.report(0), "Incidents");
/// assert!(svg.starts_with("<svg") && svg.contains("Cumulative share"));
/// ```
pub fn svg(report: &Report, title: &str) -> String {
    // Leave out empty bands far inside Ukraine: start at the first band holding anything, or at 0 km.
    let first_used = report.bands.iter().position(|b| b.count > 0);
    let first_outside = report.bands.iter().position(|b| b.to_km.is_none_or(|t| t > 0.0));
    let first = match (first_used, first_outside) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b).unwrap_or(0),
    };
    let mut panels: Vec<(String, u64, &[BandCount])> =
        vec![(format!("All incidents (n = {})", report.count), report.count, &report.bands[first..])];
    for g in report.groups.iter().take(MAX_PANELS) {
        let name = g.label.as_deref().unwrap_or(&g.key);
        panels.push((format!("{name} (n = {})", g.count), g.count, &g.bands[first.min(g.bands.len())..]));
    }
    let cols = if panels.len() > 1 { 2 } else { 1 };
    let rows = panels.len().div_ceil(cols);
    let header = 64.0;
    let omitted = report.groups.len().saturating_sub(MAX_PANELS);
    let footer = if omitted > 0 { 28.0 } else { 8.0 };
    let (w, h) = (PANEL_W * cols as f64, header + PANEL_H * rows as f64 + footer);

    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">"#
    );
    let _ = write!(s, r#"<rect width="{w}" height="{h}" fill="white"/>"#);
    let _ = write!(
        s,
        r#"<text x="{}" y="28" text-anchor="middle" font-size="18" font-weight="bold">{}</text>"#,
        w / 2.0,
        esc(title)
    );
    legend(&mut s, w / 2.0 - 190.0, 50.0);
    for (i, (name, _, bands)) in panels.iter().enumerate() {
        let (x0, y0) = ((i % cols) as f64 * PANEL_W, header + (i / cols) as f64 * PANEL_H);
        panel(&mut s, x0, y0, name, bands);
    }
    if omitted > 0 {
        let _ = write!(
            s,
            r##"<text x="12" y="{}" font-size="12" fill="#555">{omitted} more group(s) not drawn; see the table output.</text>"##,
            h - 10.0
        );
    }
    s.push_str("</svg>\n");
    s
}

fn panel(s: &mut String, x0: f64, y0: f64, name: &str, bands: &[BandCount]) {
    let (pw, ph) = (PANEL_W - LEFT - RIGHT, PANEL_H - TOP - BOTTOM);
    let (left, top) = (x0 + LEFT, y0 + TOP);
    let bottom = top + ph;
    let _ = write!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle" font-size="14" font-weight="bold">{}</text>"#,
        x0 + PANEL_W / 2.0,
        y0 + 22.0,
        esc(name)
    );
    let max = bands.iter().map(|b| b.count).max().unwrap_or(0);
    let (step, top_value) = nice_scale(max);
    // Grid and left axis (counts).
    let mut v = 0;
    while v <= top_value {
        let y = bottom - ph * v as f64 / top_value as f64;
        let _ = write!(
            s,
            r##"<line x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{v}</text>"##,
            left + pw,
            left - 6.0,
            y + 4.0
        );
        v += step;
    }
    // Right axis (cumulative share).
    for pct in [0, 25, 50, 75, 100] {
        let y = bottom - ph * pct as f64 / 100.0;
        let _ =
            write!(s, r##"<text x="{:.1}" y="{:.1}" fill="{CURVE_COLOUR}">{pct}%</text>"##, left + pw + 6.0, y + 4.0);
    }
    // Bars.
    let n = bands.len().max(1) as f64;
    let slot = pw / n;
    let total: u64 = bands.iter().map(|b| b.count).sum();
    let mut cumulative = 0u64;
    let mut curve = format!("{left:.1},{bottom:.1}");
    for (i, b) in bands.iter().enumerate() {
        let x = left + slot * i as f64;
        let bh = ph * b.count as f64 / top_value as f64;
        let inside = b.to_km.is_some_and(|t| t <= 0.0);
        let colour = if inside { INSIDE_COLOUR } else { OUTSIDE_COLOUR };
        let _ = write!(
            s,
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{bh:.1}" fill="{colour}"><title>{} km: {} ({:.1}%)</title></rect>"#,
            x + slot * 0.1,
            bottom - bh,
            slot * 0.8,
            esc(&b.label),
            b.count,
            b.share * 100.0
        );
        if b.count > 0 {
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="11">{}</text>"#,
                x + slot / 2.0,
                bottom - bh - 4.0,
                b.count
            );
        }
        // Band labels, slanted when they would not fit side by side; true minus signs.
        let label = esc(&b.label.replace('-', "\u{2212}"));
        let (lx, ly) = (x + slot / 2.0, bottom + 14.0);
        if slot < 56.0 {
            let _ = write!(
                s,
                r#"<text x="{lx:.1}" y="{ly:.1}" text-anchor="end" font-size="11" transform="rotate(-35 {lx:.1} {ly:.1})">{label}</text>"#
            );
        } else {
            let _ = write!(s, r#"<text x="{lx:.1}" y="{ly:.1}" text-anchor="middle" font-size="11">{label}</text>"#);
        }
        cumulative += b.count;
        let share = if total == 0 { 0.0 } else { cumulative as f64 / total as f64 };
        let _ = write!(curve, " {:.1},{:.1}", x + slot, bottom - ph * share);
    }
    let _ = write!(
        s,
        r##"<line x1="{left}" y1="{bottom}" x2="{:.1}" y2="{bottom}" stroke="#333"/><line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="#333"/><line x1="{:.1}" y1="{top}" x2="{:.1}" y2="{bottom}" stroke="{CURVE_COLOUR}"/>"##,
        left + pw,
        left + pw,
        left + pw
    );
    if total > 0 {
        let _ = write!(s, r#"<polyline points="{curve}" fill="none" stroke="{CURVE_COLOUR}" stroke-width="2"/>"#);
    }
    // Axis titles.
    let _ = write!(
        s,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">Distance to the Russia–Ukraine border, km (negative: inside Ukraine)</text>"#,
        left + pw / 2.0,
        bottom + 58.0
    );
    let _ = write!(
        s,
        r#"<text transform="translate({:.1},{:.1}) rotate(-90)" text-anchor="middle">Incidents</text>"#,
        x0 + 16.0,
        top + ph / 2.0
    );
    let _ = write!(
        s,
        r#"<text transform="translate({:.1},{:.1}) rotate(90)" text-anchor="middle" fill="{CURVE_COLOUR}">Cumulative share</text>"#,
        x0 + PANEL_W - 14.0,
        top + ph / 2.0
    );
}

/// Bar and curve keys, once per chart.
fn legend(s: &mut String, x: f64, y: f64) {
    let _ = write!(
        s,
        r#"<rect x="{x:.1}" y="{:.1}" width="12" height="10" fill="{OUTSIDE_COLOUR}"/><text x="{:.1}" y="{y:.1}">incidents per band</text><rect x="{:.1}" y="{:.1}" width="12" height="10" fill="{INSIDE_COLOUR}"/><text x="{:.1}" y="{y:.1}">inside Ukraine</text><line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{CURVE_COLOUR}" stroke-width="2"/><text x="{:.1}" y="{y:.1}">cumulative share (right axis)</text>"#,
        y - 9.0,
        x + 16.0,
        x + 150.0,
        y - 9.0,
        x + 166.0,
        x + 270.0,
        y - 4.0,
        x + 290.0,
        y - 4.0,
        x + 296.0
    );
}

/// A tick step and axis maximum (a multiple of the step, at least 1) for counts up to `max`.
fn nice_scale(max: u64) -> (u64, u64) {
    let max = max.max(1);
    let raw = max as f64 / 5.0;
    let mag = 10f64.powf(raw.log10().floor()).max(1.0);
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag) as u64;
    let step = step.max(1);
    (step, max.div_ceil(step) * step)
}

/// Escape text for XML.
fn esc(t: &str) -> String {
    t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::nice_scale;

    #[test]
    fn scales() {
        assert_eq!(nice_scale(0), (1, 1));
        assert_eq!(nice_scale(7), (2, 8));
        assert_eq!(nice_scale(100), (20, 100));
        assert_eq!(nice_scale(123), (50, 150));
    }
}
