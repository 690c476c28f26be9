//! Outgoing mail through lettre: SMTP when configured, otherwise `.eml` files in the outbox
//! folder so the demo works offline. Mails carry links and greetings, never health data.

pub mod templates;

use std::path::PathBuf;

use anyhow::Context;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart, header::ContentTransferEncoding};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::accounts::model::Email;
use crate::config::Config;

pub use templates::Rendered;

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(PathBuf),
}

#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.transport {
            Transport::Smtp(_) => f.write_str("Mailer(smtp)"),
            Transport::Outbox(dir) => write!(f, "Mailer(outbox {})", dir.display()),
        }
    }
}

impl Mailer {
    pub fn from_config(config: &Config) -> anyhow::Result<Mailer> {
        let from: Mailbox = config.mail_from.parse().with_context(|| {
            format!("ETAPOLKU_MAIL_FROM {:?} is not a mailbox", config.mail_from)
        })?;
        let transport = match &config.smtp_url {
            // smtp://host:port (plain), smtp://…?tls=required (STARTTLS), smtps://… (TLS).
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                    .context("ETAPOLKU_SMTP_URL is not a valid SMTP URL")?
                    .build(),
            ),
            None => {
                let dir = config.storage.data_dir.join("outbox");
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
                Transport::Outbox(dir)
            }
        };
        Ok(Mailer { transport, from })
    }

    pub async fn send(&self, to: &Email, kind: &str, mail: Rendered) -> anyhow::Result<()> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(to.as_str().parse().context("recipient address")?)
            .subject(mail.subject)
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .header(ContentTransferEncoding::QuotedPrintable)
                            .body(mail.text),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .header(ContentTransferEncoding::QuotedPrintable)
                            .body(mail.html),
                    ),
            )
            .context("building a mail")?;
        match &self.transport {
            Transport::Smtp(smtp) => {
                smtp.send(message).await.context("sending mail over SMTP")?;
                tracing::info!(kind, "mail sent over SMTP");
            }
            Transport::Outbox(dir) => {
                let name = format!(
                    "{}-{}.eml",
                    chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ"),
                    uuid::Uuid::new_v4()
                );
                let path = dir.join(name);
                tokio::fs::write(&path, message.formatted())
                    .await
                    .with_context(|| format!("writing {}", path.display()))?;
                tracing::info!(kind, path = %path.display(), "mail written to the outbox");
            }
        }
        Ok(())
    }
}
