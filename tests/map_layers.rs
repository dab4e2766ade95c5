//! Layer files checked as RFC 7946 documents by an independent reader (the `geojson` crate and geo).

mod map_common;

use incimap::layers::{LayerFormat, LayerWriter, MapOptions};
use map_common::*;

#[test]
fn scratch_write() {
    let dir = tempdir();
    let b = boundaries();
    let mut w = LayerWriter::create(dir.path(), MapOptions::default(), &b).unwrap();
    w.add_incident(&belgorod()).unwrap();
    w.add_incident(&incident(3, 50.0, 36.23, -31.5, (50.2, 36.6), Some("UA"))).unwrap();
    let s = w.finish().unwrap();
    eprintln!("{s:#?}");
    let keep = std::path::Path::new("/tmp/map_scratch");
    let _ = std::fs::remove_dir_all(keep);
    std::fs::create_dir_all(keep).unwrap();
    for f in std::fs::read_dir(dir.path()).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), keep.join(f.file_name())).unwrap();
    }
    let _ = LayerFormat::GeoJsonSeq;
}

#[test]
fn scratch_bands() {
    use geo::Validation;
    let b = boundaries();
    let t = std::time::Instant::now();
    let bands = incimap::layers::bands::build(&b, &incimap::layers::bands::DEFAULT_EDGES_KM).unwrap();
    eprintln!("built in {:?}", t.elapsed()); std::fs::write("/tmp/bands.geojson", incimap::layers::bands_layer(&bands)).unwrap();
    for band in &bands {
        let errs = band.area.validation_errors();
        eprintln!("{} polys={} errs={}", band.label(), band.area.0.len(), errs.len());
        for e in errs.iter().take(5) {
            eprintln!("   {e}");
        }
    }
}

#[test]
fn scratch_bands_file() {
    let b = boundaries();
    let bands = incimap::layers::bands::build(&b, &incimap::layers::bands::DEFAULT_EDGES_KM).unwrap();
    std::fs::write("/tmp/bands.geojson", incimap::layers::bands_layer(&bands)).unwrap();
}
