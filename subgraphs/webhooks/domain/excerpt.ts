/** What is kept of a response body: at most this many bytes of UTF-8. */
export const EXCERPT_BYTES = 1024;

/** The first EXCERPT_BYTES bytes, cut on a character boundary (a partial character is dropped). */
export function excerpt(text: string, maxBytes = EXCERPT_BYTES): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  // TextDecoder with fatal:false would add U+FFFD for a cut character; step back to a boundary instead.
  let end = maxBytes;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}
