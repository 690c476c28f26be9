//! Etäpolku's content model: a program of weekly modules made of items. Importers (Moodle
//! backups, our own folder format) produce it; the server stores and delivers it. This crate
//! knows nothing of databases or HTTP.

pub mod model;
