/**
 * The closed list of error codes the backend's `{code, message}` envelope can carry: the wire names of the
 * core's `motcua::ErrorCode::ALL` (src/desk/mod.rs). Every code needs an `error.<code>` text in both tables,
 * which `i18n.test.ts` enforces; a code the UI does not know falls back to a generic text.
 */
export const KNOWN_ERROR_CODES = [
  'required_field',
  'invalid_citizen_id',
  'invalid_phone',
  'invalid_email',
  'birth_in_future',
  'illegal_transition',
  'unknown_procedure',
  'dossier_not_found',
  'invalid_agency_code',
  'daily_sequence_exhausted',
  'catalog_invalid',
  'calendar_invalid',
  'file_unreadable',
  'data_dir_read_only',
  'disk_full',
  'database_too_new',
  'database_corrupt',
  'apology_after_due',
  'file_unwritable',
  'internal',
  'cccd_qr_not_found',
  'cccd_not_a_card',
  'no_pages',
  'wrong_password',
  'pin_locked',
  'certificate_expired',
  'certificate_unusable',
  'token_unavailable',
  'signing_failed',
  'cancelled',
  'scanner_failed',
] as const;

/** A code the UI has text for. */
export type ErrorCode = (typeof KNOWN_ERROR_CODES)[number];
