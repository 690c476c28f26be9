//! Notices in a person's own view ("your guide commented on your answer") and the short mail
//! that tells them to look, without the text itself (SECURITY.md: no health data in mail).

pub mod mail;
pub mod routes;
pub mod service;
