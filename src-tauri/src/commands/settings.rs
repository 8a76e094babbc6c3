//! Commands of the Cài đặt screen (supervisors only): read the settings, check proposed values field by
//! field, save them (validated all-or-nothing, each change audited under the signed-in account), and
//! import a trust-anchor certificate into the data folder.

use super::blocking;
use crate::dto::settings::{SettingDto, SettingProblemDto, SettingsDto, TrustedCertificateDto};
use crate::error::ErrorEnvelope;
use crate::state::DeskState;
use motcua::user::Permission;
use tauri::State;

fn pairs(values: Vec<SettingDto>) -> Vec<(String, String)> {
    values.into_iter().map(|s| (s.key, s.value)).collect()
}

/// The settings, whether the token variable is set, and the trusted certificates.
#[tauri::command]
pub async fn get_settings(state: State<'_, DeskState>) -> Result<SettingsDto, ErrorEnvelope> {
    let (desk, _) = state.require(Permission::Settings)?;
    blocking(move || {
        Ok(SettingsDto {
            settings: desk
                .office_settings()?
                .iter()
                .map(SettingDto::from)
                .collect(),
            token_present: desk.portal_token_present()?,
            trusted: desk
                .trusted_certificates()?
                .iter()
                .map(TrustedCertificateDto::from)
                .collect(),
            data_dir: desk.data_dir().display().to_string(),
        })
    })
    .await
}

/// The problems of the proposed values, per key (empty when all are acceptable).
#[tauri::command]
pub async fn check_settings(
    state: State<'_, DeskState>,
    values: Vec<SettingDto>,
) -> Result<Vec<SettingProblemDto>, ErrorEnvelope> {
    let (desk, _) = state.require(Permission::Settings)?;
    let problems = blocking(move || Ok(desk.check_settings(&pairs(values)))).await?;
    Ok(problems
        .into_iter()
        .map(|(key, reason)| SettingProblemDto { key, reason })
        .collect())
}

/// Saves the values; answers how many changed.
#[tauri::command]
pub async fn save_settings(
    state: State<'_, DeskState>,
    values: Vec<SettingDto>,
) -> Result<usize, ErrorEnvelope> {
    let (desk, actor) = state.require(Permission::Settings)?;
    blocking(move || desk.update_settings(&pairs(values), &actor)).await
}

/// Copies a certificate file into the trust store; answers the certificates it held.
#[tauri::command]
pub async fn import_trust_certificate(
    state: State<'_, DeskState>,
    path: String,
) -> Result<Vec<TrustedCertificateDto>, ErrorEnvelope> {
    let (desk, actor) = state.require(Permission::Settings)?;
    let imported =
        blocking(move || desk.import_trust_certificate(std::path::Path::new(&path), &actor))
            .await?;
    Ok(imported.iter().map(TrustedCertificateDto::from).collect())
}
