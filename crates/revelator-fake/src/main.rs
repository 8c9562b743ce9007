//! `catno-revelator-fake --port N [--api-key KEY] [--latency-ms N]`: the fake Revelator on
//! 127.0.0.1 for the demo mode, manual curl sessions and benchmarks. Everything else is switched
//! at runtime through `POST /__fake/config` (see the crate README).

use catno_revelator_fake::{FakeConfig, FakeRevelator};
use std::process::ExitCode;

const USAGE: &str = "usage: catno-revelator-fake --port N [--api-key KEY] [--latency-ms N]

  --port N        port on 127.0.0.1 (0 picks a free one)
  --api-key KEY   accept only this partner API key (default: any non-empty key)
  --latency-ms N  delay every API request by N ms (control requests under /__fake/ are not delayed)";

struct Args {
    port: u16,
    config: FakeConfig,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut port = None;
    let mut config = FakeConfig::default();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--port" => {
                let text = value("--port")?;
                port =
                    Some(text.parse::<u16>().map_err(|_| format!("--port {text:?} is not a port number"))?);
            }
            "--api-key" => {
                let key = value("--api-key")?;
                if key.trim().is_empty() {
                    return Err("--api-key must not be empty".into());
                }
                config.api_key = Some(key);
            }
            "--latency-ms" => {
                let text = value("--latency-ms")?;
                config.latency_ms = text
                    .parse::<u64>()
                    .map_err(|_| format!("--latency-ms {text:?} is not a whole number"))?;
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Args { port: port.ok_or("--port is required")?, config })
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) if message.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("catno-revelator-fake: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let key_note = match &args.config.api_key {
        Some(_) => "only the --api-key partner key".to_owned(),
        None => "any non-empty partner API key".to_owned(),
    };
    let latency = args.config.latency_ms;
    let fake = match FakeRevelator::start_on(args.port, args.config).await {
        Ok(fake) => fake,
        Err(error) => {
            eprintln!("catno-revelator-fake: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("fake Revelator listening on {} (accepts {key_note}; latency {latency} ms)", fake.base_url());
    println!("control API: {}/__fake/  (log: GET /__fake/log, reset: POST /__fake/reset)", fake.base_url());
    if let Err(error) = tokio::signal::ctrl_c().await {
        eprintln!("catno-revelator-fake: cannot wait for Ctrl-C: {error}");
        return ExitCode::FAILURE;
    }
    drop(fake);
    ExitCode::SUCCESS
}
