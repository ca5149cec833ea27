//! `namndsok serve`: the HTTP API and web page on an index, with harvesting and alerts.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use namndsok_alerts::{AlertStore, MatchOptions, Matcher, RetryPolicy, SmtpTls};
use namndsok_analysis::resources::ConfigFiles;
use namndsok_harvest::{HarvestSettings, Harvester};
use namndsok_index::SearchIndex;
use namndsok_server::{AlertsConfig, AlertsService, AppState, SmtpRelay};

use namndsok_server::limits::{Quota, RateLimits};

use super::{config_files, harvester, open_index, ALERTS_FILE};

/// Serve the HTTP API and web page on an index (and harvest, with --sources)
#[derive(clap::Args)]
pub struct Args {
    /// The index directory
    #[arg(long)]
    index: PathBuf,
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    /// A directory laid out like index-config/ to use instead of the bundled one
    #[arg(long)]
    config: Option<PathBuf>,
    /// Harvest the sources of this catalogue (TOML) continuously
    #[arg(long)]
    sources: Option<PathBuf>,
    /// Seconds between harvest passes
    #[arg(long, default_value_t = 300)]
    harvest_interval: u64,
    /// Days an anslag stays searchable after its anslag period ended (default: always)
    #[arg(long)]
    keep_expired_anslag_days: Option<u32>,
    /// Answers kept for repeated searches until the index next changes (0: none)
    #[arg(long, default_value_t = namndsok_index::cache::DEFAULT_CAPACITY)]
    search_cache: usize,
    #[command(flatten)]
    alerts: AlertArgs,
    #[command(flatten)]
    pass: super::harvest::PassArgs,
    #[command(flatten)]
    limits: LimitArgs,
}

/// Per-client rate limits (keyed by the peer's IP address; answered 429 with Retry-After).
#[derive(clap::Args)]
pub struct LimitArgs {
    /// No per-client rate limits (behind a proxy that limits, or for load tests)
    #[arg(long)]
    no_rate_limits: bool,
    /// Searches a client may make in a burst
    #[arg(long, default_value_t = 300)]
    search_burst: u32,
    /// Searches a client may make per second after its burst
    #[arg(long, default_value_t = 50.0)]
    search_per_second: f64,
    /// Account creations, "Bevaka" forms and confirmations a client may send in a burst
    #[arg(long, default_value_t = 5)]
    signup_burst: u32,
    /// ... and per minute after its burst
    #[arg(long, default_value_t = 1.0)]
    signup_per_minute: f64,
}

impl LimitArgs {
    pub fn rate_limits(&self) -> RateLimits {
        if self.no_rate_limits {
            return RateLimits::off();
        }
        let every = |per_second: f64| Duration::from_secs_f64(1.0 / per_second.max(1e-6));
        RateLimits {
            search: Some(Quota { burst: self.search_burst.max(1), every: every(self.search_per_second) }),
            signup: Some(Quota { burst: self.signup_burst.max(1), every: every(self.signup_per_minute / 60.0) }),
        }
    }
}

pub fn run(args: Args) -> Result<()> {
    let dir = args.index;
    let files = config_files(args.config.as_deref())?;
    let index = Arc::new(open_index(&dir, files.clone())?);
    index.set_cache_capacity(args.search_cache);
    let harvester = match args.sources {
        Some(path) => {
            let mut settings = HarvestSettings {
                keep_expired_anslag_days: args.keep_expired_anslag_days,
                ..HarvestSettings::default()
            };
            args.pass.apply(&mut settings);
            Some(harvester(&path, index.clone(), &dir, settings)?)
        }
        None => None,
    };
    // The alert database is opened after the index, which must find its directory
    // empty to create itself there.
    let alerts = if args.alerts.no_alerts { None } else { Some(alert_setup(&dir, files, args.alerts)?) };
    let rate_limits = args.limits.rate_limits();
    serve(index, harvester, Some(dir), Duration::from_secs(args.harvest_interval), &args.addr, alerts, rate_limits)
}

