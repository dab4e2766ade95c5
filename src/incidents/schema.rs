//! Whose columns a table uses: incimap's own, or the exports analysts start from (ACLED, UCDP GED,
//! Bellingcat/CIR "Eyes on Russia"), recognised by their header. A [`Schema`] names, for each thing the reader
//! needs (date, place, region, coordinates, ...), the columns that hold it in that producer's files, and how
//! to read the producer's precision codes and dates. The README's table "Tables from other producers" lists
//! the same columns.

use super::Precision;
use crate::extract::events::EventType;

/// How a date written with slashes orders day and month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// `02/01/2024` is 2 January (Europe; incimap's own tables).
    DayFirst,
    /// `1/22/2014 12:00:00 AM` is 22 January (UCDP's CSV files as spreadsheets save them).
    MonthFirst,
}

/// One producer's columns. Each list is tried in order; the first present, non-empty value is used.
/// Column names are matched in lower case (readers store these columns under their lower-case names).
#[derive(Debug)]
pub struct Schema {
    /// Short name shown in messages: `incimap`, `acled`, `ucdp-ged`, `cir`.
    pub name: &'static str,
    /// Sets of columns that together identify the producer's files: a header holding every column of one set.
    signatures: &'static [&'static [&'static str]],
    pub date: &'static [&'static str],
    /// A place's name (a settlement, as a gazetteer names it).
    pub place: &'static [&'static str],
    /// A first-level region (oblast), a hint that constrains `place`, or the location itself.
    pub region: &'static [&'static str],
    /// A second-level region (district), a narrower hint for `place`.
    pub district: &'static [&'static str],
    pub country: &'static [&'static str],
    pub lat: &'static [&'static str],
    pub lon: &'static [&'static str],
    pub weapon: &'static [&'static str],
    /// Free text about the event, for `extract --text-column` and the layers' evidence.
    pub text: &'static [&'static str],
    /// The producer's precision code for the given coordinates.
    pub precision: &'static [&'static str],
    pub event_type: &'static [&'static str],
    pub date_order: DateOrder,
    /// Kind words the producer writes after a place's name.
    pub kinds: Kinds,
    /// The producer's precision code → incimap's precision.
    read_precision: fn(&str) -> Option<Precision>,
    /// The producer's event classification → incimap's event type.
    read_event_type: fn(&str) -> Option<EventType>,
}

/// Words a producer writes after a location's name to say what kind of location it is.
#[derive(Debug)]
pub struct Kinds {
    /// After a settlement's name ("Horlivka town"): dropped before the name is resolved.
    pub settlement: &'static [&'static str],
    /// After a division's name ("Luhansk oblast"): the location is that region, not a settlement.
    pub division: &'static [&'static str],
}

/// No kind words: the place column holds a name only.
const NO_KINDS: Kinds = Kinds { settlement: &[], division: &[] };

/// incimap's own columns (and the synonyms its readers always took for coordinates).
pub static INCIMAP: Schema = OWN_COLUMNS;

/// [`INCIMAP`]'s columns, shared with [`LAYER`].
const OWN_COLUMNS: Schema = Schema {
    name: "incimap",
    signatures: &[],
    date: &["date"],
    place: &["place"],
    region: &["region"],
    district: &[],
    country: &["country"],
    lat: &["lat", "latitude"],
    lon: &["lon", "longitude", "lng", "long"],
    weapon: &["weapon"],
    text: &["notes"],
    precision: &["precision"],
    event_type: &["event_type"],
    date_order: DateOrder::DayFirst,
    kinds: NO_KINDS,
    read_precision: precision_by_name,
    read_event_type: EventType::parse,
};

/// incimap's own incident layer (`incidents.geojson`, or its properties as a table), read back: incimap's
/// columns, and the computed ones restore the incident as it was written (its place, status, evidence, the
/// input and line it came from) instead of being kept as input fields.
pub static LAYER: Schema =
    Schema { name: "incimap-layer", signatures: &[&["input_file", "input_line", "border_km"]], ..OWN_COLUMNS };

/// `incimap extract` output (CSV, JSON or GeoJSON mentions), read back: its incident mentions are incidents
/// (context mentions are left out), each restored as the extractor placed it, with the article and line it
/// came from.
pub static EXTRACT: Schema =
    Schema { name: "incimap-extract", signatures: &[&["mention", "role", "reason"]], ..OWN_COLUMNS };

/// The columns of `extract` output that restore a mention's incident and are not kept as input fields (those
/// `map` keeps of an article's incident — `mention`, `start`, `end`, `name`, `region`, `between`,
/// `weapon_model` — stay).
pub const EXTRACT_COMPUTED: &[&str] = &[
    "source",
    "line",
    "role",
    "status",
    "precision",
    "geonameid",
    "place",
    "admin1",
    "admin1_name",
    "country",
    "lat",
    "lon",
    "border_km",
    "reason",
    "evidence",
    "event_type",
    "moved_km",
    "region_code",
    "score",
];

