//! Participants on courses: group size (R-GROUP-SIZE, R-GROUP-START) and the deadlines counted
//! from each participant's decision date (R-AGREE-2W, R-CONFIRM-6M, R-WINDOW-20M, R-TOTAL-8-20M).

pub mod deadlines;
pub mod group_size;
pub mod routes;
pub mod service;
