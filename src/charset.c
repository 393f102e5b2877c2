/* charset.c: bytes from mail, archives and CSV files to UTF-8, with the
 * Japanese charsets read the way Japanese Windows and mailers write them. */

#include <errno.h>
#include <string.h>

#include <glib.h>

#include "charset.h"

/* Names that mean Shift_JIS in practice; glibc's SHIFT_JIS rejects the NEC
 * and IBM extensions (①, ㈱, Roman numerals), CP932 has them. */
static const char *charset_sjis_names[] = {
	"shift_jis", "shift-jis", "sjis", "x-sjis", "windows-31j", "cp932",
	"ms932", "ms_kanji", "csshiftjis", "x-ms-cp932", NULL
};

const char *
charset_canonical(const char *charset)
{
	size_t	i;

	if (charset == NULL || *charset == '\0')
		return NULL;
	for (i = 0; charset_sjis_names[i] != NULL; i++) {
		if (g_ascii_strcasecmp(charset, charset_sjis_names[i]) == 0)
			return "CP932";
	}
	if (g_ascii_strncasecmp(charset, "iso-2022-jp", 11) == 0)
		return "ISO-2022-JP";
	if (g_ascii_strcasecmp(charset, "utf-8") == 0 ||
	    g_ascii_strcasecmp(charset, "utf8") == 0 ||
	    g_ascii_strcasecmp(charset, "unicode-1-1-utf-8") == 0)
		return "UTF-8";
	if (g_ascii_strcasecmp(charset, "us-ascii") == 0 ||
	    g_ascii_strcasecmp(charset, "ascii") == 0)
		return "UTF-8";		/* ASCII is UTF-8; 8-bit junk is guessed */
	if (g_ascii_strcasecmp(charset, "ks_c_5601-1987") == 0)
		return "CP949";
	if (g_ascii_strcasecmp(charset, "gb2312") == 0)
		return "GB18030";
	return charset;
}

/* Appends U+FFFD to out. */
static void
charset_replacement(GString *out)
{
	g_string_append(out, "\xef\xbf\xbd");
}

/*
 * Converts with iconv, replacing each byte that does not convert by U+FFFD.
 * Returns FALSE if iconv does not know the charset.  *bad counts the
 * replacements.
 */
static gboolean
charset_iconv(const char *bytes, size_t len, const char *from, GString *out,
    size_t *bad)
{
	GIConv	 cd;
	char	 buf[4096];
	char	*in = (char *)bytes, *o;
	size_t	 inleft = len, oleft, r;

	cd = g_iconv_open("UTF-8", from);
	if (cd == (GIConv)-1)
		return FALSE;
	while (inleft > 0) {
		o = buf;
		oleft = sizeof buf;
		r = g_iconv(cd, &in, &inleft, &o, &oleft);
		g_string_append_len(out, buf, o - buf);
		if (r != (size_t)-1)
			continue;
		if (errno == E2BIG)
			continue;
		/* EILSEQ or EINVAL (truncated at the end): skip a byte. */
		charset_replacement(out);
		(*bad)++;
		in++;
		inleft--;
		g_iconv(cd, NULL, NULL, NULL, NULL);
	}
	o = buf;
	oleft = sizeof buf;
	g_iconv(cd, NULL, NULL, &o, &oleft);
	g_string_append_len(out, buf, o - buf);
	g_iconv_close(cd);
	return TRUE;
}

/*
 * ISO-2022-JP (and its -1, -2, -3 relatives as far as JIS X 0208 and
 * half-width kana go) rewritten as CP932 bytes: JIS X 0208 rows map to
 * Shift_JIS arithmetically, which keeps the NEC row-13 extensions.
 */
