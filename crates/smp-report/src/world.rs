//! A typst `World` held entirely in memory: one generated source, images as byte
//! buffers, the fonts embedded in `typst-assets`. Nothing is read from disk or fetched.

use std::collections::HashMap;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The embedded fonts and their book, parsed once per process: parsing them costs more
/// than laying out a short report.
static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

/// The standard library, built once.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// The family every page and chart uses (embedded in `typst-assets`).
pub const FONT_FAMILY: &str = "Libertinus Serif";

/// File id of a path in the project root. Ids are interned for the process's life, so
/// callers use a fixed set of names.
pub fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("report file names are plain absolute paths");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// One document to compile: its main source and the files it may load.
pub struct MemoryWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: Option<Datetime>,
}

impl MemoryWorld {
    /// A world whose main file is `source`, with `files` (path → bytes) beside it.
    pub fn new(source: String, files: Vec<(&str, Vec<u8>)>, today: Option<Datetime>) -> Self {
        let main = Source::new(file_id("/main.typ"), source);
        let files = files.into_iter().map(|(p, b)| (file_id(p), Bytes::new(b))).collect();
        MemoryWorld { main, files, today }
    }
}

impl World for MemoryWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(format!("{:?}", id).into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}
