//! A test harness (libtest-mimic, `harness = false`) for test files with tests that need what a plain clone
//! or a bare machine may lack: the project's shared data (`../shared`), or a tool such as Chromium or QGIS.
//! Such a test shows as `ignored` in the runner's summary, with what it needs in brackets, instead of passing
//! without having run. Under `CI` nothing is ignored: a test whose need is missing runs and fails.
//!
//! A file using it declares its tests in `main`:
//!
//! ```ignore
//! fn main() {
//!     needs::run(vec![
//!         needs::case("measures_real_records", measures_real_records).needs(Need::Shared("data/real")),
//!         needs::case("median_takes_the_middle", median_takes_the_middle),
//!     ]);
//! }
//! ```
#![allow(dead_code)] // each test file uses some of it

use std::path::Path;

use libtest_mimic::{Arguments, Trial};

/// What a test needs besides the crate.
#[derive(Debug, Clone, Copy)]
pub enum Need {
    /// A folder of `../shared` (beside the repository), e.g. `data/real`.
    Shared(&'static str),
    /// A program on the `PATH`, run with `--version` to tell whether it is there, and how to install it.
    Tool { program: &'static str, install: &'static str },
    /// A Python module that `/usr/bin/python3` imports, and how to install it.
    PythonModule { module: &'static str, install: &'static str },
    /// Anything else: what it is (and how to get it), and a check that it is there.
    Check { what: &'static str, present: fn() -> bool },
}

impl Need {
    /// What is missing, or `None` when the need is met.
    pub fn missing(self) -> Option<String> {
        match self {
            Need::Shared(dir) => {
                let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared").join(dir);
                (!path.is_dir()).then(|| format!("../shared/{dir}"))
            }
            Need::Tool { program, install } => {
                let found = std::process::Command::new(program)
                    .arg("--version")
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .status()
                    .is_ok();
                (!found).then(|| format!("{program}: {install}"))
            }
            Need::PythonModule { module, install } => {
                let found = std::process::Command::new("/usr/bin/python3")
                    .args(["-c", &format!("import {module}")])
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success());
                (!found).then(|| format!("python3 module {module}: {install}"))
            }
            Need::Check { what, present } => (!present()).then(|| what.to_string()),
        }
    }
}

/// One test: its name, its body (a panic fails it), and what it needs.
pub struct Case {
    name: &'static str,
    body: fn(),
    needs: Vec<Need>,
}

/// A test that needs nothing else.
pub fn case(name: &'static str, body: fn()) -> Case {
    Case { name, body, needs: Vec::new() }
}

impl Case {
    /// The test needs `need` as well.
    pub fn needs(mut self, need: Need) -> Case {
        self.needs.push(need);
        self
    }
}

/// Run the cases as `cargo test` runs tests (the same arguments and output), and exit.
pub fn run(cases: Vec<Case>) -> ! {
    let args = Arguments::from_args();
    let ci = std::env::var_os("CI").is_some();
    let trials = cases
        .into_iter()
        .map(|c| {
            let missing: Vec<String> = c.needs.iter().filter_map(|n| n.missing()).collect();
            let body = c.body;
            let trial = Trial::test(c.name, move || {
                body();
                Ok(())
            });
            if missing.is_empty() {
                trial
            } else {
                // Under CI the test runs, and fails on what is missing.
                trial.with_ignored_flag(!ci).with_kind(format!("needs {}", missing.join(", ")))
            }
        })
        .collect();
    libtest_mimic::run(&args, trials).exit()
}
