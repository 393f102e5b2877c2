/* mail.c: parsing of untrusted RFC 5322 messages with GMime, with the
 * limits of SPEC §5 and the Japanese-text workarounds of TECH-NOTES. */

#include <string.h>

#include <gmime/gmime.h>

#include "b64.h"
#include "charset.h"
#include "htmltext.h"
#include "mail.h"
#include "rfc2047.h"

void
mail_init(void)
{
	g_mime_init();
}

/* Header text as UTF-8 on one line: folds undone, 8-bit bytes taken as
 * UTF-8 (RFC 6532) or guessed (raw Shift_JIS), as everything the intake
 * keeps must be text. */
static char *
mail_clean(const char *raw)
{
	char	*t = rfc2047_clean(raw), *u;

	u = charset_guess_utf8(t, strlen(t));
	g_free(t);
	return u;
}

/* A MIME token (type, parameter) in ASCII lower case, as text. */
static char *
mail_lower(const char *raw)
{
	char	*low = g_ascii_strdown(raw, -1), *t;

	t = mail_clean(low);
	g_free(low);
	return t;
}

/* Returns the raw value of the first header called name, or NULL. */
static const char *
mail_raw_header(GMimeObject *obj, const char *name)
{
	GMimeHeaderList	*hl = g_mime_object_get_header_list(obj);
	GMimeHeader	*h;

	if (hl == NULL || (h = g_mime_header_list_get_header(hl, name)) ==
	    NULL)
		return NULL;
	return g_mime_header_get_raw_value(h);
}

/* Strips blanks and angle brackets from a message id. */
static char *
mail_bare_id(const char *s)
{
	char	*t, *u;

	if (s == NULL)
		return g_strdup("");
	t = mail_clean(s);
	g_strstrip(t);
	if (t[0] == '<') {
		u = g_strndup(t + 1, strcspn(t + 1, ">"));
		g_free(t);
		t = u;
	}
	g_strstrip(t);
	return t;
}

/* Turns a message-id list (In-Reply-To, References) into bare ids. */
static GPtrArray *
mail_ids(const char *raw)
{
	GPtrArray	*ids = g_ptr_array_new_with_free_func(g_free);
	GMimeReferences	*refs;
	int		 i, n;

	if (raw == NULL)
		return ids;
	refs = g_mime_references_parse(NULL, raw);
	if (refs == NULL)
		return ids;
	n = g_mime_references_length(refs);
	for (i = 0; i < n; i++)
		g_ptr_array_add(ids, mail_bare_id(
		    g_mime_references_get_message_id(refs, i)));
	g_mime_references_free(refs);
	return ids;
}

/* First mailbox of an address list: address and name. */
static void
mail_first_mailbox(InternetAddressList *list, char **addr, char **name)
{
	InternetAddress	*ia;
	int		 i, n;
	const char	*a, *nm;

	n = list != NULL ? internet_address_list_length(list) : 0;
	for (i = 0; i < n; i++) {
		ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			mail_first_mailbox(internet_address_group_get_members(
			    INTERNET_ADDRESS_GROUP(ia)), addr, name);
			if (*addr != NULL)
				return;
			continue;
		}
		a = internet_address_mailbox_get_addr(
		    INTERNET_ADDRESS_MAILBOX(ia));
		if (a == NULL || *a == '\0')
			continue;
		nm = internet_address_get_name(ia);
		*addr = mail_clean(a);
		*name = mail_clean(nm != NULL ? nm : "");
		return;
	}
}

/*
 * The display name of the first mailbox of a raw address header, decoded
 * by nintei when it holds encoded words or 8-bit bytes (GMime's decoder
 * has the padding trap of TECH-NOTES, takes EUC-JP for CP932 and leaves
 * encoded words inside quotes as they are); else, or when the header is
 * not a plain "name <addr>", GMime's name.
 */
