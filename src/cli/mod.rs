//! Argument parsing and dispatch for the `motcua` CLI. Each subcommand is a thin call into [`motcua::Desk`];
//! output formats (text and the documented `--json`) live in [`json`] and [`text`].

mod capture;
mod json;
mod queue;
mod report;
mod settle;
mod sign;
mod slips;
mod text;
mod timestamp;
mod user;
mod verify;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use clap::{Args, Parser, Subcommand, ValueEnum};
use motcua::calendar::{ProcessingTime, WorkingCalendar};
use motcua::dossier::{Applicant, ApplicantKind, Channel, NewDossier, ResultReturn, Status};
use motcua::store::DossierFilter;
use motcua::{Desk, DeskError};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "motcua",
    version,
    about = "MotCua Desk: hồ sơ một cửa — dòng lệnh"
)]
struct Cli {
    /// Data directory (default: $MOTCUA_DATA_DIR, else the platform data folder).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Who is acting, for the audit log (default: $MOTCUA_ACTOR, else $USER).
    #[arg(long, global = true)]
    actor: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Procedure catalogue.
    #[command(subcommand)]
    Catalog(CatalogCmd),
    /// Dossiers.
    #[command(subcommand)]
    Dossier(DossierCmd),
    /// Working-day calendar.
    #[command(subcommand)]
    Calendar(CalendarCmd),
    /// Audit log.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Data store.
    #[command(subcommand)]
    Store(StoreCmd),
    /// Office settings (agency.code, agency.name, portal.url, portal.token-env, sync.*, …).
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Sign a PDF (or a folder of PDFs) with a .p12 file or a PKCS#11 token.
    Sign(Box<sign::SignArgs>),
    /// Add a document time-stamp (RFC 3161) to a signed PDF, e.g. one signed offline.
    Timestamp(timestamp::TimestampArgs),
    /// Build one compact PDF from scans, photos and PDFs.
    Assemble(capture::AssembleArgs),
    /// Scan pages from a SANE scanner into a folder.
    Scan(capture::ScanArgs),
    /// Print Mẫu 01, the receipt and appointment slip of a dossier, as an A4 PDF.
    Receipt(slips::ReceiptArgs),
    /// Issue Mẫu 04, the apology slip with a new due date, as an A4 PDF.
    Apology(slips::ApologyArgs),
    /// Figures for dossiers received in a period: by channel, on time / late, per procedure.
    Report(report::ReportArgs),
    /// Verify signed PDFs (files or folders): exit 0 all VALID, 1 any INVALID/INDETERMINATE, 2 unreadable.
    Verify(verify::VerifyArgs),
    /// Submit signed dossiers: put them in the outbox ("Nộp"); several codes go in one transaction.
    Submit {
        #[arg(required = true)]
        codes: Vec<String>,
    },
    /// The submission outbox.
    #[command(subcommand)]
    Queue(QueueCmd),
    /// Local accounts of the desktop app (clerk, supervisor).
    #[command(subcommand)]
    User(user::UserCmd),
}

#[derive(Subcommand)]
enum QueueCmd {
    /// List jobs, oldest first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Send queued dossiers to the portal and sync statuses; --once stops when no job is due.
    /// Exit 3 if the portal rejected the token.
    Run {
        #[arg(long)]
        once: bool,
        #[arg(long)]
        json: bool,
    },
    /// Put a failed job back in the queue.
    Retry { id: i64 },
    /// Cancel a job that has not reached the portal (the dossier returns to "signed").
    Cancel { id: i64 },
}

