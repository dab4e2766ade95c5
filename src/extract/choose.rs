//! Choosing each span's place: its candidates under hard constraints (the region named beside it), ranked
//! by a prior (prominence, the document's regions, the war zone), then by closeness to the other places the
//! document names; a close rival makes the pick ambiguous. Every weight and threshold is in [`SCORING`].

use std::sync::Arc;

use compact_str::CompactString;

use super::Precision;
use super::{CACHE_LIMIT, Extractor, Span, SpanKind};
use crate::border::Measurement;
use crate::gazetteer::{Place, PointPrecision};
use crate::resolve::{Candidate, Status};

/// The weights and thresholds of the choice, in one place.
pub struct Scoring {
    /// Prior of a place by its GeoNames feature code (others: 0).
    pub feature: &'static [(&'static str, f64)],
    /// Prior per decade of population (log10 of population + 1).
    pub per_population_decade: f64,
    /// Prior of a place in the war zone: all of Ukraine, and Russia near the border, fading with the distance
    /// from it as exp(−km / `war_zone_km`) (Belarus and places no border measure covers: none).
    pub war_zone: f64,
    /// How fast the war-zone prior fades into Russia (km): strikes and crashes thin out with the distance from
    /// the border; Moscow (about 450 km) keeps two thirds of it, Perm (about 1,400 km) a quarter. (300, 500 and
    /// 1,000 km were tried: the development corpora and blind3 score the same; on the real records 1,000 km
    /// places the fewest wrong, 10.75 % against 10.92 % at 300 km.)
    pub war_zone_km: f64,
    /// Prior of a place in a region the document names anywhere.
    pub document_region: f64,
    /// How many spans either side count as "the other places of the story": a long input is many articles.
    pub proximity_window: usize,
    /// Closeness to the nearest other place adds exp(−d / `closeness_km`).
    pub closeness_km: f64,
    /// A candidate within this many km of the best is the same place twice, no rival.
    pub same_place_km: f64,
    /// A rival whose score is within this of the best makes the pick ambiguous.
    pub ambiguous_margin: f64,
}

/// See [`Scoring::war_zone_km`].
const WAR_ZONE_KM: f64 = 1000.0;

/// The choice's weights (see [`Scoring`]); tuned on the development corpora (tests/data/dev1, dev2).
pub const SCORING: Scoring = Scoring {
    feature: &[
        ("PPLC", 0.6),
        ("PPLA", 0.5),
        ("PPLA2", 0.3),
        ("PPLA3", 0.15),
        ("PPLX", -0.3),
        ("PPLH", -0.3),
        ("PPLQ", -0.3),
    ],
    per_population_decade: 0.12,
    war_zone: 0.3,
    war_zone_km: WAR_ZONE_KM,
    document_region: 1.0,
    proximity_window: 40,
    closeness_km: 150.0,
    same_place_km: 30.0,
    ambiguous_margin: 0.15,
};

impl Scoring {
    /// A place's prior but for the document's regions; `border`: its measurement against the border.
    fn base_prior(&self, pl: &Place, border: Option<&Measurement>) -> f64 {
        let fc = self.feature.iter().find(|(code, _)| *code == &*pl.feature_code).map_or(0.0, |(_, w)| *w);
        let war_zone = match border {
            Some(m) if m.inside_ukraine => self.war_zone,
            Some(m) if m.country == Some("RU") => self.war_zone * (-m.border_km.max(0.0) / self.war_zone_km).exp(),
            _ => 0.0,
        };
        self.per_population_decade * ((pl.population as f64) + 1.0).log10() + fc + war_zone
    }
}