static char *
mail_display_name(const char *raw, char *gmime_name)
{
	GString		*phrase;
	const char	*p;
	char		*name;
	int		 q = 0, eight = 0;

	if (raw == NULL)
		return gmime_name;
	for (p = raw; *p != '\0'; p++)
		eight |= (unsigned char)*p >= 0x80;
	if (strstr(raw, "=?") == NULL && !eight)
		return gmime_name;
	phrase = g_string_new(NULL);
	for (p = raw; *p != '\0'; p++) {
		if (*p == '"') {
			q = !q;
			continue;
		}
		if (*p == '\\' && q && p[1] != '\0')
			p++;
		else if (!q && (*p == '<' || *p == ',' || *p == '('))
			break;
		g_string_append_c(phrase, *p);
	}
	if (*p != '<') {
		g_string_free(phrase, TRUE);
		return gmime_name;
	}
	name = rfc2047_decode(phrase->str);
	g_string_free(phrase, TRUE);
	if (*name == '\0') {
		g_free(name);
		return gmime_name;
	}
	g_free(gmime_name);
	return name;
}

/* Appends every addr-spec of list to out. */
static void
mail_all_addrs(InternetAddressList *list, GString *out)
{
	InternetAddress	*ia;
	const char	*a;
	int		 i, n;

	n = list != NULL ? internet_address_list_length(list) : 0;
	for (i = 0; i < n; i++) {
		ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			mail_all_addrs(internet_address_group_get_members(
			    INTERNET_ADDRESS_GROUP(ia)), out);
			continue;
		}
		a = internet_address_mailbox_get_addr(
		    INTERNET_ADDRESS_MAILBOX(ia));
		if (a == NULL || *a == '\0')
			continue;
		if (out->len > 0)
			g_string_append(out, ", ");
		g_string_append(out, a);
	}
}

/* The addr-spec of a Return-Path: NULL, "" for <>, or the address. */
static char *
mail_return_path(const char *raw)
{
	char	*t, *a;

	if (raw == NULL)
		return NULL;
	t = mail_clean(raw);
	g_strstrip(t);
	if (t[0] == '<') {
		a = g_strndup(t + 1, strcspn(t + 1, ">"));
		g_free(t);
		t = g_strstrip(a);
	}
	return t;
}

/* Lower-case "type/subtype" of an object. */
static char *
mail_type(GMimeObject *obj)
{
	GMimeContentType	*ct = g_mime_object_get_content_type(obj);
	const char		*t, *s;

	if (ct == NULL)
		return g_strdup("application/octet-stream");
	t = g_mime_content_type_get_media_type(ct);
	s = g_mime_content_type_get_media_subtype(ct);
	char			*both, *low;

	both = g_strdup_printf("%s/%s", t != NULL ? t : "application",
	    s != NULL ? s : "octet-stream");
	low = mail_lower(both);
	g_free(both);
	return low;
}

/*
 * The file name of a part, decoded by nintei from the raw headers: GMime
 * loses text after padded encoded words (TECH-NOTES), reads Shift_JIS and
 * ISO-2022-JP with glibc's converters (which drop ① and ㈱) and does not
 * join an encoded word split across RFC 2231 sections.  GMime's reading
 * is the fallback.
 */
static char *
mail_filename(GMimePart *part)
{
	GMimeObject		*obj = GMIME_OBJECT(part);
	GMimeContentDisposition	*cd;
	GMimeParamList		*pl;
	GMimeParam		*pm;
	const char		*name = NULL;
	const char		*hdrs[] = { "Content-Disposition",
				    "Content-Type" };
	const char		*keys[] = { "filename", "name" };
	char			*val, *low;
	size_t			 i;

	for (i = 0; i < 2; i++) {
		val = rfc2047_param(mail_raw_header(obj, hdrs[i]), keys[i]);
		if (val != NULL && *val != '\0')
			return val;
		g_free(val);
	}
	name = g_mime_part_get_filename(part);
	if (name == NULL && (cd = g_mime_object_get_content_disposition(obj))
	    != NULL && (pl = g_mime_content_disposition_get_parameters(cd))
	    != NULL && (pm = g_mime_param_list_get_parameter(pl, "filename"))
	    != NULL)
		name = g_mime_param_get_value(pm);
	if (name == NULL)
		return g_strdup("");
	/* GMime hands back raw 8-bit names as they came: make them UTF-8. */
	val = charset_guess_utf8(name, strlen(name));
	low = rfc2047_clean(val);
	g_free(val);
	return g_strstrip(low);
}

