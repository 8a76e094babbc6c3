//! Modification analysis: what the revisions after a signature changed (ISO 32000-1 §12.8.2.2
//! DocMDP; the classification follows pyHanko's difference analysis in spirit).
//!
//! The signed revision (the file prefix up to the end of the signature's /ByteRange) and the
//! final document are both loaded with lopdf and compared object by object. New objects are
//! harmless until something old points at them, so only changed or removed objects matter: a
//! page dictionary that changed only in /Annots is an annotation (or a new signature widget); a
//! field that changed only in /V is form filling (or signing); the catalog may gain /AcroForm,
//! /DSS changes; the AcroForm may gain fields. Everything else — content streams, page tree,
//! other catalog entries, resources — is a disallowed change and is named in the report.

use std::collections::BTreeSet;

use lopdf::{Dictionary, Document, Object, ObjectId};

/// How far the later revisions went, in increasing order of what they touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModificationLevel {
    /// Nothing after the signature.
    None,
    /// Later signatures, document time-stamps, DSS (LTV data).
    Signatures,
    /// Form fields filled in.
    FormFilling,
    /// Annotations added or changed.
    Annotations,
    /// Anything else: page content, pages, catalog entries.
    Disallowed,
}

/// The changes found after one signature.
#[derive(Debug, Clone)]
pub struct Modifications {
    /// The highest level found.
    pub level: ModificationLevel,
    /// One line per change.
    pub changes: Vec<String>,
    /// Form fields (or their widgets) whose value changed, for the FieldMDP check.
    pub filled_fields: Vec<ObjectId>,
}

fn dict_diff(old: &Dictionary, new: &Dictionary) -> BTreeSet<Vec<u8>> {
    let mut keys: BTreeSet<Vec<u8>> = BTreeSet::new();
    for (k, v) in old.iter() {
        if new.get(k).ok() != Some(v) {
            keys.insert(k.clone());
        }
    }
    for (k, _) in new.iter() {
        if !old.has(k) {
            keys.insert(k.clone());
        }
    }
    keys
}

fn type_of(dict: &Dictionary) -> Option<&[u8]> {
    dict.get(b"Type").ok().and_then(|t| t.as_name().ok())
}

fn is_structural(object: &Object) -> bool {
    let dict = match object {
        Object::Stream(s) => &s.dict,
        _ => return false,
    };
    matches!(type_of(dict), Some(b"XRef") | Some(b"ObjStm"))
}

fn annots_of(doc: &Document, page: &Dictionary) -> Vec<Object> {
    page.get(b"Annots")
        .ok()
        .and_then(|a| doc.dereference(a).ok())
        .and_then(|(_, a)| a.as_array().ok())
        .cloned()
        .unwrap_or_default()
}

/// The level of a change to a page's /Annots: only new signature widgets is `Signatures`;
/// otherwise `Annotations`.
fn annots_level(old_annots: &[Object], new_annots: &[Object], new: &Document) -> ModificationLevel {
    let removed = old_annots.iter().any(|a| !new_annots.contains(a));
    if removed {
        return ModificationLevel::Annotations;
    }
    let all_signature_widgets = new_annots
        .iter()
        .filter(|a| !old_annots.contains(a))
        .all(|a| {
            let Some(dict) = new.dereference(a).ok().and_then(|(_, o)| o.as_dict().ok()) else {
                return false;
            };
            let widget =
                dict.get(b"Subtype").ok().and_then(|s| s.as_name().ok()) == Some(b"Widget");
            let field_type = |d: &Dictionary| {
                d.get(b"FT")
                    .ok()
                    .and_then(|f| f.as_name().ok())
                    .map(<[u8]>::to_vec)
            };
            let ft = field_type(dict).or_else(|| {
                dict.get(b"Parent")
                    .ok()
                    .and_then(|p| new.dereference(p).ok())
                    .and_then(|(_, p)| p.as_dict().ok())
                    .and_then(field_type)
            });
            widget && ft.as_deref() == Some(b"Sig")
        });
    if all_signature_widgets {
        ModificationLevel::Signatures
    } else {
        ModificationLevel::Annotations
    }
}

