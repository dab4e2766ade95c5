//! The binary gazetteer format. The manifest is also written beside it as JSON.
//!
//! ```text
//! magic "INCIMAPG" (8 bytes) | format version u32 | CRC-32 of everything after it, u32
//! head:   length u32 | postcard of (manifest, admin1 regions, admin2 regions, boundaries with the default
//!         distance bands)
//! places: count varint | blocks of up to BLOCK_RECORDS places, each: length u32 | record count varint |
//!         geonameid u32 × n | lat f64 × n | lon f64 × n | population u64 × n | source u8 × n (0 GeoNames,
//!         1 postal, 2 user) | precision u8 × n (0 exact, 1 district) | byte lengths (varint) of name, feature code, country, admin1, admin2 × n | their UTF-8, concatenated
//! names:  count varint | blocks of up to BLOCK_RECORDS entries, each: length u32 | record count varint |
//!         place u32 × n | kind u8 × n | key byte length varint × n | the keys' UTF-8, concatenated
//! border: count varint (0, or the number of places) | boundaries fingerprint u64 | blocks of up to
//!         BLOCK_RECORDS places, each: length u32 | record count varint | country u8 × n (0 none, 1 UA,
//!         2 BY, 3 RU) | geodesic metres f64 × n (NaN: not measured) | azimuth f64 × n |
//!         nearest border lat f64 × n | lon f64 × n
//! ```
//! Integers are little-endian; varints are LEB128. The places and the name index, the bulk of a
//! full-size gazetteer (1.1 million names), are columns in blocks rather than postcard: loading reads
//! each block into a small reusable buffer, checks its text as UTF-8 in one pass, and copies each string
//! straight into its [`CompactString`] (no allocation for strings of up to 24 bytes). See
//! [`Gazetteer::open`]. The CRC catches corruption that would otherwise decode into wrong coordinates
//! or names. The border section holds each place's border measurement
//! ([`PlaceMeasures`]); version 3 files, which lack it, still load.

use std::collections::BTreeMap;
use std::io::Read;

use compact_str::CompactString;
use serde::{Deserialize, Serialize};

use super::{
    Boundaries, Gazetteer, GazetteerError, LatLon, NameEntry, NameKind, Place, PlaceMeasures, PlaceSource,
    PointPrecision, Region, StoredMeasure,
};

const MAGIC: &[u8; 8] = b"INCIMAPG";
/// Bumped whenever the stored layout changes. Version 1 was the whole [`Gazetteer`] in postcard; version 3
/// added the default distance bands to the boundaries; version 4 the places' border measurements; version
/// 5 each place's source and point precision.
pub const FORMAT_VERSION: u32 = 5;
/// The oldest version still read: version 3 is version 4 without the border section (places are then
/// measured when needed), and versions 3 and 4 hold only GeoNames places with their own points.
const OLDEST_READABLE: u32 = 3;
/// Bytes before the body: magic, version, CRC.
const HEADER_LEN: usize = 16;

/// What a gazetteer holds and where it came from.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
pub struct Manifest {
    pub format_version: u32,
    /// [`crate::names::KEY_VERSION`] the name index was built with.
    pub name_key_version: u32,
    /// UTC time of the build, RFC 3339.
    pub built_at: String,
    /// Where the inputs came from (a directory, or the URLs `refresh` downloaded).
    pub origin: String,
    pub countries: Vec<String>,
    pub sources: Vec<Source>,
    /// Populated places per country, then per feature code.
    pub counts: BTreeMap<String, BTreeMap<String, u64>>,
    pub admin1_count: u64,
    pub admin2_count: u64,
    pub name_count: u64,
    /// Length of the derived land border in km (geodesic).
    pub border_km: f64,
}

/// One input file of a build.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
pub struct Source {
    /// File name (inside its zip, when it came from one: `RU.zip:RU.txt`).
    pub file: String,
    /// `geonames`, `admin1`, `admin2` or `boundary`.
    pub kind: String,
    /// Rows read (features, for boundaries).
    pub rows: u64,
    /// Latest GeoNames modification date among the rows kept, when the format has one.
    pub modified: Option<String>,
    /// SHA-256 of the file as read.
    pub sha256: String,
    /// Where it was downloaded from, for refreshed gazetteers.
    pub url: Option<String>,
}

/// The small, irregular part of a gazetteer, stored with postcard.
#[derive(Serialize)]
struct HeadRef<'a> {
    manifest: &'a Manifest,
    admin1: &'a [Region],
    admin2: &'a [Region],
    boundaries: &'a Boundaries,
}