/*
 * Writes the decoded content of a part to out.  Base64 is decoded here:
 * GMime 3.2.13 stops at padding in the middle of a body.
 */
static int
mail_decode(GMimePart *part, GMimeStream *out)
{
	GMimeDataWrapper	*dw = g_mime_part_get_content(part);
	GMimeStream		*in;
	struct b64		 st = { 0, 0 };
	char			 buf[4096];
	unsigned char		 dec[4096];
	ssize_t			 n;
	size_t			 m;

	if (dw == NULL)
		return 0;
	if (g_mime_data_wrapper_get_encoding(dw) !=
	    GMIME_CONTENT_ENCODING_BASE64)
		return g_mime_data_wrapper_write_to_stream(dw, out) < 0 ? -1 :
		    0;
	if ((in = g_mime_data_wrapper_get_stream(dw)) == NULL)
		return 0;
	g_mime_stream_reset(in);
	while ((n = g_mime_stream_read(in, buf, sizeof buf)) > 0) {
		m = b64_decode_step(&st, buf, (size_t)n, dec);
		if (m > 0 && g_mime_stream_write(out, (const char *)dec, m) < 0)
			return -1;
	}
	g_mime_stream_reset(in);
	return n < 0 ? -1 : 0;
}

/* Decoded size of a part, without keeping its bytes. */
static size_t
mail_decoded_size(GMimePart *part)
{
	GMimeStream	*null = g_mime_stream_null_new();
	size_t		 n;

	mail_decode(part, null);
	n = GMIME_STREAM_NULL(null)->written;
	g_object_unref(null);
	return n;
}

/* Is this leaf part a body text rather than an attachment? */
static int
mail_is_body(GMimePart *part, const char *type, const char *name)
{
	GMimeContentDisposition	*cd;
	const char		*d;

	if (*name != '\0')
		return 0;
	cd = g_mime_object_get_content_disposition(GMIME_OBJECT(part));
	d = cd != NULL ? g_mime_content_disposition_get_disposition(cd) : NULL;
	if (d != NULL && g_ascii_strcasecmp(d, "attachment") == 0)
		return 0;
	return g_str_has_prefix(type, "text/") ||
	    g_str_has_prefix(type, "message/") ||
	    strcmp(type, "multipart/alternative") == 0;
}

/* The text of a text part, converted from its charset to UTF-8. */
static char *
mail_part_text(GMimePart *part)
{
	GMimeStream	*mem = g_mime_stream_mem_new();
	GByteArray	*ba;
	GMimeContentType *ct;
	const char	*cs = NULL;
	char		*text;

	mail_decode(part, mem);
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
	if (ct != NULL)
		cs = g_mime_content_type_get_parameter(ct, "charset");
	text = charset_to_utf8((const char *)ba->data, ba->len, cs);
	g_object_unref(mem);
	return text;
}

/* Counts the container types ("multipart/", "message/rfc822", in any
 * case) that start in buf[0..n) and end past its first skip bytes (those
 * were counted with the read before). */
static unsigned int
mail_count(const char *buf, size_t n, size_t skip)
{
	const char	*p, *end = buf + n, *name;
	unsigned int	 count = 0;
	size_t		 len;

	for (p = buf; p + 1 < end; p++) {
		/* Both start with m; the next letter tells which. */
		if ((*p | 0x20) != 'm')
			continue;
		if ((p[1] | 0x20) == 'u')
			name = "multipart/";
		else if ((p[1] | 0x20) == 'e')
			name = "message/rfc822";
		else
			continue;
		len = strlen(name);
		if ((size_t)(end - p) >= len &&
		    (size_t)(p - buf) + len > skip &&
		    g_ascii_strncasecmp(p, name, len) == 0)
			count++;
	}
	return count;
}

/*
 * Counts container headers (multipart, message) before GMime parses
 * recursively: a message built to nest thousands of levels deep is
 * refused before it can exhaust the stack.  The stream is read in pieces
 * that keep the last bytes of the one before, so a name split across two
 * reads is seen once.
 */