/// Properties `incimap map` writes on every incident beside the input's own fields (an input field of one of
/// these names is written as `input_<name>`). Reading back a layer ([`LAYER`]), all but `date`, `weapon` and
/// `event_type` (incimap's own columns) restore the incident and are not kept as fields.
pub const COMPUTED_FIELDS: &[&str] = &[
    "date",
    "weapon",
    "event_type",
    "border_km",
    "country",
    "inside_ukraine",
    "geonameid",
    "place_name",
    "admin1_name",
    "place_source",
    "status",
    "score",
    "precision",
    "evidence",
    "input_file",
    "input_line",
];

/// ACLED's CSV exports (codebook 2023): `event_date`, `location`, `admin1`/`admin2`, `latitude`/`longitude`,
/// `geo_precision` (1 the named town, 2 near it or in a district, 3 only a larger region), `notes`.
pub static ACLED: Schema = Schema {
    name: "acled",
    signatures: &[&["event_id_cnty", "event_date"], &["event_date", "geo_precision", "sub_event_type"]],
    date: &["event_date"],
    place: &["location"],
    region: &["admin1"],
    district: &["admin2"],
    country: &["country"],
    lat: &["latitude"],
    lon: &["longitude"],
    weapon: &[],
    text: &["notes"],
    precision: &["geo_precision"],
    event_type: &["sub_event_type"],
    date_order: DateOrder::DayFirst,
    kinds: NO_KINDS,
    read_precision: |code| match code.trim() {
        "1" => Some(Precision::Exact),
        "2" => Some(Precision::Near),
        "3" => Some(Precision::Region),
        _ => None,
    },
    read_event_type: acled_event_type,
};

/// UCDP's Georeferenced Event Dataset (GED) CSV: `date_start`, `where_coordinates` ("Horlivka town"),
/// `adm_1`/`adm_2`, `latitude`/`longitude`, `where_prec` (1 exact, 2 within 25 km, 3 a district, 4 a
/// province, 5 a part of the country, 6 the country, 7 waters), `source_headline`.
pub static UCDP_GED: Schema = Schema {
    name: "ucdp-ged",
    signatures: &[&["where_prec", "where_coordinates"], &["where_prec", "date_start", "adm_1"]],
    date: &["date_start"],
    place: &["where_coordinates"],
    region: &["adm_1"],
    district: &["adm_2"],
    country: &["country"],
    lat: &["latitude"],
    lon: &["longitude"],
    weapon: &[],
    text: &["source_headline"],
    precision: &["where_prec"],
    event_type: &[],
    date_order: DateOrder::MonthFirst,
    // The kinds of `where_coordinates` in GED 23.1, as written there (a misspelt "vilage" included).
    kinds: Kinds {
        // An airport or airfield is written after the town it serves, and placed there.
        settlement: &["village", "vilage", "town", "city", "settlement", "airport", "airfield"],
        division: &["oblast", "province", "raion", "region", "territory"],
    },
    read_precision: |code| match code.trim() {
        "1" => Some(Precision::Exact),
        "2" | "3" => Some(Precision::Near),
        "4" | "5" | "6" | "7" => Some(Precision::Region),
        _ => None,
    },
    read_event_type: |_| None,
};

/// Bellingcat / Centre for Information Resilience "Eyes on Russia" (Russia–Ukraine monitor) CSV and GeoJSON:
/// `date`, `town/city`, `district`, `province`, `country`, `lat`/`lon`, `arms/munition`, `brief description`.
pub static CIR: Schema = Schema {
    name: "cir",
    signatures: &[&["town/city"], &["brief description", "province"]],
    date: &["date"],
    place: &["town/city"],
    region: &["province"],
    district: &["district"],
    country: &["country"],
    lat: &["lat", "latitude"],
    lon: &["lon", "longitude"],
    weapon: &["arms/munition"],
    text: &["brief description", "description", "title"],
    precision: &[],
    event_type: &[],
    date_order: DateOrder::DayFirst,
    kinds: NO_KINDS,
    read_precision: |_| None,
    read_event_type: |_| None,
};

/// Every schema, the producers' first: incimap's own is what a table is when no producer's signature fits.
pub static ALL: [&Schema; 6] = [&LAYER, &EXTRACT, &ACLED, &UCDP_GED, &CIR, &INCIMAP];

