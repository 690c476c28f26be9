//! Program content on the server: importing uploads into versions, the blob store, and
//! delivering modules and media to participants.

pub mod blob_store;
pub mod delivery;
pub mod import;
pub mod media;
pub mod routes;