static unsigned int
mail_prescan(GMimeStream *stream)
{
	enum { TAIL = 16, PIECE = 65536 };
	char		*buf = g_malloc(TAIL + PIECE);
	size_t		 keep = 0, n;
	ssize_t		 got;
	unsigned int	 count = 0;

	g_mime_stream_reset(stream);
	while ((got = g_mime_stream_read(stream, buf + keep, PIECE)) > 0) {
		n = keep + (size_t)got;
		count += mail_count(buf, n, keep);
		keep = MIN(n, (size_t)TAIL);
		memmove(buf, buf + n - keep, keep);
	}
	g_free(buf);
	g_mime_stream_reset(stream);
	return count;
}

/* Fills the header-derived fields. */
static void
mail_headers(struct mail *m)
{
	GMimeObject	*obj = GMIME_OBJECT(m->msg);
	GMimeHeaderList	*hl = g_mime_object_get_header_list(obj);
	GMimeHeader	*h;
	const char	*raw, *name;
	GPtrArray	*ids;
	GDateTime	*dt;
	GString		*to;
	char		*rn = NULL, *ra = NULL, *v;
	int		 i, n;

	mail_first_mailbox(g_mime_message_get_from(m->msg), &m->from,
	    &m->from_name);
	if (m->from == NULL) {
		m->from = g_strdup("");
		m->from_name = g_strdup("");
	} else
		m->from_name = mail_display_name(mail_raw_header(obj, "From"),
		    m->from_name);
	mail_first_mailbox(g_mime_message_get_reply_to(m->msg), &ra, &rn);
	m->reply_to = ra;
	g_free(rn);
	to = g_string_new(NULL);
	mail_all_addrs(g_mime_message_get_addresses(m->msg,
	    GMIME_ADDRESS_TYPE_TO), to);
	mail_all_addrs(g_mime_message_get_addresses(m->msg,
	    GMIME_ADDRESS_TYPE_CC), to);
	v = mail_clean(to->str);
	m->to = v;
	g_string_free(to, TRUE);

	m->subject = rfc2047_decode(mail_raw_header(obj, "Subject"));
	m->message_id = mail_bare_id(g_mime_message_get_message_id(m->msg));
	ids = mail_ids(mail_raw_header(obj, "In-Reply-To"));
	m->in_reply_to = g_strdup(ids->len > 0 ?
	    (char *)g_ptr_array_index(ids, 0) : "");
	g_ptr_array_free(ids, TRUE);
	m->references = mail_ids(mail_raw_header(obj, "References"));
	dt = g_mime_message_get_date(m->msg);
	m->date = dt != NULL ? g_date_time_format_iso8601(dt) : NULL;
	if (m->date == NULL)
		m->date = g_strdup("");
	m->return_path = mail_return_path(mail_raw_header(obj,
	    "Return-Path"));
	if ((raw = mail_raw_header(obj, "Auto-Submitted")) != NULL)
		m->auto_submitted = g_strstrip(mail_clean(raw));
	if ((raw = mail_raw_header(obj, "Precedence")) != NULL)
		m->precedence = g_strstrip(mail_clean(raw));
	m->x_loop = g_ptr_array_new_with_free_func(g_free);
	m->received = g_ptr_array_new_with_free_func(g_free);
	m->authres = g_ptr_array_new_with_free_func(g_free);
	n = hl != NULL ? g_mime_header_list_get_count(hl) : 0;
	for (i = 0; i < n; i++) {
		h = g_mime_header_list_get_header_at(hl, i);
		name = g_mime_header_get_name(h);
		if (name == NULL)
			continue;
		if (m->list_header == NULL &&
		    g_ascii_strncasecmp(name, "List-", 5) == 0)
			m->list_header = mail_clean(name);
		raw = g_mime_header_get_raw_value(h);
		if (raw == NULL)
			raw = "";
		if (g_ascii_strcasecmp(name, "X-Loop") == 0)
			g_ptr_array_add(m->x_loop, g_strstrip(
			    mail_clean(raw)));
		else if (g_ascii_strcasecmp(name, "Received") == 0 &&
		    m->received->len < 100)
			g_ptr_array_add(m->received, g_strstrip(
			    mail_clean(raw)));
		else if (g_ascii_strcasecmp(name,
		    "Authentication-Results") == 0 && m->authres->len < 20)
			g_ptr_array_add(m->authres, g_strstrip(
			    mail_clean(raw)));
	}
}

