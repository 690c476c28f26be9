//! The usage log of participants' data (703/2023 §11, SECURITY.md S21).

pub mod course;
pub mod routes;
pub mod service;
