//! Self-rehabilitation (omakuntoutus, R-SELFREHAB): a participant's plan of concrete tasks, agreed
//! with a guide, logged day by day, with adherence and the guides' feedback.

pub mod mail;
pub mod model;
pub mod plan;
pub mod routes;
pub mod service;