/*
 * Walks the part tree depth first, collecting attachments and the first
 * plain text, counting parts and nesting.  inmsg counts the forwarded
 * messages (message/rfc822) around obj.  Returns -1 once a limit is hit.
 */
static int
mail_walk(struct mail *m, const struct mail_limits *lim, GMimeObject *obj,
    unsigned int depth, unsigned int inmsg)
{
	GMimeMessage		*inner;
	GMimeMultipart		*mp;
	struct attachment	*a;
	char			*type, *name;
	int			 i, n;

	if (obj == NULL)
		return 0;
	if (++m->parts > lim->max_parts) {
		m->limit = g_strdup_printf("MIMEパートの数が上限（%u）を"
		    "超えています", lim->max_parts);
		return -1;
	}
	if (depth > m->depth)
		m->depth = depth;
	if (depth > lim->max_depth) {
		m->limit = g_strdup_printf("MIMEの入れ子が上限（%u）を"
		    "超えています", lim->max_depth);
		return -1;
	}
	type = mail_type(obj);
	if (strcmp(type, "message/delivery-status") == 0 ||
	    strcmp(type, "message/global-delivery-status") == 0)
		m->has_dsn = 1;
	if (GMIME_IS_MESSAGE_PART(obj)) {
		g_free(type);
		inner = g_mime_message_part_get_message(
		    GMIME_MESSAGE_PART(obj));
		if (inner == NULL)
			return 0;
		return mail_walk(m, lim, g_mime_message_get_mime_part(inner),
		    depth + 1, inmsg + 1);
	}
	if (GMIME_IS_MULTIPART(obj)) {
		g_free(type);
		mp = GMIME_MULTIPART(obj);
		n = g_mime_multipart_get_count(mp);
		for (i = 0; i < n; i++) {
			if (mail_walk(m, lim, g_mime_multipart_get_part(mp, i),
			    depth + 1, inmsg) != 0)
				return -1;
		}
		return 0;
	}
	if (!GMIME_IS_PART(obj)) {
		g_free(type);
		return 0;
	}
	name = mail_filename(GMIME_PART(obj));
	if (mail_is_body(GMIME_PART(obj), type, name)) {
		if (m->text == NULL && inmsg == 0 &&
		    strcmp(type, "text/plain") == 0)
			m->text = mail_part_text(GMIME_PART(obj));
		else if (m->html == NULL && inmsg == 0 &&
		    strcmp(type, "text/html") == 0)
			m->html = mail_part_text(GMIME_PART(obj));
		g_free(type);
		g_free(name);
		return 0;
	}
	a = g_new0(struct attachment, 1);
	a->name = name;
	a->type = type;
	a->depth = inmsg;
	a->part = GMIME_PART(obj);
	a->size = mail_decoded_size(a->part);
	g_ptr_array_add(m->attachments, a);
	return 0;
}

static void
mail_attachment_free(gpointer p)
{
	struct attachment	*a = p;

	g_free(a->name);
	g_free(a->type);
	g_free(a);
}

