//! Imports real catalogue files: the shipped sample, the same small catalogue written as JSON,
//! Vietnamese-header CSV and English-header CSV with a byte-order mark, writer round trips, and
//! malformed files whose errors must give the file, line and column.

use chrono::NaiveTime;
use motcua::calendar::ProcessingTime;
use motcua::catalog::{
    CatalogError, Column, Level, Procedure, is_valid_code, load_file, parse_csv, parse_json,
    to_csv, to_json,
};
use std::path::{Path, PathBuf};

const SAMPLE: &str = "data/catalog/sample.json";
const SMALL_JSON: &str = "tests/fixtures/catalog/small.json";
const SMALL_VI_CSV: &str = "tests/fixtures/catalog/small_vi.csv";
const SMALL_EN_BOM_CSV: &str = "tests/fixtures/catalog/small_en_bom.csv";
const MALFORMED_JSON: &str = "tests/fixtures/catalog/malformed.json";
const MALFORMED_CSV: &str = "tests/fixtures/catalog/malformed.csv";
const DUPLICATE_JSON: &str = "tests/fixtures/catalog/duplicate_code.json";
const DUPLICATE_CSV: &str = "tests/fixtures/catalog/duplicate_code.csv";
const INVALID_JSON: &str = "tests/fixtures/catalog/invalid_values.json";
const INVALID_CSV: &str = "tests/fixtures/catalog/invalid_values.csv";
const LATIN1_CSV: &str = "tests/fixtures/catalog/latin1.csv";

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn load(relative: &str) -> Vec<Procedure> {
    load_file(&fixture(relative)).unwrap_or_else(|e| panic!("{e}"))
}

fn load_err(relative: &str) -> CatalogError {
    match load_file(&fixture(relative)) {
        Ok(procedures) => panic!("{relative} parsed into {} procedures", procedures.len()),
        Err(error) => error,
    }
}

fn hm(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap()
}

#[test]
fn sample_catalogue_has_every_reference_code_marked_as_sample() {
    let procedures = load(SAMPLE);
    let codes: Vec<&str> = procedures.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "1.001193", "1.000894", "1.000656", "2.000815", "2.000884", "1.004884", "1.001022",
            "1.004222", "1.004194"
        ]
    );
    for procedure in &procedures {
        assert!(is_valid_code(&procedure.code), "{}", procedure.code);
        assert!(
            procedure.sample,
            "{} is not marked as sample",
            procedure.code
        );
        assert_eq!(procedure.level, Level::Commune);
        assert!(
            !procedure.documents.is_empty(),
            "{} has no documents",
            procedure.code
        );
    }
    let by_code = |code: &str| procedures.iter().find(|p| p.code == code).unwrap();
    // Times from the reference table.
    assert_eq!(
        by_code("1.000894").processing_time,
        ProcessingTime::SameDay { cutoff: hm(15, 0) }
    );
    assert_eq!(
        by_code("2.000815").processing_time,
        ProcessingTime::SameDay { cutoff: hm(15, 0) }
    );
    assert_eq!(
        by_code("1.004222").processing_time,
        ProcessingTime::WorkingDays { days: 7 }
    );
    assert_eq!(
        by_code("1.001193").documents[0].name,
        "Tờ khai đăng ký khai sinh (theo mẫu)"
    );
    let note = std::fs::read_to_string(fixture(SAMPLE)).unwrap();
    let note: serde_json::Value = serde_json::from_str(&note).unwrap();
    let note = note["note"].as_str().unwrap();
    assert!(note.contains("national procedure database"), "{note}");
}

#[test]
fn small_json_normalises_codes_names_and_defaults() {
    let procedures = load(SMALL_JSON);
    let birth = &procedures[0];
    assert_eq!(birth.code, "1.001193.000.00.00.H56");
    // Written with a combining acute accent and stray spaces; stored NFC and collapsed.
    assert_eq!(birth.name, "Đăng ký khai sinh");
    assert_eq!(birth.level, Level::Commune);
    assert_eq!(
        birth.processing_time,
        ProcessingTime::SameDay { cutoff: hm(17, 0) }
    );
    let codes: Vec<&str> = birth.documents.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["TP1", "TP2", "UQ"]);
    assert!(birth.documents[0].mandatory && !birth.documents[2].mandatory);
    assert_eq!(birth.documents[2].certified_copies, 1);
    assert!(!birth.sample);
    assert_eq!(
        procedures[1].processing_time,
        ProcessingTime::SameDay { cutoff: hm(15, 0) }
    );
    assert_eq!(procedures[1].fees[0].amount_vnd, 2000);
    assert_eq!(
        procedures[2].processing_time,
        ProcessingTime::WorkingDays { days: 7 }
    );
    assert!(procedures[2].documents.is_empty() && procedures[2].sample);
}

