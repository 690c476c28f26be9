//! Command-line interface: `serve [--demo]`, `migrate`, `create-user`.

use std::io::Read;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::accounts::model::{AccountStatus, DisplayName, Email, Language, Role};
use crate::accounts::service::{NewUser, create_user};
use crate::auth::links::{self, Purpose};
use crate::auth::password::{self, NewPassword};
use crate::clock::{Clock, SystemClock};
use crate::config::{Config, ServeArgs, StorageArgs};
use crate::content::blob_store::FsBlobStore;
use crate::content::import::{self, ImportFailure, ImportRequest};
use crate::providers::service as providers;
use crate::startup::Application;
use crate::team::profession::Profession;
use crate::{db, demo, telemetry};
use sea_orm::EntityTrait;

#[derive(Parser)]
#[command(
    name = "etapolku",
    version,
    about = "Etäpolku: remote rehabilitation for family caregivers"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (creates and migrates the database first).
    Serve {
        #[command(flatten)]
        storage: StorageArgs,
        #[command(flatten)]
        serve: ServeArgs,
        /// Load the demo provider, team, courses and participants (once) and print sign-in links.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate {
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Import a Moodle backup (.mbz), SCORM or H5P package, program folder or zip of one.
    /// Exit 0 on success, 2 when the input is refused (the reason on stderr; nothing stored).
    Import {
        #[command(flatten)]
        storage: StorageArgs,
        /// The file or folder to import.
        file: std::path::PathBuf,
        /// The provider the program belongs to (created if missing); may be left out when the
        /// database has exactly one provider.
        #[arg(long)]
        provider: Option<String>,
        /// Print the import report as one JSON object on the last line.
        #[arg(long)]
        json: bool,
    },
    /// Create an account; the first platform admin is made this way (there are no default accounts).
    CreateUser {
        #[command(flatten)]
        storage: StorageArgs,
        #[arg(long)]
        email: String,
        /// participant, guide, provider_admin or platform_admin.
        #[arg(long)]
        role: String,
        /// The provider the account belongs to (created if missing); not for platform admins.
        #[arg(long)]
        provider: Option<String>,
        /// Display name; defaults to the part of the email before @.
        #[arg(long)]
        name: Option<String>,
        /// Profession code for staff (see /api/v1/professions), e.g. registered_nurse.
        #[arg(long)]
        profession: Option<String>,
        /// fi, sv or en.
        #[arg(long, default_value = "fi")]
        language: String,
        /// Read the password from standard input; without it a one-time set-password link is printed.
        #[arg(long)]
        password_stdin: bool,
        /// Where the printed link points.
        #[arg(
            long,
            env = "ETAPOLKU_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080/"
        )]
        public_url: url::Url,
    },
}

/// Exit code for input the command refuses (as opposed to a failure of the system).
const REFUSED: u8 = 2;

