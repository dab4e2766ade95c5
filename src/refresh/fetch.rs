//! HTTP downloads: HTTPS only (plain HTTP to loopback addresses), per-request timeouts, bounded retries
//! with exponential backoff on timeouts, broken transfers and 5xx, conditional requests, and a size cap.

use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::header::{ETAG, HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
use reqwest::{StatusCode, Url};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::RefreshError;
use super::cache::CacheEntry;
use super::progress::Reporter;

/// How patient and how generous downloads are.
#[derive(Debug, Clone)]
pub struct FetchLimits {
    /// Longest wait for the response headers, and for each piece of the body (a stalled server).
    pub timeout: Duration,
    /// Longest time one file's transfer may take in all (a server that trickles a few bytes at a time never
    /// stalls long enough for `timeout`); past it the file fails without retries.
    pub deadline: Duration,
    /// Further attempts after a timeout, a broken transfer or a 5xx answer.
    pub retries: u32,
    /// Wait before the first retry; doubled for each further one.
    pub retry_wait: Duration,
    /// Largest file accepted, in bytes.
    pub max_bytes: u64,
}

impl Default for FetchLimits {
    fn default() -> Self {
        FetchLimits {
            timeout: Duration::from_secs(60),
            deadline: Duration::from_secs(1800),
            retries: 3,
            retry_wait: Duration::from_secs(2),
            max_bytes: 1 << 30,
        }
    }
}

/// Check that `url` may be fetched: `https`, or `http` to a loopback address (a local mirror, tests).
///
/// ```
/// use incimap::refresh::fetch::check_url;
/// assert!(check_url("https://download.geonames.org/export/dump/RU.zip").is_ok());
/// assert!(check_url("http://127.0.0.1:8080/RU.zip").is_ok());
/// assert!(check_url("http://download.geonames.org/export/dump/RU.zip").is_err());
/// ```
pub fn check_url(url: &str) -> Result<Url, RefreshError> {
    let refused = |why: &str| RefreshError::UrlRefused { url: url.to_string(), why: why.to_string() };
    let parsed = Url::parse(url).map_err(|e| refused(&format!("not a valid URL ({e})")))?;
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if is_loopback(&parsed) => Ok(parsed),
        "http" => Err(refused("plain HTTP is only allowed to loopback addresses; use https")),
        other => Err(refused(&format!("unsupported scheme {other:?}; use https"))),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host_str() {
        Some("localhost") => true,
        Some(h) => h.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback()),
        None => false,
    }
}

/// A file fetched into place: downloaded now, or unchanged on the server (the cached copy stands).
#[derive(Debug, Clone)]
pub enum Fetched {
    Downloaded(CacheEntry),
    NotModified(CacheEntry),
}

impl Fetched {
    /// The cache record for the file as it now is.
    pub fn entry(&self) -> &CacheEntry {
        match self {
            Fetched::Downloaded(e) | Fetched::NotModified(e) => e,
        }
    }
}

/// An HTTP client with the refresh policy built in.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    limits: FetchLimits,
    reporter: Arc<Reporter>,
}

/// Why one attempt failed, and whether another is worth it.
struct Attempt {
    why: String,
    retry: bool,
}

impl Attempt {
    fn retry(why: impl Into<String>) -> Attempt {
        Attempt { why: why.into(), retry: true }
    }
    fn fatal(why: impl Into<String>) -> Attempt {
        Attempt { why: why.into(), retry: false }
    }
}

impl Fetcher {
    /// A fetcher with `limits`, reporting to `reporter`.
    pub fn new(limits: FetchLimits, reporter: Arc<Reporter>) -> Result<Fetcher, RefreshError> {
        // Redirects are followed only to places the same URL rule allows (never from https to http).
        let policy = reqwest::redirect::Policy::custom(|attempt| {
            if attempt.previous().len() >= 10 {
                attempt.error("more than 10 redirects")
            } else if let Err(e) = check_url(attempt.url().as_str()) {
                attempt.error(e.to_string())
            } else {
                attempt.follow()
            }
        });
        let client = reqwest::Client::builder()
            .user_agent(concat!("incimap/", env!("CARGO_PKG_VERSION"), " (gazetteer refresh)"))
            .connect_timeout(limits.timeout)
            .redirect(policy)
            .build()
            .map_err(|e| RefreshError::Download {
                url: String::new(),
                why: format!("cannot start HTTP client: {e}"),
            })?;
        Ok(Fetcher { client, limits, reporter })
    }

    /// Download `url` into `dest`. With `cached` (a copy from the same URL), the request is conditional and
    /// a `304 Not Modified` leaves `dest` untouched and returns [`Fetched::NotModified`].
    pub async fn fetch(
        &self,
        url: &Url,
        dest: &Path,
        label: &str,
        cached: Option<&CacheEntry>,
        max_bytes: u64,
    ) -> Result<Fetched, RefreshError> {
        let mut wait = self.limits.retry_wait;
        let attempts = self.limits.retries + 1;
        for attempt in 1..=attempts {
            match self.attempt(url, dest, label, cached, max_bytes).await {
                Ok(f) => return Ok(f),
                Err(a) if a.retry && attempt < attempts => {
                    self.reporter.log(&format!(
                        "{label}: {} (attempt {attempt} of {attempts}); retrying in {:.1} s",
                        a.why,
                        wait.as_secs_f64()
                    ));
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(Duration::from_secs(60));
                }
                Err(a) => {
                    let why = if a.retry { format!("{} (gave up after {attempts} attempts)", a.why) } else { a.why };
                    return Err(RefreshError::Download { url: url.to_string(), why });
                }
            }
        }
        unreachable!("the loop returns on its last attempt")
    }