impl Extractor<'_, '_> {
    /// Pick each span's place into `buffers.choices`. `name_ids[k]` identifies span `k`'s name (equal names,
    /// equal ids); `doc_regions` are the admin1 codes of the regions the document names.
    pub(super) fn choose(
        &self,
        text: &str,
        spans: &[Span],
        name_ids: &[u32],
        doc_regions: &[CompactString],
        buffers: &mut ChooseScratch,
    ) {
        self.candidates(text, spans, &mut buffers.cands);
        self.priors(doc_regions, buffers);
        let b = buffers;
        b.first.clear();
        b.first.extend((0..spans.len()).map(|k| {
            let (pr, pt) = (&b.priors[b.cands.range(k)], &b.points[b.cands.range(k)]);
            let best = (0..pr.len()).max_by(|&x, &y| pr[x].total_cmp(&pr[y]))?;
            Some(pt[best])
        }));
        b.choices.clear();
        for (k, sp) in spans.iter().enumerate() {
            let choice = match sp.kind {
                SpanKind::Settlement if !b.cands.get(k).is_empty() => self.pick(k, name_ids, b),
                _ => self.seat_choice(sp),
            };
            b.choices.push(choice);
        }
    }

    /// Each span's candidate places under its hard constraints: the places of its name (the lookup's, then
    /// the resolver's), only those in the region named beside it. Region spans have none.
    fn candidates(&self, text: &str, spans: &[Span], cands: &mut Ragged<u32>) {
        let gaz = self.gaz;
        cands.clear();
        for sp in spans {
            if sp.kind != SpanKind::Settlement {
                cands.close();
                continue;
            }
            let from = cands.items.len();
            cands.items.extend_from_slice(sp.places());
            for &p in self.resolver_candidates(sp, text).iter() {
                if !cands.items[from..].contains(&p) {
                    cands.items.push(p);
                }
            }
            if let Some(r) = &sp.region {
                // As `Place::in_admin1` and `Place::admin2_code` would say, without splitting or formatting
                // the codes for every candidate.
                let admin1 = r.admin1().split_once('.').filter(|(_, a1)| !a1.is_empty());
                let mut kept = from;
                for i in from..cands.items.len() {
                    let p = cands.items[i];
                    let pl = &gaz.places[p as usize];
                    let keep = admin1.is_some_and(|(cc, a1)| *pl.country == *cc && *pl.admin1 == *a1)
                        && match (r.admin2(), pl.admin2.is_empty()) {
                            (Some(a2), false) => is_admin2_code(pl, a2),
                            _ => true,
                        };
                    if keep {
                        cands.items[kept] = p;
                        kept += 1;
                    }
                }
                cands.items.truncate(kept);
            }
            cands.close();
        }
    }

    /// The candidates' priors and points, in the order of `cands.items`. The rest of a place's prior but for
    /// the document's regions, and its point, are worked out once per extractor: documents name the same
    /// places again and again.
    fn priors(&self, doc_regions: &[CompactString], b: &mut ChooseScratch) {
        let gaz = self.gaz;
        // The document's regions split once (as `Place::in_admin1` splits them).
        let doc_split: Vec<(&str, &str)> =
            doc_regions.iter().filter_map(|d| d.split_once('.')).filter(|(_, a1)| !a1.is_empty()).collect();
        let mut base_priors = self.base_priors.borrow_mut();
        if base_priors.len() >= CACHE_LIMIT {
            base_priors.clear();
        }
        b.priors.clear();
        b.points.clear();
        for &p in &b.cands.items {
            let pl = &gaz.places[p as usize];
            let (base, point) = *base_priors.entry(p).or_insert_with(|| {
                let border = self.measure_place(p, pl.lat, pl.lon);
                (SCORING.base_prior(pl, border.as_ref()), Point::new(pl.lat, pl.lon))
            });
            let in_document_region =
                doc_split.iter().any(|&(cc, a1)| same_code(&pl.country, cc) && same_code(&pl.admin1, a1));
            b.priors.push(base + if in_document_region { SCORING.document_region } else { 0.0 });
            b.points.push(point);
        }
    }

