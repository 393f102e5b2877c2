/* rfc2047.c: decoding and encoding of RFC 2047 encoded words, written
 * here because GMime 3.2.13 loses text after padded B words and writes
 * words longer than RFC 2047 allows. */

#include <string.h>

#include <glib.h>

#include "b64.h"
#include "charset.h"
#include "rfc2047.h"

/* Appends the bytes of base64 text. */
static void
rfc2047_unbase64(const char *s, size_t len, GString *out)
{
	struct b64	 st = { 0, 0 };
	size_t		 old = out->len;

	g_string_set_size(out, old + len * 3 / 4 + 3);
	g_string_set_size(out, old + b64_decode_step(&st, s, len,
	    (unsigned char *)out->str + old));
}

/* Appends the bytes of Q-encoded text. */
static void
rfc2047_unq(const char *s, size_t len, GString *out)
{
	size_t	i;
	int	hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] == '_')
			g_string_append_c(out, ' ');
		else if (s[i] == '=' && i + 2 < len &&
		    (hi = g_ascii_xdigit_value(s[i + 1])) >= 0 &&
		    (lo = g_ascii_xdigit_value(s[i + 2])) >= 0) {
			g_string_append_c(out, (char)(hi * 16 + lo));
			i += 2;
		} else
			g_string_append_c(out, s[i]);
	}
}

/* Is c a character of base64 text? */
static int
rfc2047_b64_char(char c)
{
	return g_ascii_isalnum(c) || c == '+' || c == '/' || c == '=';
}

/*
 * Parses one encoded word at s (which starts with "=?"): on success sets
 * the charset (without an RFC 2231 language), appends the decoded bytes
 * and returns the length of the word; returns 0 if s holds no word.
 * Blanks inside base64 text (a client folded the word in the middle) are
 * taken out, and *liberal set, when all else is a word of a charset nintei
 * knows.
 */
static size_t
rfc2047_word(const char *s, char **charset, GString *bytes, int *liberal)
{
	const char	*cs, *enc, *text, *end, *p;
	GString		*packed;
	char		*star;

	*liberal = 0;
	cs = s + 2;
	if ((enc = strchr(cs, '?')) == NULL || enc == cs)
		return 0;
	if (enc[1] == '\0' || enc[2] != '?')
		return 0;
	if (strcspn(cs, " \t") < (size_t)(enc + 2 - cs))
		return 0;
	text = enc + 3;
	if ((end = strstr(text, "?=")) == NULL)
		return 0;
	if (strcspn(text, " \t") < (size_t)(end - text)) {
		/* Blanks inside: only in base64 (in Q text they could be
		 * the text's own), between its characters, and not reaching
		 * into the next word. */
		if (enc[1] != 'B' && enc[1] != 'b')
			return 0;
		for (p = text; p < end; p++) {
			if (*p != ' ' && *p != '\t' &&
			    !rfc2047_b64_char(*p))
				return 0;
		}
		*liberal = 1;
	}
	*charset = g_strndup(cs, (size_t)(enc - cs));
	if ((star = strchr(*charset, '*')) != NULL)
		*star = '\0';
	if (*liberal && !charset_known(*charset)) {
		g_free(*charset);
		*charset = NULL;
		return 0;
	}
	packed = g_string_new(NULL);
	for (p = text; p < end; p++) {
		if (*p != ' ' && *p != '\t')
			g_string_append_c(packed, *p);
	}
	switch (enc[1]) {
	case 'B':
	case 'b':
		rfc2047_unbase64(packed->str, packed->len, bytes);
		break;
	case 'Q':
	case 'q':
		rfc2047_unq(packed->str, packed->len, bytes);
		break;
	default:
		g_string_free(packed, TRUE);
		g_free(*charset);
		*charset = NULL;
		return 0;
	}
	g_string_free(packed, TRUE);
	return (size_t)(end + 2 - s);
}

/* Converts pending encoded-word bytes to UTF-8 and appends them. */
static void
rfc2047_flush(GString *out, GString *pending, char **charset)
{
	char	*u;

	if (*charset == NULL)
		return;
	u = charset_to_utf8(pending->str, pending->len, *charset);
	g_string_append(out, u);
	g_free(u);
	g_string_truncate(pending, 0);
	g_free(*charset);
	*charset = NULL;
}

/* Appends plain (unencoded) header text, converting 8-bit bytes. */
static void
rfc2047_plain(GString *out, const char *s, size_t len)
{
	char	*u;

	if (len == 0)
		return;
	u = charset_guess_utf8(s, len);
	g_string_append(out, u);
	g_free(u);
}

