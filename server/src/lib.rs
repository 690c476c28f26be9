//! Etäpolku server: accounts, courses and the service rules, HTTP API and web UI.

pub mod accounts;
pub mod app;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod content;
pub mod courses;
pub mod db;
pub mod demo;
pub mod enrolment;
pub mod entity;
pub mod error;
pub mod feedback;
pub mod health;
pub mod http;
pub mod mail;
pub mod notifications;
pub mod openapi;
pub mod providers;
pub mod startup;
pub mod state;
pub mod team;
pub mod telemetry;
