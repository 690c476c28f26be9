//! Accounts' sign-in: passwords (argon2id), JWT access tokens, rotating refresh tokens,
//! single-use mailed links, rate limits, and the role extractors every handler starts with.

pub mod extract;
pub mod jwt;
pub mod link_mail;
pub mod links;
pub mod mfa;
pub mod model;
pub mod password;
pub mod rate_limit;
pub mod revocation;
pub mod routes;
pub mod session;
pub mod token;
pub mod totp;