/// An error that means "your input is refused", not "something broke".
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Refused(String);

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(match cli.command {
        Command::Serve { .. } => "info",
        _ => "warn",
    });
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.downcast_ref::<Refused>().is_some() => {
            eprintln!("refused: {e}");
            ExitCode::from(REFUSED)
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve {
            storage,
            serve,
            demo: with_demo,
        } => {
            let config = Config::from_args(storage, serve);
            let clock: Arc<dyn Clock> = Arc::new(SystemClock);
            let database = db::connect(&config.storage).await?;
            db::migrate(&database).await?;
            if with_demo {
                demo::load(&database, clock.now()).await?;
            }
            let app = Application::build_with_db(config, clock.clone(), database.clone()).await?;
            app.stop_on_signals()
                .context("installing signal handlers")?;
            let base = app.state().public_url.clone();
            println!(
                "Etäpolku listening on http://{}:{}",
                app.state().config.bind.ip(),
                app.port()
            );
            if with_demo {
                // The server runs without the demo program too; say why it is missing.
                if let Err(e) = demo::load_program(app.state()).await {
                    eprintln!("warning: the demo program was not loaded: {e:#}");
                }
                let links = demo::sign_in_links(app.state()).await?;
                println!(
                    "Demo sign-in links (single use, valid 15 minutes; open in separate browsers):"
                );
                for (role, email, link) in links {
                    println!("  {:<17} {email}  {link}", format!("{role}:"));
                }
                println!(
                    "Staff can also use \"Unohditko salasanan?\" on {base}kirjaudu to set a password."
                );
            }
            app.run_until_stopped()
                .await
                .context("server stopped with an error")?;
            tracing::info!("server stopped");
            Ok(())
        }
        Command::Migrate { storage } => {
            let database = db::connect(&storage).await?;
            db::migrate(&database).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Import {
            storage,
            file,
            provider,
            json,
        } => {
            let database = db::connect(&storage).await?;
            db::migrate(&database).await?;
            let now = chrono::Utc::now();
            let provider_id = match provider {
                Some(name) => match providers::find_by_name(&database, &name).await? {
                    Some(p) => p.id,
                    None => {
                        providers::create_provider(
                            &database,
                            providers::CreateProvider { name },
                            now,
                        )
                        .await?
                        .id
                    }
                },
                None => {
                    let all = crate::entity::provider::Entity::find()
                        .all(&database)
                        .await?;
                    match all.as_slice() {
                        [only] => only.id,
                        _ => {
                            return Err(
                                Refused("name the provider with --provider NAME".into()).into()
                            );
                        }
                    }
                }
            };
            if !file.exists() {
                return Err(Refused(format!("{} does not exist", file.display())).into());
            }
            let store = Arc::new(FsBlobStore::new(storage.data_dir.join("blobs"))?);
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let request = ImportRequest {
                provider_id,
                actor_id: None,
                source: &file,
                source_name: &name,
                staging_root: &storage.data_dir.join("staging"),
                now,
            };
            match import::import(&database, store, request).await {
                Ok(done) => {
                    let kinds: Vec<String> =
                        done.items.iter().map(|(k, n)| format!("{n} {k}")).collect();
                    println!(
                        "{} version {} of program {}: {} modules, {}",
                        if done.duplicate {
                            "already imported as"
                        } else {
                            "imported as"
                        },
                        done.version,
                        done.program_id,
                        done.modules,
                        kinds.join(", ")
                    );
                    for s in &done.skipped {
                        println!("skipped: {} ({})", s.what, s.why);
                    }
                    for w in &done.warnings {
                        println!("warning: {w}");
                    }
                    if json {
                        println!("{}", serde_json::to_string(&done)?);
                    }
                    Ok(())
                }
                Err(ImportFailure::Rejected(reason)) => Err(Refused(reason).into()),
                Err(ImportFailure::Internal(e)) => Err(e),
            }
        }
        Command::CreateUser {
            storage,
            email,
            role,
            provider,
            name,
            profession,
            language,
            password_stdin,
            public_url,
        } => {
            let role = Role::parse(&role)
                .with_context(|| format!("unknown role {role:?}: use participant, guide, provider_admin or platform_admin"))?;
            let email = Email::parse(&email).map_err(|m| anyhow::anyhow!("--email: {m}"))?;
            let name =
                name.unwrap_or_else(|| email.as_str().split('@').next().unwrap_or("").to_owned());
            let name = DisplayName::parse(&name).map_err(|m| anyhow::anyhow!("--name: {m}"))?;
            let profession = profession
                .map(|p| {
                    Profession::parse(&p)
                        .map_err(|_| anyhow::anyhow!("--profession: unknown profession {p:?}"))
                })
                .transpose()?;
            if role == Role::Guide && profession.is_none() {
                anyhow::bail!("a guide needs --profession (e.g. registered_nurse)");
            }
            let database = db::connect(&storage).await?;
            db::migrate(&database).await?;
            let now = chrono::Utc::now();
            let provider_id = match (role, provider) {
                (Role::PlatformAdmin, None) => None,
                (Role::PlatformAdmin, Some(_)) => {
                    anyhow::bail!("a platform admin belongs to no provider; leave out --provider")
                }
                (_, None) => anyhow::bail!("--provider NAME is needed for this role"),
                (_, Some(name)) => Some(match providers::find_by_name(&database, &name).await? {
                    Some(p) => p.id,
                    None => {
                        providers::create_provider(
                            &database,
                            providers::CreateProvider { name },
                            now,
                        )
                        .await?
                        .id
                    }
                }),
            };
            let password_hash = if password_stdin {
                let mut raw = String::new();
                std::io::stdin()
                    .read_to_string(&mut raw)
                    .context("reading the password from stdin")?;
                let raw = raw.trim_end_matches(['\r', '\n']);
                let pw = NewPassword::parse(raw, "password")
                    .map_err(|e| anyhow::anyhow!("password: {e:?}"))?;
                Some(password::hash(&pw)?)
            } else {
                None
            };
            let has_password = password_hash.is_some();
            let created = create_user(
                &database,
                NewUser {
                    provider_id,
                    email,
                    display_name: name,
                    role,
                    profession,
                    language: Language::parse(&language),
                    status: if has_password {
                        AccountStatus::Active
                    } else {
                        AccountStatus::Invited
                    },
                    password_hash,
                },
                now,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "created {} {} ({})",
                role.as_str(),
                created.email,
                created.uuid
            );
            if !has_password {
                let token = links::issue(&database, created.id, Purpose::SetPassword, now).await?;
                let mut url = public_url.clone();
                url.set_path(Purpose::SetPassword.path());
                url.set_fragment(Some(&format!("token={token}")));
                println!("one-time link to set the password (valid 7 days): {url}");
            }
            Ok(())
        }
    }
}