#[derive(Deserialize)]
struct Head {
    manifest: Manifest,
    admin1: Vec<Region>,
    admin2: Vec<Region>,
    boundaries: Boundaries,
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A place's strings in their stored order.
fn place_strings(p: &Place) -> [&str; 5] {
    [&p.name, &p.feature_code, &p.country, &p.admin1, &p.admin2]
}

fn put_block(out: &mut Vec<u8>, block: &[u8]) -> Result<(), GazetteerError> {
    let len = u32::try_from(block.len())
        .map_err(|_| GazetteerError::Invalid("cannot encode gazetteer: a block over 4 GB".into()))?;
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(block);
    Ok(())
}

fn source_byte(source: PlaceSource) -> u8 {
    match source {
        PlaceSource::Geonames => 0,
        PlaceSource::Postal => 1,
        PlaceSource::User => 2,
    }
}

fn precision_byte(precision: PointPrecision) -> u8 {
    match precision {
        PointPrecision::Exact => 0,
        PointPrecision::District => 1,
    }
}

fn kind_byte(kind: NameKind) -> u8 {
    match kind {
        NameKind::Primary => 0,
        NameKind::Ascii => 1,
        NameKind::Alternate => 2,
    }
}

/// Encode a gazetteer into the binary format.
pub fn encode(gaz: &Gazetteer) -> Result<Vec<u8>, GazetteerError> {
    encode_version(gaz, FORMAT_VERSION)
}

/// Encode a gazetteer in format `version`, one this incimap still reads: version 4 leaves out the places'
/// sources and point precisions, version 3 also the border measurements. For tests of older files.
pub fn encode_version(gaz: &Gazetteer, version: u32) -> Result<Vec<u8>, GazetteerError> {
    if !(OLDEST_READABLE..=FORMAT_VERSION).contains(&version) {
        return Err(GazetteerError::Invalid(format!("cannot encode gazetteer format version {version}")));
    }
    let too_many = |what: &str| GazetteerError::Invalid(format!("cannot encode gazetteer: more than 2^32 {what}"));
    if u32::try_from(gaz.places.len()).is_err() {
        return Err(too_many("places"));
    }
    let mut out = Vec::with_capacity(HEADER_LEN + gaz.places.len() * 64 + gaz.names.len() * 20 + (1 << 20));
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // CRC, filled in below
    let head =
        HeadRef { manifest: &gaz.manifest, admin1: &gaz.admin1, admin2: &gaz.admin2, boundaries: &gaz.boundaries };
    let head =
        postcard::to_stdvec(&head).map_err(|e| GazetteerError::Invalid(format!("cannot encode gazetteer: {e}")))?;
    out.extend_from_slice(
        &u32::try_from(head.len()).map_err(|_| too_many("bytes of regions and boundaries"))?.to_le_bytes(),
    );
    out.extend_from_slice(&head);

    put_varint(&mut out, gaz.places.len() as u64);
    let mut block = Vec::new();
    for chunk in gaz.places.chunks(BLOCK_RECORDS) {
        block.clear();
        put_varint(&mut block, chunk.len() as u64);
        chunk.iter().for_each(|p| block.extend_from_slice(&p.geonameid.to_le_bytes()));
        chunk.iter().for_each(|p| block.extend_from_slice(&p.lat.to_le_bytes()));
        chunk.iter().for_each(|p| block.extend_from_slice(&p.lon.to_le_bytes()));
        chunk.iter().for_each(|p| block.extend_from_slice(&p.population.to_le_bytes()));
        if version >= 5 {
            chunk.iter().for_each(|p| block.push(source_byte(p.source)));
            chunk.iter().for_each(|p| block.push(precision_byte(p.precision)));
        }
        chunk.iter().flat_map(place_strings).for_each(|s| put_varint(&mut block, s.len() as u64));
        chunk.iter().flat_map(place_strings).for_each(|s| block.extend_from_slice(s.as_bytes()));
        put_block(&mut out, &block)?;
    }
    put_varint(&mut out, gaz.names.len() as u64);
    for chunk in gaz.names.chunks(BLOCK_RECORDS) {
        block.clear();
        put_varint(&mut block, chunk.len() as u64);
        chunk.iter().for_each(|e| block.extend_from_slice(&e.place.to_le_bytes()));
        chunk.iter().for_each(|e| block.push(kind_byte(e.kind)));
        chunk.iter().for_each(|e| put_varint(&mut block, e.key.len() as u64));
        chunk.iter().for_each(|e| block.extend_from_slice(e.key.as_bytes()));
        put_block(&mut out, &block)?;
    }
    let rows = if version >= 4 { gaz.place_measures.rows() } else { &[] };
    if version < 4 {
        let crc = crc32fast::hash(&out[HEADER_LEN..]);
        out[12..HEADER_LEN].copy_from_slice(&crc.to_le_bytes());
        return Ok(out);
    }
    put_varint(&mut out, rows.len() as u64);
    out.extend_from_slice(&gaz.place_measures.fingerprint().to_le_bytes());
    for chunk in rows.chunks(BLOCK_RECORDS) {
        block.clear();
        put_varint(&mut block, chunk.len() as u64);
        chunk.iter().for_each(|m| block.push(m.country));
        let columns: [fn(&StoredMeasure) -> f64; 4] =
            [|m| m.metres, |m| m.azimuth_deg, |m| m.nearest.lat, |m| m.nearest.lon];
        for column in columns {
            chunk.iter().for_each(|m| block.extend_from_slice(&column(m).to_le_bytes()));
        }
        put_block(&mut out, &block)?;
    }
    let crc = crc32fast::hash(&out[HEADER_LEN..]);
    out[12..HEADER_LEN].copy_from_slice(&crc.to_le_bytes());
    Ok(out)
}

/// Decode the binary format from memory; `what` names the source in error messages.
pub fn decode(bytes: &[u8], what: &str) -> Result<Gazetteer, GazetteerError> {
    decode_from(bytes, bytes.len() as u64, what)
}

/// Decode the binary format from a reader of `len` bytes in total (a file's size); `what` names the
/// source in error messages. Reads sequentially through a small buffer, so a file need not be held in
/// memory whole.
pub fn decode_from(src: impl Read, len: u64, what: &str) -> Result<Gazetteer, GazetteerError> {
    let corrupt = |why: String| GazetteerError::Corrupt { what: what.to_string(), why };
    let mut r = Reader::new(src, len, what);
    if len == 0 {
        return Err(corrupt("it is empty".into()));
    }
    let header = match r.bytes(HEADER_LEN) {
        Ok(h) if &h[..8] == MAGIC => h,
        _ => return Err(corrupt("it does not start with the incimap gazetteer header".into())),
    };
    let version = u32::from_le_bytes([header[8], header[9], header[10], header[11]]);
    let crc = u32::from_le_bytes([header[12], header[13], header[14], header[15]]);
    if !(OLDEST_READABLE..=FORMAT_VERSION).contains(&version) {
        return Err(corrupt(format!(
            "format version {version}, this incimap reads versions {OLDEST_READABLE} to {FORMAT_VERSION}: rebuild it with `incimap gazetteer build` or `refresh`"
        )));
    }
    r.start_crc();

    let head_len = r.u32()? as usize;
    let head_bytes = r.vec(head_len)?;
    let head: Head = postcard::from_bytes(&head_bytes).map_err(|e| corrupt(format!("undecodable ({e})")))?;
    drop(head_bytes);
    if head.manifest.name_key_version != crate::names::KEY_VERSION {
        return Err(corrupt(format!(
            "its name index uses normalisation version {}, this incimap uses {}: rebuild it",
            head.manifest.name_key_version,
            crate::names::KEY_VERSION
        )));
    }

    // A place takes at least 33 bytes and a name entry 6: a count that the rest of the input cannot
    // hold is corruption, found before allocating for it.
    let n = r.count(33)?;
    let mut places = Vec::with_capacity(n);
    while places.len() < n {
        r.block(|b| decode_places(b, version, &mut places))?;
    }
    let m = r.count(6)?;
    let mut names = Vec::with_capacity(m);
    while names.len() < m {
        r.block(|b| decode_names(b, places.len(), &mut names))?;
    }
    if places.len() != n || names.len() != m {
        return Err(corrupt("its blocks hold more records than its counts".into()));
    }
    let mut place_measures = PlaceMeasures::default();
    if version >= 4 {
        // A measurement takes 33 bytes.
        let k = r.count(33)?;
        if k != 0 && k != n {
            return Err(corrupt(format!("it holds border measurements of {k} places, not of its {n}")));
        }
        let fingerprint = u64::from_le_bytes(r.array()?);
        let mut rows = Vec::with_capacity(k);
        while rows.len() < k {
            r.block(|b| decode_measures(b, &mut rows))?;
        }
        if rows.len() != k {
            return Err(corrupt("its blocks hold more records than its counts".into()));
        }
        place_measures = PlaceMeasures::from_rows(fingerprint, rows);
    }
    r.finish(crc)?;
    // Every index into the places is checked once here, so that no lookup can go out of bounds later,
    // whatever a crafted file with a valid checksum holds; the regions must be in code order (looked up by
    // binary search); the boundaries must be WGS84 coordinates (the border engines grid them).
    head.boundaries.check_coordinates().map_err(corrupt)?;
    for (level, regions) in [(1, &head.admin1), (2, &head.admin2)] {
        if let Some(r) = regions.iter().find(|r| r.seat.is_some_and(|s| s as usize >= n)) {
            return Err(corrupt(format!("the seat of admin{level} region {} is place {:?} of {n}", r.code, r.seat)));
        }
        if regions.windows(2).any(|w| w[0].code >= w[1].code) {
            return Err(corrupt(format!("its admin{level} regions are not in code order")));
        }
    }
    Ok(Gazetteer {
        manifest: head.manifest,
        places,
        admin1: head.admin1,
        admin2: head.admin2,
        names,
        boundaries: head.boundaries,
        place_measures,
        key_index: Default::default(),
    })
}

/// Most records in one block: small enough that a block fits the read buffer and the cache.
const BLOCK_RECORDS: usize = 1024;

/// A cursor over one block's bytes.
struct Cursor<'b> {
    b: &'b [u8],
}

