//! Progress through the program: items opened, visible time, media positions and completion,
//! summed up per module and for the program. What "done" means is defined once in [`rules`].

pub mod outline;
pub mod pace;
pub mod routes;
pub mod rules;
pub mod service;