    /// The pick for settlement span `k`, which has candidates: by prior, then by closeness to the other places
    /// near it in the text (their first-pass points).
    fn pick(&self, k: usize, name_ids: &[u32], b: &mut ChooseScratch) -> Choice {
        let gaz = self.gaz;
        let (ck, pk, points) = (b.cands.get(k), &b.priors[b.cands.range(k)], &b.points[b.cands.range(k)]);
        // Neighbours in the text only: a long input is many articles.
        let window = k.saturating_sub(SCORING.proximity_window)..(k + SCORING.proximity_window + 1).min(b.first.len());
        b.neighbours.clear();
        if ck.len() > 1 {
            b.neighbours.extend(window.filter(|&j| name_ids[j] != name_ids[k]).filter_map(|j| b.first[j]));
        }
        let neighbours = &b.neighbours;
        let score = |i: usize| -> f64 {
            // A village known only by its district stands at the district's seat: how near that is to the
            // other places says nothing of where the village is.
            if gaz.places[ck[i] as usize].precision == PointPrecision::District {
                return pk[i];
            }
            // The closest neighbour decides: exp(-d / closeness_km) is largest for the smallest d.
            let nearest = points[i].km_to_nearest(neighbours);
            pk[i] + if nearest.is_finite() { (-nearest / SCORING.closeness_km).exp() } else { 0.0 }
        };
        // A lone candidate wins whatever its score. Candidates go by their index in `ck`.
        let scored = &mut b.scored;
        scored.clear();
        if ck.len() == 1 {
            scored.push((0, 0.0));
        } else {
            scored.extend((0..ck.len()).map(|i| (i, score(i))));
        }
        scored.sort_by(|x, y| y.1.total_cmp(&x.1));
        let (best_i, s1) = scored[0];
        let best = ck[best_i];
        // A rival known only by its district could not be judged by closeness: it counts as near as the best
        // one is.
        let rival =
            scored.iter().skip(1).find(|&&(i, _)| points[best_i].km_to(&points[i]) > SCORING.same_place_km).map(
                |&(i, s2)| {
                    let unplaced = gaz.places[ck[i] as usize].precision == PointPrecision::District;
                    (i, if unplaced { s2.max(pk[i] + (s1 - pk[best_i])) } else { s2 })
                },
            );
        let (status, conf) = match rival {
            Some((_, s2)) if s1 - s2 < SCORING.ambiguous_margin => (Status::Ambiguous, 0.5),
            Some((_, s2)) => (Status::Resolved, (0.5 + (s1 - s2) / 2.0).min(0.99)),
            None => (Status::Resolved, 0.99),
        };
        let pl = &gaz.places[best as usize];
        Choice {
            status,
            // A village known only by its district is placed at the district's seat.
            precision: if pl.precision == PointPrecision::District { Precision::Near } else { Precision::Exact },
            place: Some(self.candidate(best, (conf * 1000.0).round() / 1000.0)),
            capital: pl.feature_code == "PPLC" || is_capital_name(&pl.name),
        }
    }

    /// The pick for a span without candidates: a settlement the gazetteer lacks (at its region's centre or
    /// district's seat, when a region is named beside it), a district (its seat) or a region (its centre).
    fn seat_choice(&self, sp: &Span) -> Choice {
        let seat = sp.region.as_ref().and_then(|r| r.seat);
        match sp.kind {
            SpanKind::Settlement => match &sp.region {
                Some(r) => Choice {
                    status: Status::NotFound,
                    precision: if r.level == 2 { Precision::Near } else { Precision::Region },
                    place: r.seat.map(|s| self.candidate(s, 0.5)),
                    capital: false,
                },
                None => Choice { status: Status::NotFound, precision: Precision::Exact, place: None, capital: false },
            },
            SpanKind::District | SpanKind::Region => Choice {
                status: if seat.is_some() { Status::Resolved } else { Status::NotFound },
                precision: if sp.kind == SpanKind::District { Precision::Near } else { Precision::Region },
                place: seat.map(|s| self.candidate(s, 0.9)),
                capital: false,
            },
        }
    }
}

