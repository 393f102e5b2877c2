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
	"ms932", "ms_kanji", "csshiftjis", "x-ms-cp932", "x-shift_jis",
	"x-shift-jis", "csWindows31J", NULL
};

/* Names of EUC-JP (read as EUC-JP, else as Microsoft's EUC-JP-MS). */
static const char *charset_euc_names[] = {
	"euc-jp", "eucjp", "x-euc-jp", "x-euc", "ujis", "eucjp-ms",
	"euc-jp-ms", "eucjpms", "cseucpkdfmtjapanese", NULL
};

/* Names of ISO-2022-JP and Microsoft's forms of it (CP50220-50222 add
 * the NEC and IBM rows, which nintei's JIS-to-CP932 path reads). */
static const char *charset_jis_names[] = {
	"csiso2022jp", "cp50220", "cp50221", "cp50222", "jis",
	"x-cp50220", "x-cp50221", "x-cp50222", NULL
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
	for (i = 0; charset_euc_names[i] != NULL; i++) {
		if (g_ascii_strcasecmp(charset, charset_euc_names[i]) == 0)
			return "EUC-JP";
	}
	for (i = 0; charset_jis_names[i] != NULL; i++) {
		if (g_ascii_strcasecmp(charset, charset_jis_names[i]) == 0)
			return "ISO-2022-JP";
	}
	/* ISO-2022-JP, -1, -2, -3, -MS... */
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

/* Adds the charset name at p (up to stop), unless seen or not a name. */
static void
charset_name_at(const char *p, const char *stop, GPtrArray *names)
{
	const char	*q;
	char		*name;
	guint		 i;

	if (p < stop && *p == '"')
		p++;
	for (q = p; q < stop && q - p <= 40 && (g_ascii_isalnum(*q) ||
	    strchr(".:_+-", *q) != NULL); q++)
		;
	if (q == p || q - p > 40)
		return;
	for (i = 0; i < names->len; i++) {
		name = g_ptr_array_index(names, i);
		if (strlen(name) == (size_t)(q - p) &&
		    g_ascii_strncasecmp(name, p, (gsize)(q - p)) == 0)
			return;
	}
	g_ptr_array_add(names, g_strndup(p, (gsize)(q - p)));
}

void
charset_names(const char *data, size_t len, GPtrArray *names,
    unsigned int max)
{
	const char	*p = data, *stop = data + len, *eq;

	while (names->len < max && p < stop &&
	    (eq = memchr(p, '=', (size_t)(stop - p))) != NULL) {
		if (eq + 1 < stop && eq[1] == '?')
			charset_name_at(eq + 2, stop, names);
		else if ((eq > data && eq[-1] == '*') || (eq - data >= 7 &&
		    g_ascii_strncasecmp(eq - 7, "charset", 7) == 0))
			charset_name_at(eq + 1, stop, names);
		p = eq + 1;
	}
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

/* Does any byte have its high bit set? */
static int
charset_has_8bit(const char *bytes, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if ((unsigned char)bytes[i] >= 0x80)
			return 1;
	}
	return 0;
}

/*
 * Converts with the iconv name (or nintei's own path for ISO-2022-JP, and
 * EUC-JP-MS when plain EUC-JP fails) into out; FALSE if the charset is
 * unknown.  *bad counts the bytes that did not convert.
 */
static gboolean
charset_convert(const char *bytes, size_t len, const char *name,
    GString *out, size_t *bad)
{
	GString	*sjis;

	if (strcmp(name, "ISO-2022-JP") == 0) {
		sjis = charset_jis_to_sjis(bytes, len);
		charset_iconv(sjis->str, sjis->len, "CP932", out, bad);
		g_string_free(sjis, TRUE);
		return TRUE;
	}
	if (!charset_iconv(bytes, len, name, out, bad))
		return FALSE;
	if (*bad > 0 && strcmp(name, "EUC-JP") == 0) {
		/* The NEC and IBM extensions as Microsoft's EUC-JP has them. */
		g_string_truncate(out, 0);
		*bad = 0;
		charset_iconv(bytes, len, "EUC-JP-MS", out, bad);
	}
	return TRUE;
}

char *
charset_to_utf8(const char *bytes, size_t len, const char *charset)
{
	const char	*name = charset_canonical(charset), *guess;
	GString		*out;
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
	/* "ISO-2022-JP" on 8-bit text without one escape: mislabelled. */
	if (strcmp(name, "ISO-2022-JP") == 0 && memchr(bytes, 0x1b, len) ==
	    NULL && charset_has_8bit(bytes, len))
		return charset_guess_utf8(bytes, len);
	out = g_string_sized_new(len + len / 2);
	if (!charset_convert(bytes, len, name, out, &bad)) {
		/* An unknown charset: guess instead. */
		g_string_free(out, TRUE);
		return charset_guess_utf8(bytes, len);
	}
	/* Mislabelled (Shift_JIS sent as ISO-2022-JP, UTF-8 as Shift_JIS):
	 * one of the four that converts cleanly beats replacement marks. */
	if (bad > 0 && (guess = charset_guess(bytes, len)) != NULL &&
	    strcmp(guess, name) != 0) {
		g_string_free(out, TRUE);
		return charset_guess_utf8(bytes, len);
	}
	return charset_valid(out);
}

/*
 * How Japanese EUC-JP bytes look: kana and common kanji score high, rare
 * kanji, JIS X 0212 and the user-defined rows low.  Scores are compared
 * with charset_score_sjis on the same bytes.
 */
static long
charset_score_euc(const unsigned char *s, size_t len)
{
	long	score = 0;
	size_t	i = 0;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] == 0x8e) {		/* half-width kana */
			score += 1;
			i += 2;
			continue;
		}
		if (s[i] == 0x8f) {		/* JIS X 0212: rare */
			score -= 2;
			i += 3;
			continue;
		}
		if (s[i] == 0xa1 || s[i] == 0xa3)	/* 、。・ー, Ａ１ */
			score += 1;
		else if (s[i] == 0xa4 || s[i] == 0xa5)	/* kana */
			score += 4;
		else if (s[i] >= 0xa9 && s[i] <= 0xaf)	/* NEC row 13 */
			score -= 2;
		else if (s[i] >= 0xb0 && s[i] <= 0xcf)	/* level 1 kanji */
			score += 2;
		else if (s[i] >= 0xd0 && s[i] <= 0xf4)	/* level 2 kanji */
			score -= 1;
		else if (s[i] >= 0xf5)			/* user-defined */
			score -= 4;
		i += 2;
	}
	return score;
}

