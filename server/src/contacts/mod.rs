//! Contacts (R-INTERIM-3, R-FOLLOWUP): the pre-contact, the interim contacts of the remote period
//! and the follow-up contact, each an individual video call or phone call with one professional.
//! The participant confirms or asks for another time; a done interim or follow-up contact credits
//! the guidance ledger once; each contact has a calendar invitation and a reminder mail the day
//! before (the `contact_reminders` job).

pub mod ics;
pub mod model;
pub mod routes;
pub mod service;
pub mod words;
