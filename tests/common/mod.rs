//! Shared helpers for the core's integration tests: a fresh store in a temp folder and a known procedure.
#![allow(dead_code, unused_imports)]

pub mod capture;
pub mod revocation;
#[path = "../support/runtime_pki.rs"]
pub mod runtime_pki;
pub mod signing;
pub mod tsa;
pub use capture::*;
pub use revocation::*;
pub use runtime_pki::*;
pub use signing::*;
pub use tsa::*;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use motcua::calendar::ProcessingTime;
use motcua::catalog::{Fee, Level, Procedure, RequiredDocument};
use motcua::dossier::{Applicant, NewDossier};

pub fn birth_registration() -> Procedure {
    Procedure {
        code: "1.001193".into(),
        name: "Đăng ký khai sinh".into(),
        level: Level::Commune,
        field: "Hộ tịch".into(),
        processing_time: ProcessingTime::SameDay {
            cutoff: NaiveTime::from_hms_opt(15, 0, 0).unwrap(),
        },
        documents: vec![
            RequiredDocument {
                code: "TP1".into(),
                name: "Tờ khai đăng ký khai sinh".into(),
                originals: 1,
                certified_copies: 0,
                photocopies: 0,
                mandatory: true,
            },
            RequiredDocument {
                code: "TP2".into(),
                name: "Giấy chứng sinh".into(),
                originals: 1,
                certified_copies: 0,
                photocopies: 0,
                mandatory: true,
            },
        ],
        fees: vec![Fee {
            name: "Lệ phí đăng ký khai sinh".into(),
            amount_vnd: 0,
        }],
        sample: true,
    }
}

pub fn residence_registration() -> Procedure {
    Procedure {
        code: "1.004222".into(),
        name: "Đăng ký thường trú".into(),
        processing_time: ProcessingTime::WorkingDays { days: 7 },
        ..birth_registration()
    }
}

pub fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, min, 0)
        .unwrap()
}

pub fn new_dossier(code: &str, name: &str, received_at: NaiveDateTime) -> NewDossier {
    NewDossier {
        procedure_code: code.into(),
        applicant: Applicant {
            full_name: name.into(),
            citizen_id: "001090012345".into(),
            ..Applicant::default()
        },
        received_at: Some(received_at),
        ..NewDossier::default()
    }
}
