//! HTTP plumbing shared by every feature: JSON extraction, client facts, headers, static UI.

pub mod client;
pub mod csv;
pub mod headers;
pub mod json;
pub mod web_ui;
