//! The frames of PROTOCOL.md: client frames parsed once, server frames rendered once per audience
//! (participants / staff) and shared by every recipient as a cheap-to-clone `ByteString`.

use bytestring::ByteString;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::accounts::model::Role;
use crate::chat::model::{Audience, UserCard, first_name};
use crate::entity::chat_message;

/// A rendered frame; cloning shares the bytes.
pub type Frame = ByteString;

/// The largest frame a client may send (F7).
pub const MAX_FRAME_BYTES: usize = 64 * 1024;
/// The most rows a `join` replays; more answers `resync_required`.
pub const MAX_REPLAY: u64 = 500;

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct JoinRoom {
    pub room: Uuid,
    #[serde(default)]
    pub last_seen_seq: i64,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    Join {
        rooms: Vec<JoinRoom>,
    },
    Send {
        room: Uuid,
        client_msg_id: Uuid,
        body: String,
    },
    Edit {
        room: Uuid,
        seq: i64,
        body: String,
    },
    Delete {
        room: Uuid,
        seq: i64,
    },
    Typing {
        room: Uuid,
    },
    Read {
        room: Uuid,
        seq: i64,
    },
    Leave {
        room: Uuid,
    },
}

const CLIENT_TYPES: &[&str] = &["join", "send", "edit", "delete", "typing", "read", "leave"];

/// Why a client frame was refused before it was acted on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    /// Not JSON, not an object, or fields missing or of the wrong type.
    Bad(String),
    /// JSON with a `type` this protocol does not have.
    UnknownType,
}

impl ClientFrame {
    pub fn parse(text: &str) -> Result<ClientFrame, FrameError> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| FrameError::Bad(format!("not JSON: {e}")))?;
        let Some(kind) = value.get("type").and_then(Value::as_str) else {
            return Err(FrameError::Bad("a frame needs a string \"type\"".into()));
        };
        if !CLIENT_TYPES.contains(&kind) {
            return Err(FrameError::UnknownType);
        }
        serde_json::from_value(value).map_err(|e| FrameError::Bad(e.to_string()))
    }
}

fn frame(value: Value) -> Frame {
    ByteString::from(value.to_string())
}

/// A person as `audience` sees them: `{"id","name","role"}`, and `profession` for staff.
pub fn user_json(card: &UserCard, audience: Audience) -> Value {
    let mut v = json!({
        "id": card.uuid,
        "name": card.name_for(audience),
        "role": card.role.as_str(),
    });
    if card.role != Role::Participant
        && let Some(p) = &card.profession
    {
        v["profession"] = json!(p);
    }
    v
}

/// What is known of an event's target message when rendering a replay: its text is not shown to
/// participants once it is hidden, nor to anyone once deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TargetState {
    pub hidden: bool,
    pub deleted: bool,
}

/// A message or event row as a frame object for `audience` (also HTTP history items).
pub fn row_json(
    row: &chat_message::Model,
    room: Uuid,
    sender: &UserCard,
    audience: Audience,
    target: Option<TargetState>,
) -> Value {
    if row.kind == "message" {
        return message_json(row, room, sender, audience);
    }
    let event = row.event.as_deref().unwrap_or("");
    let mut v = json!({
        "type": "event",
        "room": room,
        "seq": row.seq,
        "at": row.created_at,
        "event": event,
        "target_seq": row.target_seq,
        "by": user_json(sender, audience),
    });
    let obj = v.as_object_mut();
    let Some(obj) = obj else { return v };
    if let Some(detail) = row
        .detail
        .as_deref()
        .and_then(|d| serde_json::from_str::<Map<String, Value>>(d).ok())
    {
        for (k, mut val) in detail {
            if matches!(k.as_str(), "type" | "room" | "seq" | "at" | "event" | "by") {
                continue;
            }
            if k == "user" && audience == Audience::Participant {
                participant_view_of_user(&mut val);
            }
            obj.insert(k, val);
        }
    }
    let target = target.unwrap_or_default();
    let text_visible = match event {
        // Participants see "removed by the guide": never the text or the reason.
        "hidden" => audience == Audience::Staff,
        "edited" | "unhidden" => !target.deleted && (audience == Audience::Staff || !target.hidden),
        _ => false,
    };
    if event == "hidden" && audience == Audience::Participant {
        obj.remove("reason");
    }
    if text_visible && !row.body.is_empty() {
        obj.insert("body".into(), json!(row.body));
    }
    v
}

