//! Chat (issue 5): rooms per course, an append-only log per room, and a websocket that carries
//! chat only. The protocol and HTTP API are in `PROTOCOL.md` beside this file.
//!
//! - `rooms`: which rooms a course has and who is in them (computed from enrolment and team).
//! - `store`: the log: sending, editing, deleting, events, replay; every write is one transaction.
//! - `group_commit`: the writer that stores the sends waiting at once in one transaction.
//! - `history`: HTTP history, search and pins.
//! - `ticket`: one-use websocket tickets.
//! - `hub`: the one task that owns the live rooms and fans out committed rows.
//! - `socket`: one task per websocket connection.
//! - `protocol`: frames in and out, rendered once per audience.
//! - `relay`: PostgreSQL LISTEN/NOTIFY between server instances.

pub mod group_commit;
pub mod history;
pub mod hub;
pub mod mail;
pub mod model;
pub mod moderation;
pub mod moderation_routes;
pub mod protocol;
pub mod relay;
pub mod reports;
pub mod rooms;
pub mod routes;
pub mod socket;
pub mod store;
pub mod ticket;

pub use group_commit::SendQueue;
pub use hub::ChatHub;
pub use model::{Audience, ChatUser, Membership, RoomKind};