impl<'b> Cursor<'b> {
    fn take(&mut self, n: usize) -> Result<&'b [u8], String> {
        if n > self.b.len() {
            return Err("a block is shorter than its records".into());
        }
        let (head, rest) = self.b.split_at(n);
        self.b = rest;
        Ok(head)
    }

    /// `n` fixed-size little-endian values.
    fn column<const N: usize>(&mut self, n: usize) -> Result<std::slice::ChunksExact<'b, u8>, String> {
        Ok(self.take(n.checked_mul(N).ok_or("a block count overflows")?)?.chunks_exact(N))
    }

    #[inline]
    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let (&b, rest) = self.b.split_first().ok_or("a block is shorter than its records")?;
            self.b = rest;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err("a length overflows".into())
    }

    /// `n` varint lengths followed by the strings they measure, as one checked text and the lengths.
    fn strings(&mut self, n: usize) -> Result<(&'b str, Vec<usize>), String> {
        let mut lens = Vec::with_capacity(n.min(self.b.len()));
        let mut total = 0usize;
        for _ in 0..n {
            let len = self.varint()? as usize;
            total = total.checked_add(len).ok_or("a length overflows")?;
            lens.push(len);
        }
        let text = std::str::from_utf8(self.take(total)?).map_err(|_| "a name is not UTF-8")?;
        Ok((text, lens))
    }

    fn end(&self) -> Result<(), String> {
        if self.b.is_empty() { Ok(()) } else { Err("a block has bytes after its records".into()) }
    }
}