#[derive(Subcommand)]
enum CatalogCmd {
    /// Import (add or update by code) procedures from a JSON or CSV file.
    Import {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// List procedures.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum DossierCmd {
    /// Open a new dossier; prints its code.
    New(NewArgs),
    /// List dossiers, newest first.
    List {
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        search: Option<String>,
        /// `due`: least remaining working time first (overdue at the top).
        #[arg(long, value_enum)]
        sort: Option<SortArg>,
        #[arg(long)]
        json: bool,
    },
    /// Show one dossier.
    Show {
        code: String,
        #[arg(long)]
        json: bool,
    },
    /// Move a dossier to another status (e.g. `ready`, `received`, or a national code 1–10).
    Status {
        code: String,
        status: String,
        /// When the change took effect, local time "YYYY-MM-DD HH:MM", for a change entered after the
        /// fact (default: now). The deadline rules count from it.
        #[arg(long)]
        at: Option<String>,
    },
    /// Add scans, photos or PDFs as pages of one of the dossier's documents, as the Quét screen does.
    AddPages(capture::AddPagesArgs),
    /// Record the signed PDF of one of the dossier's documents (by document code); prints its SHA-256.
    AttachPdf {
        code: String,
        document: String,
        file: PathBuf,
    },
    /// Show or replace a dossier's fees (copied from the catalogue when it opened).
    Fees(settle::FeesArgs),
    /// Record how the fees were paid (cash, online, transfer, exempt).
    Pay(settle::PayArgs),
    /// Record the return of the result by post: address, tracking number, dates sent and delivered.
    Post(settle::PostArgs),
    /// Attach the signed result PDF scanned at the counter.
    Result(settle::ResultArgs),
    /// Change where the applicant collects the result (counter or post).
    Return(settle::ReturnArgs),
    /// Dossiers that need an apology slip (Mẫu 04) now.
    AtRisk(settle::AtRiskArgs),
}

#[derive(Args)]
struct NewArgs {
    #[arg(long)]
    procedure: String,
    #[arg(long)]
    applicant_name: String,
    #[arg(long)]
    citizen_id: String,
    /// Date of birth: YYYY-MM-DD or dd/MM/yyyy.
    #[arg(long)]
    birth_date: Option<String>,
    #[arg(long, default_value = "")]
    phone: String,
    #[arg(long, default_value = "")]
    address: String,
    #[arg(long, default_value = "")]
    email: String,
    #[arg(long, value_enum, default_value_t = KindArg::Citizen)]
    kind: KindArg,
    #[arg(long, value_enum, default_value_t = ChannelArg::Counter)]
    channel: ChannelArg,
    #[arg(long = "return", value_enum, default_value_t = ReturnArg::Counter)]
    result_return: ReturnArg,
    /// Time received, local Vietnam time "YYYY-MM-DD HH:MM" (default: now).
    #[arg(long)]
    received_at: Option<String>,
    #[arg(long, default_value = "")]
    notes: String,
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum SortArg {
    Due,
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Citizen,
    Business,
    Agency,
    Organisation,
}

#[derive(Clone, Copy, ValueEnum)]
enum ChannelArg {
    Counter,
    Online,
    Postal,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReturnArg {
    Counter,
    Post,
}

#[derive(Subcommand)]
enum CalendarCmd {
    /// When a dossier received at --from is due.
    Due {
        /// "YYYY-MM-DD HH:MM", local Vietnam time.
        #[arg(long)]
        from: String,
        /// Working days allowed.
        #[arg(
            long,
            conflicts_with = "same_day",
            required_unless_present = "same_day"
        )]
        days: Option<u32>,
        /// A "same day" procedure.
        #[arg(long)]
        same_day: bool,
        /// With --same-day: received after this hour moves to the next working day.
        #[arg(long, default_value = "15:00")]
        cutoff: String,
        /// An extra overrides file (the office's decisions), on top of the shipped ones.
        #[arg(long, value_name = "FILE")]
        overrides: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Check the hash chain: exit 1 if an entry was changed or deleted.
    Verify {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum StoreCmd {
    /// Check that every stored file exists and matches its hash: exit 1 if not.
    Check {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ConfigCmd {
    Get { key: String },
    Set { key: String, value: String },
}

/// A CLI failure: a core error (with its stable code) or a usage problem found here.
enum Failure {
    Desk(DeskError),
    Usage(String),
    /// A signing or capture error, already naming the file; `code` is the command's name.
    Tool {
        code: &'static str,
        message: String,
    },
    Sync(motcua::sync::SyncError),
}

impl From<DeskError> for Failure {
    fn from(e: DeskError) -> Self {
        Failure::Desk(e)
    }
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(code) => code,
        Err(Failure::Desk(e)) => {
            eprintln!("lỗi [{}]: {e}", e.code().as_str());
            ExitCode::from(2)
        }
        Err(Failure::Sync(e)) => {
            eprintln!("lỗi [sync]: {e}");
            ExitCode::from(2)
        }
        Err(Failure::Usage(message)) => {
            eprintln!("lỗi [usage]: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Tool { code, message }) => {
            eprintln!("lỗi [{code}]: {message}");
            ExitCode::from(2)
        }
    }
}

fn actor(cli_actor: Option<String>) -> String {
    cli_actor
        .or_else(|| std::env::var("MOTCUA_ACTOR").ok())
        .or_else(|| std::env::var("USER").ok())
        .filter(|a| !a.trim().is_empty())
        .unwrap_or_else(|| "cli".to_owned())
}

fn dispatch(cli: Cli) -> Result<ExitCode, Failure> {
    // Signing and capture work on files only: no data directory needed.
    let cli = match cli.command {
        Command::Sign(args) => return sign::run(*args),
        Command::Timestamp(args) => return timestamp::run(args),
        Command::Assemble(args) => return capture::assemble(args),
        Command::Scan(args) => return capture::scan(args),
        command => Cli { command, ..cli },
    };
    let actor = actor(cli.actor);
    if let Command::Verify(args) = &cli.command {
        // Needs no data directory: trust and CRLs come from the arguments.
        return verify::run(args).map_err(Failure::Usage);
    }
    if let Command::Calendar(CalendarCmd::Due {
        from,
        days,
        same_day,
        cutoff,
        overrides,
        json,
    }) = &cli.command
    {
        // Pure computation: no data directory needed.
        let from = parse_date_time(from)?;
        let time = if *same_day {
            let cutoff = NaiveTime::parse_from_str(cutoff, "%H:%M")
                .map_err(|_| Failure::Usage(format!("giờ chốt {cutoff:?} phải có dạng HH:MM")))?;
            ProcessingTime::SameDay { cutoff }
        } else {
            ProcessingTime::WorkingDays {
                days: days.unwrap_or(0),
            }
        };
        let mut calendar =
            WorkingCalendar::vietnam_with_shipped_overrides().map_err(DeskError::from)?;
        if let Some(file) = overrides {
            calendar = calendar
                .with_overrides(WorkingCalendar::load_overrides(file).map_err(DeskError::from)?);
        }
        let due = calendar.due_at(from, time);
        if *json {
            println!("{}", json::due(from, due));
        } else {
            println!("{}", due.format("%Y-%m-%d %H:%M"));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let desk = match &cli.data_dir {
        Some(dir) => Desk::open(dir)?,
        None => Desk::open_default()?,
    };
    match cli.command {
        Command::Catalog(CatalogCmd::Import { file, json }) => {
            let report = desk.import_catalog(&file, &actor)?;
            if json {
                println!("{}", json::pretty(&report));
            } else {
                println!(
                    "Đã nhập {}: {} thêm mới, {} cập nhật, {} không đổi",
                    file.display(),
                    report.added.len(),
                    report.updated.len(),
                    report.unchanged.len()
                );
            }
        }
        Command::Catalog(CatalogCmd::List { json }) => {
            let procedures = desk.procedures()?;
            if json {
                println!("{}", json::procedures(&procedures));
            } else {
                text::procedures(&procedures);
            }
        }
        Command::Dossier(DossierCmd::New(args)) => {
            let json = args.json;
            let dossier = desk.create_dossier(new_dossier(args)?, &actor)?;
            if json {
                println!("{}", json::dossier(&dossier));
            } else {
                println!("{}", dossier.code);
            }
        }
        Command::Dossier(DossierCmd::List {
            status,
            search,
            sort,
            json,
        }) => {
            let status = status.map(|s| parse_status(&s)).transpose()?;
            let dossiers = desk.find_dossiers(&DossierFilter {
                status,
                text: search,
            })?;
            let now = motcua::vietnam_now();
            let mut rows = dossiers
                .into_iter()
                .map(|d| desk.deadline_of(&d, now).map(|state| (d, state)))
                .collect::<Result<Vec<_>, _>>()?;
            if let Some(SortArg::Due) = sort {
                // Running clocks first, least time left first; stopped ones after, by the same key.
                rows.sort_by_key(|(d, s)| (s.stopped, s.remaining_minutes, d.code.clone()));
            }
            let day = desk.calendar().hours().day_length().num_minutes();
            if json {
                println!("{}", json::dossiers_with_deadlines(&rows));
            } else {
                text::dossiers(&rows, day);
            }
        }
        Command::Dossier(DossierCmd::Show { code, json }) => {
            let dossier = desk.dossier(&code)?;
            if json {
                println!("{}", json::dossier(&dossier));
            } else {
                text::dossier(&dossier);
            }
        }
        Command::Dossier(DossierCmd::Status { code, status, at }) => {
            let to = parse_status(&status)?;
            let dossier = match at.as_deref().map(parse_date_time).transpose()? {
                Some(at) => desk.set_dossier_status_effective(&code, to, at, &actor)?,
                None => desk.set_dossier_status(&code, to, &actor)?,
            };
            println!("{}: {}", dossier.code, dossier.status.label_vi());
        }
        Command::Audit(AuditCmd::Verify { json }) => {
            let report = desk.verify_audit()?;
            if json {
                println!("{}", json::pretty(&report));
            } else {
                text::audit(&report);
            }
            if !report.is_intact() {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Store(StoreCmd::Check { json }) => {
            let (checked, problems) = desk.check_store()?;
            if json {
                println!(
                    "{}",
                    json::pretty(&serde_json::json!({ "checked": checked, "problems": problems }))
                );
            } else {
                text::store_check(checked, &problems);
            }
            if !problems.is_empty() {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Config(ConfigCmd::Get { key }) => match desk.setting(&key)? {
            Some(value) => println!("{value}"),
            None => return Err(Failure::Usage(format!("chưa đặt {key}"))),
        },
        Command::Config(ConfigCmd::Set { key, value }) => desk.set_setting(&key, &value, &actor)?,
        Command::Dossier(DossierCmd::AttachPdf {
            code,
            document,
            file,
        }) => queue::attach_pdf(&desk, &code, &document, &file, &actor)?,
        Command::Dossier(DossierCmd::AddPages(args)) => return capture::add_pages(&desk, args),
        Command::Dossier(DossierCmd::Fees(args)) => settle::fees(&desk, args, &actor)?,
        Command::Dossier(DossierCmd::Pay(args)) => settle::pay(&desk, args, &actor)?,
        Command::Dossier(DossierCmd::Post(args)) => settle::post(&desk, args, &actor)?,
        Command::Dossier(DossierCmd::Result(args)) => settle::result(&desk, args, &actor)?,
        Command::Dossier(DossierCmd::Return(args)) => settle::result_return(&desk, args, &actor)?,
        Command::Dossier(DossierCmd::AtRisk(args)) => settle::at_risk(&desk, args)?,
        Command::Submit { codes } => queue::submit(&desk, &codes, &actor)?,
        Command::Queue(QueueCmd::List { json }) => queue::list(&desk, json)?,
        Command::Queue(QueueCmd::Run { once, json }) => {
            return queue::run(&desk, once, json, &actor);
        }
        Command::Queue(QueueCmd::Retry { id }) => queue::retry(&desk, id, &actor)?,
        Command::Queue(QueueCmd::Cancel { id }) => queue::cancel(&desk, id, &actor)?,
        Command::Receipt(args) => slips::receipt(&desk, args, &actor)?,
        Command::Apology(args) => slips::apology(&desk, args, &actor)?,
        Command::Report(args) => report::run(&desk, args)?,
        Command::User(command) => user::run(&desk, command, &actor)?,
        Command::Calendar(_)
        | Command::Verify(_)
        | Command::Sign(_)
        | Command::Timestamp(_)
        | Command::Assemble(_)
        | Command::Scan(_) => {}
    }
    Ok(ExitCode::SUCCESS)
}

fn new_dossier(a: NewArgs) -> Result<NewDossier, Failure> {
    let date_of_birth = a.birth_date.as_deref().map(parse_date).transpose()?;
    let received_at = a.received_at.as_deref().map(parse_date_time).transpose()?;
    Ok(NewDossier {
        procedure_code: a.procedure,
        applicant: Applicant {
            full_name: a.applicant_name,
            citizen_id: a.citizen_id,
            date_of_birth,
            phone: a.phone,
            address: a.address,
            email: a.email,
            kind: match a.kind {
                KindArg::Citizen => ApplicantKind::Citizen,
                KindArg::Business => ApplicantKind::Business,
                KindArg::Agency => ApplicantKind::Agency,
                KindArg::Organisation => ApplicantKind::Organisation,
            },
        },
        channel: match a.channel {
            ChannelArg::Counter => Channel::Counter,
            ChannelArg::Online => Channel::Online,
            ChannelArg::Postal => Channel::Postal,
        },
        result_return: match a.result_return {
            ReturnArg::Counter => ResultReturn::Counter,
            ReturnArg::Post => ResultReturn::Post,
        },
        received_at,
        notes: a.notes,
    })
}

fn parse_date(text: &str) -> Result<NaiveDate, Failure> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text.trim(), "%d/%m/%Y"))
        .map_err(|_| {
            Failure::Usage(format!(
                "ngày {text:?} phải có dạng YYYY-MM-DD hoặc dd/MM/yyyy"
            ))
        })
}

fn parse_date_time(text: &str) -> Result<NaiveDateTime, Failure> {
    let t = text.trim();
    [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
    .ok_or_else(|| {
        Failure::Usage(format!(
            "thời điểm {text:?} phải có dạng \"YYYY-MM-DD HH:MM\""
        ))
    })
}

fn parse_status(text: &str) -> Result<Status, Failure> {
    let t = text.trim();
    t.parse::<u8>()
        .ok()
        .and_then(Status::from_national_code)
        .or_else(|| Status::parse(t))
        .ok_or_else(|| Failure::Usage(format!("trạng thái {text:?} không tồn tại")))
}
