/**
 * Vietnamese (and English) wording of the verifier's technical messages. The core's verifier
 * (`src/verify/`) writes its per-signature problems in English, as `motcua verify` prints them; the
 * supervisor reads them in the app's language. Each known message shape is a pattern; its captures
 * (certificate names, dates) are carried into the translation. Unknown messages are shown as they are.
 */
import type { Locale } from '../lib/i18n';

type Rule = { pattern: RegExp; vi: string; en: string };

const RULES: Rule[] = [
  { pattern: /^the document digest does not match the signed digest$/, vi: 'Nội dung tài liệu đã bị thay đổi sau khi ký (mã băm không khớp).', en: 'The document was changed after signing (digest mismatch).' },
  { pattern: /^the SHA-1 of the document does not match the signed content$/, vi: 'Nội dung tài liệu đã bị thay đổi sau khi ký (mã băm SHA-1 không khớp).', en: 'The document was changed after signing (SHA-1 mismatch).' },
  { pattern: /^revocation not checked$/, vi: 'Chưa kiểm tra được tình trạng thu hồi chứng thư (thiếu CRL).', en: 'Certificate revocation could not be checked (no CRL).' },
  { pattern: /^the signing time is claimed by the signer, not time-stamped$/, vi: 'Thời điểm ký do người ký tự khai, không có dấu thời gian.', en: 'The signing time is claimed by the signer, with no time-stamp.' },
  { pattern: /^the file has no signatures$/, vi: 'Tệp không có chữ ký số.', en: 'The file has no digital signature.' },
  { pattern: /^not a readable PDF: (.*)$/, vi: 'Không đọc được tệp PDF: {1}', en: 'Not a readable PDF: {1}' },
  { pattern: /^certificate “(.+)” was revoked on (.+)$/, vi: 'Chứng thư “{1}” đã bị thu hồi ngày {2}.', en: 'Certificate “{1}” was revoked on {2}.' },
  { pattern: /^certificate “(.+)” had expired at the signing time$/, vi: 'Chứng thư “{1}” đã hết hạn tại thời điểm ký.', en: 'Certificate “{1}” had expired at the signing time.' },
  { pattern: /^certificate “(.+)” was not yet valid at the signing time$/, vi: 'Chứng thư “{1}” chưa có hiệu lực tại thời điểm ký.', en: 'Certificate “{1}” was not yet valid at the signing time.' },
  { pattern: /^certificate “(.+)” may not be used for (.+) \(key usage\)$/, vi: 'Chứng thư “{1}” không được phép dùng để {2} (key usage).', en: 'Certificate “{1}” may not be used for {2} (key usage).' },
  { pattern: /^the signature time-stamp is not valid or not trusted$/, vi: 'Dấu thời gian của chữ ký không hợp lệ hoặc không tin cậy.', en: 'The signature time-stamp is not valid or not trusted.' },
  { pattern: /^SHA-1 is too weak to rely on \(weak algorithm\)$/, vi: 'Thuật toán SHA-1 quá yếu, không đủ tin cậy.', en: 'SHA-1 is too weak to rely on.' },
  { pattern: /^changes after signing are not allowed by DocMDP P=(\d)$/, vi: 'Tài liệu bị thay đổi sau khi ký, trái với quyền chứng nhận (DocMDP P={1}).', en: 'Changes after signing are not allowed by the certification (DocMDP P={1}).' },
  { pattern: /^the document was changed after signing in a way that is not allowed$/, vi: 'Tài liệu bị thay đổi sau khi ký theo cách không được phép.', en: 'The document was changed after signing in a way that is not allowed.' },
  { pattern: /^\/ByteRange lies outside the file$/, vi: 'Vùng ký (/ByteRange) nằm ngoài tệp: tệp đã bị cắt hoặc sửa.', en: 'The signed range (/ByteRange) lies outside the file: the file was cut or edited.' },
  { pattern: /^a signature of the revision ending at byte (\d+) .* was removed or replaced by a later revision$/, vi: 'Một chữ ký của phiên bản kết thúc ở byte {1} đã bị xoá hoặc thay thế ở phiên bản sau.', en: 'A signature of the revision ending at byte {1} was removed or replaced by a later revision.' },
  { pattern: /^the signer's certificate is not in the signature$/, vi: 'Chữ ký không chứa chứng thư của người ký.', en: "The signer's certificate is not in the signature." },
];

/** The message in `locale`, and whether it was translated (the original is then worth showing too). */
export function verifierMessage(locale: Locale, message: string): { text: string; translated: boolean } {
  for (const rule of RULES) {
    const match = rule.pattern.exec(message);
    if (match) {
      const text = rule[locale].replace(/\{(\d)\}/g, (_, n: string) => match[Number(n)] ?? '');
      return { text, translated: true };
    }
  }
  return { text: message, translated: false };
}
