//! Alerts about participants that the course's guides act on (issue 6, item 4): inactive for N
//! days, program or guidance behind pace, an interim contact overdue or not planned in time, no
//! follow-up planned, a message to the team unanswered for 48 hours.
//!
//! The scheduler's evaluation pass (`scheduler::jobs::alert_evaluation`) opens and closes them as
//! the facts change; guides acknowledge them with a note; they feed the guides' weekly digest
//! (`scheduler::jobs::alert_digest`), and an inactive participant gets a friendly nudge
//! (`scheduler::jobs::activity_nudge`).

pub mod facts;
pub mod mail;
pub mod model;
pub mod routes;
pub mod rules;
pub mod service;