/* How Japanese CP932 bytes look, on the scale of charset_score_euc:
 * EUC-JP read as CP932 is mostly half-width punctuation and kana. */
static long
charset_score_sjis(const unsigned char *s, size_t len)
{
	long		score = 0;
	size_t		i = 0;
	unsigned int	c;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xa1 && s[i] <= 0xa5) {	/* ｡｢｣､･ */
			score -= 2;
			i++;
			continue;
		}
		if (s[i] >= 0xa6 && s[i] <= 0xdf) {
			/* Half-width kana: the long vowel and the voicing
			 * marks are the surest sign of real ones. */
			if (s[i] == 0xb0 || s[i] == 0xde || s[i] == 0xdf)
				score += 2;
			else if (s[i] >= 0xb1)
				score += 1;
			i++;
			continue;
		}
		c = i + 1 < len ? (unsigned int)s[i] << 8 | s[i + 1] : 0;
		if (s[i] == 0x81 || (c >= 0x824f && c <= 0x829a))
			score += 1;			/* symbols, Ａ１ */
		else if ((c >= 0x829f && c <= 0x82f1) ||
		    (c >= 0x8340 && c <= 0x8396))	/* kana */
			score += 4;
		else if (c >= 0x889f && c <= 0x9872)	/* level 1 kanji */
			score += 2;
		else if ((c >= 0x989f && c <= 0x9ffc) ||
		    (c >= 0xe040 && c <= 0xeafc) || s[i] == 0xed ||
		    s[i] == 0xee || s[i] >= 0xfa)	/* level 2, IBM */
			score -= 1;
		else if (s[i] >= 0xf0 && s[i] <= 0xf9)	/* user-defined */
			score -= 4;
		i += 2;
	}
	return score;
}

/* Are the bytes EUC-JP in form: ASCII, or pairs of 0xa1-0xfe, kana
 * after 0x8e, JIS X 0212 after 0x8f?  glibc lets C1 controls through. */
static int
charset_euc_form(const unsigned char *s, size_t len)
{
	size_t	i = 0;

	while (i < len) {
		if (s[i] < 0x80)
			i++;
		else if (s[i] == 0x8e && i + 1 < len && s[i + 1] >= 0xa1 &&
		    s[i + 1] <= 0xdf)
			i += 2;
		else if (s[i] == 0x8f && i + 2 < len && s[i + 1] >= 0xa1 &&
		    s[i + 1] <= 0xfe && s[i + 2] >= 0xa1 && s[i + 2] <= 0xfe)
			i += 3;
		else if (s[i] >= 0xa1 && s[i] <= 0xfe && i + 1 < len &&
		    s[i + 1] >= 0xa1 && s[i + 1] <= 0xfe)
			i += 2;
		else
			return 0;
	}
	return 1;
}

