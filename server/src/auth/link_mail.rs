//! Mailing a single-use link: one place that issues the token, builds the link and picks the mail.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::accounts::model::{AccountStatus, Email, Language};
use crate::auth::links::{self, Purpose};
use crate::entity::user;
use crate::error::{AppError, AppResult};
use crate::mail::templates;
use crate::state::AppState;

/// Issues a link of `purpose` for the account and mails it in the account's language.
pub async fn send(state: &AppState, account: &user::Model, purpose: Purpose) -> AppResult<()> {
    let token = links::issue(&state.db, account.id, purpose, state.now()).await?;
    let link = state.link(purpose.path(), &token);
    let (lang, name) = (
        Language::parse(&account.language),
        account.display_name.as_str(),
    );
    let mail = match purpose {
        Purpose::SignIn => templates::sign_in_link(lang, name, &link),
        Purpose::Invitation => templates::participant_invitation(lang, name, &link),
        Purpose::SetPassword => templates::staff_invitation(lang, name, &link),
        Purpose::PasswordReset => templates::password_reset(lang, name, &link),
    };
    let to = Email::field(&account.email)?;
    state
        .mailer
        .send(&to, purpose.as_str(), mail)
        .await
        .map_err(|e| {
            tracing::error!(error = ?e, purpose = purpose.as_str(), "mailing a link failed");
            AppError::Unavailable
        })
}

/// Mails a link to the address if it has a usable account; the caller answers the same either
/// way, so the endpoint does not reveal who has an account.
pub async fn send_if_account(state: &AppState, email: &Email, purpose: Purpose) -> AppResult<()> {
    let account = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(&state.db)
        .await?;
    match account {
        Some(a) if AccountStatus::parse(&a.status) != AccountStatus::Disabled => {
            send(state, &a, purpose).await
        }
        _ => Ok(()),
    }
}
