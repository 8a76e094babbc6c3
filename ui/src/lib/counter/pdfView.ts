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

/** What `renderPage` drew: the document's page count, and the page's size in points and the scale used. */
export interface RenderedPage {
  pages: number;
  width: number;
  height: number;
  scale: number;
}

/**
 * Draws page `number` (capped to the document's pages) of `bytes` onto `canvas`, `widthPx` wide, in the
 * page's unrotated user space (its /Rotate ignored), the space a signature widget's /Rect is in: the Ký
 * số screen places the stamp box over it.
 */
export async function renderPage(bytes: Uint8Array, canvas: HTMLCanvasElement, number: number, widthPx: number): Promise<RenderedPage> {
  const pdf = await getDocument({ data: bytes.slice(), isEvalSupported: false }).promise;
  try {
    const page = await pdf.getPage(Math.min(Math.max(1, number), pdf.numPages));
    const unit = page.getViewport({ scale: 1, rotation: 0 });
    const scale = widthPx / unit.width;
    const viewport = page.getViewport({ scale, rotation: 0 });
    canvas.width = Math.ceil(viewport.width);
    canvas.height = Math.ceil(viewport.height);
    await page.render({ canvas, viewport }).promise;
    page.cleanup();
    return { pages: pdf.numPages, width: unit.width, height: unit.height, scale };
  } finally {
    await pdf.destroy();
  }
}
