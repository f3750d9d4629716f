/** @module HTML escaping for the few places the toolkit writes HTML itself: error pages and redirects (layer L1). */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

/**
 * Escapes `& < > " '` so text can go into HTML content or a quoted attribute, as markupsafe does.
 *
 * @example
 * escapeHtml('<b>"hi"</b>'); // '&lt;b&gt;&#34;hi&#34;&lt;/b&gt;'
 */
export function escapeHtml(text: string): string {
  return /[&<>"']/.test(text) ? text.replace(/[&<>"']/g, (char) => ESCAPES[char]!) : text;
}
