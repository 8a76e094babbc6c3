//! A PDF file written as it is built: each indirect object goes to the output as soon as it
//! is complete, its byte offset is remembered, and the cross-reference table and trailer
//! close the file (ISO 32000-1, 7.5: file structure; 7.5.4: cross-reference table).
//!
//! Objects are serialised with `lopdf::Writer::write_object`, so their bytes are exactly what
//! `lopdf::Document::save` would write; only the `N 0 obj … endobj` framing, the stream
//! framing and the table are written here. Stream data can come from another file and is
//! then copied with `std::io::copy` between files, which uses `copy_file_range` on Linux: a
//! passed-through JPEG never enters this process's memory. This is what keeps a 24-page,
//! 67 MB scan batch at a few megabytes of memory and at the speed of a file copy.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use lopdf::{Dictionary, Object, ObjectId};

/// Writes one PDF file object by object. Streams copied from files are flushed to disk in the
/// background as the file grows (see `flush_in_background`).
pub struct StreamingWriter {
    out: BufWriter<File>,
    position: u64,
    /// Byte offset of each object, indexed by object number (0 unused).
    offsets: Vec<Option<u64>>,
    /// Set when a write failed part-way: the file is no longer well-formed.
    broken: bool,
    /// The background `sync_data` started after a copied stream, if any (see
    /// [`StreamingWriter::flush_in_background`]).
    flushing: Option<std::thread::JoinHandle<io::Result<()>>>,
}

