//! Wire shape of the Ký số screen's stamp placement (camelCase JSON): the page and the box's lower-left
//! corner in PDF points from the page's lower-left corner, as `motcua::counter::stamp::StampPlacement`.
//! `ui/src/lib/backend/stamp.ts` mirrors it.

use motcua::counter::stamp::StampPlacement;
use serde::Deserialize;

/// Where the clerk put the visible stamp on the preview.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StampDto {
    /// 1-based page.
    pub page: u32,
    pub x: f32,
    pub y: f32,
}

impl From<StampDto> for StampPlacement {
    fn from(s: StampDto) -> Self {
        StampPlacement {
            page: s.page,
            x: s.x,
            y: s.y,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ui_shape_converts_to_the_core_placement() {
        let dto: StampDto =
            serde_json::from_value(serde_json::json!({"page": 2, "x": 36.5, "y": 40}))
                .expect("camelCase JSON");
        assert_eq!(
            StampPlacement::from(dto),
            StampPlacement {
                page: 2,
                x: 36.5,
                y: 40.0
            }
        );
    }
}
