//! `flowbench secrets set|get|list|rm` (SERVICE.md, "Secrets"). `set` reads
//! the value from standard input, never from an argument.

use super::history::HistoryArgs;
use super::Outcome;
use std::io::Read;

#[derive(clap::Subcommand)]
pub enum SecretsCommand {
    /// Set a secret; its value is read from standard input (one trailing newline dropped).
    Set { name: String },
    /// Print a secret's value (exit 1 when there is none).
    Get { name: String },
    /// The secrets' names, one a line.
    List,
    /// Delete a secret.
    Rm { name: String },
}

pub fn run(command: SecretsCommand, args: &HistoryArgs) -> anyhow::Result<Outcome> {
    let history = args.require()?;
    let err = |e: flowbench::model::ErrorInfo| anyhow::anyhow!(e.message);
    match command {
        SecretsCommand::Set { name } => {
            let mut value = String::new();
            std::io::stdin().read_to_string(&mut value)?;
            let value = value
                .strip_suffix('\n')
                .map(|v| v.strip_suffix('\r').unwrap_or(v))
                .unwrap_or(&value);
            history.set_secret(&name, value).map_err(err)?;
            eprintln!("secret {name} set");
            Ok(Outcome::Success)
        }
        SecretsCommand::Get { name } => match history.secret(&name).map_err(err)? {
            Some(v) => {
                println!("{v}");
                Ok(Outcome::Success)
            }
            None => {
                eprintln!("error: no secret {name}");
                Ok(Outcome::Failed)
            }
        },
        SecretsCommand::List => {
            for name in history.secret_names().map_err(err)? {
                println!("{name}");
            }
            Ok(Outcome::Success)
        }
        SecretsCommand::Rm { name } => {
            if history.remove_secret(&name).map_err(err)? {
                eprintln!("secret {name} removed");
                Ok(Outcome::Success)
            } else {
                eprintln!("error: no secret {name}");
                Ok(Outcome::Failed)
            }
        }
    }
}
