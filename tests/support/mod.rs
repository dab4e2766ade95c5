//! A real HTTP/1.1 server on 127.0.0.1 for the refresh tests (std::net, one thread per connection), with
//! programmable faults, and the fixtures it serves: GeoNames-format dumps and postal-code dumps zipped as
//! GeoNames ships them, the admin code files, geoBoundaries metadata and GeoJSON (from tests/data/refresh/,
//! made by tools/make_refresh_fixtures.py), and reference points for the border tests.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sha2::{Digest, Sha256};

/// What the server answers on one path.
#[derive(Clone, Debug)]
pub enum Reply {
    /// 200 with a body; conditional requests matching `etag` / `last_modified` get 304.
    Ok { body: Vec<u8>, content_type: String, etag: Option<String>, last_modified: Option<String> },
    /// Any status with a small body.
    Status(u16, String),
    /// Headers announcing `len` bytes, the first `send` of `body`, then nothing for `hold`.
    Stall { body: Vec<u8>, send: usize, hold: Duration },
    /// Headers announcing the whole body, a part of it, then the connection is closed.
    Truncated { body: Vec<u8>, send: usize },
    /// 302 Found to `location`.
    Redirect(String),
    /// Headers announcing the whole body, then `piece` bytes every `every`: never stalled, never done soon.
    Trickle { body: Vec<u8>, piece: usize, every: Duration },
}

impl Reply {
    pub fn ok(body: Vec<u8>, content_type: &str) -> Reply {
        Reply::Ok { body, content_type: content_type.into(), etag: None, last_modified: None }
    }
    pub fn with_etag(self, etag: &str) -> Reply {
        match self {
            Reply::Ok { body, content_type, last_modified, .. } => {
                Reply::Ok { body, content_type, etag: Some(etag.into()), last_modified }
            }
            other => other,
        }
    }
    pub fn with_last_modified(self, lm: &str) -> Reply {
        match self {
            Reply::Ok { body, content_type, etag, .. } => {
                Reply::Ok { body, content_type, etag, last_modified: Some(lm.into()) }
            }
            other => other,
        }
    }
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    /// The status answered.
    pub status: u16,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct State {
    /// Replies per path: the front one is used and popped while more follow; the last one stays.
    routes: HashMap<String, VecDeque<Reply>>,
    seen: Vec<Seen>,
}

/// The running server.
pub struct Server {
    pub port: u16,
    state: Arc<Mutex<State>>,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("local addr").port();
        let state = Arc::new(Mutex::new(State::default()));
        let st = state.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let st = st.clone();
                std::thread::spawn(move || {
                    let _ = serve(conn, &st);
                });
            }
        });
        Server { port, state }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Answer `path` with `replies` in turn (the last one from then on).
    pub fn route(&self, path: &str, replies: Vec<Reply>) {
        self.state.lock().unwrap().routes.insert(path.to_string(), replies.into());
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    /// Requests to `path` so far.
    pub fn seen_at(&self, path: &str) -> Vec<Seen> {
        self.seen().into_iter().filter(|s| s.path == path).collect()
    }

    pub fn clear_seen(&self) {
        self.state.lock().unwrap().seen.clear();
    }

    /// Serve the standard fixtures: GeoNames under /geonames, its postal-code dumps under /postal,
    /// geoBoundaries under /gb, GeoJSON under /files.
    pub fn with_fixtures() -> Server {
        let s = Server::start();
        for cc in ["RU", "UA", "BY"] {
            s.route(&format!("/geonames/{cc}.zip"), vec![zip_reply(&dump_zip(cc, &fixture(&format!("{cc}.txt"))))]);
            let postal = fixture(&format!("postal/{cc}.txt"));
            s.route(&format!("/postal/{cc}.zip"), vec![zip_reply(&postal_zip(cc, &postal))]);
        }
        s.route(
            "/geonames/admin1CodesASCII.txt",
            vec![
                Reply::ok(fixture("admin1CodesASCII.txt"), "text/plain; charset=utf-8")
                    .with_etag("\"a1-v1\"")
                    .with_last_modified("Tue, 12 Mar 2024 01:20:00 GMT"),
            ],
        );
        // Only Last-Modified here: the second refresh must then ask with If-Modified-Since.
        s.route(
            "/geonames/admin2Codes.txt",
            vec![
                Reply::ok(fixture("admin2Codes.txt"), "text/plain; charset=utf-8")
                    .with_last_modified("Tue, 12 Mar 2024 01:21:00 GMT"),
            ],
        );
        for (iso3, file) in [("UKR", "ukraine"), ("RUS", "russia"), ("BLR", "belarus")] {
            s.serve_boundary(iso3, &fixture(&format!("{file}.geojson")));
        }
        s
    }

    /// geoBoundaries metadata for `iso3` pointing at `geojson`, served under /files.
    pub fn serve_boundary(&self, iso3: &str, geojson: &[u8]) {
        let gj_path = format!("/files/geoBoundaries-{iso3}-ADM0.geojson");
        let meta = serde_json::json!({
            "boundaryID": format!("{iso3}-ADM0-fixture"),
            "boundaryISO": iso3,
            "boundaryType": "ADM0",
            "gjDownloadURL": self.url(&gj_path),
        });
        self.route(
            &format!("/gb/{iso3}/ADM0/"),
            vec![Reply::ok(meta.to_string().into_bytes(), "application/json").with_etag(&format!("\"meta-{iso3}\""))],
        );
        self.route(
            &gj_path,
            vec![
                Reply::ok(geojson.to_vec(), "application/geo+json")
                    .with_etag(&format!("\"gj-{iso3}-{}\"", short_sha(geojson))),
            ],
        );
    }

    /// `--base-url`, `--postal-url` and `--boundaries-url` arguments pointing here.
    pub fn args(&self) -> Vec<String> {
        let mut args = vec!["--base-url".into(), self.url("/geonames"), "--postal-url".into(), self.url("/postal")];
        args.extend(["--boundaries-url".into(), self.url("/gb")]);
        args
    }
}

