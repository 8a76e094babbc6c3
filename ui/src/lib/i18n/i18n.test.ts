/** Tests that the vi and en tables stay in step and that every backend error code has text in both. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCALE, KNOWN_ERROR_CODES, LOCALES, TABLES, errorKey, isLocale, statusText, timelineText, translate } from './index';

describe('i18n tables', () => {
  it('have exactly the same keys in vi and en', () => {
    const viKeys = Object.keys(TABLES.vi).sort();
    const enKeys = Object.keys(TABLES.en).sort();
    expect(enKeys).toEqual(viKeys);
  });

  it('have no empty text and the same placeholders in both languages', () => {
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(TABLES.vi) as (keyof typeof TABLES.vi)[]) {
      for (const locale of LOCALES) expect(TABLES[locale][key].trim(), `${locale} ${key}`).not.toBe('');
      expect(placeholders(TABLES.en[key]), key).toEqual(placeholders(TABLES.vi[key]));
    }
  });

  it('give every known error code its own text in both languages', () => {
    for (const code of KNOWN_ERROR_CODES) {
      const key = errorKey(code);
      expect(key, code).toBe(`error.${code}`);
      for (const locale of LOCALES) expect(translate(locale, key).length, `${locale} ${code}`).toBeGreaterThan(0);
    }
  });

  it('map an unknown error code to the generic message', () => {
    expect(errorKey('no_such_code')).toBe('error.unknown');
  });

  it('default to Vietnamese and recognise only supported languages', () => {
    expect(DEFAULT_LOCALE).toBe('vi');
    expect(isLocale('en')).toBe(true);
    expect(isLocale('fr')).toBe(false);
    expect(isLocale(null)).toBe(false);
  });

  it('fill placeholders and leave unknown ones visible', () => {
    expect(translate('vi', 'list.created', { code: 'H56.01-261127-0001' })).toBe('Đã tiếp nhận hồ sơ H56.01-261127-0001.');
    expect(translate('en', 'list.created')).toBe('Dossier {code} received.');
  });

  it('translate status machine names and pass unknown ones through', () => {
    expect(statusText('vi', 'draft')).toBe('Đang tiếp nhận');
    expect(statusText('en', 'returned')).toBe('Result returned');
    expect(statusText('vi', 'mystery')).toBe('mystery');
  });
});

describe('timelineText', () => {
  it('translates known actions with their statuses and names unknown ones', () => {
    expect(timelineText('vi', { action: 'dossier.create', fromStatus: null, toStatus: null })).toBe('Tiếp nhận hồ sơ');
    expect(timelineText('vi', { action: 'dossier.status', fromStatus: 'draft', toStatus: 'ready' })).toBe(
      'Chuyển trạng thái: Đang tiếp nhận → Sẵn sàng ký',
    );
    expect(timelineText('en', { action: 'dossier.status', fromStatus: 'draft', toStatus: 'ready' })).toContain('→');
    expect(timelineText('vi', { action: 'dossier.sign', fromStatus: null, toStatus: null })).toBe('Thao tác dossier.sign');
  });

  it('name the portal payment and the sync\'s payment entries in both languages', () => {
    expect(translate('vi', 'dossiers.method.portal')).toBe('Thanh toán trực tuyến (qua cổng)');
    for (const action of ['sync.payment_conflict', 'sync.payment_unreadable', 'dossier.payment']) {
      for (const locale of LOCALES) {
        const text = timelineText(locale, { action, fromStatus: null, toStatus: null });
        expect(text, `${locale} ${action}`).not.toContain(action);
      }
    }
  });
});