impl Schema {
    /// The schema of a header (column names, any case): the first producer whose signature it holds, else
    /// incimap's own.
    ///
    /// ```
    /// use incimap::incidents::schema::Schema;
    /// let ucdp = ["id", "where_prec", "where_coordinates", "adm_1", "latitude", "longitude", "date_start"];
    /// assert_eq!(Schema::recognise(ucdp).name, "ucdp-ged");
    /// assert_eq!(Schema::recognise(["date", "place", "lat", "lon"]).name, "incimap");
    /// ```
    pub fn recognise<'a>(header: impl IntoIterator<Item = &'a str>) -> &'static Schema {
        let lower: Vec<String> = header.into_iter().map(|h| h.trim().to_lowercase()).collect();
        let has = |c: &str| lower.iter().any(|h| h == c);
        ALL.into_iter().find(|s| s.signatures.iter().any(|set| set.iter().all(|c| has(c)))).unwrap_or(&INCIMAP)
    }

    /// Every column this schema gives a meaning to.
    pub fn columns(&self) -> impl Iterator<Item = &'static str> + '_ {
        [
            self.date,
            self.place,
            self.region,
            self.district,
            self.country,
            self.lat,
            self.lon,
            self.weapon,
            self.text,
            self.precision,
            self.event_type,
        ]
        .into_iter()
        .flatten()
        .copied()
    }

    /// Whether (lower-cased) column `c` can locate a row of this schema: coordinates, a place or a region.
    pub fn locates(&self, c: &str) -> bool {
        [self.place, self.region, self.lat, self.lon].iter().any(|cols| cols.contains(&c))
    }

    /// The producer's precision code as incimap's precision.
    pub fn precision_of(&self, code: &str) -> Option<Precision> {
        (self.read_precision)(code)
    }

    /// The producer's event classification as incimap's event type.
    pub fn event_type_of(&self, text: &str) -> Option<EventType> {
        (self.read_event_type)(text)
    }
}

/// Whether (lower-cased) column `c` means something to some schema: readers store such columns under their
/// lower-case name, so that `Latitude` and `latitude` are read alike.
pub fn is_known_column(c: &str) -> bool {
    matches!(c, "source" | "border_km" | "input_file" | "input_line") || ALL.iter().any(|s| s.columns().any(|k| k == c))
}

/// incimap's own precision words, as its layers and `extract` write them.
fn precision_by_name(text: &str) -> Option<Precision> {
    match text.trim().to_ascii_lowercase().as_str() {
        "exact" => Some(Precision::Exact),
        "near" => Some(Precision::Near),
        "region" => Some(Precision::Region),
        _ => None,
    }
}

/// ACLED's sub-event types → event types, the reverse of the README's table (ACLED's "Shelling/artillery/missile
/// attack" joins missiles to artillery, so it reads as shelling).
fn acled_event_type(text: &str) -> Option<EventType> {
    let t = text.trim().to_ascii_lowercase();
    Some(match t.as_str() {
        "" => return None,
        "air/drone strike" => EventType::AirStrike,
        "shelling/artillery/missile attack" => EventType::Shelling,
        "armed clash" | "government regains territory" | "non-state actor overtakes territory" => {
            EventType::GroundFighting
        }
        "disrupted weapons use" => EventType::Interception,
        "change to group/activity" => EventType::Movement,
        _ => EventType::Other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_recognised_by_their_signatures() {
        // Column lists from the producers' codebooks (ACLED 2023, UCDP GED 23.1) and CIR's published CSV.
        let acled = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,\
                     country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,notes,fatalities";
        let cir = "entry,date,event_group,title,brief description,lat,lon,country,province,district,town/city,\
                   arms/munition,violence level,link,geolocation";
        assert_eq!(Schema::recognise(acled.split(',')).name, "acled");
        assert_eq!(Schema::recognise(cir.split(',')).name, "cir");
        assert_eq!(Schema::recognise("Town/City,Lat,Lon".split(',')).name, "cir");
        // incimap's own layer columns, with an admin1 column, stay incimap's.
        assert_eq!(Schema::recognise("date,place,admin1,lat,lon,precision".split(',')).name, "incimap");
    }

    #[test]
    fn precision_codes_follow_the_codebooks() {
        assert_eq!(ACLED.precision_of("1"), Some(Precision::Exact));
        assert_eq!(ACLED.precision_of("3"), Some(Precision::Region));
        assert_eq!(UCDP_GED.precision_of("2"), Some(Precision::Near)); // "within 25 km of a known point"
        assert_eq!(UCDP_GED.precision_of("4"), Some(Precision::Region)); // an adm_1 province
        assert_eq!(UCDP_GED.precision_of("x"), None);
        assert_eq!(INCIMAP.precision_of("near"), Some(Precision::Near));
    }

    #[test]
    fn acled_sub_event_types_map_onto_event_types() {
        assert_eq!(ACLED.event_type_of("Air/drone strike"), Some(EventType::AirStrike));
        assert_eq!(ACLED.event_type_of("Disrupted weapons use"), Some(EventType::Interception));
        assert_eq!(ACLED.event_type_of("Peaceful protest"), Some(EventType::Other));
        assert_eq!(ACLED.event_type_of(""), None);
    }

    #[test]
    fn every_schema_can_locate_a_row() {
        for s in ALL {
            assert!(s.columns().any(|c| s.locates(c)), "{}", s.name);
            assert!(s.columns().all(is_known_column), "{}", s.name);
        }
    }
}
