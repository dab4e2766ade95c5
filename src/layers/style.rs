//! Colours and classes shared by the QGIS styles and the HTML map, so both draw the same legend.

/// An RGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
    /// QGIS' `r,g,b,a`.
    pub fn qgis(self, alpha: u8) -> String {
        format!("{},{},{},{}", self.0, self.1, self.2, alpha)
    }
}

/// Incidents inside Ukraine (negative `border_km`).
pub const INSIDE: Rgb = Rgb(118, 42, 131);
/// The land border line.
pub const BORDER: Rgb = Rgb(20, 20, 20);
/// Ukraine's territory.
pub const UKRAINE_FILL: Rgb = Rgb(255, 236, 160);
pub const UKRAINE_OUTLINE: Rgb = Rgb(150, 130, 60);
/// Neighbouring countries drawn for orientation in the HTML map (Russia, Belarus): land, against the sea.
pub const CONTEXT_FILL: Rgb = Rgb(242, 239, 233);
pub const CONTEXT_OUTLINE: Rgb = Rgb(140, 140, 140);
/// Leader lines.
pub const LEADER: Rgb = Rgb(90, 90, 90);
/// Distance bands.
pub const BAND: Rgb = Rgb(215, 48, 39);

// ColorBrewer RdYlBu, near (red) to far (blue).
const RAMP: [Rgb; 6] = [
    Rgb(215, 48, 39),
    Rgb(252, 141, 89),
    Rgb(254, 224, 144),
    Rgb(224, 243, 248),
    Rgb(145, 191, 219),
    Rgb(69, 117, 180),
];

fn lerp(a: Rgb, b: Rgb, t: f64) -> Rgb {
    let m = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    Rgb(m(a.0, b.0), m(a.1, b.1), m(a.2, b.2))
}

/// `n` colours from near (red) to far (blue).
pub fn ramp(n: usize) -> Vec<Rgb> {
    if n <= 1 {
        return vec![RAMP[0]; n];
    }
    (0..n)
        .map(|i| {
            let pos = i as f64 / (n - 1) as f64 * (RAMP.len() - 1) as f64;
            let lo = (pos.floor() as usize).min(RAMP.len() - 2);
            lerp(RAMP[lo], RAMP[lo + 1], pos - lo as f64)
        })
        .collect()
}

/// A class of incidents by `border_km`: `lower <= border_km < upper`.
#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    pub lower: f64,
    pub upper: f64,
    pub label: String,
    pub color: Rgb,
}

/// Incident classes for band `edges`: inside Ukraine, one per band, and beyond the last edge. The
/// outer bounds are finite (QGIS ranges need numbers): ±20,000 km covers the Earth.
pub fn incident_classes(edges: &[f64]) -> Vec<Class> {
    let fmt = |v: f64| {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    let mut out = vec![Class { lower: -20000.0, upper: 0.0, label: "inside Ukraine".into(), color: INSIDE }];
    let mut bounds: Vec<f64> = edges.to_vec();
    if bounds.first().is_none_or(|&e| e > 0.0) {
        bounds.insert(0, 0.0);
    }
    let colors = ramp(bounds.len());
    for (i, w) in bounds.windows(2).enumerate() {
        out.push(Class {
            lower: w[0],
            upper: w[1],
            label: format!("{}–{} km", fmt(w[0]), fmt(w[1])),
            color: colors[i],
        });
    }
    let last = *bounds.last().unwrap_or(&0.0);
    out.push(Class {
        lower: last,
        upper: 20000.0,
        label: format!("over {} km", fmt(last)),
        color: colors[colors.len() - 1],
    });
    out
}

/// Fill opacity (0–255) of band `i` of `n`: the nearest band strongest.
pub fn band_alpha(i: usize, n: usize) -> u8 {
    let t = if n <= 1 { 0.0 } else { i as f64 / (n - 1) as f64 };
    (150.0 - 110.0 * t).round() as u8
}
