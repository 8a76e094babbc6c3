/** The verifier's English messages in Vietnamese, with names and dates carried over; unknown ones unchanged. */
import { describe, expect, it } from 'vitest';
import { verifierMessage } from './verify-messages';

describe('verifierMessage', () => {
  it('translates the tampering message and revocation warnings', () => {
    expect(verifierMessage('vi', 'the document digest does not match the signed digest')).toEqual({
      text: 'Nội dung tài liệu đã bị thay đổi sau khi ký (mã băm không khớp).',
      translated: true,
    });
    expect(verifierMessage('vi', 'revocation not checked').text).toMatch(/thu hồi/);
  });

  it('carries certificate names and dates into the translation', () => {
    const revoked = verifierMessage('vi', 'certificate “Nguyễn Văn An” was revoked on 2026-01-02T00:00:00+00:00');
    expect(revoked.text).toBe('Chứng thư “Nguyễn Văn An” đã bị thu hồi ngày 2026-01-02T00:00:00+00:00.');
    expect(verifierMessage('en', 'changes after signing are not allowed by DocMDP P=1').text).toContain('P=1');
  });

  it('leaves unknown messages as they are', () => {
    expect(verifierMessage('vi', 'something new')).toEqual({ text: 'something new', translated: false });
  });
});