/// Split `text` into consecutive strings of byte lengths `lens` (each must end on a character boundary).
fn split_text<'t>(text: &'t str, lens: &'t [usize]) -> impl Iterator<Item = Result<CompactString, String>> + 't {
    let mut at = 0;
    lens.iter().map(move |&len| {
        let s = text.get(at..at + len).ok_or("a name splits a character")?;
        at += len;
        Ok(CompactString::new(s))
    })
}

fn f64_le(b: &[u8]) -> f64 {
    f64::from_le_bytes(b.try_into().unwrap_or_default())
}
fn u64_le(b: &[u8]) -> u64 {
    u64::from_le_bytes(b.try_into().unwrap_or_default())
}
fn u32_le(b: &[u8]) -> u32 {
    u32::from_le_bytes(b.try_into().unwrap_or_default())
}

/// Append the places of one block of a file of format `version`.
fn decode_places(block: &[u8], version: u32, places: &mut Vec<Place>) -> Result<(), String> {
    let mut c = Cursor { b: block };
    let n = c.varint()? as usize;
    if n > BLOCK_RECORDS {
        return Err(format!("a block of {n} places"));
    }
    let (ids, lats, lons, pops) = (c.column::<4>(n)?, c.column::<8>(n)?, c.column::<8>(n)?, c.column::<8>(n)?);
    let (sources, precisions): (&[u8], &[u8]) = if version >= 5 { (c.take(n)?, c.take(n)?) } else { (&[], &[]) };
    let (text, lens) = c.strings(n * 5)?;
    c.end()?;
    let mut strings = split_text(text, &lens);
    let mut next = || strings.next().unwrap_or_else(|| Err("missing string".into()));
    for (i, (((id, lat), lon), pop)) in ids.zip(lats).zip(lons).zip(pops).enumerate() {
        let source = match sources.get(i).copied().unwrap_or(0) {
            0 => PlaceSource::Geonames,
            1 => PlaceSource::Postal,
            2 => PlaceSource::User,
            k => return Err(format!("unknown place source {k}")),
        };
        let precision = match precisions.get(i).copied().unwrap_or(0) {
            0 => PointPrecision::Exact,
            1 => PointPrecision::District,
            k => return Err(format!("unknown point precision {k}")),
        };
        places.push(Place {
            geonameid: u32_le(id),
            name: next()?,
            lat: f64_le(lat),
            lon: f64_le(lon),
            feature_code: next()?,
            country: next()?,
            admin1: next()?,
            admin2: next()?,
            population: u64_le(pop),
            source,
            precision,
        });
    }
    Ok(())
}