/// Compares the signed revision `old` with the final document `new`.
pub fn analyse(old: &Document, new: &Document) -> Modifications {
    let mut level = ModificationLevel::None;
    let mut changes = Vec::new();
    let mut filled_fields = Vec::new();
    let mut note = |lvl: ModificationLevel, what: String, level: &mut ModificationLevel| {
        *level = (*level).max(lvl);
        changes.push(what);
    };
    let old_pages: Vec<ObjectId> = old.get_pages().into_values().collect();
    let new_pages: Vec<ObjectId> = new.get_pages().into_values().collect();
    if old_pages != new_pages {
        note(
            ModificationLevel::Disallowed,
            format!(
                "pages changed: {} before, {} now",
                old_pages.len(),
                new_pages.len()
            ),
            &mut level,
        );
    }
    let catalog_id = new
        .trailer
        .get(b"Root")
        .ok()
        .and_then(|r| r.as_reference().ok());
    let old_catalog_id = old
        .trailer
        .get(b"Root")
        .ok()
        .and_then(|r| r.as_reference().ok());
    if catalog_id != old_catalog_id {
        note(
            ModificationLevel::Disallowed,
            "the catalog was replaced".into(),
            &mut level,
        );
    }
    let acroform_id = old
        .catalog()
        .ok()
        .and_then(|c| c.get(b"AcroForm").ok())
        .and_then(|a| a.as_reference().ok());
    // An indirect /Fields array of the form: it may only grow.
    let fields_id = old
        .catalog()
        .ok()
        .and_then(|c| c.get(b"AcroForm").ok())
        .and_then(|a| old.dereference(a).ok())
        .and_then(|(_, a)| a.as_dict().ok())
        .and_then(|form| form.get(b"Fields").ok())
        .and_then(|f| f.as_reference().ok());
    // The document information dictionary and the XMP metadata stream are rewritten by most
    // signers (ModDate, Producer): bookkeeping, not content.
    let info_id = old
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|r| r.as_reference().ok());
    let metadata_id = old
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Metadata").ok())
        .and_then(|m| m.as_reference().ok());
    // Indirect /Annots arrays of the signed pages, judged with their page.
    let mut annots_arrays = BTreeSet::new();
    for page_id in &old_pages {
        let Ok(old_page) = old.get_dictionary(*page_id) else {
            continue;
        };
        if let Ok(id) = old_page.get(b"Annots").and_then(|a| a.as_reference()) {
            annots_arrays.insert(id);
        }
        let Ok(new_page) = new.get_dictionary(*page_id) else {
            continue;
        };
        let (old_annots, new_annots) = (annots_of(old, old_page), annots_of(new, new_page));
        if old_annots != new_annots {
            let lvl = annots_level(&old_annots, &new_annots, new);
            let what = if lvl == ModificationLevel::Signatures {
                "signature widget added"
            } else {
                "annotations changed"
            };
            note(
                lvl,
                format!("page {} {}: {what}", page_id.0, page_id.1),
                &mut level,
            );
        }
    }
    for (id, old_object) in &old.objects {
        if is_structural(old_object)
            || Some(*id) == info_id
            || Some(*id) == metadata_id
            || annots_arrays.contains(id)
        {
            continue;
        }
        let Some(new_object) = new.objects.get(id) else {
            note(
                ModificationLevel::Disallowed,
                format!("object {} {} was removed", id.0, id.1),
                &mut level,
            );
            continue;
        };
        if new_object == old_object {
            continue;
        }
        let label = format!("object {} {}", id.0, id.1);
        if Some(*id) == fields_id
            && let (Ok(old_fields), Ok(new_fields)) = (old_object.as_array(), new_object.as_array())
        {
            if old_fields.iter().all(|f| new_fields.contains(f)) {
                note(
                    ModificationLevel::Signatures,
                    "form: fields added".into(),
                    &mut level,
                );
            } else {
                note(
                    ModificationLevel::Disallowed,
                    "form fields removed".into(),
                    &mut level,
                );
            }
            continue;
        }
        let (Ok(od), Ok(nd)) = (old_object.as_dict(), new_object.as_dict()) else {
            note(
                ModificationLevel::Disallowed,
                format!("{label} (content or stream) was changed"),
                &mut level,
            );
            continue;
        };
        if matches!(old_object, Object::Stream(_)) || matches!(new_object, Object::Stream(_)) {
            note(
                ModificationLevel::Disallowed,
                format!("{label} (stream) was changed"),
                &mut level,
            );
            continue;
        }
        let keys = dict_diff(od, nd);
        let only = |allowed: &[&[u8]]| keys.iter().all(|k| allowed.contains(&k.as_slice()));
        let kind = type_of(od);
        if Some(*id) == catalog_id {
            if only(&[
                b"AcroForm",
                b"DSS",
                b"Perms",
                b"Extensions",
                b"Version",
                b"Metadata",
            ]) && od.get(b"Perms").ok() == nd.get(b"Perms").ok()
            {
                note(
                    ModificationLevel::Signatures,
                    "catalog: form or DSS added".into(),
                    &mut level,
                );
            } else {
                let names: Vec<String> = keys
                    .iter()
                    .map(|k| String::from_utf8_lossy(k).into_owned())
                    .collect();
                note(
                    ModificationLevel::Disallowed,
                    format!("catalog entries changed: {}", names.join(", ")),
                    &mut level,
                );
            }
        } else if Some(*id) == acroform_id {
            let old_fields = od.get(b"Fields").and_then(|f| f.as_array()).ok();
            let new_fields = nd.get(b"Fields").and_then(|f| f.as_array()).ok();
            let kept = match (old_fields, new_fields) {
                (Some(o), Some(n)) => o.iter().all(|f| n.contains(f)),
                (Some(_), None) => false,
                _ => true,
            };
            if kept && only(&[b"Fields", b"SigFlags", b"DR", b"DA", b"NeedAppearances"]) {
                note(
                    ModificationLevel::Signatures,
                    "form: fields added".into(),
                    &mut level,
                );
            } else {
                note(
                    ModificationLevel::Disallowed,
                    "form dictionary changed".into(),
                    &mut level,
                );
            }
        } else if kind == Some(b"Page") && old_pages.contains(id) {
            if only(&[b"Annots"]) {
                // Judged above with the page's annotation list.
            } else {
                note(
                    ModificationLevel::Disallowed,
                    format!("page {label} changed (not only annotations)"),
                    &mut level,
                );
            }
        } else if od.has(b"FT") || od.has(b"T") || od.has(b"Parent") && od.has(b"Subtype") {
            if only(&[b"V", b"AP", b"AS", b"Kids"]) {
                let is_sig = od.get(b"FT").ok().and_then(|f| f.as_name().ok()) == Some(b"Sig");
                let lvl = if is_sig {
                    ModificationLevel::Signatures
                } else {
                    filled_fields.push(*id);
                    ModificationLevel::FormFilling
                };
                note(lvl, format!("field {label} filled in"), &mut level);
            } else if kind == Some(b"Annot") || od.has(b"Subtype") {
                note(
                    ModificationLevel::Annotations,
                    format!("annotation {label} changed"),
                    &mut level,
                );
            } else {
                note(
                    ModificationLevel::Disallowed,
                    format!("field {label} changed"),
                    &mut level,
                );
            }
        } else if kind == Some(b"Annot") {
            note(
                ModificationLevel::Annotations,
                format!("annotation {label} changed"),
                &mut level,
            );
        } else {
            note(
                ModificationLevel::Disallowed,
                format!("{label} was changed"),
                &mut level,
            );
        }
    }
    // A catalog gaining /DSS or a new /AcroForm: classify new signature-only content.
    let new_objects = new
        .objects
        .keys()
        .filter(|id| !old.objects.contains_key(id))
        .count();
    if new_objects > 0 && level == ModificationLevel::None {
        note(
            ModificationLevel::Signatures,
            format!("{new_objects} objects added"),
            &mut level,
        );
    }
    Modifications {
        level,
        changes,
        filled_fields,
    }
}

/// Whether `level` is allowed under DocMDP `p` (None: an approval signature without DocMDP,
/// where annotations and form filling are allowed).
pub fn allowed(level: ModificationLevel, p: Option<i64>) -> bool {
    let limit = match p {
        Some(1) => ModificationLevel::Signatures,
        Some(2) => ModificationLevel::FormFilling,
        _ => ModificationLevel::Annotations,
    };
    level <= limit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docmdp_levels() {
        use ModificationLevel as M;
        assert!(allowed(M::Signatures, Some(1)));
        assert!(!allowed(M::FormFilling, Some(1)));
        assert!(allowed(M::FormFilling, Some(2)));
        assert!(!allowed(M::Annotations, Some(2)));
        assert!(allowed(M::Annotations, Some(3)));
        assert!(allowed(M::Annotations, None));
        assert!(!allowed(M::Disallowed, None));
    }
}
