//! Exercise answers: autosaved drafts only the participant sees, submitted answers their guides
//! read and comment on (the participant is notified without the comment's text in mail).

pub mod routes;
pub mod service;
