import { escapeHtml } from '../../src/web/html';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * Every e-mail of the service is laid out alike: Russian first, the same in English below it,
 * since the service does not know which language its reader chose on the site. Each paragraph
 * may hold line breaks (a booking's details are one paragraph of several lines).
 */
export function bilingualEmail(subject: string, russian: string[], english: string[]): RenderedEmail {
  const text = `${russian.join('\n\n')}\n\n— English —\n\n${english.join('\n\n')}\n`;
  const paragraphs = (lines: string[]) => lines.map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`).join('');
  const html = `<!doctype html><html lang="ru"><body>${paragraphs(russian)}<hr><div lang="en" style="color:#555">${paragraphs(english)}</div></body></html>`;
  return { subject, text, html };
}
