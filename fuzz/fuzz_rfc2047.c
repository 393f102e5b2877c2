/* fuzz_rfc2047.c: header text: any bytes decode to UTF-8 on one line (as
 * a MIME parameter too), and valid UTF-8 survives the round trip through
 * our encoder and decoder: decode(encode(s)) is clean(s), up to runs of
 * blanks (the encoder makes one blank of those between words). */

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "charset.h"
#include "fuzz.h"
#include "rfc2047.h"

/* Runs of blanks as one blank, none at the ends. */
static char *
fuzz_rfc2047_blanks(const char *s)
{
	GString		*out = g_string_new(NULL);
	const char	*p;

	for (p = s; *p != '\0'; p++) {
		if (*p != ' ' && *p != '\t')
			g_string_append_c(out, *p);
		else if (out->len > 0 && out->str[out->len - 1] != ' ')
			g_string_append_c(out, ' ');
	}
	return g_strstrip(g_string_free(out, FALSE));
}

/* What the round trip should give for s, up to blanks: s without CR, LF
 * and NUL, a leading byte order mark dropped. */
static char *
fuzz_rfc2047_expect(const char *s)
{
	char	*clean, *valid, *out;

	clean = rfc2047_clean(s);
	valid = charset_guess_utf8(clean, strlen(clean));
	out = fuzz_rfc2047_blanks(valid);
	g_free(valid);
	g_free(clean);
	return out;
}

/* Every encoded word we write fits RFC 2047's 75 characters. */
static void
fuzz_rfc2047_words(const char *enc)
{
	char	**tok;
	size_t	  i;

	tok = g_strsplit_set(enc, " \n", -1);
	for (i = 0; tok[i] != NULL; i++) {
		if (g_str_has_prefix(tok[i], "=?"))
			FUZZ_ASSERT(strlen(tok[i]) <= 75);
	}
	g_strfreev(tok);
}

int
FUZZ_ONE(rfc2047)(const uint8_t *data, size_t len)
{
	char	*raw, *dec, *enc, *back, *got, *want;
	size_t	 name_len;

	if (len == 0)
		return 0;
	/* The first byte is the width of the field name, "Subject: " is 9. */
	name_len = data[0] % 40;
	raw = g_strndup((const char *)data + 1, len - 1);
	dec = rfc2047_decode(raw);
	FUZZ_ASSERT(g_utf8_validate(dec, -1, NULL));
	FUZZ_ASSERT(strchr(dec, '\n') == NULL && strchr(dec, '\r') == NULL);
	g_free(dec);
	/* A MIME parameter (RFC 2231 sections, quoted words): text too. */
	if ((dec = rfc2047_param(raw, "filename")) != NULL) {
		FUZZ_ASSERT(g_utf8_validate(dec, -1, NULL));
		FUZZ_ASSERT(strchr(dec, '\n') == NULL);
		g_free(dec);
	}

	if (g_utf8_validate(raw, -1, NULL)) {
		enc = rfc2047_encode(raw, name_len);
		fuzz_rfc2047_words(enc);
		back = rfc2047_decode(enc);
		got = fuzz_rfc2047_blanks(back);
		want = fuzz_rfc2047_expect(raw);
		if (strcmp(got, want) != 0)
			fprintf(stderr, "encoded \"%s\"\ndecoded \"%s\"\n"
			    "wanted  \"%s\"\n", enc, back, want);
		FUZZ_ASSERT(strcmp(got, want) == 0);
		g_free(want);
		g_free(got);
		g_free(back);
		g_free(enc);
		/* ISO-2022-JP words: when the text fits, each fits 75. */
		if ((enc = rfc2047_encode_jis(raw, name_len)) != NULL) {
			fuzz_rfc2047_words(enc);
			back = rfc2047_decode(enc);
			FUZZ_ASSERT(g_utf8_validate(back, -1, NULL));
			g_free(back);
			g_free(enc);
		}
	}
	g_free(raw);
	return 0;
}