char *
rfc2047_decode(const char *raw)
{
	GString		*out, *pending, *word;
	char		*unfolded, *charset = NULL, *wcs = NULL, *cleaned;
	const char	*p, *plain, *q;
	size_t		 n;
	int		 liberal;

	if (raw == NULL)
		return g_strdup("");
	unfolded = rfc2047_clean(raw);
	out = g_string_sized_new(strlen(unfolded));
	pending = g_string_new(NULL);
	word = g_string_new(NULL);
	p = plain = unfolded;
	while (*p != '\0') {
		if (p[0] != '=' || p[1] != '?') {
			p++;
			continue;
		}
		g_string_truncate(word, 0);
		if ((n = rfc2047_word(p, &wcs, word, &liberal)) == 0) {
			p += 2;
			continue;
		}
		/* A word read liberally counts only if it makes clean text:
		 * else the strict reading (no word) stands. */
		if (liberal && !charset_converts(word->str, word->len, wcs)) {
			g_free(wcs);
			wcs = NULL;
			p += 2;
			continue;
		}
		/* Text before the word: dropped if only whitespace between
		 * two words, else flushed as plain text. */
		for (q = plain; q < p && (*q == ' ' || *q == '\t'); q++)
			;
		if (q < p || charset == NULL) {
			rfc2047_flush(out, pending, &charset);
			rfc2047_plain(out, plain, (size_t)(p - plain));
		}
		if (charset != NULL && g_ascii_strcasecmp(charset, wcs) != 0)
			rfc2047_flush(out, pending, &charset);
		if (charset == NULL)
			charset = g_strdup(wcs);
		g_string_append_len(pending, word->str, (gssize)word->len);
		/* Each ISO-2022-JP word ends in ASCII, as mail programs read
		 * it, even if its writer forgot to say so. */
		if (g_strcmp0(charset_canonical(charset), "ISO-2022-JP") ==
		    0 && charset_jis_shifted(word->str, word->len))
			g_string_append(pending, "\x1b(B");
		g_free(wcs);
		wcs = NULL;
		p += n;
		plain = p;
	}
	rfc2047_flush(out, pending, &charset);
	rfc2047_plain(out, plain, strlen(plain));
	g_string_free(pending, TRUE);
	g_string_free(word, TRUE);
	g_free(unfolded);
	cleaned = rfc2047_clean(out->str);
	g_string_free(out, TRUE);
	return g_strstrip(cleaned);
}

/* One parameter of a MIME header: its name (lower case, with any RFC 2231
 * section and star) and its value, unquoted. */
struct rfc2047_param {
	char	*name;
	char	*value;
};

/* Splits the parameters after the first ';' of a header value. */
static GPtrArray *
rfc2047_params(const char *s)
{
	GPtrArray		*out = g_ptr_array_new();
	struct rfc2047_param	*pm;
	const char		*a;
	GString			*v;
	int			 q = 0;

	/* Past the type or disposition (a ';' in quotes is not one). */
	for (; *s != '\0' && (q || *s != ';'); s++) {
		if (*s == '"')
			q = !q;
		else if (*s == '\\' && q && s[1] != '\0')
			s++;
	}
	while (*s != '\0') {
		while (*s == ';' || *s == ' ' || *s == '\t')
			s++;
		a = s;
		while (*s != '\0' && *s != '=' && *s != ';')
			s++;
		if (*s != '=') {
			continue;
		}
		pm = g_new0(struct rfc2047_param, 1);
		pm->name = g_ascii_strdown(a, s - a);
		g_strstrip(pm->name);
		v = g_string_new(NULL);
		for (s++; *s == ' ' || *s == '\t'; s++)
			;
		if (*s == '"') {
			for (s++; *s != '\0' && *s != '"'; s++) {
				if (*s == '\\' && s[1] != '\0')
					s++;
				g_string_append_c(v, *s);
			}
			if (*s == '"')
				s++;
			while (*s != '\0' && *s != ';')
				s++;
		} else {
			for (; *s != '\0' && *s != ';'; s++)
				g_string_append_c(v, *s);
			g_strchomp(v->str);
			v->len = strlen(v->str);
		}
		pm->value = g_string_free(v, FALSE);
		g_ptr_array_add(out, pm);
	}
	return out;
}

/* Appends RFC 2231 percent-encoded text as bytes. */
static void
rfc2047_unpercent(const char *s, GString *out)
{
	int	hi, lo;

	for (; *s != '\0'; s++) {
		if (*s == '%' && (hi = g_ascii_xdigit_value(s[1])) >= 0 &&
		    (lo = g_ascii_xdigit_value(s[2])) >= 0) {
			g_string_append_c(out, (char)(hi * 16 + lo));
			s += 2;
		} else
			g_string_append_c(out, *s);
	}
}

