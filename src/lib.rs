//! incimap: turn news reports of strikes and crashes near the Russia–Ukraine border into maps and numbers.
//!
//! Data flows one way: text → mentions ([`extract`]) → places ([`resolve`] over a [`gazetteer`], using
//! [`names`] normalisation) → measured incidents ([`border`], [`incidents`]) → layers ([`layers`]) and
//! statistics ([`stats`]). [`refresh`] rebuilds the gazetteer from public data over the network.
//!
//! ```
//! let gaz = incimap::gazetteer::Gazetteer::embedded().unwrap();
//! let resolver = incimap::resolve::Resolver::new(&gaz);
//! let res = resolver.resolve(&incimap::resolve::Query::new("Belgorod"));
//! assert_eq!(res.best.unwrap().geonameid, 578072);
//! ```

pub mod atomic_file;
pub mod border;
pub mod build;
pub mod extract;
pub mod gazetteer;
pub mod incidents;
pub mod layers;
pub mod names;
pub mod refresh;
pub mod resolve;
pub mod stats;
