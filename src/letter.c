/* letter.c: the letters to applicants, rendered from the secretariat's
 * templates and built as RFC 5322 messages with GMime: tag in the subject,
 * threaded to the mail they answer, marked as automatic, in UTF-8 or, by
 * choice, ISO-2022-JP. */

#include <errno.h>
#include <string.h>

#include <gmime/gmime.h>

#include "conf.h"
#include "letter.h"
#include "letterkind.h"
#include "mail.h"
#include "nintei.h"
#include "rfc2047.h"
#include "template.h"

/* The values every template may use. */
struct tvars *
letter_vars(const struct conf *c)
{
	struct tvars	*tv = tvars_new();

	tvars_set(tv, "secretariat", c->name);
	tvars_set(tv, "secretariat_address", c->address);
	tvars_set(tv, "signature", c->signature);
	return tv;
}

/*
 * Reads a template: templates/<scheme>/<name>.txt if the scheme has its
 * own, else templates/<name>.txt.
 */
char *
letter_template(const struct conf *c, const char *scheme, const char *name,
    char **pathp, char **cause)
{
	char	*file, *path, *text = NULL;
	GError	*error = NULL;

	file = g_strdup_printf("%s.txt", name);
	path = NULL;
	if (scheme != NULL && *scheme != '\0') {
		path = g_build_filename(c->templates, scheme, file, NULL);
		if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
			g_free(path);
			path = NULL;
		}
	}
	if (path == NULL)
		path = g_build_filename(c->templates, file, NULL);
	g_free(file);
	if (!g_file_get_contents(path, &text, NULL, &error)) {
		*cause = g_strdup_printf("template %s: %s", path,
		    error->message);
		g_error_free(error);
		text = NULL;
	} else if (!g_utf8_validate(text, -1, NULL)) {
		*cause = g_strdup_printf("template %s: not UTF-8", path);
		g_free(text);
		text = NULL;
	}
	if (pathp != NULL)
		*pathp = path;
	else
		g_free(path);
	return text;
}

/* Is s a plain addr-spec we may put in a header? */
int
letter_addr_ok(const char *s)
{
	return s != NULL && *s != '\0' && strchr(s, '@') != NULL &&
	    strpbrk(s, " \t\r\n<>\",;()[]\\") == NULL &&
	    g_utf8_validate(s, -1, NULL);
}

/* Sets a header to an already encoded value. */
static void
letter_raw_header(GMimeObject *obj, const char *name, const char *value)
{
	GMimeHeaderList	*hl = g_mime_object_get_header_list(obj);
	GMimeHeader	*h;
	char		*raw;

	g_mime_object_set_header(obj, name, "x", NULL);
	h = g_mime_header_list_get_header(hl, name);
	raw = g_strdup_printf(" %s\n", value);
	g_mime_header_set_raw_value(h, raw);
	g_free(raw);
}

/* Splits rendered text into its subject line (件名: or Subject:) and the
 * body after the first blank line. */
static int
letter_split(const char *text, char **subject, char **body, char **cause)
{
	const char	*p = text, *eol, *v;
	char		*line;

	*subject = NULL;
	while (*p != '\0') {
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		line = g_strndup(p, (gsize)(eol - p));
		g_strchomp(line);
		p = *eol == '\n' ? eol + 1 : eol;
		if (*line == '\0') {
			g_free(line);
			break;
		}
		if (g_str_has_prefix(line, "件名:") ||
		    g_str_has_prefix(line, "件名：") ||
		    g_ascii_strncasecmp(line, "Subject:", 8) == 0) {
			v = strchr(line, ':') != NULL &&
			    !g_str_has_prefix(line, "件名：") ?
			    strchr(line, ':') + 1 : line + strlen("件名：");
			g_free(*subject);
			*subject = g_strstrip(g_strdup(v));
		}
		g_free(line);
	}
	if (*subject == NULL || **subject == '\0') {
		g_free(*subject);
		*cause = g_strdup("the template has no 件名: line before its "
		    "first blank line");
		return -1;
	}
	*body = g_strdup(p);
	return 0;
}

/* The domain of our address, for Message-IDs. */
static const char *
letter_domain(const struct conf *c)
{
	const char	*at = strrchr(c->address, '@');

	return at != NULL && at[1] != '\0' ? at + 1 : "nintei.invalid";
}

/* A new Message-ID (without <>) for a letter of that kind. */
char *
letter_message_id(const struct conf *c, const char *kind)
{
	char	*uuid = g_uuid_string_random(), *id;

	id = g_strdup_printf("nintei.%s.%s@%s", kind, uuid, letter_domain(c));
	g_free(uuid);
	return id;
}

