//! API tests: each starts the real server on a free port with a fresh database
//! (SQLite, or PostgreSQL when DATABASE_URL is set) and talks to it over HTTP.

mod helpers;

mod alerts;
mod answers;
mod audit;
mod auth;
mod authorization;
mod bad_input;
mod chat;
mod chat_eviction;
mod chat_faults;
mod chat_group_commit;
mod chat_moderation;
mod chat_notifications;
mod chat_relay;
mod contacts;
mod content;
mod courses;
mod demo;
mod enrolment;
mod feedback;
mod goals;
mod guidance;
mod guidance_session;
mod health;
mod home;
mod measures;
mod mfa;
mod monitoring;
mod notifications;
mod overview;
mod progress;
mod selfrehab;
mod selfrehab_goals;
mod storage;
mod team;