/* Does the whole of bytes convert from charset without an error? */
static int
charset_clean(const char *bytes, size_t len, const char *charset)
{
	GString	*out = g_string_sized_new(len * 2);
	size_t	 bad = 0;
	int	 ok;

	ok = charset_iconv(bytes, len, charset, out, &bad) && bad == 0;
	g_string_free(out, TRUE);
	return ok;
}

/* Is there an escape sequence of ISO-2022-JP, and no 8-bit byte? */
static int
charset_looks_jis(const char *bytes, size_t len)
{
	size_t	i;
	int	esc = 0;

	for (i = 0; i < len; i++) {
		if ((unsigned char)bytes[i] >= 0x80)
			return 0;
		if (bytes[i] == 0x1b && i + 2 < len &&
		    ((bytes[i + 1] == '$' && (bytes[i + 2] == 'B' ||
		    bytes[i + 2] == '@' || bytes[i + 2] == '(')) ||
		    (bytes[i + 1] == '(' && bytes[i + 2] == 'I')))
			esc = 1;
	}
	return esc;
}

const char *
charset_guess(const char *bytes, size_t len)
{
	int	sjis, euc;

	if (charset_looks_jis(bytes, len))
		return "ISO-2022-JP";
	if (g_utf8_validate(bytes, (gssize)len, NULL))
		return "UTF-8";
	sjis = charset_clean(bytes, len, "CP932");
	euc = charset_euc_form((const unsigned char *)bytes, len) &&
	    (charset_clean(bytes, len, "EUC-JP") ||
	    charset_clean(bytes, len, "EUC-JP-MS"));
	/* Ties go to EUC-JP: they are kanji read as half-width kana without
	 * a long vowel or a voicing mark. */
	if (sjis && euc)
		return charset_score_euc((const unsigned char *)bytes, len) >=
		    charset_score_sjis((const unsigned char *)bytes, len) ?
		    "EUC-JP" : "CP932";
	if (sjis)
		return "CP932";
	if (euc)
		return "EUC-JP";
	return NULL;
}

char *
charset_guess_utf8(const char *bytes, size_t len)
{
	GString		*out;
	const char	*cs;
	size_t		 bad = 0;

	if (len == 0)
		return g_strdup("");
	if (len >= 3 && memcmp(bytes, "\xef\xbb\xbf", 3) == 0) {
		bytes += 3;
		len -= 3;
	}
	cs = charset_guess(bytes, len);
	if (cs != NULL && strcmp(cs, "UTF-8") == 0)
		return charset_utf8_valid(bytes, len);
	out = g_string_sized_new(len * 2);
	if (cs != NULL)
		charset_convert(bytes, len, cs, out, &bad);
	else	/* None of the four: ISO-8859-1 converts every byte. */
		charset_iconv(bytes, len, "ISO-8859-1", out, &bad);
	return charset_valid(out);
}

int
charset_known(const char *charset)
{
	const char	*name = charset_canonical(charset);
	GIConv		 cd;

	if (name == NULL)
		return 0;
	if (strcmp(name, "ISO-2022-JP") == 0 || strcmp(name, "UTF-8") == 0)
		return 1;
	if ((cd = g_iconv_open("UTF-8", name)) == (GIConv)-1)
		return 0;
	g_iconv_close(cd);
	return 1;
}

int
charset_converts(const char *bytes, size_t len, const char *charset)
{
	const char	*name = charset_canonical(charset);
	GString		*out;
	size_t		 bad = 0;
	int		 ok;

	if (name == NULL)
		return charset_guess(bytes, len) != NULL;
	if (strcmp(name, "UTF-8") == 0)
		return g_utf8_validate(bytes, (gssize)len, NULL);
	out = g_string_sized_new(len * 2);
	ok = charset_convert(bytes, len, name, out, &bad) && bad == 0;
	g_string_free(out, TRUE);
	return ok;
}

int
charset_jis_shifted(const char *s, size_t len)
{
	size_t	i, run = 0;
	int	shifted = 0, kanji = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == 0x1b && i + 2 < len) {
			shifted = !(s[i + 1] == '(' && (s[i + 2] == 'B' ||
			    s[i + 2] == 'J'));
			kanji = s[i + 1] == '$';
			run = 0;
			i += s[i + 1] == '$' && s[i + 2] == '(' ? 3 : 2;
			continue;
		}
		run++;
	}
	/* Ends shifted, and not in the middle of a two-byte character
	 * (which the next word completes). */
	return shifted && (!kanji || run % 2 == 0);
}
