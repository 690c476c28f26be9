//! The signed-in user as a typed extractor, and one extractor per role, so a handler for guides
//! cannot be written without a `Guide` (STYLE.md, convention 4).

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use uuid::Uuid;

use crate::accounts::model::Role;
use crate::error::AppError;
use crate::http::client::request_id;
use crate::state::AppState;

/// A user whose access token, session and account were all checked for this request.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: i32,
    pub uuid: Uuid,
    pub role: Role,
    pub provider_id: Option<i32>,
    /// The refresh-token family the access token belongs to.
    pub session: Uuid,
    pub request_id: String,
}

fn unauthorized() -> AppError {
    AppError::Unauthorized {
        code: "token_invalid",
    }
}

impl FromRequest for AuthUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<AuthUser, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_owned());
        let request_id = request_id(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::Internal(anyhow::anyhow!("no app state")))?;
            let token = token.ok_or(AppError::Unauthorized {
                code: "authentication_required",
            })?;
            let claims = state
                .jwt
                .verify(&token, state.now())
                .ok_or_else(unauthorized)?;
            // S4: logout, password change and reuse detection revoke the session; its access
            // tokens stop working at once (the revocation set, `auth::revocation`). Who the user
            // is comes signed in the token, so this needs no database read.
            if state.revocations.is_revoked(claims.sid) {
                return Err(unauthorized());
            }
            let role = Role::parse(&claims.role).ok_or_else(unauthorized)?;
            Ok(AuthUser {
                id: claims.uid,
                uuid: claims.sub,
                role,
                provider_id: claims.pid,
                session: claims.sid,
                request_id,
            })
        })
    }
}

macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, $($role:path)|+) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(pub AuthUser);

        impl FromRequest for $name {
            type Error = AppError;
            type Future = Pin<Box<dyn Future<Output = Result<$name, AppError>>>>;

            fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
                let user = AuthUser::from_request(req, payload);
                Box::pin(async move {
                    let user = user.await?;
                    match user.role {
                        $($role)|+ => Ok($name(user)),
                        _ => {
                            tracing::warn!(target: "security", event = "authz_denied",
                                user = %user.uuid, role = user.role.as_str(), needed = stringify!($name));
                            Err(AppError::Forbidden { code: "wrong_role" })
                        }
                    }
                })
            }
        }
    };
}

role_extractor!(
    /// A caregiver taking a course.
    Participant, Role::Participant
);
role_extractor!(
    /// A guide or a provider admin: staff of one provider.
    Staff, Role::Guide | Role::ProviderAdmin
);
role_extractor!(
    /// A provider's admin (service manager).
    ProviderAdmin, Role::ProviderAdmin
);
role_extractor!(
    /// The operator of the whole instance.
    PlatformAdmin, Role::PlatformAdmin
);

impl ProviderAdmin {
    /// Provider admins always belong to a provider; an account without one is refused.
    pub fn provider_id(&self) -> Result<i32, AppError> {
        self.0.provider_id.ok_or(AppError::Forbidden {
            code: "no_provider",
        })
    }
}

impl Staff {
    pub fn provider_id(&self) -> Result<i32, AppError> {
        self.0.provider_id.ok_or(AppError::Forbidden {
            code: "no_provider",
        })
    }
}
