//! PDF assembly: one compact PDF from a list of captured pages, built with `lopdf`.
//!
//! Images go in without needless re-encoding: an unedited JPEG is embedded byte for byte
//! (DCTDecode), bilevel pages as CCITT Group 4, greyscale and colour pages as JPEG at the
//! profile's quality or Flate for the lossless `archive` profile. Pages of imported PDFs are
//! copied object by object. Each page's size comes from its image's DPI (an A4 scan is
//! 595×842 pt at any resolution). The document carries an Info dictionary, XMP metadata and a
//! file identifier, and is written atomically.

mod assemble;
mod builder;
mod encode;
pub mod font;
mod metadata;
mod pdfa_check;
mod writer;

use std::path::PathBuf;

pub use assemble::{
    AssembleOptions, AssembleReport, BlankPolicy, CombinedDocument, InputReport, PageReport,
    assemble, assemble_combined, assemble_parts,
};
pub use builder::PdfBuilder;
pub use encode::{EncodedImage, ImageColour, ImageData, ImageFilter, Profile};
pub use metadata::DocumentInfo;
pub use pdfa_check::check_pdf_a;

/// Errors while building or writing a PDF. Problems with single inputs are not errors: they
/// are reported per input in [`AssembleReport`] and the batch continues.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// None of the inputs gave a page to write.
    #[error("no pages to write to {output}: every input failed or was blank; see the report")]
    NoPages {
        /// The intended output file.
        output: PathBuf,
        /// What happened to each input.
        report: Box<AssembleReport>,
    },
    /// Re-encoding a page image failed.
    #[error("cannot encode page {page} of {path} as {what}: {reason}")]
    Encode {
        /// The input file.
        path: PathBuf,
        /// 1-based page in the input file.
        page: usize,
        /// Target encoding.
        what: &'static str,
        /// The encoder's message.
        reason: String,
    },
    /// Copying pages from an existing PDF failed.
    #[error("cannot copy the pages of {path}: {reason}")]
    CopyPages {
        /// The source PDF.
        path: PathBuf,
        /// What lopdf reported.
        reason: String,
    },
    /// A passed-through JPEG changed or disappeared between import and writing (a hot-folder
    /// file rewritten or moved); that page is left out and reported.
    #[error("{path} changed or disappeared since it was imported ({reason}); import it again")]
    SourceChanged {
        /// The input file.
        path: PathBuf,
        /// What was found.
        reason: String,
    },
    /// Writing the output failed.
    #[error("cannot write {path}: {source}; check free space and permissions of the folder")]
    Write {
        /// The output file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// lopdf could not serialise the document.
    #[error("cannot serialise the PDF for {path}: {reason}")]
    Serialise {
        /// The output file.
        path: PathBuf,
        /// What lopdf reported.
        reason: String,
    },
}
