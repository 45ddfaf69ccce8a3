//! `zhengce`: full-text search over Chinese government policy documents.
//!
//! The binary is glue: it turns flags into calls of the library crates and prints
//! their results.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use zhengce_parse::{PageInput, parse_page};

#[derive(Parser)]
#[command(
    name = "zhengce",
    version,
    about = "Search Chinese government policy documents"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse one page (HTML or text, any Chinese encoding) and print the document as JSON.
    Parse {
        /// The page file.
        file: PathBuf,
        /// The page's URL: resolves attachment links and becomes the document id.
        #[arg(long)]
        url: Option<String>,
        /// The charset the server declared, when known (it wins over the page's own).
        #[arg(long)]
        charset: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("zhengce: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Parse { file, url, charset } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let input = PageInput {
                url: url.as_deref(),
                http_charset: charset.as_deref(),
                source: None,
            };
            let doc = parse_page(&bytes, &input)
                .with_context(|| format!("cannot parse {}", file.display()))?;
            println!("{}", serde_json::to_string_pretty(&doc)?);
            Ok(())
        }
    }
}
