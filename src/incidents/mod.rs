//! See the module's issue; not yet built.
