/** Tests of the CCCD card → reception form mapping. */
import { describe, expect, it } from 'vitest';
import { cardToFields, isoToDayMonthYear, overwrittenFields } from './cccd';

const card = {
  citizenId: '001190012345',
  oldId: '123456789',
  fullName: 'Nguyễn Thị Hồng Nhung',
  dateOfBirth: '1990-03-02',
  sex: 'Nữ',
  address: 'Số 1 Tràng Tiền, phường Tràng Tiền, Hà Nội',
  issuedOn: '2021-08-15',
};

describe('CCCD to form', () => {
  it('fills name, ID, birth date as dd/mm/yyyy and address', () => {
    expect(cardToFields(card)).toEqual({
      fullName: 'Nguyễn Thị Hồng Nhung',
      citizenId: '001190012345',
      dateOfBirth: '02/03/1990',
      address: 'Số 1 Tràng Tiền, phường Tràng Tiền, Hà Nội',
    });
  });

  it('leaves a date it does not recognise as it is', () => {
    expect(isoToDayMonthYear('02031990')).toBe('02031990');
  });

  it('names only fields typed differently by the clerk', () => {
    const fields = cardToFields(card);
    expect(overwrittenFields({ fullName: '', citizenId: '001190012345 ' }, fields)).toEqual([]);
    expect(overwrittenFields({ fullName: 'Nguyễn Văn A', address: 'Huế' }, fields)).toEqual(['fullName', 'address']);
  });
});
