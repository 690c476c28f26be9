//! The provider's progress overview (issue 6, item 5): every course with its phase, group, team
//! and invoicing, and every participant's guidance, contacts, program and deadlines, each as a
//! red/amber/green check with its reason ([`checks`]), gathered for all courses in a fixed number
//! of statements ([`service`]); and its CSV export ([`export`]).

pub mod checks;
pub mod export;
pub mod model;
pub mod routes;
pub mod service;
pub mod words;
