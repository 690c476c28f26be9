//! The `etapolku` command: serve, migrate, create-user.

fn main() -> std::process::ExitCode {
    etapolku_server::cli::main()
}
