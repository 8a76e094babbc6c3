//! FieldMDP (ISO 32000-1 §12.8.2.4): a signature may lock form fields, so that filling them in
//! after signing is a disallowed change even where form filling is otherwise allowed.
//!
//! The locks are read from the signature dictionary's /Reference array (signature reference
//! dictionaries, Table 253, with /TransformMethod /FieldMDP; transform parameters Table 256:
//! /Action /All, /Include or /Exclude and /Fields, the fully qualified names) and from the
//! signature field's own /Lock dictionary (ISO 32000-2 §12.7.5.5, Table 236: the same /Action and
//! /Fields) as found in the signed revision. A conforming signer copies the /Lock into the
//! /Reference, but not every signer does, and the field's lock is part of what was signed either way.

use lopdf::{Dictionary, Document, Object, ObjectId};

/// Table 256 /Action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Every field is locked.
    All,
    /// Only the fields listed.
    Include,
    /// Every field except those listed.
    Exclude,
}

/// One FieldMDP transform of a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldLock {
    /// How /Fields is read.
    pub action: Action,
    /// Fully qualified field names.
    pub fields: Vec<String>,
}

impl FieldLock {
    /// Whether the field called `name` is locked by this transform.
    pub fn locks(&self, name: &str) -> bool {
        let listed = self.fields.iter().any(|f| f == name);
        match self.action {
            Action::All => true,
            Action::Include => listed,
            Action::Exclude => !listed,
        }
    }
}

fn resolve<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Object> {
    doc.dereference(object).ok().map(|(_, o)| o)
}

fn text(object: &Object) -> Option<String> {
    match object {
        Object::String(bytes, _) => Some(
            lopdf::decode_text_string(object)
                .unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned()),
        ),
        _ => None,
    }
}

/// Reads /Action and /Fields of a FieldMDP transform parameters or /Lock dictionary.
fn lock_of(doc: &Document, params: &Dictionary) -> FieldLock {
    let action = match params.get(b"Action").ok().and_then(|a| a.as_name().ok()) {
        Some(b"Include") => Action::Include,
        Some(b"Exclude") => Action::Exclude,
        // /All, and anything unknown: lock everything (the safe reading).
        _ => Action::All,
    };
    let fields = params
        .get(b"Fields")
        .ok()
        .and_then(|f| resolve(doc, f))
        .and_then(|f| f.as_array().ok())
        .map(|names| names.iter().filter_map(text).collect())
        .unwrap_or_default();
    FieldLock { action, fields }
}

/// The /Lock dictionary (ISO 32000-2 §12.7.5.5) of the signature field called `field` in `doc`
/// (the signed revision), if it has one.
pub fn field_lock(doc: &Document, field: &str) -> Option<FieldLock> {
    doc.objects.iter().find_map(|(id, object)| {
        let dict = object.as_dict().ok()?;
        let lock = dict
            .get(b"Lock")
            .ok()
            .and_then(|l| resolve(doc, l))
            .and_then(|l| l.as_dict().ok())?;
        (field_name(doc, *id).as_deref() == Some(field)).then(|| lock_of(doc, lock))
    })
}

/// The FieldMDP locks of signature dictionary `sig`.
pub fn locks(doc: &Document, sig: &Dictionary) -> Vec<FieldLock> {
    let Some(refs) = sig
        .get(b"Reference")
        .ok()
        .and_then(|r| resolve(doc, r))
        .and_then(|r| r.as_array().ok())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for reference in refs {
        let Some(reference) = resolve(doc, reference).and_then(|r| r.as_dict().ok()) else {
            continue;
        };
        let method = reference
            .get(b"TransformMethod")
            .ok()
            .and_then(|m| m.as_name().ok());
        if method != Some(b"FieldMDP") {
            continue;
        }
        let Some(params) = reference
            .get(b"TransformParams")
            .ok()
            .and_then(|p| resolve(doc, p))
            .and_then(|p| p.as_dict().ok())
        else {
            continue;
        };
        out.push(lock_of(doc, params));
    }
    out
}

/// The fully qualified name of the field (or widget) `id`: the /T of it and its parents, joined
/// with dots (ISO 32000-1 §12.7.3.2). Bounded against /Parent loops.
pub fn field_name(doc: &Document, id: ObjectId) -> Option<String> {
    let mut parts = Vec::new();
    let mut current = doc.get_dictionary(id).ok()?;
    for _ in 0..32 {
        if let Some(t) = current.get(b"T").ok().and_then(text) {
            parts.push(t);
        }
        match current
            .get(b"Parent")
            .ok()
            .and_then(|p| resolve(doc, p))
            .and_then(|p| p.as_dict().ok())
        {
            Some(parent) => current = parent,
            None => break,
        }
    }
    if parts.is_empty() {
        return None;
    }
    parts.reverse();
    Some(parts.join("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions() {
        let lock = |action, fields: &[&str]| FieldLock {
            action,
            fields: fields.iter().map(|s| s.to_string()).collect(),
        };
        assert!(lock(Action::All, &[]).locks("HoTen"));
        assert!(lock(Action::Include, &["HoTen"]).locks("HoTen"));
        assert!(!lock(Action::Include, &["HoTen"]).locks("GhiChu"));
        assert!(!lock(Action::Exclude, &["HoTen"]).locks("HoTen"));
        assert!(lock(Action::Exclude, &["HoTen"]).locks("GhiChu"));
    }
}