/* Body text with CRLF line ends (canonical text for base64). */
static char *
letter_crlf(const char *s)
{
	GString	*out = g_string_sized_new(strlen(s) + 64);

	for (; *s != '\0'; s++) {
		if (*s == '\r')
			continue;
		if (*s == '\n')
			g_string_append_c(out, '\r');
		g_string_append_c(out, *s);
	}
	return g_string_free(out, FALSE);
}

/*
 * Appends to out, at most five, the characters of s that ISO-2022-JP
 * (ASCII and JIS X 0208) cannot carry, each once.
 */
static void
letter_outside_jis(GIConv cd, const char *s, GString *out, int *n)
{
	char	*e, *in, *o, buf[16];
	gsize	 inleft, oleft;
	size_t	 r;

	for (; *s != '\0' && *n < 5; s = g_utf8_next_char(s)) {
		if ((unsigned char)*s < 0x80)
			continue;
		e = g_utf8_next_char(s);
		in = (char *)s;
		inleft = (gsize)(e - s);
		o = buf;
		oleft = sizeof buf;
		g_iconv(cd, NULL, NULL, NULL, NULL);
		r = g_iconv(cd, &in, &inleft, &o, &oleft);
		if (r != (size_t)-1 && inleft == 0)
			continue;
		if (strstr(out->str, (o = g_strndup(s, (gsize)(e - s)))) ==
		    NULL) {
			g_string_append_printf(out, "%s%s", *n > 0 ? "、" : "",
			    o);
			(*n)++;
		}
		g_free(o);
	}
}

/*
 * Can the letter go out in ISO-2022-JP?  NULL if so; else why it goes
 * out in UTF-8 instead, naming the characters outside JIS X 0208 (①, ㈱,
 * 髙, CP932's ～, half-width kana): never a character replaced.
 */
static char *
letter_jis_fallback(const char *name, const char *subject, const char *body)
{
	GIConv	 cd = g_iconv_open("ISO-2022-JP", "UTF-8");
	GString	*bad = g_string_new(NULL);
	int	 n = 0;
	char	*why;

	if (cd == (GIConv)-1) {
		g_string_free(bad, TRUE);
		return g_strdup("UTF-8 で送信（ISO-2022-JP の変換器がありません）");
	}
	letter_outside_jis(cd, name, bad, &n);
	letter_outside_jis(cd, subject, bad, &n);
	letter_outside_jis(cd, body, bad, &n);
	g_iconv_close(cd);
	why = n == 0 ? NULL : g_strdup_printf("UTF-8 で送信（ISO-2022-JP に"
	    "ない文字：%s）", bad->str);
	g_string_free(bad, TRUE);
	return why;
}

/* A header value encoded for the letter's charset. */
static char *
letter_encode(const char *text, size_t name_len, int jis)
{
	char	*enc = jis ? rfc2047_encode_jis(text, name_len) : NULL;

	return enc != NULL ? enc : rfc2047_encode(text, name_len);
}

/* Is any line of s longer than RFC 5322's 998 bytes? */
static int
letter_long_line(const char *s)
{
	const char	*eol;

	for (; *s != '\0'; s = *eol != '\0' ? eol + 1 : eol) {
		eol = strchrnul(s, '\n');
		if (eol - s > 998)
			return 1;
	}
	return 0;
}

/*
 * The body part: UTF-8 in base64, or ISO-2022-JP (RFC 1468): 7bit, or
 * base64 when a line in JIS would be over 998 bytes.
 */
static GMimeObject *
letter_body(const char *body, int jis)
{
	GMimeTextPart		*tp;
	GMimePart		*part;
	GMimeStream		*st;
	GMimeDataWrapper	*dw;
	char			*crlf, *bytes;
	gsize			 len;
	int			 b64;

	if (jis && (bytes = g_convert(body, -1, "ISO-2022-JP", "UTF-8", NULL,
	    &len, NULL)) != NULL) {
		/* 7bit with LF ends, which the writer makes CRLF; base64 of
		 * the canonical CRLF text. */
		if ((b64 = letter_long_line(bytes))) {
			g_free(bytes);
			crlf = letter_crlf(body);
			bytes = g_convert(crlf, -1, "ISO-2022-JP", "UTF-8",
			    NULL, &len, NULL);
			g_free(crlf);
		}
		part = g_mime_part_new_with_type("text", "plain");
		g_mime_object_set_content_type_parameter(GMIME_OBJECT(part),
		    "charset", "ISO-2022-JP");
		st = g_mime_stream_mem_new_with_buffer(bytes, len);
		dw = g_mime_data_wrapper_new_with_stream(st,
		    GMIME_CONTENT_ENCODING_7BIT);
		g_mime_part_set_content(part, dw);
		g_mime_part_set_content_encoding(part, b64 ?
		    GMIME_CONTENT_ENCODING_BASE64 : GMIME_CONTENT_ENCODING_7BIT);
		g_object_unref(dw);
		g_object_unref(st);
		g_free(bytes);
		return GMIME_OBJECT(part);
	}
	tp = g_mime_text_part_new_with_subtype("plain");
	crlf = letter_crlf(body);
	g_mime_text_part_set_text(tp, crlf);
	g_mime_text_part_set_charset(tp, "UTF-8");
	g_mime_part_set_content_encoding(GMIME_PART(tp),
	    GMIME_CONTENT_ENCODING_BASE64);
	g_free(crlf);
	return GMIME_OBJECT(tp);
}