/// The buffers [`Extractor::choose`] fills for each document.
#[derive(Default)]
pub(super) struct ChooseScratch {
    /// Each span's candidate places, under its hard constraints.
    cands: Ragged<u32>,
    /// The candidates' priors and points, in the order of `cands.items`.
    priors: Vec<f64>,
    points: Vec<Point>,
    /// Each span's best point by prior alone (the first pass).
    first: Vec<Option<Point>>,
    /// The first-pass points of one span's neighbours.
    neighbours: Vec<Point>,
    /// One span's candidates (indices in its list) with their scores.
    scored: Vec<(usize, f64)>,
    /// The pick for each span: what [`Extractor::choose`] gives.
    pub(super) choices: Vec<Choice>,
}

/// Lists of varying length stored end to end: list `k` is `items[ends[k - 1]..ends[k]]`.
struct Ragged<T> {
    items: Vec<T>,
    ends: Vec<usize>,
}

impl<T> Default for Ragged<T> {
    fn default() -> Self {
        Ragged { items: Vec::new(), ends: Vec::new() }
    }
}

impl<T> Ragged<T> {
    /// No lists (the buffers are kept).
    fn clear(&mut self) {
        self.items.clear();
        self.ends.clear();
    }

    /// End the list being built (the items pushed since the previous one).
    fn close(&mut self) {
        self.ends.push(self.items.len());
    }

    /// Where list `k` lies in `items` (and in any list kept in step with them).
    fn range(&self, k: usize) -> std::ops::Range<usize> {
        let from = if k == 0 { 0 } else { self.ends[k - 1] };
        from..self.ends[k]
    }

    fn get(&self, k: usize) -> &[T] {
        &self.items[self.range(k)]
    }
}

/// Are two short codes ("RU", "09") equal? Two-byte codes are compared inline: the library call for
/// two bytes costs more than the compare.
fn same_code(a: &str, b: &str) -> bool {
    match (a.as_bytes(), b.as_bytes()) {
        ([a0, a1], [b0, b1]) => a0 == b0 && a1 == b1,
        (a, b) => a == b,
    }
}

/// Is `a2` the place's admin2 code ([`crate::gazetteer::Place::admin2_code`]), compared without building it?
fn is_admin2_code(pl: &crate::gazetteer::Place, a2: &str) -> bool {
    if pl.admin1.is_empty() || pl.admin2.is_empty() {
        return a2.is_empty();
    }
    let parts: [&str; 3] = [&pl.country, &pl.admin1, &pl.admin2];
    a2.len() == parts.iter().map(|p| p.len()).sum::<usize>() + 2
        && a2.starts_with(parts[0])
        && a2[parts[0].len()..].starts_with('.')
        && a2[parts[0].len() + 1..].starts_with(parts[1])
        && a2[parts[0].len() + 1 + parts[1].len()..].starts_with('.')
        && a2.ends_with(parts[2])
}

/// The pick for one span.
pub(super) struct Choice {
    pub(super) status: Status,
    pub(super) precision: Precision,
    pub(super) place: Option<Arc<Candidate>>,
    /// The place is a national capital (may stand for its government).
    pub(super) capital: bool,
}

fn is_capital_name(name: &str) -> bool {
    matches!(name, "Kyiv" | "Moscow" | "Minsk" | "Kiev")
}

/// A point with its latitude's cosine kept, so that ranking distances ([`Point::km_to`]) needs no
/// trigonometry per pair.
#[derive(Debug, Clone, Copy)]
pub(super) struct Point {
    lat: f64,
    lon: f64,
    cos_lat: f64,
}

impl Point {
    fn new(lat: f64, lon: f64) -> Point {
        Point { lat, lon, cos_lat: lat.to_radians().cos() }
    }

    /// Equirectangular distance in km with the mean of the two latitudes' cosines: enough to rank candidates.
    fn km_to(&self, o: &Point) -> f64 {
        6371.0 * self.squares_to(o).sqrt()
    }

