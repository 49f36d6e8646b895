'use strict';
// Stand-in for iconv-lite in the db-query bundle. mysql2 needs iconv-lite only for
// character sets Node's Buffer cannot decode itself. The runtime always negotiates
// utf8mb4, so the ~480 KB of code-page tables are left out; what remains is CESU-8
// (MySQL's 3-byte "utf8", used for handshake and metadata strings). A column in another
// character set fails loudly instead of decoding wrongly.
function unsupported(encoding) {
  const err = new Error(`character set '${encoding}' is not bundled in the db-query runtime (utf8mb4 only); convert the column to utf8mb4`);
  err.code = 'DB_CHARSET_UNSUPPORTED';
  return err;
}

function isCesu8(encoding) {
  return String(encoding).toLowerCase().replace(/[^a-z0-9]/g, '') === 'cesu8';
}

// CESU-8 is UTF-8 except that characters outside the BMP are two 3-byte surrogates.
function decodeCesu8(buf) {
  let out = '';
  for (let i = 0; i < buf.length;) {
    const b = buf[i];
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i += 1;
    } else if ((b & 0xe0) === 0xc0) {
      out += String.fromCharCode(((b & 0x1f) << 6) | (buf[i + 1] & 0x3f));
      i += 2;
    } else if ((b & 0xf0) === 0xe0) {
      out += String.fromCharCode(((b & 0x0f) << 12) | ((buf[i + 1] & 0x3f) << 6) | (buf[i + 2] & 0x3f));
      i += 3;
    } else {
      out += String.fromCodePoint(((b & 0x07) << 18) | ((buf[i + 1] & 0x3f) << 12) | ((buf[i + 2] & 0x3f) << 6) | (buf[i + 3] & 0x3f));
      i += 4;
    }
  }
  return out;
}

exports.getDecoder = (encoding) => {
  if (!isCesu8(encoding)) throw unsupported(encoding);
  return { write: decodeCesu8, end: () => undefined };
};
exports.getEncoder = (encoding) => {
  if (!isCesu8(encoding)) throw unsupported(encoding);
  // Identical to UTF-8 for the BMP, which is all a 3-byte charset can store.
  return { write: (string) => Buffer.from(string, 'utf8'), end: () => undefined };
};
exports.encodingExists = (encoding) => Buffer.isEncoding(encoding) || isCesu8(encoding);
exports.decode = (buffer, encoding) => (Buffer.isEncoding(encoding) ? buffer.toString(encoding) : exports.getDecoder(encoding).write(buffer));
exports.encode = (string, encoding) => (Buffer.isEncoding(encoding) ? Buffer.from(string, encoding) : exports.getEncoder(encoding).write(string));
