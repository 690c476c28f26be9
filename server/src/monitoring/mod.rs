//! The guide's monitoring view (issue 6 §3): one row per participant of a course with what a
//! guide needs to step in early, and one participant's timeline. Everything here is read from the
//! features that own the facts (progress, self-rehabilitation, guidance, contacts, chat) with a
//! bounded number of statements per course, never one per participant.

pub mod model;
pub mod routes;
pub mod service;
pub mod timeline;
