/** Tests for the accent-insensitive search used by the procedure picker and the dossier list. */
import { describe, expect, it } from 'vitest';
import { filterByQuery, fold, matches } from './fold';

const procedures = [
  { code: '1.001193', name: 'Đăng ký khai sinh' },
  { code: '1.000656', name: 'Đăng ký kết hôn' },
  { code: '2.000908', name: 'Chứng thực bản sao từ bản chính giấy tờ, văn bản' },
];
const fields = (p: { code: string; name: string }) => [p.code, p.name];

describe('fold', () => {
  it('removes tone and vowel marks and the stroke of đ', () => {
    expect(fold('Đăng ký khai sinh')).toBe('dang ky khai sinh');
    expect(fold('Nguyễn Thị Hồng Nhung')).toBe('nguyen thi hong nhung');
  });

  it('treats composed and decomposed input alike', () => {
    expect(fold('Nguye\u0302\u0303n')).toBe(fold('Nguyễn'));
  });

  it('collapses runs of whitespace', () => {
    expect(fold('  khai   sinh ')).toBe('khai sinh');
  });
});

describe('matches and filterByQuery', () => {
  it('finds "Đăng ký khai sinh" from an unaccented query', () => {
    expect(filterByQuery(procedures, 'dang ky khai sinh', fields).map((p) => p.code)).toEqual(['1.001193']);
  });

  it('finds a procedure by its code', () => {
    expect(filterByQuery(procedures, '1.000656', fields).map((p) => p.name)).toEqual(['Đăng ký kết hôn']);
  });

  it('matches words in any order and with accents in the query', () => {
    expect(matches('sinh KHAI', 'Đăng ký khai sinh')).toBe(true);
    expect(matches('kết hôn', 'Đăng ký kết hôn')).toBe(true);
  });

  it('returns every item for an empty query and none for a word that is absent', () => {
    expect(filterByQuery(procedures, '   ', fields)).toHaveLength(3);
    expect(filterByQuery(procedures, 'ly hon', fields)).toHaveLength(0);
  });

  it('does not match a word split across two fields', () => {
    expect(matches('193dang', '1.001193', 'Đăng ký khai sinh')).toBe(false);
  });
});
