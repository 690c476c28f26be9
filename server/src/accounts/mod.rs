//! Accounts: the signed-in user's own profile, staff and participants of a provider.

pub mod model;
pub mod routes;
pub mod service;