struct mail *
mail_parse(GMimeStream *stream, const struct mail_limits *lim, char **cause)
{
	GMimeParser		*parser;
	GMimeParserOptions	*po;
	GMimeMessage		*msg;
	GMimeObject		*top;
	GMimeContentType	*ct;
	struct mail		*m;
	unsigned int		 containers;
	const char		*rt;
	const char		*fallback[] = { "UTF-8", "CP932", "EUC-JP",
				    "ISO-8859-1", NULL };

	containers = mail_prescan(stream);
	po = g_mime_parser_options_new();
	g_mime_parser_options_set_fallback_charsets(po, fallback);
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_persist_stream(parser, TRUE);
	if (containers > lim->max_parts) {
		/* Too many containers to let GMime recurse into them:
		 * read the headers only. */
		g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	}
	msg = g_mime_parser_construct_message(parser, po);
	g_object_unref(parser);
	g_mime_parser_options_free(po);
	if (msg == NULL) {
		*cause = g_strdup("RFC 5322 のヘッダーが見つかりません");
		return NULL;
	}
	m = g_new0(struct mail, 1);
	m->msg = msg;
	m->attachments = g_ptr_array_new_with_free_func(mail_attachment_free);
	mail_headers(m);
	if (containers > lim->max_parts) {
		m->limit = g_strdup_printf("MIMEパートの数が上限（%u）を"
		    "超えています", lim->max_parts);
		return m;
	}
	top = g_mime_message_get_mime_part(m->msg);
	m->content_type = top != NULL ? mail_type(top) :
	    g_strdup("text/plain");
	if (top != NULL && strcmp(m->content_type, "multipart/report") == 0 &&
	    (ct = g_mime_object_get_content_type(top)) != NULL &&
	    (rt = g_mime_content_type_get_parameter(ct, "report-type")) != NULL)
		m->report_type = mail_lower(rt);
	mail_walk(m, lim, top, 1, 0);
	if (m->text == NULL && m->html != NULL) {
		/* No text/plain: the HTML as a person reads it. */
		m->text = htmltext_render(m->html, strlen(m->html));
		m->text_from_html = 1;
	}
	g_free(m->html);
	m->html = NULL;
	return m;
}

struct mail *
mail_parse_bytes(const char *bytes, size_t len, const struct mail_limits *lim,
    char **cause)
{
	GMimeStream	*s;
	struct mail	*m;

	s = g_mime_stream_mem_new_with_buffer(bytes, len);
	m = mail_parse(s, lim, cause);
	g_object_unref(s);
	return m;
}

void
mail_free(struct mail *m)
{
	if (m == NULL)
		return;
	if (m->msg != NULL)
		g_object_unref(m->msg);
	g_free(m->from);
	g_free(m->from_name);
	g_free(m->reply_to);
	g_free(m->return_path);
	g_free(m->to);
	g_free(m->subject);
	g_free(m->message_id);
	g_free(m->in_reply_to);
	if (m->references != NULL)
		g_ptr_array_free(m->references, TRUE);
	g_free(m->date);
	g_free(m->auto_submitted);
	g_free(m->precedence);
	g_free(m->list_header);
	if (m->x_loop != NULL)
		g_ptr_array_free(m->x_loop, TRUE);
	if (m->received != NULL)
		g_ptr_array_free(m->received, TRUE);
	if (m->authres != NULL)
		g_ptr_array_free(m->authres, TRUE);
	g_free(m->content_type);
	g_free(m->report_type);
	if (m->attachments != NULL)
		g_ptr_array_free(m->attachments, TRUE);
	g_free(m->text);
	g_free(m->html);
	g_free(m->limit);
	g_free(m);
}

GByteArray *
mail_attachment_bytes(const struct attachment *a, size_t max, char **cause)
{
	GMimeStream	*mem;
	GByteArray	*ba;

	if (a->size > max) {
		*cause = g_strdup_printf("添付ファイル「%s」が大きすぎます"
		    "（%zu バイト、上限 %zu バイト）", a->name, a->size, max);
		return NULL;
	}
	/* Decoded straight into an array of the size measured at parse
	 * time: no growing, no copy (a 40 MB ZIP costs 40 MB, not 100). */
	ba = g_byte_array_sized_new((guint)a->size);
	mem = g_mime_stream_mem_new_with_byte_array(ba);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	mail_decode(a->part, mem);
	g_object_unref(mem);
	return ba;
}

int
mail_attachment_is_form(const struct attachment *a)
{
	static const char *exts[] = { ".zip", ".xlsx", ".csv", NULL };
	static const char *types[] = { "application/zip",
	    "application/x-zip-compressed", "application/x-zip",
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	    "text/csv", NULL };
	char	*low;
	int	 i, yes = 0;

	low = g_ascii_strdown(a->name, -1);
	for (i = 0; exts[i] != NULL && !yes; i++)
		yes = g_str_has_suffix(low, exts[i]);
	g_free(low);
	for (i = 0; types[i] != NULL && !yes && *a->name == '\0'; i++)
		yes = strcmp(a->type, types[i]) == 0;
	return yes;
}
