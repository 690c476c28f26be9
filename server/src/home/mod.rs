//! "Tämä viikko / Den här veckan": everything a participant's home page shows, in one request
//! that reads a fixed number of rows whatever the size of the course or the history.

pub mod guidance;
pub mod routes;
pub mod service;