/// A `user` inside event details (`muted`): participants get other participants' first names.
fn participant_view_of_user(val: &mut Value) {
    let is_participant = val.get("role").and_then(Value::as_str) == Some("participant");
    if is_participant && let Some(name) = val.get("name").and_then(Value::as_str) {
        let first = first_name(name).to_owned();
        val["name"] = json!(first);
    }
}

fn message_json(
    row: &chat_message::Model,
    room: Uuid,
    sender: &UserCard,
    audience: Audience,
) -> Value {
    let hidden = row.hidden_at.is_some();
    let deleted = row.deleted_at.is_some();
    let show_text = !deleted && (!hidden || audience == Audience::Staff);
    let mut v = json!({
        "type": "message",
        "room": room,
        "seq": row.seq,
        "id": row.uuid,
        "client_msg_id": row.client_msg_id,
        "at": row.created_at,
        "sender": user_json(sender, audience),
        "body": if show_text { row.body.as_str() } else { "" },
        "edited_at": row.edited_at,
    });
    if deleted {
        v["deleted"] = json!(true);
        // Removed by a guide rather than by its writer: the UI words the two differently.
        if row.removed_by.is_some() {
            v["removed"] = json!(true);
        }
    }
    if hidden {
        v["hidden"] = json!(true);
        if audience == Audience::Staff {
            v["hidden_reason"] = json!(row.hidden_reason);
        }
    }
    if row.pinned_at.is_some() {
        v["pinned"] = json!(true);
    }
    v
}

pub fn render_row(
    row: &chat_message::Model,
    room: Uuid,
    sender: &UserCard,
    audience: Audience,
    target: Option<TargetState>,
) -> Frame {
    frame(row_json(row, room, sender, audience, target))
}

#[allow(clippy::too_many_arguments)]
pub fn joined(
    room: Uuid,
    last_seq: i64,
    read_seq: i64,
    read_only: bool,
    slow_mode_seconds: i32,
    muted_until: Option<DateTime<Utc>>,
) -> Frame {
    frame(json!({
        "type": "joined", "room": room, "last_seq": last_seq, "read_seq": read_seq,
        "read_only": read_only, "slow_mode_seconds": slow_mode_seconds, "muted_until": muted_until,
    }))
}

pub fn ack(room: Uuid, row: &chat_message::Model, duplicate: bool) -> Frame {
    frame(json!({
        "type": "ack", "room": room, "client_msg_id": row.client_msg_id, "id": row.uuid,
        "seq": row.seq, "at": row.created_at, "duplicate": duplicate,
    }))
}

pub fn resync_required(room: Uuid, last_seq: i64) -> Frame {
    frame(json!({"type": "resync_required", "room": room, "last_seq": last_seq}))
}

pub fn typing(room: Uuid, user: &UserCard, audience: Audience) -> Frame {
    frame(json!({"type": "typing", "room": room, "user": user_json(user, audience)}))
}

pub fn read(room: Uuid, seq: i64) -> Frame {
    frame(json!({"type": "read", "room": room, "seq": seq}))
}

pub fn presence<'a>(
    room: Uuid,
    online: impl Iterator<Item = &'a UserCard>,
    audience: Audience,
) -> Frame {
    let online: Vec<Value> = online.map(|u| user_json(u, audience)).collect();
    frame(json!({"type": "presence", "room": room, "online": online}))
}