/* The Auto-Submitted of a kind of letter: "auto-replied" for answers to
 * mail, "auto-generated" for staff actions and the daily run, "no" for
 * what a person wrote (the letter table says which). */
static const char *
letter_submitted(const char *kind)
{
	const struct letterkind	*k = letterkind_find(kind);

	if (k == NULL || k->submitted == LETTERKIND_GENERATED)
		return "auto-generated";
	return k->submitted == LETTERKIND_REPLIED ? "auto-replied" : "no";
}

/*
 * Builds a letter of the given kind from template tmpl (with that
 * Message-ID, or a new one when NULL): to the address to
 * (and cc, unless it is the same), the case tag before the template's
 * subject, threaded to answers when set.
 */
/* The longest Message-ID copied from others' mail: "In-Reply-To: <id>"
 * and "References: <id>" then fit in a line of 998 bytes (RFC 5322
 * 2.1.1). */
#define LETTER_ID_MAX	980

/* At most this many Message-IDs in References. */
#define LETTER_REFS_MAX	20

/* Can a Message-ID of others (without <>) go into our headers? */
static int
letter_id_ok(const char *v)
{
	return v != NULL && *v != '\0' && strlen(v) <= LETTER_ID_MAX &&
	    strpbrk(v, "\r\n<> ") == NULL;
}

/*
 * In-Reply-To and References of a letter that answers a mail (RFC 5322
 * 3.6.4): the mail's Message-ID, and its References followed by it, one
 * per folded line.  A Message-ID too long for a line is left out; of a
 * long chain, the first (the thread's root) and the last ones are kept.
 */
static void
letter_threading(GMimeObject *obj, const struct answer *a)
{
	GPtrArray	*ids;
	GString		*refs;
	char		*s, *v;
	guint		 i, from;

	if (a == NULL)
		return;
	ids = g_ptr_array_new();
	for (i = 0; a->references != NULL && i < a->references->len; i++) {
		v = g_ptr_array_index(a->references, i);
		if (letter_id_ok(v))
			g_ptr_array_add(ids, v);
	}
	if (letter_id_ok(a->message_id)) {
		s = g_strdup_printf("<%s>", a->message_id);
		letter_raw_header(obj, "In-Reply-To", s);
		g_free(s);
		g_ptr_array_add(ids, a->message_id);
	}
	if (ids->len > 0) {
		refs = g_string_new(NULL);
		g_string_append_printf(refs, "<%s>",
		    (char *)g_ptr_array_index(ids, 0));
		from = ids->len > LETTER_REFS_MAX ?
		    ids->len - (LETTER_REFS_MAX - 1) : 1;
		for (i = from; i < ids->len; i++)
			g_string_append_printf(refs, "\n <%s>",
			    (char *)g_ptr_array_index(ids, i));
		letter_raw_header(obj, "References", refs->str);
		g_string_free(refs, TRUE);
	}
	g_ptr_array_free(ids, TRUE);
}