/// A zip served the way download.geonames.org serves them (with an ETag).
pub fn zip_reply(bytes: &[u8]) -> Reply {
    Reply::ok(bytes.to_vec(), "application/zip").with_etag(&format!("\"zip-{}\"", short_sha(bytes)))
}

fn short_sha(bytes: &[u8]) -> String {
    sha256_hex(bytes)[..16].to_string()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn serve(conn: TcpStream, state: &Arc<Mutex<State>>) -> std::io::Result<()> {
    conn.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(conn.try_clone()?);
    let mut out = conn;
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next().unwrap_or("").to_string(), parts.next().unwrap_or("").to_string());
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 {
            break;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let reply = {
        let mut st = state.lock().unwrap();
        let reply = match st.routes.get_mut(&path) {
            Some(q) if q.len() > 1 => q.pop_front(),
            Some(q) => q.front().cloned(),
            None => None,
        };
        reply.unwrap_or(Reply::Status(404, "<html><body>404 Not Found</body></html>".into()))
    };
    let header = |name: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
    let (status, head, body, hold): (u16, String, Vec<u8>, Option<Duration>) = match reply {
        Reply::Ok { body, content_type, etag, last_modified } => {
            let mut extra = String::new();
            if let Some(e) = &etag {
                extra.push_str(&format!("ETag: {e}\r\n"));
            }
            if let Some(lm) = &last_modified {
                extra.push_str(&format!("Last-Modified: {lm}\r\n"));
            }
            let not_modified = match (header("If-None-Match"), &etag) {
                (Some(inm), Some(e)) => inm == *e,
                (Some(_), None) => false,
                (None, _) => header("If-Modified-Since").is_some_and(|ims| Some(&ims) == last_modified.as_ref()),
            };
            if not_modified {
                (304, extra, Vec::new(), None)
            } else {
                (200, format!("Content-Type: {content_type}\r\nContent-Length: {}\r\n{extra}", body.len()), body, None)
            }
        }
        Reply::Status(code, text) => {
            (code, format!("Content-Type: text/html\r\nContent-Length: {}\r\n", text.len()), text.into_bytes(), None)
        }
        Reply::Stall { body, send, hold } => {
            (200, format!("Content-Length: {}\r\n", body.len()), body[..send.min(body.len())].to_vec(), Some(hold))
        }
        Reply::Redirect(location) => (302, format!("Location: {location}\r\nContent-Length: 0\r\n"), Vec::new(), None),
        Reply::Truncated { body, send } => {
            (200, format!("Content-Length: {}\r\n", body.len()), body[..send.min(body.len())].to_vec(), None)
        }
        Reply::Trickle { body, piece, every } => {
            let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
            state.lock().unwrap().seen.push(Seen { method, path, headers: headers.clone(), status: 200 });
            out.write_all(head.as_bytes())?;
            for part in body.chunks(piece.max(1)) {
                // The client hanging up ends the reply.
                if out.write_all(part).and_then(|()| out.flush()).is_err() {
                    return Ok(());
                }
                std::thread::sleep(every);
            }
            return Ok(());
        }
    };
    state.lock().unwrap().seen.push(Seen { method, path, headers: headers.clone(), status });
    let reason = match status {
        200 => "OK",
        302 => "Found",
        304 => "Not Modified",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
    let head = format!("HTTP/1.1 {status} {reason}\r\n{head}Connection: close\r\n\r\n");
    out.write_all(head.as_bytes())?;
    out.write_all(&body)?;
    out.flush()?;
    if let Some(hold) = hold {
        std::thread::sleep(hold);
    }
    // Drain what the client may still send, then close.
    let _ = out.shutdown(std::net::Shutdown::Write);
    let mut sink = [0u8; 256];
    let _ = reader.read(&mut sink);
    Ok(())
}

/// Path of a committed fixture.
pub fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/refresh").join(name)
}

/// Points on inland water and a river island inside Ukraine, with their distance (km) to the land border
/// from an independent computation: Python GeographicLib through `tools/border_reference.py`'s
/// `measure()` (border `../shared/data/boundaries/ru-ua-land-border.geojson` densified to a metre, brute
/// force), run by hand in a venv (`pip install geographiclib`). Their places are on any map: the Kremenchuk
/// reservoir south-east of Cherkasy, the Kyiv reservoir north of Vyshhorod, Khortytsia island at Zaporizhzhia.
pub const INLAND_WATER_POINTS: [(&str, f64, f64, f64); 3] = [
    ("Kremenchuk reservoir", 49.25, 32.75, 239.5196),
    ("Kyiv reservoir", 50.85, 30.45, 167.2931),
    ("Khortytsia island", 47.82, 35.09, 241.7897),
];

/// Bytes of a committed fixture.
pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture_path(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// A GeoNames-style country zip: `{CC}.txt` and a `readme.txt`, deflated.
pub fn dump_zip(cc: &str, dump: &[u8]) -> Vec<u8> {
    zip_of(&[(&format!("{cc}.txt"), dump), ("readme.txt", b"readme for the GeoNames export (fixture)\n")])
}

/// A GeoNames-style postal-code zip (export/zip/{CC}.zip): `{CC}.txt` and a `readme.txt`, deflated.
pub fn postal_zip(cc: &str, rows: &[u8]) -> Vec<u8> {
    zip_of(&[(&format!("{cc}.txt"), rows), ("readme.txt", b"readme for the GeoNames postal code export (fixture)\n")])
}

/// A zip holding `entries` (name, contents), deflated.
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, opts).expect("zip entry");
        w.write_all(data).expect("zip write");
    }
    w.finish().expect("zip finish").into_inner()
}

/// SHA-256 of every file under `dir`, by relative path (what "byte-for-byte unchanged" is checked with).
pub fn checksums(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().to_string();
                out.insert(rel, sha256_hex(&std::fs::read(&p).unwrap()));
            }
        }
    }
    out
}