    async fn attempt(
        &self,
        url: &Url,
        dest: &Path,
        label: &str,
        cached: Option<&CacheEntry>,
        max_bytes: u64,
    ) -> Result<Fetched, Attempt> {
        let mut req = self.client.get(url.clone());
        if let Some(c) = cached {
            if let Some(etag) = &c.etag {
                req = req.header(IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &c.last_modified {
                req = req.header(IF_MODIFIED_SINCE, lm);
            }
        }
        let timeout = self.limits.timeout;
        let resp = match tokio::time::timeout(timeout, req.send()).await {
            Err(_) => return Err(Attempt::retry(format!("no response within {} s", timeout.as_secs_f64()))),
            Ok(Err(e)) if e.is_redirect() => return Err(Attempt::fatal(format!("redirect refused: {}", chain(&e)))),
            Ok(Err(e)) => return Err(Attempt::retry(format!("request failed: {}", chain(&e)))),
            Ok(Ok(r)) => r,
        };
        let status = resp.status();
        if status == StatusCode::NOT_MODIFIED {
            if let Some(c) = cached {
                self.reporter
                    .log(&format!("{label}: unchanged since the last refresh (HTTP 304), using the cached copy"));
                return Ok(Fetched::NotModified(c.clone()));
            }
            return Err(Attempt::fatal("HTTP 304 Not Modified to an unconditional request"));
        }
        if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
            return Err(Attempt::retry(format!("HTTP {status}")));
        }
        if !status.is_success() {
            return Err(Attempt::fatal(format!("HTTP {status}")));
        }
        let headers = resp.headers().clone();
        let declared = resp.content_length();
        if let Some(n) = declared.filter(|&n| n > max_bytes) {
            return Err(Attempt::fatal(format!("the server announces {n} bytes, over the limit of {max_bytes}")));
        }
        let progress = self.reporter.file(label, declared);
        let mut file = tokio::fs::File::create(dest)
            .await
            .map_err(|e| Attempt::fatal(format!("cannot create {}: {e}", dest.display())))?;
        let mut hasher = Sha256::new();
        let mut total = 0u64;
        let mut body = resp.bytes_stream();
        let started = tokio::time::Instant::now();
        let deadline = self.limits.deadline;
        loop {
            let left = deadline.saturating_sub(started.elapsed());
            if left.is_zero() {
                progress.reset();
                return Err(Attempt::fatal(format!(
                    "the transfer took longer than the {} s allowed for one file (--deadline), {total} bytes in",
                    deadline.as_secs_f64()
                )));
            }
            let chunk = match tokio::time::timeout(timeout.min(left), body.next()).await {
                Err(_) if started.elapsed() >= deadline => continue,
                Err(_) => {
                    progress.reset();
                    return Err(Attempt::retry(format!(
                        "the transfer stalled: no data for {} s after {total} bytes",
                        timeout.as_secs_f64()
                    )));
                }
                Ok(None) => break,
                Ok(Some(Err(e))) => {
                    progress.reset();
                    return Err(Attempt::retry(format!("the transfer broke off after {total} bytes: {}", chain(&e))));
                }
                Ok(Some(Ok(c))) => c,
            };
            total += chunk.len() as u64;
            if total > max_bytes {
                return Err(Attempt::fatal(format!("more than {max_bytes} bytes: over the size limit, refused")));
            }
            hasher.update(&chunk);
            file.write_all(&chunk)
                .await
                .map_err(|e| Attempt::fatal(format!("cannot write {}: {e}", dest.display())))?;
            progress.advance(chunk.len() as u64);
        }
        if let Some(n) = declared.filter(|&n| n != total) {
            progress.reset();
            return Err(Attempt::retry(format!("truncated body: got {total} of the {n} bytes announced")));
        }
        file.flush().await.map_err(|e| Attempt::fatal(format!("cannot write {}: {e}", dest.display())))?;
        file.sync_all().await.map_err(|e| Attempt::fatal(format!("cannot write {}: {e}", dest.display())))?;
        progress.finish(&format!("{total} bytes"));
        self.reporter.log_without_bars(&format!("{label}: downloaded {total} bytes from {url}"));
        Ok(Fetched::Downloaded(CacheEntry {
            url: url.to_string(),
            etag: header(&headers, ETAG),
            last_modified: header(&headers, LAST_MODIFIED),
            sha256: hasher.finalize().iter().map(|b| format!("{b:02x}")).collect(),
            bytes: total,
        }))
    }
}

fn header(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
}

/// An error with its causes, on one line (reqwest's top-level message alone says little).
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let c_s = c.to_string();
        if !s.contains(&c_s) {
            s.push_str(": ");
            s.push_str(&c_s);
        }
        cur = c.source();
    }
    s
}
