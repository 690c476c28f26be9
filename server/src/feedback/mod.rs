//! Accessibility feedback from the statement page (UX.md A18, A19): stored as a ticket with its
//! received date; the admin list flags tickets still unanswered after 14 days.

pub mod routes;
