//! Plain account types that parse their input once.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::AppError;

/// Who a user is to the service; every permission check starts here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Participant,
    Guide,
    ProviderAdmin,
    PlatformAdmin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Participant => "participant",
            Role::Guide => "guide",
            Role::ProviderAdmin => "provider_admin",
            Role::PlatformAdmin => "platform_admin",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "participant" => Some(Role::Participant),
            "guide" => Some(Role::Guide),
            "provider_admin" => Some(Role::ProviderAdmin),
            "platform_admin" => Some(Role::PlatformAdmin),
            _ => None,
        }
    }
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Guide | Role::ProviderAdmin)
    }
}

/// R-LANG: the UI speaks Finnish and Swedish, and English for staff who want it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    Fi,
    Sv,
    En,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Fi => "fi",
            Language::Sv => "sv",
            Language::En => "en",
        }
    }
    pub fn parse(s: &str) -> Language {
        match s {
            "sv" => Language::Sv,
            "en" => Language::En,
            _ => Language::Fi,
        }
    }
}

/// A course is run in Finnish or Swedish (R-LANG); English is a UI language only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CourseLanguage {
    Fi,
    Sv,
}

impl CourseLanguage {
    pub fn as_str(self) -> &'static str {
        match self {
            CourseLanguage::Fi => "fi",
            CourseLanguage::Sv => "sv",
        }
    }
    pub fn parse(s: &str) -> CourseLanguage {
        if s == "sv" {
            CourseLanguage::Sv
        } else {
            CourseLanguage::Fi
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Invited by mail; becomes active when the invitation link is used.
    Invited,
    Active,
    Disabled,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Invited => "invited",
            AccountStatus::Active => "active",
            AccountStatus::Disabled => "disabled",
        }
    }
    pub fn parse(s: &str) -> AccountStatus {
        match s {
            "active" => AccountStatus::Active,
            "disabled" => AccountStatus::Disabled,
            _ => AccountStatus::Invited,
        }
    }
}

/// An email address, trimmed and lower-cased, so one person has one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, &'static str> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err("the email address is empty");
        }
        if s.len() > 254 {
            return Err("the email address is too long");
        }
        // Leave the full grammar to the mail system; catch what a person mistypes.
        let (local, domain) = s
            .split_once('@')
            .ok_or("the email address needs an @ sign")?;
        let sane = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !s.chars().any(|c| c.is_whitespace() || c.is_control())
            && !domain.contains('@')
            && s.parse::<lettre::Address>().is_ok();
        if !sane {
            return Err("this does not look like an email address");
        }
        Ok(Email(s))
    }
    pub fn field(raw: &str) -> Result<Email, AppError> {
        Email::parse(raw).map_err(|m| AppError::field("email", "invalid", m))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The name shown to others; in group views only this is shown (S11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<DisplayName, &'static str> {
        let s = raw.trim();
        if s.is_empty() {
            return Err("the name is empty");
        }
        if s.chars().count() > 100 {
            return Err("the name is longer than 100 characters");
        }
        if s.chars().any(char::is_control) {
            return Err("the name contains control characters");
        }
        Ok(DisplayName(s.to_owned()))
    }
    pub fn field(raw: &str) -> Result<DisplayName, AppError> {
        DisplayName::parse(raw).map_err(|m| AppError::field("display_name", "invalid", m))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The provider an account belongs to, as shown to the user.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProviderRef {
    pub id: Uuid,
    pub name: String,
}

/// The signed-in user's own profile.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Me {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub profession: Option<String>,
    pub language: Language,
    pub provider: Option<ProviderRef>,
    pub has_password: bool,
    /// Whether sign-in asks for an authenticator code (S8).
    pub mfa_enabled: bool,
    pub preferences: Preferences,
}

/// What a person wants by mail; the first two are on until they turn them off.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct Preferences {
    /// A short mail (never the text) when there is something new, e.g. a guide's comment.
    pub mail_notifications: bool,
    /// A morning mail listing the day's self-rehabilitation tasks.
    pub task_reminders: bool,
    /// Guides only: a daily mail with the counts of unread chat messages and open reports per
    /// course (no text). Off by default; absent for participants.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chat_digest: Option<bool>,
    /// Participants only: a friendly mail after a week or so without visiting (at most one a
    /// week, no health data). On by default; absent for staff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity_nudges: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_trimmed_and_lower_cased() {
        assert_eq!(
            Email::parse("  Aino.Virtanen@Example.FI ").map(|e| e.0),
            Ok("aino.virtanen@example.fi".to_owned())
        );
    }

    #[test]
    fn email_without_at_sign_or_domain_dot_is_refused() {
        for bad in [
            "",
            "aino",
            "aino@",
            "@example.fi",
            "aino@example",
            "ai no@example.fi",
            "a@b@c.fi",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn display_name_must_have_text_and_fit() {
        assert!(DisplayName::parse("  ").is_err());
        assert!(DisplayName::parse(&"x".repeat(101)).is_err());
        assert!(DisplayName::parse("Aino\u{0007}").is_err());
        assert_eq!(
            DisplayName::parse(" Aino V. ").map(|n| n.0),
            Ok("Aino V.".into())
        );
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for r in [
            Role::Participant,
            Role::Guide,
            Role::ProviderAdmin,
            Role::PlatformAdmin,
        ] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
