/* rfc2047.h: header text in and out: encoded words decoded the way
 * Japanese mailers write them, and encoded safely for our letters. */
#ifndef RFC2047_H
#define RFC2047_H

#include <stddef.h>

/*
 * Decodes a raw (possibly folded) header value to UTF-8.  Adjacent encoded
 * words of one charset are joined as bytes before conversion, so a
 * character split across words survives; 8-bit text outside encoded words
 * is taken as UTF-8 (RFC 6532) or guessed.  A fold (CR, LF and the blanks
 * after it) becomes one blank.  Never NULL; free with g_free.
 */
char	*rfc2047_decode(const char *raw);

/*
 * Encodes UTF-8 header text for a field whose name (with the colon) takes
 * name_len columns: ASCII words stay as they are, runs with non-ASCII text
 * become B-encoded UTF-8 words of at most 75 characters, lines are folded
 * before 78 columns with CRLF+space... written as "\n " (the writer turns
 * LF into CRLF).  CR and LF in the input become blanks first, as
 * rfc2047_clean does; the blanks between words become one blank each (those
 * inside a run of encoded text are kept).
 */
char	*rfc2047_encode(const char *utf8, size_t name_len);

/*
 * As rfc2047_encode, with B-encoded ISO-2022-JP words that each return to
 * ASCII (RFC 1468), for letters in ISO-2022-JP.  NULL if the text holds a
 * character outside JIS X 0208 (①, ㈱, 髙, ～, half-width kana).
 */
char	*rfc2047_encode_jis(const char *utf8, size_t name_len);

/*
 * The value of parameter name (lower case) of a raw MIME header value
 * (Content-Type, Content-Disposition), decoded to UTF-8: RFC 2231 forms
 * (name*=charset'lang'..., name*0*=..., name*1=... in any order) first,
 * else the plain value, with encoded words inside its quotes decoded (an
 * encoded word split across name*0 and name*1 as well) and 8-bit bytes
 * guessed.  NULL when the header has no such parameter.
 */
char	*rfc2047_param(const char *raw, const char *name);

/* Copies s without CR, LF or NUL (each CR/LF run becomes one space). */
char	*rfc2047_clean(const char *s);

#endif
