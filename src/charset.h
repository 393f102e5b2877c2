/* charset.h: turning bytes in a declared or guessed charset into UTF-8. */
#ifndef CHARSET_H
#define CHARSET_H

#include <stddef.h>

#include <glib.h>

/*
 * Converts len bytes declared as charset (NULL or "" to guess) to UTF-8.
 * Never fails: bytes that do not convert become U+FFFD, unless they are
 * mislabelled and one of the four charsets of charset_guess converts them
 * cleanly.  Shift_JIS and its aliases are read as CP932, EUC-JP as
 * EUC-JP or EUC-JP-MS, ISO-2022-JP through JIS-to-SJIS, so that the NEC
 * and IBM extensions survive.  Free with g_free.
 */
char	*charset_to_utf8(const char *bytes, size_t len, const char *charset);

/*
 * Names the charset of undeclared bytes as a Japanese reader would:
 * "ISO-2022-JP" (7-bit with its escape sequences), "UTF-8" (valid),
 * else whichever of "CP932" and "EUC-JP" converts without error, both
 * scored by how Japanese the text looks when both do.  NULL when none of
 * the four converts cleanly.
 */
const char *charset_guess(const char *bytes, size_t len);

/* Converts undeclared bytes by charset_guess, else as ISO-8859-1 (which
 * converts every byte).  A UTF-8 byte order mark is dropped. */
char	*charset_guess_utf8(const char *bytes, size_t len);

/* Does nintei know how to read charset? */
int	 charset_known(const char *charset);

/* Do the bytes convert from charset without one replacement? */
int	 charset_converts(const char *bytes, size_t len, const char *charset);

/* Does ISO-2022-JP text end shifted out of ASCII, between characters? */
int	 charset_jis_shifted(const char *bytes, size_t len);

/*
 * Adds to names (of strings, freed by the array) each charset name the raw
 * bytes of a message name, once, in the order met, up to max: after
 * "charset=", in encoded words ("=?NAME?") and in RFC 2231 values
 * ("*=NAME'"); names longer than 40 bytes or of other bytes than letters,
 * digits and ".:_+-" are skipped.  A scan, not a parse: what the parser
 * may meet, for the zygote to load.
 */
void	 charset_names(const char *data, size_t len, GPtrArray *names,
	    unsigned int max);

/* Returns the name iconv should use for a MIME charset name. */
const char *charset_canonical(const char *charset);

#endif