struct letter *
letter_build(const struct conf *c, const char *kind, const char *message_id,
    const char *tmpl, struct tvars *tv, const char *to, const char *cc,
    const struct answer *answers, char **cause)
{
	struct letter		*l;
	GMimeMessage		*msg;
	GMimeObject		*part;
	GMimeFormatOptions	*fo;
	GDateTime		*now;
	char			*text, *subject = NULL, *body = NULL, *v;
	const char		*tag;
	char			*full, *s, *enc;
	int			 jis;

	if (!letter_addr_ok(to)) {
		*cause = g_strdup_printf("no usable address to write to (%s)",
		    to != NULL ? to : "none");
		return NULL;
	}
	if ((text = template_render(tmpl, tv, cause)) == NULL)
		return NULL;
	if (letter_split(text, &subject, &body, cause) != 0) {
		g_free(text);
		return NULL;
	}
	g_free(text);

	/* The case tag leads every subject, whatever the template says. */
	if ((tag = tvars_get(tv, "tag")) != NULL && *tag != '\0' &&
	    strstr(subject, tag) == NULL) {
		v = g_strdup_printf("%s %s", tag, subject);
		g_free(subject);
		subject = v;
	}

	l = g_new0(struct letter, 1);
	l->kind = g_strdup(kind);
	l->to = g_strdup(to);
	if (letter_addr_ok(cc) && g_ascii_strcasecmp(cc, to) != 0)
		l->cc = g_strdup(cc);
	v = rfc2047_clean(subject);
	l->subject = v;
	g_free(subject);

	l->message_id = message_id != NULL ? g_strdup(message_id) :
	    letter_message_id(c, kind);

	/* The charset step: ISO-2022-JP when configured and every
	 * character fits, else UTF-8 for this letter, saying why. */
	jis = c->letters_jis && (l->fallback = letter_jis_fallback(c->name,
	    l->subject, body)) == NULL;
	msg = g_mime_message_new(TRUE);
	enc = letter_encode(c->name, 6, jis);
	full = g_strdup_printf("%s <%s>", enc, c->address);
	letter_raw_header(GMIME_OBJECT(msg), "From", full);
	g_free(full);
	g_free(enc);
	letter_raw_header(GMIME_OBJECT(msg), "To", l->to);
	if (l->cc != NULL)
		letter_raw_header(GMIME_OBJECT(msg), "Cc", l->cc);
	enc = letter_encode(l->subject, 9, jis);
	letter_raw_header(GMIME_OBJECT(msg), "Subject", enc);
	g_free(enc);
	now = clock_now(c);
	g_mime_message_set_date(msg, now);
	g_date_time_unref(now);
	g_mime_message_set_message_id(msg, l->message_id);
	letter_threading(GMIME_OBJECT(msg), answers);
	g_mime_object_set_header(GMIME_OBJECT(msg), "Auto-Submitted",
	    letter_submitted(kind), NULL);
	g_mime_object_set_header(GMIME_OBJECT(msg), "X-Loop", c->address,
	    NULL);
	g_mime_object_set_header(GMIME_OBJECT(msg), "X-Nintei-Letter", kind,
	    NULL);

	part = letter_body(body, jis);
	g_mime_message_set_mime_part(msg, part);
	g_object_unref(part);
	g_free(body);

	fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
	s = g_mime_object_to_string(GMIME_OBJECT(msg), fo);
	l->raw = g_bytes_new_take(s, strlen(s));
	g_mime_format_options_free(fo);
	g_object_unref(msg);
	return l;
}

void
answer_clear(struct answer *a)
{
	g_free(a->message_id);
	if (a->references != NULL)
		g_ptr_array_free(a->references, TRUE);
	memset(a, 0, sizeof *a);
}

void
letter_free(struct letter *l)
{
	if (l == NULL)
		return;
	g_free(l->kind);
	g_free(l->message_id);
	g_free(l->to);
	g_free(l->cc);
	g_free(l->subject);
	g_free(l->fallback);
	if (l->raw != NULL)
		g_bytes_unref(l->raw);
	g_free(l);
}

/*
 * The subject, text and References of a letter as it went (its raw
 * bytes, parsed back); -1 with *cause when they cannot be read.
 */
int
letter_parse(GBytes *raw, char **subject, char **body, GPtrArray *refs,
    char **cause)
{
	GMimeStream		*s;
	GMimeParser		*p;
	GMimeMessage		*m;
	GMimeObject		*part;
	GMimeReferences		*r;
	const char		*h;
	gsize			 len;
	const void		*data = g_bytes_get_data(raw, &len);
	int			 i;

	*subject = *body = NULL;
	s = g_mime_stream_mem_new_with_buffer(data, len);
	p = g_mime_parser_new_with_stream(s);
	m = g_mime_parser_construct_message(p, NULL);
	g_object_unref(p);
	g_object_unref(s);
	if (m == NULL) {
		*cause = g_strdup("its bytes cannot be read back");
		return -1;
	}
	part = g_mime_message_get_mime_part(m);
	if (part == NULL || !GMIME_IS_TEXT_PART(part) ||
	    g_mime_message_get_subject(m) == NULL) {
		*cause = g_strdup("it is not a letter of one text part");
		g_object_unref(m);
		return -1;
	}
	*subject = g_strdup(g_mime_message_get_subject(m));
	*body = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
	if ((h = g_mime_object_get_header(GMIME_OBJECT(m), "References")) !=
	    NULL && (r = g_mime_references_parse(NULL, h)) != NULL) {
		for (i = 0; i < g_mime_references_length(r); i++)
			g_ptr_array_add(refs, g_strdup(
			    g_mime_references_get_message_id(r, i)));
		g_mime_references_free(r);
	}
	g_object_unref(m);
	return 0;
}
