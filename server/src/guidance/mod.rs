//! The guidance ledger (R-GUIDANCE-4H, R-GUIDE-ONE): every piece of guidance a participant gets
//! in the remote period, each given by one professional, with the minutes it credits, corrected
//! with history and never silently deleted; totals and pace per participant.
//!
//! A guidance session in a group room ([`session`]) records its minutes through
//! [`service::create_entry`] with `Source::ChatSession`, crediting every participant who took
//! part, in one entry.

pub mod export;
pub mod model;
pub mod pace;
pub mod routes;
pub mod service;
pub mod session;
pub mod session_routes;
