//! Courses: the calendar (schedule), states and their rules, and who may see which course.

pub mod access;
pub mod model;
pub mod routes;
pub mod schedule;
pub mod service;