impl StreamingWriter {
    /// Start a PDF 1.7 file in `file` (normally a fresh temporary file).
    pub fn new(file: File) -> io::Result<Self> {
        let mut writer = StreamingWriter {
            out: BufWriter::with_capacity(256 * 1024, file),
            position: 0,
            offsets: vec![None],
            broken: false,
            flushing: None,
        };
        // The binary comment marks the file as binary for transfer programs (7.5.2).
        writer.put(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")?;
        Ok(writer)
    }

    /// Reserve an object number to be written later (for forward references such as the
    /// page tree every page points to).
    pub fn reserve(&mut self) -> ObjectId {
        self.offsets.push(None);
        ((self.offsets.len() - 1) as u32, 0)
    }

    /// Write `object` as a new indirect object and return its id.
    pub fn add(&mut self, object: &Object) -> io::Result<ObjectId> {
        let id = self.reserve();
        self.write(id, object)?;
        Ok(id)
    }

    /// Write `object` under a reserved id.
    pub fn write(&mut self, id: ObjectId, object: &Object) -> io::Result<()> {
        self.begin(id)?;
        if lopdf::Writer::need_separator(object) {
            self.put(b" ")?;
        }
        let mut buffer = Vec::new();
        lopdf::Writer::write_object(&mut buffer, object)?;
        self.put(&buffer)?;
        if lopdf::Writer::need_end_separator(object) {
            self.put(b" ")?;
        }
        self.put(b"\nendobj\n")
    }

    /// Write a stream object whose data is in memory; `/Length` is set here.
    pub fn add_stream(&mut self, mut dict: Dictionary, data: &[u8]) -> io::Result<ObjectId> {
        let id = self.reserve();
        dict.set("Length", data.len() as i64);
        self.begin_stream(id, &dict)?;
        self.put(data)?;
        self.end_stream()?;
        Ok(id)
    }

    /// Write a stream object whose data is `length` bytes of the file at `path`, copied from
    /// file to file. Fails if the file no longer has that many bytes (changed since import).
    pub fn add_stream_from_file(
        &mut self,
        mut dict: Dictionary,
        path: &Path,
        length: u64,
    ) -> io::Result<ObjectId> {
        let mut source = File::open(path)?;
        let actual = source.metadata()?.len();
        if actual != length {
            return Err(io::Error::other(format!(
                "the file changed size since it was read ({length} → {actual} bytes)"
            )));
        }
        source.seek(SeekFrom::Start(0))?;
        let id = self.reserve();
        dict.set("Length", length as i64);
        self.begin_stream(id, &dict)?;
        self.out.flush()?;
        let copied = io::copy(&mut source.take(length), self.out.get_mut());
        let copied = copied.inspect_err(|_| self.broken = true)?;
        if copied != length {
            self.broken = true;
            return Err(io::Error::other(format!(
                "the file ended after {copied} of {length} bytes while it was copied"
            )));
        }
        self.position += copied;
        self.end_stream()?;
        self.flush_in_background()?;
        Ok(id)
    }

    /// Starts writing what is in the page cache so far to the disk on another thread, so the
    /// caller's final fsync waits only for the tail: copying a 67 MB batch of JPEGs takes a few
    /// tens of milliseconds, writing it to disk about as long again, and the two now overlap.
    /// One flush runs at a time; its error, if any, is returned by the next call or by `finish`.
    fn flush_in_background(&mut self) -> io::Result<()> {
        if self.flushing.as_ref().is_some_and(|f| !f.is_finished()) {
            return Ok(());
        }
        self.wait_for_flush()?;
        self.out.flush()?;
        let file = self.out.get_ref().try_clone()?;
        self.flushing = Some(std::thread::spawn(move || file.sync_data()));
        Ok(())
    }

    fn wait_for_flush(&mut self) -> io::Result<()> {
        match self.flushing.take() {
            Some(flush) => flush
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("the background flush stopped"))),
            None => Ok(()),
        }
    }

    /// True when a write failed part-way and the file can no longer be completed.
    pub fn is_broken(&self) -> bool {
        self.broken
    }

    /// Number of object ids handed out so far (the trailer's `/Size` minus one).
    pub fn object_count(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Write the cross-reference table and the trailer; returns the file, flushed (not yet
    /// synced) and its size. Every reserved id must have been written.
    pub fn finish(mut self, mut trailer: Dictionary) -> io::Result<(File, u64)> {
        if self.broken {
            return Err(io::Error::other(
                "an earlier write to this file failed; the file was not completed",
            ));
        }
        let xref_at = self.position;
        let mut table = format!("xref\n0 {}\n0000000000 65535 f\r\n", self.offsets.len());
        for (number, offset) in self.offsets.iter().enumerate().skip(1) {
            let offset = offset.ok_or_else(|| {
                io::Error::other(format!("object {number} was reserved but never written"))
            })?;
            table.push_str(&format!("{offset:010} 00000 n\r\n"));
        }
        self.put(table.as_bytes())?;
        trailer.set("Size", self.offsets.len() as i64);
        let mut buffer = b"trailer\n".to_vec();
        lopdf::Writer::write_object(&mut buffer, &Object::Dictionary(trailer))?;
        buffer.extend_from_slice(format!("\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
        self.put(&buffer)?;
        self.wait_for_flush()?;
        let size = self.position;
        let file = self.out.into_inner().map_err(|e| e.into_error())?;
        Ok((file, size))
    }

    fn begin(&mut self, id: ObjectId) -> io::Result<()> {
        if self.broken {
            return Err(io::Error::other(
                "an earlier write to this file failed; the file was not completed",
            ));
        }
        let slot = self
            .offsets
            .get_mut(id.0 as usize)
            .ok_or_else(|| io::Error::other(format!("object {} was never reserved", id.0)))?;
        if slot.is_some() {
            return Err(io::Error::other(format!("object {} written twice", id.0)));
        }
        *slot = Some(self.position);
        self.put(format!("{} {} obj\n", id.0, id.1).as_bytes())
    }

    fn begin_stream(&mut self, id: ObjectId, dict: &Dictionary) -> io::Result<()> {
        self.begin(id)?;
        let mut buffer = Vec::new();
        lopdf::Writer::write_object(&mut buffer, &Object::Dictionary(dict.clone()))?;
        buffer.extend_from_slice(b"\nstream\n");
        self.put(&buffer)
    }

    fn end_stream(&mut self) -> io::Result<()> {
        self.put(b"\nendstream\nendobj\n")
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out
            .write_all(bytes)
            .inspect_err(|_| self.broken = true)?;
        self.position += bytes.len() as u64;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file written object by object, with a stream copied from another file, reads back
    /// with lopdf: the table's offsets point at the objects.
    #[test]
    fn streamed_file_reads_back_with_lopdf() {
        let dir = tempfile::tempdir().unwrap();
        let data_path = dir.path().join("data.bin");
        std::fs::write(&data_path, b"0123456789 stream body from a file").unwrap();
        let file = File::create(dir.path().join("out.pdf")).unwrap();
        let mut writer = StreamingWriter::new(file).unwrap();
        let pages_id = writer.reserve();
        let copied = writer
            .add_stream_from_file(Dictionary::new(), &data_path, 34)
            .unwrap();
        let memory = writer.add_stream(Dictionary::new(), b"q Q").unwrap();
        let mut pages = Dictionary::new();
        pages.set("Type", Object::Name(b"Pages".to_vec()));
        pages.set("Count", 0);
        pages.set("Kids", Object::Array(vec![]));
        writer.write(pages_id, &Object::Dictionary(pages)).unwrap();
        let mut catalog = Dictionary::new();
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Pages", pages_id);
        let root = writer.add(&Object::Dictionary(catalog)).unwrap();
        let mut trailer = Dictionary::new();
        trailer.set("Root", root);
        let (_, size) = writer.finish(trailer).unwrap();
        let bytes = std::fs::read(dir.path().join("out.pdf")).unwrap();
        assert_eq!(bytes.len() as u64, size);
        let document = lopdf::Document::load_mem(&bytes).unwrap();
        let stream = document.get_object(copied).unwrap().as_stream().unwrap();
        assert_eq!(stream.content, b"0123456789 stream body from a file");
        let stream = document.get_object(memory).unwrap().as_stream().unwrap();
        assert_eq!(stream.content, b"q Q");
        assert_eq!(document.trailer.get(b"Size").unwrap().as_i64().unwrap(), 5);
        // A source that changed size since import is refused, naming the sizes.
        let file = File::create(dir.path().join("out2.pdf")).unwrap();
        let mut writer = StreamingWriter::new(file).unwrap();
        let error = writer
            .add_stream_from_file(Dictionary::new(), &data_path, 99)
            .unwrap_err();
        assert!(error.to_string().contains("99"), "{error}");
    }
}
