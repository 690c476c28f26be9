//! Start and end measures (R-MEASURES): WHOQOL-BREF domain scores and the BDI-21 total, recorded
//! by staff, the end refused until more than three months have passed (R-MEASURE-3M).

pub mod model;
pub mod routes;
pub mod service;
