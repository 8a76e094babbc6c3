/**
 * The capture screen's typed import paths: the text field takes several file paths separated by `;` or
 * new lines (pasted from a file manager); blanks around them and empty entries are dropped.
 */

/** The file paths typed in `text`, in order. */
export function splitPaths(text: string): string[] {
  return text
    .split(/[\n;]/)
    .map((p) => p.trim())
    .filter(Boolean);
}
