//! Signed geodesic distance to the Russia–Ukraine land border, and which country a point is in.

pub mod derive;
