//! A course's multiprofessional team and its composition rules (R-TEAM).

pub mod composition;
pub mod profession;
pub mod routes;
pub mod service;