/// Append the name-index entries of one block; every entry must point at one of `place_count` places.
fn decode_names(block: &[u8], place_count: usize, names: &mut Vec<NameEntry>) -> Result<(), String> {
    let mut c = Cursor { b: block };
    let n = c.varint()? as usize;
    if n > BLOCK_RECORDS {
        return Err(format!("a block of {n} names"));
    }
    let (places, kinds) = (c.column::<4>(n)?, c.take(n)?);
    let (text, lens) = c.strings(n)?;
    c.end()?;
    for ((place, &kind), key) in places.zip(kinds).zip(split_text(text, &lens)) {
        let place = u32_le(place);
        if place as usize >= place_count {
            return Err(format!("a name points at place {place} of {place_count}"));
        }
        let kind = match kind {
            0 => NameKind::Primary,
            1 => NameKind::Ascii,
            2 => NameKind::Alternate,
            k => return Err(format!("unknown name kind {k}")),
        };
        names.push(NameEntry { key: key?, place, kind });
    }
    Ok(())
}

/// Append the border measurements of one block.
fn decode_measures(block: &[u8], rows: &mut Vec<StoredMeasure>) -> Result<(), String> {
    let mut c = Cursor { b: block };
    let n = c.varint()? as usize;
    if n > BLOCK_RECORDS {
        return Err(format!("a block of {n} measurements"));
    }
    let countries = c.take(n)?;
    let (metres, azimuths, lats, lons) = (c.column::<8>(n)?, c.column::<8>(n)?, c.column::<8>(n)?, c.column::<8>(n)?);
    c.end()?;
    for ((((&country, m), az), lat), lon) in countries.iter().zip(metres).zip(azimuths).zip(lats).zip(lons) {
        if usize::from(country) > StoredMeasure::COUNTRIES.len() {
            return Err(format!("unknown country {country} in a border measurement"));
        }
        let nearest = LatLon { lat: f64_le(lat), lon: f64_le(lon) };
        rows.push(StoredMeasure { metres: f64_le(m), azimuth_deg: f64_le(az), nearest, country });
    }
    Ok(())
}

/// Sequential reads through a reusable buffer, with the CRC of everything read after the header.
struct Reader<'w, R> {
    src: R,
    buf: Box<[u8]>,
    /// Unread bytes are `buf[pos..end]`.
    pos: usize,
    end: usize,
    /// Bytes of the input not yet consumed (read into the buffer or not).
    left: u64,
    /// Bytes of `buf[..end]` already added to the CRC.
    hashed: usize,
    crc: Option<crc32fast::Hasher>,
    what: &'w str,
}

/// Buffer size: large enough for any single record, small enough to stay in cache.
const BUF_LEN: usize = 256 * 1024;

impl<'w, R: Read> Reader<'w, R> {
    fn new(src: R, len: u64, what: &'w str) -> Self {
        Reader { src, buf: vec![0; BUF_LEN].into_boxed_slice(), pos: 0, end: 0, left: len, hashed: 0, crc: None, what }
    }

    fn corrupt(&self, why: String) -> GazetteerError {
        GazetteerError::Corrupt { what: self.what.to_string(), why }
    }