    /// The least [`Point::km_to`] from here to `others` (infinite when there are none), the same value,
    /// with one square root: the root and the scaling are monotonic, so the least sum of squares gives it.
    fn km_to_nearest(&self, others: &[Point]) -> f64 {
        let mut least = f64::INFINITY;
        for o in others {
            // `squares_to` is x² + y², and adding x² ≥ 0 never rounds below y²: a point whose y² alone is no
            // nearer is skipped without working out x.
            let y2 = self.lat_squares_to(o);
            if y2 >= least {
                continue;
            }
            let squares = self.lon_squares_to(o) + y2;
            if squares < least {
                least = squares;
            }
        }
        6371.0 * least.sqrt()
    }

    /// The squared equirectangular distance to `o` in radians², before the root and the Earth's radius.
    #[inline]
    fn squares_to(&self, o: &Point) -> f64 {
        self.lon_squares_to(o) + self.lat_squares_to(o)
    }

    /// The east-west part of [`Point::squares_to`] (x²).
    #[inline]
    fn lon_squares_to(&self, o: &Point) -> f64 {
        let x = (o.lon - self.lon).to_radians() * 0.5 * (self.cos_lat + o.cos_lat);
        x * x
    }

    /// The north-south part of [`Point::squares_to`] (y²).
    #[inline]
    fn lat_squares_to(&self, o: &Point) -> f64 {
        let y = (o.lat - self.lat).to_radians();
        y * y
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::Gazetteer;

    #[test]
    fn nearest_distance_is_the_least_distance() {
        let gaz = Gazetteer::embedded().unwrap();
        let points: Vec<Point> = gaz.places.iter().step_by(131).map(|p| Point::new(p.lat, p.lon)).collect();
        for (k, here) in points.iter().enumerate().step_by(7) {
            let others = &points[k.saturating_sub(40)..(k + 40).min(points.len())];
            let least = others.iter().map(|o| here.km_to(o)).fold(f64::INFINITY, f64::min);
            assert_eq!(here.km_to_nearest(others).to_bits(), least.to_bits());
        }
        assert_eq!(points[0].km_to_nearest(&[]), f64::INFINITY);
    }

    #[test]
    fn codes_compare_as_strings_do() {
        let codes = ["RU", "UA", "09", "9", "", "RU.1", "ENG", "R", "UR"];
        for a in codes {
            for b in codes {
                assert_eq!(same_code(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn admin2_codes_compare_as_the_formatted_code_does() {
        let gaz = Gazetteer::embedded().unwrap();
        let places: Vec<_> = gaz.places.iter().step_by(97).collect();
        let codes: Vec<String> = places.iter().map(|p| p.admin2_code()).chain(["RU..1".into(), "RU".into()]).collect();
        for p in &places {
            for c in &codes {
                assert_eq!(is_admin2_code(p, c), p.admin2_code() == *c, "{} vs {c}", p.admin2_code());
            }
        }
    }

    /// The war-zone prior by hand: all of it in Ukraine and at the border, 0.3/e at 1,000 km into Russia,
    /// none in Belarus; a village of no population with no feature code has nothing else.
    #[test]
    fn the_war_zone_prior_fades_with_the_distance_into_russia() {
        let gaz = Gazetteer::embedded().unwrap();
        let mut village = gaz.places[0].clone();
        (village.population, village.feature_code) = (0, "PPL".into());
        let at = |km: f64, country: &'static str| Measurement {
            border_km: km,
            nearest_border: crate::border::LatLon { lat: 50.0, lon: 36.0 },
            inside_ukraine: country == "UA",
            country: Some(country),
            geodesic_m: km.abs() * 1000.0,
            azimuth_deg: 0.0,
        };
        let prior = |m: Option<Measurement>| SCORING.base_prior(&village, m.as_ref());
        assert_eq!(prior(Some(at(-300.0, "UA"))), 0.3);
        assert_eq!(prior(Some(at(0.0, "RU"))), 0.3);
        assert!((prior(Some(at(1000.0, "RU"))) - 0.3 / std::f64::consts::E).abs() < 1e-12);
        assert_eq!(prior(Some(at(80.0, "BY"))), 0.0);
        assert_eq!(prior(None), 0.0);
    }
}
