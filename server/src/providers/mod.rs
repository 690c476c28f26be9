//! Providers (rehabilitation organisations) and their sites.

pub mod routes;
pub mod service;