char *
rfc2047_param(const char *raw, const char *name)
{
	GPtrArray		*pms;
	struct rfc2047_param	*pm;
	GString			*bytes;
	char			*clean, *charset = NULL, *plain = NULL, *out;
	char			*end, *q;
	const char		*rest, *v;
	size_t			 nlen = strlen(name);
	guint			 i, n, sections = 0, extended = 0;
	guint64			 k;
	int			 found;

	if (raw == NULL)
		return NULL;
	clean = rfc2047_clean(raw);
	pms = rfc2047_params(clean);
	g_free(clean);
	bytes = g_string_new(NULL);
	/* name*0, name*1... (each maybe with a star: percent-encoded), in
	 * the order of their numbers, whatever the order they came in. */
	for (n = 0;; n++) {
		found = 0;
		for (i = 0; i < pms->len; i++) {
			pm = g_ptr_array_index(pms, i);
			if (strncmp(pm->name, name, nlen) != 0 ||
			    pm->name[nlen] != '*' ||
			    !g_ascii_isdigit(pm->name[nlen + 1]))
				continue;
			k = g_ascii_strtoull(pm->name + nlen + 1, &end, 10);
			if (k != n || (*end != '\0' && strcmp(end, "*") != 0))
				continue;
			found = 1;
			v = pm->value;
			if (*end == '*') {
				extended++;
				if (n == 0 && (q = strchr(v, '\'')) != NULL &&
				    strchr(q + 1, '\'') != NULL) {
					charset = g_strndup(v, q - v);
					v = strchr(q + 1, '\'') + 1;
				}
				rfc2047_unpercent(v, bytes);
			} else
				g_string_append(bytes, v);
			break;
		}
		if (!found)
			break;
		sections++;
	}
	for (i = 0; sections == 0 && i < pms->len; i++) {
		pm = g_ptr_array_index(pms, i);
		if (strncmp(pm->name, name, nlen) != 0)
			continue;
		rest = pm->name + nlen;
		if (strcmp(rest, "*") == 0) {		/* name*=cs'lang'... */
			v = pm->value;
			if ((q = strchr(v, '\'')) != NULL &&
			    strchr(q + 1, '\'') != NULL) {
				g_free(charset);
				charset = g_strndup(v, q - v);
				v = strchr(q + 1, '\'') + 1;
			}
			g_string_truncate(bytes, 0);
			rfc2047_unpercent(v, bytes);
			extended = sections = 1;
			break;
		}
		if (*rest == '\0' && plain == NULL)
			plain = g_strdup(pm->value);
	}
	if (sections > 0 && extended > 0)
		out = charset_to_utf8(bytes->str, bytes->len, charset);
	else if (sections > 0)
		out = rfc2047_decode(bytes->str);	/* a word split up */
	else if (plain != NULL)
		out = rfc2047_decode(plain);
	else
		out = NULL;
	if (out != NULL) {
		q = rfc2047_clean(out);
		g_free(out);
		out = g_strstrip(q);
	}
	for (i = 0; i < pms->len; i++) {
		pm = g_ptr_array_index(pms, i);
		g_free(pm->name);
		g_free(pm->value);
		g_free(pm);
	}
	g_ptr_array_free(pms, TRUE);
	g_string_free(bytes, TRUE);
	g_free(charset);
	g_free(plain);
	return out;
}

char *
rfc2047_clean(const char *s)
{
	GString	*out = g_string_sized_new(strlen(s));

	while (*s != '\0') {
		if (*s == '\r' || *s == '\n') {
			/* A fold, with the blanks after it, is one blank. */
			while (*s == '\r' || *s == '\n' || *s == ' ' ||
			    *s == '\t')
				s++;
			if (out->len > 0 && *s != '\0')
				g_string_append_c(out, ' ');
			continue;
		}
		g_string_append_c(out, *s++);
	}
	return g_string_free(out, FALSE);
}

/* Does this token need encoding (non-ASCII, or looks like a word)? */
static gboolean
rfc2047_needs(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] >= 0x80 || (unsigned char)s[i] < 0x20)
			return TRUE;
		if (s[i] == '=' && i + 1 < len && s[i + 1] == '?')
			return TRUE;
	}
	return FALSE;
}

/* Appends a piece to the folded output, folding first when it does not
 * fit on the current line.  A piece starts with its separating blank. */
static void
rfc2047_put(GString *out, size_t *col, const char *piece, size_t len)
{
	if (*col + len > 76 && *col > 1 && len > 0 && piece[0] == ' ') {
		g_string_append_c(out, '\n');
		*col = 0;
	}
	g_string_append_len(out, piece, (gssize)len);
	*col += len;
}

/* s (len bytes of UTF-8) in ISO-2022-JP, ending in ASCII; NULL if a
 * character is outside JIS X 0208. */