static GString *
charset_jis_to_sjis(const char *s, size_t len)
{
	GString		*out = g_string_sized_new(len);
	enum { ASCII, KANJI, KANA } mode = ASCII;
	size_t		 i = 0;
	unsigned char	 c, j1, j2, s1, s2;

	while (i < len) {
		c = (unsigned char)s[i];
		if (c == 0x1b && i + 2 < len) {
			if (s[i + 1] == '$' && (s[i + 2] == 'B' ||
			    s[i + 2] == '@')) {
				mode = KANJI;
				i += 3;
				continue;
			}
			if (s[i + 1] == '$' && s[i + 2] == '(' && i + 3 < len) {
				mode = KANJI;	/* JIS X 0208/0213 plane 1 */
				i += 4;
				continue;
			}
			if (s[i + 1] == '(' && (s[i + 2] == 'B' ||
			    s[i + 2] == 'J' || s[i + 2] == 'H')) {
				mode = ASCII;
				i += 3;
				continue;
			}
			if (s[i + 1] == '(' && s[i + 2] == 'I') {
				mode = KANA;
				i += 3;
				continue;
			}
		}
		if (c == 0x0e) {		/* SO: kana */
			mode = KANA;
			i++;
			continue;
		}
		if (c == 0x0f) {		/* SI */
			mode = ASCII;
			i++;
			continue;
		}
		if (c == '\n' || c == '\r') {	/* lines reset to ASCII */
			mode = ASCII;
			g_string_append_c(out, (char)c);
			i++;
			continue;
		}
		if (mode == KANJI && i + 1 < len && c >= 0x21 && c <= 0x7e &&
		    (unsigned char)s[i + 1] >= 0x21 &&
		    (unsigned char)s[i + 1] <= 0x7e) {
			j1 = c;
			j2 = (unsigned char)s[i + 1];
			s1 = (unsigned char)(((j1 + 1) >> 1) +
			    (j1 <= 0x5e ? 0x70 : 0xb0));
			if (j1 & 1)
				s2 = (unsigned char)(j2 + (j2 >= 0x60 ? 0x20 : 0x1f));
			else
				s2 = (unsigned char)(j2 + 0x7e);
			g_string_append_c(out, (char)s1);
			g_string_append_c(out, (char)s2);
			i += 2;
			continue;
		}
		if (mode == KANA && c >= 0x21 && c <= 0x5f) {
			g_string_append_c(out, (char)(c + 0x80));
			i++;
			continue;
		}
		g_string_append_c(out, (char)c);
		i++;
	}
	return out;
}

/* Copies valid UTF-8, replacing invalid sequences by U+FFFD. */
static char *
charset_utf8_valid(const char *bytes, size_t len)
{
	GString		*out = g_string_sized_new(len);
	const char	*end;

	while (len > 0) {
		if (g_utf8_validate(bytes, (gssize)len, &end)) {
			g_string_append_len(out, bytes, (gssize)len);
			break;
		}
		g_string_append_len(out, bytes, end - bytes);
		len -= (size_t)(end - bytes);
		bytes = end;
		if (len > 0 && *bytes == '\0') {
			/* NUL bytes are dropped: C strings carry the text. */
			bytes++;
			len--;
			continue;
		}
		charset_replacement(out);
		bytes++;
		len--;
	}
	return g_string_free(out, FALSE);
}

/*
 * What iconv wrote, made text: NUL bytes (which no text here may carry)
 * dropped, and what is not UTF-8 replaced.  glibc's decoders of UTF-8 and
 * UCS-4 pass code points above U+10FFFF, which UTF-8 does not have.
 */
static char *
charset_valid(GString *s)
{
	char	*text = charset_utf8_valid(s->str, s->len);

	g_string_free(s, TRUE);
	return text;
}

char *
charset_to_utf8(const char *bytes, size_t len, const char *charset)
{
	const char	*name = charset_canonical(charset);
	GString		*out, *sjis;
	size_t		 bad = 0;

	/* No bytes may come as NULL (the data of an empty GByteArray). */
	if (len == 0)
		return g_strdup("");
	if (name == NULL)
		return charset_guess_utf8(bytes, len);
	if (strcmp(name, "UTF-8") == 0) {
		if (g_utf8_validate(bytes, (gssize)len, NULL) &&
		    memchr(bytes, '\0', len) == NULL)
			return g_strndup(bytes, len);
		return charset_guess_utf8(bytes, len);
	}
	out = g_string_sized_new(len + len / 2);
	if (strcmp(name, "ISO-2022-JP") == 0) {
		sjis = charset_jis_to_sjis(bytes, len);
		charset_iconv(sjis->str, sjis->len, "CP932", out, &bad);
		g_string_free(sjis, TRUE);
		return charset_valid(out);
	}
	if (!charset_iconv(bytes, len, name, out, &bad)) {
		/* An unknown charset: guess instead. */
		g_string_free(out, TRUE);
		return charset_guess_utf8(bytes, len);
	}
	return charset_valid(out);
}

char *
charset_guess_utf8(const char *bytes, size_t len)
{
	GString	*out;
	size_t	 bad = 0, i;

	if (len == 0)
		return g_strdup("");
	if (len >= 3 && memcmp(bytes, "\xef\xbb\xbf", 3) == 0) {
		bytes += 3;
		len -= 3;
	}
	/* Escape sequences of JIS X 0208: ISO-2022-JP without a label. */
	for (i = 0; i + 2 < len; i++) {
		if (bytes[i] == 0x1b && bytes[i + 1] == '$' &&
		    (bytes[i + 2] == 'B' || bytes[i + 2] == '@'))
			return charset_to_utf8(bytes, len, "ISO-2022-JP");
	}
	if (g_utf8_validate(bytes, (gssize)len, NULL))
		return charset_utf8_valid(bytes, len);
	out = g_string_sized_new(len * 2);
	if (charset_iconv(bytes, len, "CP932", out, &bad) && bad == 0)
		return charset_valid(out);
	g_string_truncate(out, 0);
	bad = 0;
	charset_iconv(bytes, len, "ISO-8859-1", out, &bad);
	return charset_valid(out);
}
