//! "Omat tavoitteeni": a participant's 1–3 GAS goals on a course, rated by the course's staff at
//! the start (baseline) and the end (attainment), with the T-score (R-GAS).

pub mod gas;
pub mod model;
pub mod routes;
pub mod service;
