/* charset.h: turning bytes in a declared or guessed charset into UTF-8. */
#ifndef CHARSET_H
#define CHARSET_H

#include <stddef.h>

/*
 * Converts len bytes declared as charset (NULL or "" to guess) to UTF-8.
 * Never fails: bytes that do not convert become U+FFFD.  Shift_JIS and its
 * aliases are read as CP932, ISO-2022-JP through JIS-to-SJIS so that the
 * NEC and IBM extensions survive.  Free with g_free.
 */
char	*charset_to_utf8(const char *bytes, size_t len, const char *charset);

/* Guesses: valid UTF-8 as is, else CP932 if it converts cleanly, else
 * ISO-8859-1.  A UTF-8 byte order mark is dropped. */
char	*charset_guess_utf8(const char *bytes, size_t len);

/* Returns the name iconv should use for a MIME charset name. */
const char *charset_canonical(const char *charset);

#endif
