//! Plain chat types that parse their input once.

use serde::Serialize;
use uuid::Uuid;

use crate::accounts::model::Role;
use crate::auth::extract::AuthUser;

/// The longest message, in characters after trimming (PROTOCOL.md).
pub const MAX_BODY_CHARS: usize = 4000;
/// Own messages can be edited or deleted this long after sending.
pub const EDIT_WINDOW_MINUTES: i64 = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoomKind {
    Group,
    Team,
    Private,
}

impl RoomKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RoomKind::Group => "group",
            RoomKind::Team => "team",
            RoomKind::Private => "private",
        }
    }
    pub fn parse(s: &str) -> Option<RoomKind> {
        match s {
            "group" => Some(RoomKind::Group),
            "team" => Some(RoomKind::Team),
            "private" => Some(RoomKind::Private),
            _ => None,
        }
    }
}

/// The unique key of a room within its course.
pub fn room_key(kind: RoomKind, participant_id: Option<i32>) -> String {
    match (kind, participant_id) {
        (RoomKind::Private, Some(p)) => format!("private:{p}"),
        (kind, _) => kind.as_str().to_owned(),
    }
}

/// How someone belongs to a room; it decides what they are shown (S11) and what they may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Membership {
    /// An enrolled participant of the course (group room, own private thread).
    Participant,
    /// A guide on the course's team: every room of the course, moderation.
    Staff,
}

impl Membership {
    pub fn audience(self) -> Audience {
        match self {
            Membership::Participant => Audience::Participant,
            Membership::Staff => Audience::Staff,
        }
    }
    pub fn is_staff(self) -> bool {
        self == Membership::Staff
    }
}

/// Whom a frame is rendered for: participants see other participants' first names only and never
/// a hidden message's text or the reason it was hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    Participant,
    Staff,
}

/// The signed-in user as chat needs them: ids and role (from the access token or a ticket).
#[derive(Debug, Clone)]
pub struct ChatUser {
    pub id: i32,
    pub uuid: Uuid,
    pub role: Role,
}

impl From<&AuthUser> for ChatUser {
    fn from(u: &AuthUser) -> ChatUser {
        ChatUser {
            id: u.id,
            uuid: u.uuid,
            role: u.role,
        }
    }
}

/// How a person is shown in chat: the full name to staff, the first name to participants when
/// the person is a participant (S11, GDPR 5(1)(c)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserCard {
    pub id: i32,
    pub uuid: Uuid,
    pub name: String,
    pub role: Role,
    pub profession: Option<String>,
}

impl UserCard {
    pub fn from_user(u: &crate::entity::user::Model) -> UserCard {
        UserCard {
            id: u.id,
            uuid: u.uuid,
            name: u.display_name.clone(),
            role: Role::parse(&u.role).unwrap_or(Role::Participant),
            profession: u.profession.clone(),
        }
    }

    /// The name `audience` sees.
    pub fn name_for(&self, audience: Audience) -> &str {
        if audience == Audience::Participant && self.role == Role::Participant {
            first_name(&self.name)
        } else {
            &self.name
        }
    }
}

/// The first word of a display name ("Aino Virtanen" → "Aino").
pub fn first_name(full: &str) -> &str {
    full.split_whitespace().next().unwrap_or("")
}

/// A message text: trimmed, 1–4,000 characters, no control characters but line breaks and tabs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body(String);

impl Body {
    pub fn parse(raw: &str) -> Option<Body> {
        let t = raw.trim();
        let n = t.chars().count();
        ((1..=MAX_BODY_CHARS).contains(&n) && !crate::text::has_control_chars(t))
            .then(|| Body(t.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_is_trimmed_and_between_one_and_four_thousand_characters() {
        assert_eq!(
            Body::parse("  Hei  ").map(Body::into_string).as_deref(),
            Some("Hei")
        );
        assert!(Body::parse("   ").is_none());
        assert!(Body::parse("").is_none());
        assert!(Body::parse(&"ä".repeat(4000)).is_some());
        assert!(Body::parse(&"ä".repeat(4001)).is_none());
        assert!(Body::parse("Hei\nkaikki").is_some());
        assert!(
            Body::parse("Hei\u{0}").is_none(),
            "PostgreSQL cannot store NUL"
        );
    }

    #[test]
    fn participants_see_other_participants_first_names_only() {
        let p = UserCard {
            id: 1,
            uuid: Uuid::nil(),
            name: "Aino Virtanen".into(),
            role: Role::Participant,
            profession: None,
        };
        let g = UserCard {
            role: Role::Guide,
            name: "Liisa Korhonen".into(),
            ..p.clone()
        };
        assert_eq!(p.name_for(Audience::Participant), "Aino");
        assert_eq!(p.name_for(Audience::Staff), "Aino Virtanen");
        assert_eq!(g.name_for(Audience::Participant), "Liisa Korhonen");
    }

    #[test]
    fn room_keys_are_unique_per_kind_and_participant() {
        assert_eq!(room_key(RoomKind::Group, None), "group");
        assert_eq!(room_key(RoomKind::Private, Some(7)), "private:7");
    }
}
