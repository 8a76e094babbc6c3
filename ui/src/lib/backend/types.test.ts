/** Tests for turning whatever a backend call rejects with into a `BackendError` with a stable code. */
import { describe, expect, it } from 'vitest';
import { BackendError } from './types';

describe('BackendError.from', () => {
  it('keeps the code and message of a {code, message} envelope', () => {
    const error = BackendError.from({ code: 'invalid_citizen_id', message: 'số định danh phải có đúng 12 chữ số' });
    expect(error).toBeInstanceOf(BackendError);
    expect(error.code).toBe('invalid_citizen_id');
    expect(error.message).toBe('số định danh phải có đúng 12 chữ số');
  });

  it('returns an existing BackendError unchanged', () => {
    const original = new BackendError({ code: 'disk_full', message: 'full' });
    expect(BackendError.from(original)).toBe(original);
  });

  it('maps anything else (a string from Tauri, a malformed object) to internal', () => {
    expect(BackendError.from('invalid args `dossier` for command `create_dossier`')).toMatchObject({
      code: 'internal',
      message: 'invalid args `dossier` for command `create_dossier`',
    });
    expect(BackendError.from({ code: 42, message: 'x' }).code).toBe('internal');
    expect(BackendError.from(undefined).code).toBe('internal');
  });
});
