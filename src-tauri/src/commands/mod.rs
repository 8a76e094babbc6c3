//! The Tauri commands: thin adapters over [`motcua::Desk`]. Each one is DTO in → core call → DTO or
//! [`ErrorEnvelope`] out. Core calls touch SQLite, so they run on Tauri's blocking pool
//! (`spawn_blocking`) and the UI thread never waits on the disk.

pub mod calendar;
pub mod capture;
pub mod counter;
pub mod dossiers;
pub mod hot_folder;
pub mod launch;
pub mod probe;
pub mod queue;

use crate::dto::{DossierDto, NewDossierDto, ProcedureDto, TimelineEntryDto};
use crate::error::ErrorEnvelope;
use crate::state::DeskState;
use motcua::DeskError;
use tauri::State;

pub mod reports;
pub mod session;
pub mod settings;
pub mod stamp;
pub mod verify;

/// Runs a blocking core call off the async runtime's worker threads.
pub(crate) async fn blocking<T, F>(call: F) -> Result<T, ErrorEnvelope>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, DeskError> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(call)
        .await
        .map_err(|e| ErrorEnvelope::internal(format!("tác vụ nền bị dừng: {e}")))?
        .map_err(ErrorEnvelope::from)
}

/// The procedures of the catalogue, by code.
#[tauri::command]
pub async fn list_procedures(
    state: State<'_, DeskState>,
) -> Result<Vec<ProcedureDto>, ErrorEnvelope> {
    let desk = state.desk()?;
    let procedures = blocking(move || desk.procedures()).await?;
    Ok(procedures.iter().map(ProcedureDto::from).collect())
}

/// All dossiers, newest first.
#[tauri::command]
pub async fn list_dossiers(state: State<'_, DeskState>) -> Result<Vec<DossierDto>, ErrorEnvelope> {
    let desk = state.desk()?;
    let (dossiers, deadlines, day) = blocking(move || {
        let deadlines = desk.dossier_deadlines(motcua::vietnam_now())?;
        let day = desk.calendar().hours().day_length().num_minutes();
        Ok((desk.dossiers()?, deadlines, day))
    })
    .await?;
    Ok(dossiers
        .iter()
        .map(|d| DossierDto {
            deadline: deadlines
                .get(&d.code)
                .map(|s| crate::dto::dossiers::DeadlineDto::new(s, day)),
            ..DossierDto::from(d)
        })
        .collect())
}

/// One dossier by its code.
#[tauri::command]
pub async fn get_dossier(
    state: State<'_, DeskState>,
    code: String,
) -> Result<DossierDto, ErrorEnvelope> {
    let desk = state.desk()?;
    let dossier = blocking(move || desk.dossier(&code)).await?;
    Ok(DossierDto::from(&dossier))
}

/// Validates and stores a new dossier received at the counter.
#[tauri::command]
pub async fn create_dossier(
    state: State<'_, DeskState>,
    dossier: NewDossierDto,
) -> Result<DossierDto, ErrorEnvelope> {
    // Only a signed-in account receives dossiers, so the audit entry names a person.
    let (desk, actor) = state.require(motcua::user::Permission::Counter)?;
    let created = blocking(move || desk.create_dossier(dossier.into(), &actor)).await?;
    Ok(DossierDto::from(&created))
}

/// The dossier's timeline (its audit entries), oldest first.
#[tauri::command]
pub async fn dossier_timeline(
    state: State<'_, DeskState>,
    code: String,
) -> Result<Vec<TimelineEntryDto>, ErrorEnvelope> {
    let desk = state.desk()?;
    let entries = blocking(move || desk.timeline(&code)).await?;
    Ok(entries.iter().map(TimelineEntryDto::from).collect())
}