/// Saved searches and alerts in `serve`.
#[derive(clap::Args)]
pub struct AlertArgs {
    /// The alert database (SQLite; created when absent) [default: alerts.sqlite in the index directory]
    #[arg(long)]
    alerts_db: Option<PathBuf>,
    /// Serve without saved searches and alerts
    #[arg(long, conflicts_with = "alerts_db")]
    no_alerts: bool,
    /// The site's public address, for links in e-mails, webhooks and feeds [default: http://ADDR]
    #[arg(long)]
    public_url: Option<String>,
    /// SMTP relay for e-mail alerts (e.g. a local Postfix; without one, e-mail waits in the outbox)
    #[arg(long, requires = "smtp_from")]
    smtp_host: Option<String>,
    /// SMTP relay port
    #[arg(long, default_value_t = 25)]
    smtp_port: u16,
    /// TLS to the SMTP relay: none (plain, a local relay), starttls, or implicit (SMTPS, with --smtp-port 465)
    #[arg(long, default_value_t = SmtpTls::None)]
    smtp_tls: SmtpTls,
    /// SMTP AUTH user name (PLAIN or LOGIN, whichever the relay offers)
    #[arg(long)]
    smtp_user: Option<String>,
    /// SMTP AUTH password (or set NAMNDSOK_SMTP_PASSWORD, which other users cannot see in ps)
    #[arg(long)]
    smtp_password: Option<String>,
    /// Sender address of e-mail alerts (envelope and From:)
    #[arg(long)]
    smtp_from: Option<String>,
    /// Allow webhooks to loopback, private and link-local addresses (tests; own networks by choice)
    #[arg(long)]
    allow_private_webhooks: bool,
    /// Milliseconds between two rounds of alert delivery
    #[arg(long, default_value_t = 5000)]
    delivery_interval_ms: u64,
    /// Milliseconds before the first retry of a failed delivery (doubling, with jitter, up to 6 hours)
    #[arg(long, default_value_t = 60_000)]
    delivery_retry_base_ms: u64,
    /// More new matches than this in one batch are sent as a summary with a link, not a list
    #[arg(long, default_value_t = 20)]
    alert_summary_cap: usize,
    /// Hour of the day (Europe/Stockholm) when daily digests are sent
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(0..24))]
    digest_hour: u32,
}

impl AlertArgs {
    fn match_options(&self) -> MatchOptions {
        MatchOptions { summary_cap: self.alert_summary_cap, digest_hour: self.digest_hour, ..MatchOptions::default() }
    }
}

/// What `serve` needs to run alerts.
pub struct AlertSetup {
    store: AlertStore,
    matcher: Matcher,
    args: AlertArgs,
}

fn alert_setup(dir: &Path, files: ConfigFiles, args: AlertArgs) -> Result<AlertSetup> {
    let path = args.alerts_db.clone().unwrap_or_else(|| dir.join(ALERTS_FILE));
    let store =
        AlertStore::open(&path).with_context(|| format!("cannot open the alert database {}", path.display()))?;
    let matcher = Matcher::new(files, args.match_options()).context("cannot build the alert matcher")?;
    tracing::info!(path = %path.display(), "alert database");
    Ok(AlertSetup { store, matcher, args })
}

pub fn serve(
    index: Arc<SearchIndex>,
    harvester: Option<Harvester>,
    harvest_dir: Option<std::path::PathBuf>,
    interval: Duration,
    addr: &str,
    alerts: Option<AlertSetup>,
    rate_limits: RateLimits,
) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
        let alerts = match alerts {
            Some(setup) => {
                let local = listener.local_addr()?;
                let public_url = setup.args.public_url.clone().unwrap_or_else(|| format!("http://{local}"));
                let smtp = setup.args.smtp_host.clone().map(|host| SmtpRelay {
                    host,
                    port: setup.args.smtp_port,
                    username: setup.args.smtp_user.clone(),
                    password: setup.args.smtp_password.clone().or_else(|| std::env::var("NAMNDSOK_SMTP_PASSWORD").ok()),
                    from: setup.args.smtp_from.clone().unwrap_or_default(),
                });
                let config = AlertsConfig {
                    public_url,
                    smtp,
                    allow_private_webhooks: setup.args.allow_private_webhooks,
                    retry: RetryPolicy {
                        base: chrono::Duration::milliseconds(setup.args.delivery_retry_base_ms.max(1) as i64),
                        ..RetryPolicy::default()
                    },
                };
                tracing::info!(
                    public_url = %config.public_url,
                    smtp = config.smtp.as_ref().map(|r| format!("{}:{} (tls: {})", r.host, r.port, setup.args.smtp_tls)).unwrap_or_else(|| "none".into()),
                    "alerts on (links in e-mails, webhooks and feeds start with the public URL; set it with --public-url)"
                );
                let service =
                    Arc::new(AlertsService::new(setup.store, setup.matcher, config).with_smtp_tls(setup.args.smtp_tls));
                if let Some(harvester) = &harvester {
                    let matching = service.clone();
                    harvester.on_committed(Arc::new(move |documents| matching.match_and_log(documents)));
                }
                let delivery = Duration::from_millis(setup.args.delivery_interval_ms.max(10));
                tokio::spawn(service.clone().run_deliveries(delivery));
                Some(service)
            }
            None => None,
        };
        if let Some(harvester) = harvester.clone() {
            tokio::spawn(async move { harvester.run_every(interval).await });
        }
        let state = AppState { index, harvester, harvest_dir, alerts };
        let shutdown = namndsok_server::shutdown_signal();
        namndsok_server::serve_with(listener, state, rate_limits, shutdown).await?;
        Ok(())
    })
}