/// An `error` frame. `room` and `client_msg_id` say which frame failed, when known.
pub fn error(
    code: &str,
    message: &str,
    room: Option<Uuid>,
    client_msg_id: Option<Uuid>,
    retry_after: Option<i64>,
) -> Frame {
    let mut v = json!({"type": "error", "code": code, "message": message});
    if let Some(r) = room {
        v["room"] = json!(r);
    }
    if let Some(c) = client_msg_id {
        v["client_msg_id"] = json!(c);
    }
    if let Some(s) = retry_after {
        v["retry_after"] = json!(s);
    }
    frame(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(role: Role, name: &str) -> UserCard {
        UserCard {
            id: 1,
            uuid: Uuid::nil(),
            name: name.into(),
            role,
            profession: (role == Role::Guide).then(|| "sairaanhoitaja".into()),
        }
    }

    fn row(kind: &str, event: Option<&str>, body: &str) -> chat_message::Model {
        chat_message::Model {
            id: 1,
            uuid: Uuid::nil(),
            room_id: 1,
            seq: 3,
            kind: kind.into(),
            sender_id: 1,
            client_msg_id: None,
            body: body.into(),
            event: event.map(Into::into),
            target_seq: event.map(|_| 2),
            detail: None,
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            edited_at: None,
            deleted_at: None,
            hidden_at: None,
            hidden_by: None,
            hidden_reason: None,
            removed_by: None,
            pinned_at: None,
            pinned_by: None,
        }
    }

    #[test]
    fn client_frames_parse_and_bad_ones_are_told_apart() {
        let f = ClientFrame::parse(
            r#"{"type":"typing","room":"00000000-0000-0000-0000-000000000000"}"#,
        );
        assert_eq!(f, Ok(ClientFrame::Typing { room: Uuid::nil() }));
        assert_eq!(
            ClientFrame::parse(r#"{"type":"dance"}"#),
            Err(FrameError::UnknownType)
        );
        assert!(matches!(ClientFrame::parse("{"), Err(FrameError::Bad(_))));
        assert!(matches!(ClientFrame::parse("[1]"), Err(FrameError::Bad(_))));
        assert!(matches!(
            ClientFrame::parse(r#"{"type":"send","room":"x"}"#),
            Err(FrameError::Bad(_))
        ));
        let j = ClientFrame::parse(
            r#"{"type":"join","rooms":[{"room":"00000000-0000-0000-0000-000000000000"}]}"#,
        );
        assert!(matches!(j, Ok(ClientFrame::Join { rooms }) if rooms[0].last_seen_seq == 0));
    }

    #[test]
    fn a_hidden_event_shows_text_and_reason_to_staff_only() {
        let mut r = row("event", Some("hidden"), "the text");
        r.detail = Some(r#"{"reason":"off topic"}"#.into());
        let guide = card(Role::Guide, "Liisa K");
        let staff = row_json(&r, Uuid::nil(), &guide, Audience::Staff, None);
        assert_eq!(staff["body"], "the text");
        assert_eq!(staff["reason"], "off topic");
        let part = row_json(&r, Uuid::nil(), &guide, Audience::Participant, None);
        assert!(
            part.get("body").is_none() && part.get("reason").is_none(),
            "{part}"
        );
        assert_eq!(part["by"]["profession"], "sairaanhoitaja");
    }

    #[test]
    fn a_hidden_message_is_blank_for_participants_and_a_deleted_one_for_everyone() {
        let aino = card(Role::Participant, "Aino Virtanen");
        let mut r = row("message", None, "hei");
        r.hidden_at = Some(DateTime::<Utc>::UNIX_EPOCH);
        let p = row_json(&r, Uuid::nil(), &aino, Audience::Participant, None);
        assert_eq!(
            (p["body"].as_str(), p["hidden"].as_bool()),
            (Some(""), Some(true))
        );
        assert_eq!(p["sender"]["name"], "Aino");
        let s = row_json(&r, Uuid::nil(), &aino, Audience::Staff, None);
        assert_eq!(s["body"], "hei");
        assert_eq!(s["sender"]["name"], "Aino Virtanen");
        r.deleted_at = Some(DateTime::<Utc>::UNIX_EPOCH);
        let s = row_json(&r, Uuid::nil(), &aino, Audience::Staff, None);
        assert_eq!(s["body"], "");
    }

    #[test]
    fn an_edit_of_a_since_hidden_message_replays_without_text_to_participants() {
        let aino = card(Role::Participant, "Aino Virtanen");
        let r = row("event", Some("edited"), "new text");
        let hidden = Some(TargetState {
            hidden: true,
            deleted: false,
        });
        let p = row_json(&r, Uuid::nil(), &aino, Audience::Participant, hidden);
        assert!(p.get("body").is_none());
        let s = row_json(&r, Uuid::nil(), &aino, Audience::Staff, hidden);
        assert_eq!(s["body"], "new text");
    }

    #[test]
    fn muted_user_details_show_first_names_to_participants() {
        let mut r = row("event", Some("muted"), "");
        r.detail = Some(r#"{"user":{"id":"x","name":"Aino Virtanen","role":"participant"},"until":"2026-01-01T00:00:00Z"}"#.into());
        let guide = card(Role::Guide, "Liisa K");
        let p = row_json(&r, Uuid::nil(), &guide, Audience::Participant, None);
        assert_eq!(p["user"]["name"], "Aino");
        assert_eq!(p["until"], "2026-01-01T00:00:00Z");
    }
}
