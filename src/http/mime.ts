/** @module Media types for files (layer L1): a table of common extensions and the charset rule for text types. */

const TYPES: Record<string, string> = {
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  js: 'text/javascript',
  mjs: 'text/javascript',
  json: 'application/json',
  map: 'application/json',
  xml: 'application/xml',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  ics: 'text/calendar',
  vtt: 'text/vtt',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  ico: 'image/vnd.microsoft.icon',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  wav: 'audio/wav',
  flac: 'audio/flac',
  m4a: 'audio/mp4',
  mp4: 'video/mp4',
  webm: 'video/webm',
  ogv: 'video/ogg',
  mov: 'video/quicktime',
  pdf: 'application/pdf',
  zip: 'application/zip',
  gz: 'application/gzip',
  tar: 'application/x-tar',
  wasm: 'application/wasm',
  webmanifest: 'application/manifest+json',
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  epub: 'application/epub+zip',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  bin: 'application/octet-stream',
};

/**
 * The media type for a file name by its extension, `application/octet-stream` when unknown.
 *
 * @example
 * mimeTypeFor('report.PDF');  // 'application/pdf'
 * mimeTypeFor('archive.xyz'); // 'application/octet-stream'
 */
export function mimeTypeFor(filename: string): string {
  const dot = filename.lastIndexOf('.');
  if (dot < 0 || dot < filename.lastIndexOf('/')) return 'application/octet-stream';
  return TYPES[filename.slice(dot + 1).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * A Content-Type value for a media type: UTF-8 charset added for text types, as Werkzeug's `get_content_type`
 * (`text/*`, `+xml`, JSON-less XML and JavaScript types).
 *
 * @example
 * contentTypeFor('text/html');        // 'text/html; charset=utf-8'
 * contentTypeFor('application/json'); // 'application/json'
 */
export function contentTypeFor(mimetype: string, charset = 'utf-8'): string {
  if (mimetype.includes(';')) return mimetype;
  const textual =
    mimetype.startsWith('text/') ||
    mimetype.endsWith('+xml') ||
    mimetype === 'application/xml' ||
    mimetype === 'application/javascript' ||
    mimetype === 'application/ecmascript';
  return textual ? `${mimetype}; charset=${charset}` : mimetype;
}
