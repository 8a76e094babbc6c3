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
    // 3: fees, payment, postal return and the result of each dossier, and the facts the deadline colours and
    // the reports read without replaying the audit log (issue 8). Triggers on `audit_log` keep
    // `status_changes` (every `dossier.status` entry as "local time>status", in order; the local time is the
    // entry's `effective_at` when it has one, else its UTC `at` + 7 h), `apologies` and
    // `reappointed_due` in step with the log inside the transaction that appends the entry, whatever code path
    // appends it; triggers on `dossier_documents` keep `documents_missing` (mandatory documents without a PDF).
    r#"
    CREATE INDEX audit_log_entity ON audit_log(entity, seq);

    ALTER TABLE dossiers ADD COLUMN status_changes TEXT NOT NULL DEFAULT '';
    ALTER TABLE dossiers ADD COLUMN apologies INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE dossiers ADD COLUMN reappointed_due TEXT;      -- local time, the latest Mẫu 04's new due time
    ALTER TABLE dossiers ADD COLUMN documents_missing INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE dossiers ADD COLUMN payment_method TEXT
        CHECK (payment_method IN ('cash','online','transfer','exempt'));
    ALTER TABLE dossiers ADD COLUMN payment_receipt TEXT;
    ALTER TABLE dossiers ADD COLUMN paid_at TEXT;              -- local time
    ALTER TABLE dossiers ADD COLUMN postal_address TEXT;
    ALTER TABLE dossiers ADD COLUMN postal_tracking TEXT;
    ALTER TABLE dossiers ADD COLUMN postal_sent_at TEXT;       -- local time
    ALTER TABLE dossiers ADD COLUMN postal_delivered_at TEXT;  -- local time
    ALTER TABLE dossiers ADD COLUMN result_sha256 TEXT REFERENCES blobs(sha256);
    ALTER TABLE dossiers ADD COLUMN result_source TEXT CHECK (result_source IN ('portal','scan'));
    ALTER TABLE dossiers ADD COLUMN result_at TEXT;            -- local time

    CREATE TRIGGER audit_log_status_facts AFTER INSERT ON audit_log
        WHEN NEW.action = 'dossier.status' AND substr(NEW.entity, 1, 8) = 'dossier:'
    BEGIN
        UPDATE dossiers SET status_changes = status_changes
            || CASE WHEN status_changes = '' THEN '' ELSE ';' END
            || coalesce(json_extract(NEW.after, '$.effective_at'),
                        strftime('%Y-%m-%d %H:%M:%f', NEW.at, '+7 hours')) || '>'
            || coalesce(json_extract(NEW.after, '$.status'), '')
        WHERE code = substr(NEW.entity, 9);
    END;
    CREATE TRIGGER audit_log_apology_facts AFTER INSERT ON audit_log
        WHEN NEW.action = 'apology.issued' AND substr(NEW.entity, 1, 8) = 'dossier:'
    BEGIN
        UPDATE dossiers SET apologies = apologies + 1,
            reappointed_due = coalesce(json_extract(NEW.after, '$.new_due'), reappointed_due)
        WHERE code = substr(NEW.entity, 9);
    END;
    CREATE TRIGGER dossier_documents_missing_insert AFTER INSERT ON dossier_documents
        WHEN NEW.mandatory AND NEW.pdf_sha256 IS NULL
    BEGIN
        UPDATE dossiers SET documents_missing = documents_missing + 1 WHERE id = NEW.dossier_id;
    END;
    CREATE TRIGGER dossier_documents_missing_update AFTER UPDATE OF pdf_sha256, mandatory ON dossier_documents
    BEGIN
        UPDATE dossiers SET documents_missing = documents_missing
            - (OLD.mandatory AND OLD.pdf_sha256 IS NULL) + (NEW.mandatory AND NEW.pdf_sha256 IS NULL)
        WHERE id = NEW.dossier_id;
    END;

    -- Existing dossiers: the same facts from the log written before this version.
    UPDATE dossiers SET
        documents_missing = (SELECT count(*) FROM dossier_documents d
                             WHERE d.dossier_id = dossiers.id AND d.mandatory AND d.pdf_sha256 IS NULL),
        status_changes = coalesce((SELECT group_concat(change, ';') FROM (
            SELECT coalesce(json_extract(a.after, '$.effective_at'),
                            strftime('%Y-%m-%d %H:%M:%f', a.at, '+7 hours')) || '>'
                   || coalesce(json_extract(a.after, '$.status'), '') AS change
            FROM audit_log a WHERE a.entity = 'dossier:' || dossiers.code AND a.action = 'dossier.status'
            ORDER BY a.seq)), ''),
        apologies = (SELECT count(*) FROM audit_log a
                     WHERE a.entity = 'dossier:' || dossiers.code AND a.action = 'apology.issued'),
        reappointed_due = (SELECT json_extract(a.after, '$.new_due') FROM audit_log a
                           WHERE a.entity = 'dossier:' || dossiers.code AND a.action = 'apology.issued'
                             AND json_extract(a.after, '$.new_due') IS NOT NULL
                           ORDER BY a.seq DESC LIMIT 1),
        result_sha256 = (SELECT p.result_sha256 FROM portal_dossiers p WHERE p.code = dossiers.code),
        result_source = (SELECT 'portal' FROM portal_dossiers p
                         WHERE p.code = dossiers.code AND p.result_sha256 IS NOT NULL),
        result_at = (SELECT strftime('%Y-%m-%d %H:%M:%S', p.updated_at, '+7 hours') FROM portal_dossiers p
                     WHERE p.code = dossiers.code AND p.result_sha256 IS NOT NULL);
    "#,
    // 4: local user accounts and roles (issue 9). The login is unique whatever its case; the password is
    // only stored as an Argon2id PHC string; accounts are disabled, never deleted (the audit log names them).
    r#"
    CREATE TABLE users (
        id            INTEGER PRIMARY KEY,
        login         TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name  TEXT NOT NULL,
        role          TEXT NOT NULL CHECK (role IN ('clerk','supervisor')),
        password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
        created_at    TEXT NOT NULL,       -- UTC RFC 3339
        disabled_at   TEXT
    ) STRICT;
    "#,
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
    // 6: the outbox's gaps (issue 7). Why a dossier's result PDF could not be downloaded (a full disk, the
    // portal's answer), how often it was tried and when, shown by `motcua queue list` and the Hàng đợi
    // screen and cleared by a successful download; and a covering index so listing every job sums its
    // files' sizes without reading the file rows' text.
    r#"
    ALTER TABLE portal_dossiers ADD COLUMN result_error TEXT;
    ALTER TABLE portal_dossiers ADD COLUMN result_attempts INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE portal_dossiers ADD COLUMN result_failed_at TEXT;
    CREATE INDEX outbox_files_totals ON outbox_files(job_id, size, upload_offset, complete);
    "#,
    // 7: the clerk's cleanup choice per scanned page (issue 9): `auto` (detected colour mode), a forced
    // `color`, `gray` or `bw`, or `original` (no cleanup: the page as scanned, the cleanup's undo).
    // Assembly reads it; the stored original never changes.
    r#"
    ALTER TABLE capture_pages ADD COLUMN cleanup TEXT NOT NULL DEFAULT 'auto'
        CHECK (cleanup IN ('auto', 'color', 'gray', 'bw', 'original'));
    "#,
];