    fn truncated(&self) -> GazetteerError {
        self.corrupt("it is truncated".into())
    }

    /// Hash everything consumed from here on.
    fn start_crc(&mut self) {
        self.hashed = self.pos;
        self.crc = Some(crc32fast::Hasher::new());
    }

    fn hash_to(&mut self, upto: usize) {
        if let Some(h) = &mut self.crc
            && upto > self.hashed
        {
            h.update(&self.buf[self.hashed..upto]);
        }
        self.hashed = self.hashed.max(upto);
    }

    /// Make at least `n` (≤ [`BUF_LEN`]) bytes available at `pos`, or fail as truncated.
    #[inline]
    fn need(&mut self, n: usize) -> Result<(), GazetteerError> {
        if self.end - self.pos >= n { Ok(()) } else { self.refill(n) }
    }

    #[cold]
    fn refill(&mut self, n: usize) -> Result<(), GazetteerError> {
        if n as u64 > self.left {
            return Err(self.truncated());
        }
        self.hash_to(self.pos);
        self.buf.copy_within(self.pos..self.end, 0);
        self.end -= self.pos;
        self.hashed -= self.pos;
        self.pos = 0;
        // Never buffer past the `len` the caller gave: a source longer than that (a file that grew after its
        // size was taken) must not make `left` go below what is buffered. Its extra bytes are found at the end.
        let limit = self.buf.len().min(usize::try_from(self.left).unwrap_or(usize::MAX));
        while self.end < n {
            let got = match self.src.read(&mut self.buf[self.end..limit]) {
                Ok(0) => return Err(self.truncated()),
                Ok(got) => got,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(source) => return Err(GazetteerError::Io { path: self.what.into(), source }),
            };
            self.end += got;
        }
        Ok(())
    }

    /// Consume `n` bytes (≤ [`BUF_LEN`]).
    #[inline]
    fn bytes(&mut self, n: usize) -> Result<&[u8], GazetteerError> {
        self.need(n)?;
        let at = self.pos;
        self.pos += n;
        self.left -= n as u64;
        Ok(&self.buf[at..at + n])
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], GazetteerError> {
        let b = self.bytes(N)?;
        let mut a = [0; N];
        a.copy_from_slice(b);
        Ok(a)
    }

    fn u8(&mut self) -> Result<u8, GazetteerError> {
        Ok(self.bytes(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, GazetteerError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn varint(&mut self) -> Result<u64, GazetteerError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(self.corrupt("a length overflows".into()))
    }

    /// A count of records of at least `min_len` bytes each that the rest of the input can hold.
    fn count(&mut self, min_len: u64) -> Result<usize, GazetteerError> {
        let n = self.varint()?;
        if n.saturating_mul(min_len) > self.left {
            return Err(self.corrupt(format!("it claims {n} records but is too short for them")));
        }
        Ok(n as usize)
    }

    /// Read one length-prefixed block and hand its bytes to `decode` (from the buffer when it fits).
    fn block(&mut self, decode: impl FnOnce(&[u8]) -> Result<(), String>) -> Result<(), GazetteerError> {
        let len = self.u32()? as usize;
        let result = if len <= BUF_LEN {
            decode(self.bytes(len)?)
        } else {
            let owned = self.vec(len)?;
            decode(&owned)
        };
        result.map_err(|why| self.corrupt(why))
    }

    /// Consume `n` bytes of any size into a new vector.
    fn vec(&mut self, n: usize) -> Result<Vec<u8>, GazetteerError> {
        if n as u64 > self.left {
            return Err(self.truncated());
        }
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let take = (n - out.len()).min(BUF_LEN);
            let b = self.bytes(take)?;
            out.extend_from_slice(b);
        }
        Ok(out)
    }

    /// Check that the input ends here and that its CRC is `expected`.
    fn finish(mut self, expected: u32) -> Result<(), GazetteerError> {
        let mut extra = [0u8; 1];
        if self.pos < self.end || self.left > 0 || matches!(self.src.read(&mut extra), Ok(n) if n > 0) {
            return Err(self.corrupt("it has bytes after its last section".into()));
        }
        self.hash_to(self.pos);
        let got = self.crc.take().map(|h| h.finalize()).unwrap_or_default();
        if got != expected {
            return Err(self.corrupt(format!("its checksum is {got:08x}, the header says {expected:08x}")));
        }
        Ok(())
    }
}
