//! Reporting download progress: an indicatif bar per file on a terminal, plain log lines otherwise.

use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Where refresh progress goes. Built by the caller (the CLI decides whether stderr is a terminal).
pub struct Reporter {
    bars: Option<MultiProgress>,
    log: Box<dyn Fn(&str) + Send + Sync>,
}

impl Reporter {
    /// Progress bars on stderr (one per file), with `log` for messages between them.
    pub fn with_bars(log: impl Fn(&str) + Send + Sync + 'static) -> Reporter {
        Reporter { bars: Some(MultiProgress::with_draw_target(ProgressDrawTarget::stderr())), log: Box::new(log) }
    }

    /// Log lines only (for pipes, CI logs and tests).
    pub fn with_log(log: impl Fn(&str) + Send + Sync + 'static) -> Reporter {
        Reporter { bars: None, log: Box::new(log) }
    }

    /// Nothing at all.
    pub fn silent() -> Reporter {
        Reporter::with_log(|_| {})
    }

    /// A message (a retry, a cached file re-used, a build step).
    pub fn log(&self, msg: &str) {
        match &self.bars {
            Some(mp) => mp.suspend(|| (self.log)(msg)),
            None => (self.log)(msg),
        }
    }

    /// A message shown only when there are no bars (a bar already shows it).
    pub fn log_without_bars(&self, msg: &str) {
        if self.bars.is_none() {
            (self.log)(msg);
        }
    }

    /// Start showing the transfer of `label`, of `total` bytes when the server said so.
    pub(crate) fn file(&self, label: &str, total: Option<u64>) -> FileProgress {
        let bar = self.bars.as_ref().map(|mp| {
            let bar = match total {
                Some(n) => ProgressBar::new(n).with_style(
                    ProgressStyle::with_template(
                        "{prefix:>24} [{bar:30}] {bytes:>10}/{total_bytes:<10} {binary_bytes_per_sec:>12} ETA {eta}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
                ),
                None => ProgressBar::new_spinner().with_style(
                    ProgressStyle::with_template(
                        "{prefix:>24} {spinner} {bytes:>10} {binary_bytes_per_sec:>12} {elapsed}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                ),
            };
            let bar = mp.add(bar);
            bar.set_prefix(label.to_string());
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        FileProgress { bar }
    }
}

/// The progress of one transfer.
pub(crate) struct FileProgress {
    bar: Option<ProgressBar>,
}

impl FileProgress {
    pub(crate) fn advance(&self, bytes: u64) {
        if let Some(b) = &self.bar {
            b.inc(bytes);
        }
    }

    /// Start over (a retry).
    pub(crate) fn reset(&self) {
        if let Some(b) = &self.bar {
            b.reset();
        }
    }

    pub(crate) fn finish(&self, msg: &str) {
        if let Some(b) = &self.bar {
            b.set_style(
                ProgressStyle::with_template("{prefix:>24} {msg}").unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            b.finish_with_message(msg.to_string());
        }
    }
}

impl Drop for FileProgress {
    fn drop(&mut self) {
        if let Some(b) = self.bar.as_ref().filter(|b| !b.is_finished()) {
            b.abandon();
        }
    }
}
