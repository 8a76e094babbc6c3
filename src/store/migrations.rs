//! Versioned schema migrations, applied in order when the store opens.
//!
//! `PRAGMA user_version` records how many have run. A database written by a newer MotCua (a higher version than
//! [`MIGRATIONS`] knows) is refused rather than guessed at: migrating down could lose data.

/// Each entry is one schema version; never edit a shipped entry, append a new one.
pub const MIGRATIONS: &[&str] = &[
    // 1: the walking skeleton.
    r#"
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE procedures (
        code       TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        data       TEXT NOT NULL,          -- catalog::Procedure as JSON
        updated_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE blobs (
        sha256     TEXT PRIMARY KEY CHECK (length(sha256) = 64),
        size       INTEGER NOT NULL,
        media_type TEXT NOT NULL,
        created_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE code_sequences (
        agency TEXT NOT NULL,
        day    TEXT NOT NULL,              -- yyMMdd
        last   INTEGER NOT NULL,
        PRIMARY KEY (agency, day)
    ) STRICT;

    CREATE TABLE dossiers (
        id             TEXT PRIMARY KEY,
        code           TEXT NOT NULL UNIQUE,
        agency         TEXT NOT NULL,
        procedure_code TEXT NOT NULL REFERENCES procedures(code) ON DELETE RESTRICT,
        procedure_name TEXT NOT NULL,
        applicant      TEXT NOT NULL,      -- dossier::Applicant as JSON
        applicant_name TEXT NOT NULL,
        citizen_id     TEXT NOT NULL,
        channel        TEXT NOT NULL,
        result_return  TEXT NOT NULL,
        received_at    TEXT NOT NULL,      -- local Vietnam time, 'YYYY-MM-DD HH:MM:SS'
        due_at         TEXT NOT NULL,
        status         TEXT NOT NULL,
        fees           TEXT NOT NULL,      -- Vec<catalog::Fee> as JSON
        notes          TEXT NOT NULL,
        created_by     TEXT NOT NULL,
        updated_at     TEXT NOT NULL
    ) STRICT;
    CREATE INDEX dossiers_received ON dossiers(received_at);
    CREATE INDEX dossiers_status ON dossiers(status);

    CREATE TABLE dossier_documents (
        dossier_id       TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
        ordinal          INTEGER NOT NULL,
        code             TEXT NOT NULL,
        name             TEXT NOT NULL,
        mandatory        INTEGER NOT NULL,
        originals        INTEGER NOT NULL,
        certified_copies INTEGER NOT NULL,
        photocopies      INTEGER NOT NULL,
        pdf_sha256       TEXT REFERENCES blobs(sha256),
        PRIMARY KEY (dossier_id, code)
    ) STRICT;

    CREATE TABLE audit_log (
        seq       INTEGER PRIMARY KEY,
        at        TEXT NOT NULL,           -- UTC RFC 3339
        actor     TEXT NOT NULL,
        action    TEXT NOT NULL,
        entity    TEXT NOT NULL,
        before    TEXT,                    -- JSON or NULL
        after     TEXT,
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL
    ) STRICT;
    -- The chain's head, updated with every append, so deleting the newest entries is detected too.
    CREATE TABLE audit_head (
        id    INTEGER PRIMARY KEY CHECK (id = 1),
        count INTEGER NOT NULL,
        hash  TEXT NOT NULL
    ) STRICT;
    INSERT INTO audit_head (id, count, hash) VALUES (1, 0, '');
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
    "#,
    // 2: the submission outbox (issue 7). One job per submission of a dossier, one row per file to upload;
    // `portal_dossiers` keeps what the portal said about each dossier (receipt, national status, result).
    r#"
    CREATE TABLE outbox_jobs (
        id              INTEGER PRIMARY KEY,
        dossier_code    TEXT NOT NULL REFERENCES dossiers(code),
        kind            TEXT NOT NULL CHECK (kind IN ('submit')),
        state           TEXT NOT NULL
                        CHECK (state IN ('queued','uploading','submitting','accepted','failed','cancelled')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,  -- Unix milliseconds
        last_error      TEXT,
        idempotency_key TEXT NOT NULL,
        submit_body     TEXT,              -- the exact JSON sent, fixed before the first POST
        receipt         TEXT,              -- SoBienNhan once accepted
        created_at      TEXT NOT NULL,     -- UTC RFC 3339
        updated_at      TEXT NOT NULL
    ) STRICT;
    CREATE INDEX outbox_jobs_due ON outbox_jobs(state, next_attempt_at, id);
    CREATE UNIQUE INDEX outbox_jobs_one_live ON outbox_jobs(dossier_code)
        WHERE state IN ('queued','uploading','submitting');

    CREATE TABLE outbox_files (
        job_id      INTEGER NOT NULL REFERENCES outbox_jobs(id) ON DELETE CASCADE,
        ordinal     INTEGER NOT NULL,
        doc_code    TEXT NOT NULL,
        file_name   TEXT NOT NULL,
        sha256      TEXT NOT NULL REFERENCES blobs(sha256),
        size        INTEGER NOT NULL,
        upload_url  TEXT,                  -- tus Location, stored before any byte is sent
        upload_offset INTEGER NOT NULL DEFAULT 0,
        complete    INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (job_id, doc_code)
    ) STRICT;

    CREATE TABLE portal_dossiers (
        code            TEXT PRIMARY KEY REFERENCES dossiers(code),
        receipt         TEXT NOT NULL,
        national_status INTEGER NOT NULL,
        reason          TEXT,
        revision        INTEGER NOT NULL,
        result_sha256   TEXT REFERENCES blobs(sha256),
        updated_at      TEXT NOT NULL
    ) STRICT;
    "#,
    // 3 and 4: reserved for the migrations of the other helpers of session 2 (the lead puts theirs here when
    // merging); empty so this branch's databases reach version 5.
    "",
    "",
    // 5: the counter's work in progress (issue 9): the pages captured for each required document of a
    // dossier, in order, each a blob (a JPEG kept byte for byte, a PNG, or a PDF and a page number in it)
    // with its quarter turns and its thumbnail; and per document the assembled (unsigned) and signed PDFs,
    // so signing again starts from the assembled PDF instead of stacking signatures.
    r#"
    CREATE TABLE capture_pages (
        id            INTEGER PRIMARY KEY,
        dossier_code  TEXT NOT NULL REFERENCES dossiers(code),
        doc_code      TEXT NOT NULL,
        position      INTEGER NOT NULL,
        blob_sha256   TEXT NOT NULL REFERENCES blobs(sha256),
        page_in_blob  INTEGER NOT NULL DEFAULT 1,
        rotation      INTEGER NOT NULL DEFAULT 0 CHECK (rotation IN (0, 90, 180, 270)),
        thumb_sha256  TEXT REFERENCES blobs(sha256),
        source_name   TEXT NOT NULL,
        added_at      TEXT NOT NULL
    ) STRICT;
    CREATE INDEX capture_pages_doc ON capture_pages(dossier_code, doc_code, position);

    CREATE TABLE capture_documents (
        dossier_code     TEXT NOT NULL REFERENCES dossiers(code),
        doc_code         TEXT NOT NULL,
        assembled_sha256 TEXT REFERENCES blobs(sha256),
        signed_sha256    TEXT REFERENCES blobs(sha256),
        PRIMARY KEY (dossier_code, doc_code)
    ) STRICT;
    "#,
];
