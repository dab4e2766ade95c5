//! The `--bands` grammar, one for `map` and `stats`: band edges in km from the Russia–Ukraine border, outside
//! Ukraine. `map` draws the bands between consecutive edges; `stats` counts incidents in the same bands, in
//! their mirror images inside Ukraine, and beyond the outermost edges.

/// The farthest band edge accepted, km (the drawn bands' projection error grows with distance).
pub const MAX_EDGE_KM: f64 = 1000.0;

/// Most band edges accepted: each drawn band costs about 0.17 s to build, and a map or table of more bands than
/// this is no longer readable.
pub const MAX_EDGES: usize = 32;

/// Parse a `--bands` list: ascending, non-negative km edges, comma-separated (`0,10,25,50,100,250`). A first
/// edge above 0 starts a band at the border (`10` is `0,10`); a trailing `inf`/`∞` is allowed and dropped (the
/// band beyond the last edge is open).
///
/// ```
/// use incimap::border::band_edges::parse;
/// assert_eq!(parse("0, 10,25.5,inf").unwrap(), vec![0.0, 10.0, 25.5]);
/// assert_eq!(parse("10").unwrap(), vec![0.0, 10.0]);
/// assert!(parse("10,5").is_err());
/// assert!(parse("-10,0,10").unwrap_err().contains("0 or more"));
/// let many: Vec<String> = (0..40).map(|i| i.to_string()).collect();
/// assert!(parse(&many.join(",")).unwrap_err().contains("at most 32"));
/// ```
pub fn parse(list: &str) -> Result<Vec<f64>, String> {
    let mut edges = vec![0.0];
    let parts: Vec<&str> = list.split(',').map(str::trim).collect();
    if parts.len() > MAX_EDGES {
        return Err(format!("--bands: {} edges; at most {MAX_EDGES}", parts.len()));
    }
    for (i, part) in parts.iter().enumerate() {
        let lower = part.to_ascii_lowercase();
        if matches!(lower.as_str(), "inf" | "+inf" | "infinity" | "∞") {
            if i + 1 == parts.len() && i > 0 {
                break;
            }
            return Err(format!("--bands: `{part}` may only be the last edge, after a finite one"));
        }
        let v: f64 = part.parse().map_err(|_| format!("--bands: `{part}` is not a number of km"))?;
        if !v.is_finite() || v < 0.0 {
            return Err(format!(
                "--bands: {part} km: edges are distances from the border outside Ukraine, 0 or more (stats \
                 mirrors them inside Ukraine)"
            ));
        }
        if v > MAX_EDGE_KM {
            return Err(format!("--bands: {part} km is beyond the {MAX_EDGE_KM} km bands reach"));
        }
        let prev = edges[edges.len() - 1];
        if v == 0.0 && i == 0 {
            continue;
        }
        if v <= prev {
            return Err(format!("--bands: edges must increase ({prev} then {v})"));
        }
        edges.push(v);
    }
    if edges.len() < 2 {
        return Err("--bands needs an edge above 0, e.g. 0,10,25".to_string());
    }
    Ok(edges)
}