#[test]
fn the_same_catalogue_in_json_vietnamese_csv_and_english_csv_with_bom_is_equal() {
    let from_json = load(SMALL_JSON);
    assert_eq!(from_json.len(), 3);
    assert_eq!(load(SMALL_VI_CSV), from_json);
    assert!(
        std::fs::read(fixture(SMALL_EN_BOM_CSV))
            .unwrap()
            .starts_with(b"\xef\xbb\xbf")
    );
    assert_eq!(load(SMALL_EN_BOM_CSV), from_json);
}

#[test]
fn sample_round_trips_through_the_csv_and_json_writers() {
    let sample = load(SAMPLE);
    let csv_text = to_csv(&sample);
    assert!(
        csv_text.starts_with("Mã thủ tục,Tên thủ tục,Cấp thực hiện,"),
        "{csv_text}"
    );
    assert_eq!(
        parse_csv(&csv_text, Path::new("written.csv")).unwrap(),
        sample
    );
    let json_text = to_json(&sample, "round trip");
    assert_eq!(
        parse_json(&json_text, Path::new("written.json")).unwrap(),
        sample
    );
    // A written CSV file on disk, with a BOM as Excel writes it, loads by extension.
    let dir = std::env::temp_dir().join(format!("motcua-catalog-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("exported.csv");
    std::fs::write(&path, format!("\u{feff}{csv_text}")).unwrap();
    assert_eq!(load_file(&path).unwrap(), sample);
    // Without an extension the content decides.
    let sniffed = dir.join("exported");
    std::fs::write(&sniffed, &json_text).unwrap();
    assert_eq!(load_file(&sniffed).unwrap(), sample);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn malformed_json_reports_file_line_and_column() {
    let error = load_err(MALFORMED_JSON);
    let CatalogError::Syntax {
        path, line, column, ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert!(path.ends_with("malformed.json"));
    assert_eq!((*line, *column), (6, 7), "{error}");
    let message = error.to_string();
    assert!(message.contains("malformed.json:6:7"), "{message}");
}

#[test]
fn json_type_error_inside_a_procedure_is_placed_in_the_whole_file() {
    // The procedure is decoded from its own slice; the position must be the one serde_json
    // gives when it reads the whole file, whether the error is on the procedure's first line
    // or a later one.
    let later_line = "[\n  {\"code\": \"1.001193\", \"name\": \"A\", \"level\": \"commune\",\n   \"field\": 5, \"processing_time\": 1}\n]";
    let first_line = "[ {\"code\": \"1.001193\", \"name\": 7, \"level\": \"commune\"}]";
    for (text, expected) in [(later_line, (3, 13)), (first_line, (1, 32))] {
        let whole = serde_json::from_str::<Vec<Procedure>>(text).unwrap_err();
        assert_eq!((whole.line(), whole.column()), expected);
        let error = parse_json(text, Path::new("typed.json")).unwrap_err();
        let CatalogError::Syntax {
            line,
            column,
            message,
            ..
        } = &error
        else {
            panic!("{error:?}");
        };
        assert_eq!((*line, *column), expected, "{error}");
        assert!(message.starts_with("invalid type: integer"), "{message}");
        assert!(!message.contains(" at line "), "{message}");
    }
}

#[test]
fn malformed_csv_reports_the_record_line() {
    let error = load_err(MALFORMED_CSV);
    let CatalogError::Csv {
        path,
        line,
        message,
    } = &error
    else {
        panic!("{error:?}");
    };
    assert!(path.ends_with("malformed.csv"));
    // Line 4, not record 3: the quoted cell before it spans two lines.
    assert_eq!(*line, 4, "{error}");
    assert!(
        message.contains("7 cells but the header has 6"),
        "{message}"
    );
}

#[test]
fn duplicate_codes_are_rejected_with_both_lines() {
    let error = load_err(DUPLICATE_JSON);
    let CatalogError::DuplicateCode {
        at,
        code,
        first_line,
        ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(
        (code.as_str(), at.line, *first_line),
        ("1.001193", 7, 3),
        "{error}"
    );
    // The column is where serde_json finished reading the offending value: its closing quote.
    assert_eq!(at.column, Column::Char(24));

    // The codes seen while parsing one file do not leak into the next parse on this thread.
    assert_eq!(load(SMALL_JSON).len(), 3);
    assert_eq!(load(SMALL_JSON).len(), 3);

    let twice = r#"[{"code": "1.001193", "name": "A", "level": "xã", "field": "B", "processing_time": 1,
  "documents": [{"code": "TP1", "name": "Tờ khai"}, {"name": "Giấy chứng sinh", "code": "TP1"}]}]"#;
    let error = parse_json(twice, Path::new("docs.json")).unwrap_err();
    assert!(
        matches!(&error, CatalogError::DuplicateDocument { at, procedure, document, .. }
            if at.line == 2 && procedure == "1.001193" && document == "TP1"),
        "{error:?}"
    );

    let error = load_err(DUPLICATE_CSV);
    let CatalogError::DuplicateCode {
        at,
        code,
        first_line,
        ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(
        (code.as_str(), at.line, *first_line),
        ("1.001193", 4, 2),
        "{error}"
    );
    assert!(
        error.to_string().contains("column 1 \"Mã thủ tục\""),
        "{error}"
    );
}

#[test]
fn invalid_values_name_the_line_and_column() {
    let error = load_err(INVALID_CSV);
    let CatalogError::BadProcessingTime { at, value, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!((at.line, value.as_str()), (3, "-3 ngày"));
    assert_eq!(
        at.column,
        Column::Field {
            index: 5,
            header: "Thời hạn giải quyết".into()
        }
    );

    let error = load_err(INVALID_JSON);
    assert!(
        matches!(&error, CatalogError::BadProcessingTime { at, .. } if at.line == 3 && at.column == Column::Char(62)),
        "{error:?}"
    );
    let bad_code =
        r#"[{"code": "1.00089", "name": "x", "level": "xã", "field": "y", "processing_time": 1}]"#;
    let error = parse_json(bad_code, Path::new("inline.json")).unwrap_err();
    assert!(
        matches!(&error, CatalogError::BadCode { value, .. } if value == "1.00089"),
        "{error:?}"
    );
    let blank_json = "[{\"code\": \"1.001193\",\n \"name\": \"  \", \"level\": \"xã\", \"field\": \"B\", \"processing_time\": 1}]";
    let error = parse_json(blank_json, Path::new("inline.json")).unwrap_err();
    assert!(
        matches!(&error, CatalogError::EmptyField { at, field: "procedure name", .. } if at.line == 2),
        "{error:?}"
    );
    let empty_name = "Mã thủ tục,Tên thủ tục,Cấp thực hiện,Lĩnh vực,Thời hạn giải quyết\n1.001193, ,xã,Hộ tịch,1\n";
    let error = parse_csv(empty_name, Path::new("inline.csv")).unwrap_err();
    assert!(
        matches!(&error, CatalogError::EmptyField { at, field, .. } if at.line == 2 && *field == "procedure name"),
        "{error:?}"
    );
    let bad_count = "Mã thủ tục,Tên thủ tục,Cấp thực hiện,Lĩnh vực,Thời hạn giải quyết,Thành phần hồ sơ,Bản chính\n1.001193,A,xã,B,1,Tờ khai,một\n";
    let error = parse_csv(bad_count, Path::new("inline.csv")).unwrap_err();
    assert!(
        matches!(&error, CatalogError::BadNumber { at, value, .. } if at.line == 2 && value == "một"),
        "{error:?}"
    );
}

#[test]
fn csv_header_problems_are_reported() {
    let missing = "Mã thủ tục,Tên thủ tục,Lĩnh vực,Thời hạn giải quyết\n";
    let error = parse_csv(missing, Path::new("h.csv")).unwrap_err();
    assert!(
        matches!(
            &error,
            CatalogError::MissingColumn {
                column: "level",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("Cấp thực hiện"), "{error}");
    let unknown = "Mã thủ tục,Tên thủ tục,Cấp thực hiện,Lĩnh vực,Thời hạn giải quyết,Ghi chú\n";
    let error = parse_csv(unknown, Path::new("h.csv")).unwrap_err();
    assert!(
        matches!(&error, CatalogError::UnknownColumn { index: 6, header, .. } if header == "Ghi chú"),
        "{error:?}"
    );
}

#[test]
fn continuation_row_that_contradicts_the_first_row_is_rejected() {
    let text = "Code,Name,Level,Field,Processing time,Document\n\
                1.001193,Đăng ký khai sinh,xã,Hộ tịch,trong ngày,Tờ khai\n\
                1.001193,Đăng ký khai sinh,xã,Hộ tịch,5 ngày,Giấy chứng sinh\n";
    let error = parse_csv(text, Path::new("c.csv")).unwrap_err();
    assert!(
        matches!(&error, CatalogError::Inconsistent { field: "processing time", first_line: 2, at, .. } if at.line == 3),
        "{error:?}"
    );
    // A continuation row with an empty code may repeat the name; a different name is an error.
    let repeated = "Code,Name,Level,Field,Processing time,Document\n\
                    1.001193,Đăng ký khai sinh,xã,Hộ tịch,trong ngày,Tờ khai\n\
                    ,Đăng ký khai sinh,,,,Giấy chứng sinh\n";
    let procedures = parse_csv(repeated, Path::new("r.csv")).unwrap();
    assert_eq!(procedures.len(), 1);
    assert_eq!(procedures[0].documents.len(), 2);
    let renamed = repeated.replace(",Đăng ký khai sinh,,", ",Đăng ký kết hôn,,");
    let error = parse_csv(&renamed, Path::new("r.csv")).unwrap_err();
    assert!(
        matches!(&error, CatalogError::Inconsistent { field: "name", at, .. } if at.line == 3),
        "{error:?}"
    );
}

#[test]
fn non_utf8_file_is_rejected_with_advice() {
    let error = load_err(LATIN1_CSV);
    assert!(
        matches!(&error, CatalogError::NotUtf8 { line: 1, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("UTF-8"));
}
