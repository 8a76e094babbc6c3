/**
 * Renders a PDF's pages onto canvases with pdf.js. This module is only ever loaded with a dynamic
 * `import()` from the screen that shows a PDF, so pdf.js (about 1 MB with its worker) stays out of the
 * window's start-up bundle and out of memory until a receipt is shown. Eval is disabled (the app's CSP).
 */
import { GlobalWorkerOptions, getDocument } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

/** Draws every page of `bytes` into `container` (emptied first) at `scale`; returns the page count. */
export async function renderPdf(bytes: Uint8Array, container: HTMLElement, scale = 1.3): Promise<number> {
  // pdf.js takes ownership of the buffer it is given: pass a copy so the caller can keep its bytes.
  const task = getDocument({ data: bytes.slice(), isEvalSupported: false });
  const pdf = await task.promise;
  try {
    container.replaceChildren();
    for (let number = 1; number <= pdf.numPages; number += 1) {
      const page = await pdf.getPage(number);
      const viewport = page.getViewport({ scale });
      const canvas = document.createElement('canvas');
      canvas.width = Math.ceil(viewport.width);
      canvas.height = Math.ceil(viewport.height);
      canvas.dataset.page = String(number);
      container.append(canvas);
      await page.render({ canvas, viewport }).promise;
      page.cleanup();
    }
    return pdf.numPages;
  } finally {
    await pdf.destroy();
  }
}