static char *
rfc2047_jis(const char *s, size_t len, gsize *outlen)
{
	return g_convert(s, (gssize)len, "ISO-2022-JP", "UTF-8", NULL,
	    outlen, NULL);
}

/*
 * Appends the UTF-8 text s (len bytes) as encoded words: UTF-8 words of
 * at most 45 bytes (60 base64 characters, 72 with the frame), or, with
 * jis, ISO-2022-JP words of at most 42 bytes (74 characters), each
 * returning to ASCII.  Returns -1 if jis and a character is outside
 * JIS X 0208.
 */
static int
rfc2047_put_words(GString *out, size_t *col, const char *s, size_t len,
    gboolean lead_blank, int jis)
{
	GString		*piece = g_string_new(NULL);
	const char	*p = s, *end = s + len, *next;
	size_t		 take, even, max = jis ? 42 : 45;
	char		*b64, *enc = NULL, *try;
	gsize		 elen = 0, tlen;

	while (p < end) {
		take = even = 0;
		while (p + take < end) {
			next = g_utf8_find_next_char(p + take, end);
			if (next == NULL)
				next = end;
			if (!jis) {
				if ((size_t)(next - p) > max)
					break;
			} else {
				if ((try = rfc2047_jis(p, (size_t)(next - p),
				    &tlen)) == NULL) {
					g_free(enc);
					g_string_free(piece, TRUE);
					return -1;
				}
				if (tlen > max && take > 0) {
					g_free(try);
					break;
				}
				g_free(enc);
				enc = try;
				elen = tlen;
				if (tlen % 3 == 0)
					even = (size_t)(next - p);
			}
			take = (size_t)(next - p);
		}
		/*
		 * A word that other words follow ends without base64
		 * padding where it can: GMime 3.2.13 loses what follows a
		 * padded word (TECH-NOTES).
		 */
		if (jis && p + take < end && even > 0 && even < take) {
			take = even;
			g_free(enc);
			enc = rfc2047_jis(p, take, &elen);
		}
		if (take == 0)
			take = (size_t)(end - p);	/* cannot happen */
		if (jis) {
			b64 = g_base64_encode((const guchar *)enc, elen);
			g_free(enc);
			enc = NULL;
		} else
			b64 = g_base64_encode((const guchar *)p, take);
		g_string_printf(piece, "%s=?%s?B?%s?=",
		    lead_blank ? " " : "", jis ? "ISO-2022-JP" : "UTF-8", b64);
		g_free(b64);
		rfc2047_put(out, col, piece->str, piece->len);
		lead_blank = TRUE;
		p += take;
	}
	g_string_free(piece, TRUE);
	return 0;
}

/* rfc2047_encode and rfc2047_encode_jis: NULL if jis and a character is
 * outside JIS X 0208. */
static char *
rfc2047_encode_in(const char *utf8, size_t name_len, int jis)
{
	char		*clean, *valid;
	GString		*out = g_string_new(NULL);
	const char	*p, *tok, *run = NULL, *runend = NULL;
	size_t		 col = name_len, toklen;
	gboolean	 first = TRUE, lead;

	clean = rfc2047_clean(utf8);
	valid = charset_guess_utf8(clean, strlen(clean));
	g_free(clean);
	p = valid;
	/*
	 * Walk blank-separated tokens.  Consecutive tokens that need
	 * encoding form one run (blanks inside a run are encoded with it,
	 * since blanks between two words vanish when decoded).
	 */
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		tok = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		toklen = (size_t)(p - tok);
		if (toklen > 0 && rfc2047_needs(tok, toklen)) {
			if (run == NULL)
				run = tok;
			runend = p;
			if (*p != '\0')
				continue;
		}
		if (run != NULL) {
			lead = !first;
			if (rfc2047_put_words(out, &col, run,
			    (size_t)(runend - run), lead, jis) != 0) {
				g_free(valid);
				g_string_free(out, TRUE);
				return NULL;
			}
			first = FALSE;
			run = NULL;
		}
		if (toklen > 0 && !rfc2047_needs(tok, toklen)) {
			if (!first) {
				GString *piece = g_string_new(" ");

				g_string_append_len(piece, tok, (gssize)toklen);
				rfc2047_put(out, &col, piece->str, piece->len);
				g_string_free(piece, TRUE);
			} else
				rfc2047_put(out, &col, tok, toklen);
			first = FALSE;
		}
		if (*p == '\0')
			break;
	}
	g_free(valid);
	return g_string_free(out, FALSE);
}

char *
rfc2047_encode(const char *utf8, size_t name_len)
{
	return rfc2047_encode_in(utf8, name_len, 0);
}

char *
rfc2047_encode_jis(const char *utf8, size_t name_len)
{
	return rfc2047_encode_in(utf8, name_len, 1);
}
