/**
 * The quiet badge a page thumbnail carries when the clerk kept a cleanup mode for it (the preview's "Dùng
 * cho trang này"): the i18n key of its short label, or `null` for `auto` (the default needs no sign).
 */
import type { PageCleanup } from '../backend';
import type { MessageKey } from '../i18n/vi';

const LABELS: Record<Exclude<PageCleanup, 'auto'>, MessageKey> = {
  color: 'capture.cleanup.color',
  gray: 'capture.cleanup.gray',
  bw: 'capture.cleanup.bw',
  original: 'capture.cleanup.original',
};

/** The label key of a kept cleanup mode, `null` when the page follows the automatic cleanup. */
export function cleanupBadge(cleanup: PageCleanup): MessageKey | null {
  return cleanup === 'auto' ? null : LABELS[cleanup];
}