#[cfg(test)]
mod tests {
    use super::MIGRATIONS;
    use rusqlite::Connection;

    /// A database written by version 2 gets migration 3's facts from its audit log.
    #[test]
    fn migration_3_backfills_the_facts_from_the_log() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.execute_batch(MIGRATIONS[1]).unwrap();
        conn.execute_batch(
            r#"
            INSERT INTO procedures VALUES ('1.004222', 'Đăng ký thường trú', '{}', '2026-01-01');
            INSERT INTO dossiers VALUES ('id-1', 'X-260210-0001', 'X', '1.004222', 'Đăng ký thường trú', '{}',
                'A', '001090012345', 'counter', 'counter', '2026-02-10 09:15:00', '2026-02-26 09:15:00',
                'processing', '[]', '', 'clerk', '2026-02-10');
            INSERT INTO dossier_documents VALUES ('id-1', 0, 'TP1', 'Tờ khai', 1, 1, 0, 0, NULL);
            INSERT INTO dossier_documents VALUES ('id-1', 1, 'TP2', 'Giấy chứng sinh', 1, 1, 0, 0, NULL);
            INSERT INTO dossier_documents VALUES ('id-1', 2, 'TP3', 'Bản sao', 0, 0, 0, 1, NULL);
            INSERT INTO audit_log VALUES (1, '2026-02-10T02:15:00.250Z', 'clerk', 'dossier.status',
                'dossier:X-260210-0001', NULL, '{"status":"received"}', '', '');
            INSERT INTO audit_log VALUES (2, '2026-02-11T03:00:00.000Z', 'clerk', 'dossier.status',
                'dossier:X-260210-0001', NULL, '{"status":"supplement_requested"}', '', '');
            INSERT INTO audit_log VALUES (3, '2026-02-25T01:00:00.000Z', 'clerk', 'apology.issued',
                'dossier:X-260210-0001', NULL, '{"new_due":"2026-03-02 09:15:00"}', '', '');
            INSERT INTO audit_log VALUES (4, '2026-02-26T01:00:00.000Z', 'sync', 'dossier.status',
                'dossier:X-260210-0001', NULL,
                '{"status":"processing","effective_at":"2026-02-24 08:00:00"}', '', '');
            "#,
        )
        .unwrap();
        conn.execute_batch(MIGRATIONS[2]).unwrap();
        let (changes, apologies, due, missing): (String, i64, String, i64) = conn
            .query_row(
                "SELECT status_changes, apologies, reappointed_due, documents_missing FROM dossiers",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(
            changes,
            "2026-02-10 09:15:00.250>received;2026-02-11 10:00:00.000>supplement_requested;\
             2026-02-24 08:00:00>processing"
        );
        assert_eq!(
            (apologies, due.as_str(), missing),
            (1, "2026-03-02 09:15:00", 2)
        );
        // From now on the triggers keep them.
        conn.execute(
            "INSERT INTO audit_log VALUES (5, '2026-02-27T02:00:00.000Z', 'clerk', 'dossier.status',
                'dossier:X-260210-0001', NULL, '{\"status\":\"processed\"}', '', '')",
            [],
        )
        .unwrap();
        conn.execute(
            "UPDATE dossier_documents SET pdf_sha256 = NULL, mandatory = 0 WHERE code = 'TP2'",
            [],
        )
        .unwrap();
        let (changes, missing): (String, i64) = conn
            .query_row(
                "SELECT status_changes, documents_missing FROM dossiers",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert!(
            changes.ends_with(";2026-02-27 09:00:00.000>processed"),
            "{changes}"
        );
        assert_eq!(missing, 1);
    }
}
