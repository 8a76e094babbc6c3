//! MotCua Desk sandbox portal: the receiving side of dossier submissions.
//!
//! A real HTTP server with its own SQLite database and file storage, used to train clerks and as the
//! counterpart of the desktop app's outbox in tests. It speaks the protocol written down in
//! `docs/portal-api.md`: per-office bearer tokens, tus 1.0 resumable uploads (creation + checksum
//! extensions), idempotent dossier submission using the national sync vocabulary, and status changes
//! along the national `TrangThaiHoSo` codes, driven by an admin endpoint or the CLI.
//!
//! Code map: [`store`] owns the database and file layout; [`wire`] holds the JSON shapes of the
//! protocol; [`validate`] checks a submitted dossier; [`check`] is the hook where PDF signature
//! verification plugs in; [`processing`] applies back-office status changes and [`payment`] the online
//! payment status of a dossier's fees; [`api`] is the HTTP layer;
//! [`server`] binds and runs it.

#![forbid(unsafe_code)]

pub mod api;
pub mod check;
pub mod payment;
pub mod processing;
pub mod server;
pub mod store;
pub mod time;
pub mod validate;
pub mod wire;
