//! Shared pieces of Etäpolku's test and benchmark tools: starting the real server on a free port
//! against a fresh database (SQLite by default, PostgreSQL when `DATABASE_URL` is set).

pub mod bench;
pub mod chat_client;
pub mod home_dataset;
pub mod overview_dataset;
pub mod spawn;
