/* parse.c: the parsing child's work, in the nintei-parse program: one
 * spooled message parsed, its forms read (with the passwords given), the
 * result written flat for the parent; and the settings nintei sends that
 * program at start, which are all of the configuration it gets (no
 * credentials, no paths). */

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include <gmime/gmime.h>

#include "charset.h"
#include "conf.h"
#include "forms.h"
#include "intake.h"
#include "mail.h"
#include "nintei.h"
#include "wire.h"

/* The form limits the configuration sets. */
void
parse_limits(const struct conf *c, struct form_limits *l)
{
	forms_limits_default(l);
	l->zip.max_entries = (unsigned int)c->zip_entries;
	l->zip.max_entry_size = c->zip_entry_size;
	l->zip.max_total_size = c->zip_total_size;
	l->zip.max_ratio = (unsigned int)c->zip_ratio;
	l->xlsx.max_cells = (unsigned int)c->xlsx_cells;
	l->csv.max_rows = (unsigned int)c->csv_rows;
	l->csv.max_cols = (unsigned int)c->csv_cols;
}

/*
 * Reads the form attachments of a mail (and lists the others), opening
 * encrypted ZIPs with password when one is given.
 */
struct forms *
parse_forms(struct nintei *n, const struct mail *m, const char *password)
{
	struct form_limits	 lim;
	struct forms		*f = forms_new();
	struct attachment	*a;
	struct form_file	*ff;
	GByteArray		*bytes;
	char			*cause = NULL;
	guint			 i;

	parse_limits(n->conf, &lim);
	for (i = 0; i < m->attachments->len; i++) {
		a = g_ptr_array_index(m->attachments, i);
		if (!mail_attachment_is_form(a)) {
			forms_list(f, *a->name != '\0' ? a->name :
			    "（名前のないファイル）", a->size);
			continue;
		}
		bytes = mail_attachment_bytes(a, lim.zip.max_total_size,
		    &cause);
		if (bytes == NULL) {
			ff = forms_list(f, a->name, a->size);
			ff->problem = cause;
			forms_problem(f, a->name, cause);
			cause = NULL;
			continue;
		}
		forms_add(f, a->name, bytes->data, bytes->len, &lim, password);
		g_byte_array_free(bytes, TRUE);
	}
	return f;
}


/*
 * The charsets whose converters the zygote loads at start: what nintei
 * reads without a name (charset_guess: CP932, EUC-JP and its Microsoft
 * form; ISO-8859-1 for any other 8-bit bytes; UTF-16 for forms saved as
 * Unicode text) and what Japanese mail names (Shift_JIS and ISO-2022-JP,
 * as GMime opens them too).  Any other charset is loaded when the parent
 * finds a message naming it (parse_charset), before its child is forked.
 */
static const char *parse_charsets[] = {
	"CP932", "SHIFT_JIS", "EUC-JP", "EUC-JP-MS", "ISO-2022-JP",
	"ISO-8859-1", "UTF-16", NULL
};
/* The converters kept open.  Nothing reads them, so without "used" the
 * compiler drops the array and its stores, and the converters look lost
 * (valgrind: definitely lost). */
static GIConv	parse_kept[64] __attribute__((used));
static guint	parse_nkept;

/* Loads and keeps the converter from name to UTF-8 (a converter loaded
 * stays mapped while one is open). */
static void
parse_keep(const char *name)
{
	GIConv	cd;

	if (parse_nkept >= G_N_ELEMENTS(parse_kept))
		return;
	if ((cd = g_iconv_open("UTF-8", name)) != (GIConv)-1)
		parse_kept[parse_nkept++] = cd;
}

/* In the zygote: loads the converters a charset name needs, under each
 * name the child may open it by (as named, as nintei reads it, as GMime
 * opens it), before the children that may meet it are forked. */
void
parse_charset(const char *name)
{
	const char	*canon = charset_canonical(name);
	const char	*gm = g_mime_charset_iconv_name(name);

	if (canon == NULL || g_ascii_strcasecmp(canon, "UTF-8") == 0)
		return;
	parse_keep(name);
	if (g_ascii_strcasecmp(canon, name) != 0)
		parse_keep(canon);
	if (gm != NULL && g_ascii_strcasecmp(gm, name) != 0 &&
	    g_ascii_strcasecmp(gm, canon) != 0)
		parse_keep(gm);
}

/* The settings as they cross to the program: the limits in a fixed
 * order, then the secretariat's address. */
struct parse_settings {
	uint64_t	max_depth;
	uint64_t	max_parts;
	uint64_t	zip_entries;
	uint64_t	zip_entry_size;
	uint64_t	zip_total_size;
	uint64_t	zip_ratio;
	uint64_t	xlsx_cells;
	uint64_t	csv_rows;
	uint64_t	csv_cols;
};

/* What of the configuration the parsing child uses, flat. */
GBytes *
parse_settings(const struct conf *c)
{
	struct parse_settings	 s;
	GByteArray		*b = g_byte_array_new();

	memset(&s, 0, sizeof s);
	s.max_depth = c->mime.max_depth;
	s.max_parts = c->mime.max_parts;
	s.zip_entries = c->zip_entries;
	s.zip_entry_size = c->zip_entry_size;
	s.zip_total_size = c->zip_total_size;
	s.zip_ratio = c->zip_ratio;
	s.xlsx_cells = c->xlsx_cells;
	s.csv_rows = c->csv_rows;
	s.csv_cols = c->csv_cols;
	g_byte_array_append(b, (const guint8 *)&s, sizeof s);
	g_byte_array_append(b, (const guint8 *)c->address,
	    (guint)strlen(c->address) + 1);
	return g_byte_array_free_to_bytes(b);
}

/* The program's side: a configuration holding only what parse_settings
 * sent (the child's context, a struct nintei), or NULL if malformed. */
void *
parse_setup(const void *data, size_t len)
{
	struct parse_settings	 s;
	struct nintei		*n;
	struct conf		*c;
	const char		*addr = (const char *)data + sizeof s;
	size_t			 i;

	if (len <= sizeof s || ((const char *)data)[len - 1] != '\0')
		return NULL;
	memcpy(&s, data, sizeof s);
	c = g_new0(struct conf, 1);
	c->mime.max_depth = (unsigned int)s.max_depth;
	c->mime.max_parts = (unsigned int)s.max_parts;
	c->zip_entries = s.zip_entries;
	c->zip_entry_size = s.zip_entry_size;
	c->zip_total_size = s.zip_total_size;
	c->zip_ratio = s.zip_ratio;
	c->xlsx_cells = s.xlsx_cells;
	c->csv_rows = s.csv_rows;
	c->csv_cols = s.csv_cols;
	c->address = g_strndup(addr, len - sizeof s - 1);
	n = g_new0(struct nintei, 1);
	n->conf = c;
	n->actor = "nintei-parse";
	for (i = 0; parse_charsets[i] != NULL; i++)
		parse_keep(parse_charsets[i]);
	return n;
}

/* What the parsing child is asked to do (sent to the zygote flat: a
 * byte head_only, the size, then each password NUL-terminated). */
struct parse_job {
	struct nintei	*n;
	int		 fd;		/* the spooled message */
	uint64_t	 size;
	int		 head_only;	/* over the size limit: headers only */
	GPtrArray	*passwords;	/* to try on encrypted ZIPs, or NULL */
};

/* Where tok is in [lo, hi), other than at skip; NULL if nowhere.  A
 * plain loop, not seen by AddressSanitizer: it reads freed memory on
 * purpose. */
__attribute__((no_sanitize_address)) static const char *
parse_find(const char *lo, const char *hi, const char *tok, size_t tlen,
    const char *skip)
{
	const char	*p;
	size_t		 i;

	for (p = lo; p + tlen <= hi; p++) {
		for (i = 0; i < tlen && p[i] == tok[i]; i++)
			;
		if (i == tlen && p != skip)
			return p;
	}
	return NULL;
}

/*
 * Test hook "peek:HEX": the parsing child of a message that does not hold
 * the token (given in hex, so that the environment does not hold it)
 * searches its own writable memory for it; found, it says so on stderr
 * and aborts (its message is then quarantined).  Needs parse_seccomp = no
 * to read /proc/self/maps.
 */
static void
parse_peek(int fd, const char *hex)
{
	char		 buf[65536], *maps, *line, *next, *tok;
	const char	*at;
	unsigned long	 lo, hi;
	char		 perms[5];
	size_t		 len, got = 0, tlen = strlen(hex) / 2, i;
	ssize_t		 n;
	int		 mfd;

	if (tlen == 0)
		return;
	tok = g_malloc(tlen);
	for (i = 0; i < tlen; i++)
		tok[i] = (char)(g_ascii_xdigit_value(hex[2 * i]) * 16 +
		    g_ascii_xdigit_value(hex[2 * i + 1]));
	n = pread(fd, buf, sizeof buf, 0);
	if ((n > 0 && memmem(buf, (size_t)n, tok, tlen) != NULL) ||
	    (mfd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC)) < 0) {
		g_free(tok);
		return;
	}
	len = 1 << 20;
	maps = g_malloc(len + 1);
	while (got < len && (n = read(mfd, maps + got, len - got)) > 0)
		got += (size_t)n;
	close(mfd);
	maps[got] = '\0';
	for (line = maps; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		/* Writable, not the kernel's, not a sanitizer's reserve. */
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) != 3 ||
		    strncmp(perms, "rw", 2) != 0 ||
		    strstr(line, "[v") != NULL || hi - lo > (1UL << 28))
			continue;
		if ((at = parse_find((const char *)lo, (const char *)hi, tok,
		    tlen, tok)) != NULL) {
			dprintf(2, "NINTEI_FAULT peek: the token is in the "
			    "parsing child's memory at %p\n", (const void *)at);
			abort();
		}
	}
	g_free(maps);
	g_free(tok);
}

/*
 * Test hook: NINTEI_FAULT makes the parsing child fail on purpose (crash,
 * loop, exec: a forbidden system call; killzygote: its zygote killed, with
 * parse_seccomp = no), for every message or, written
 * "crash:TOKEN", only for one holding TOKEN; so that the tests can see
 * the parent survive it.  A real part cannot do this on demand.
 */
static void
parse_fault(int fd)
{
	const char	*f = getenv("NINTEI_FAULT"), *tok;
	char		 buf[65536];
	ssize_t		 n;
	volatile int	*p = NULL;
	char		*argv[] = { (char *)"/bin/true", NULL };
	size_t		 kind;

	if (f == NULL)
		return;
	if (strncmp(f, "peek:", 5) == 0) {
		parse_peek(fd, f + 5);
		return;
	}
	kind = strcspn(f, ":");
	if ((tok = strchr(f, ':')) != NULL) {
		n = pread(fd, buf, sizeof buf, 0);
		if (n <= 0 || memmem(buf, (size_t)n, tok + 1,
		    strlen(tok + 1)) == NULL)
			return;
	}
	if (strncmp(f, "crash", kind) == 0)
		*p = 1;
	if (strncmp(f, "loop", kind) == 0)
		for (;;)
			;
	if (strncmp(f, "exec", kind) == 0)
		execv(argv[0], argv);
	if (strncmp(f, "killzygote", kind) == 0)
		kill(getppid(), SIGKILL);	/* with parse_seccomp = no */
}

/* The ids of our letters (<nintei.…>) that the raw message mentions. */
static GPtrArray *
parse_our_ids(const char *data, size_t len)
{
	GPtrArray	*ids = g_ptr_array_new_with_free_func(g_free);
	const char	*p = data, *end, *stop = data + len;

	while (ids->len < 20 && (p = memmem(p, (size_t)(stop - p), "<nintei.",
	    8)) != NULL) {
		end = memchr(p, '>', (size_t)(stop - p));
		if (end != NULL && end - p < 200 && memchr(p, '\n',
		    (size_t)(end - p)) == NULL)
			g_ptr_array_add(ids, g_strndup(p + 1,
			    (gsize)(end - p - 1)));
		p += 8;
	}
	return ids;
}

/*
 * The parsing child: the message parsed, its forms read (with each
 * password given, until one opens them), the ids of our letters a report
 * mentions; all sent to the parent.  Runs in a child of the zygote,
 * under its limits and filter.
 */
int
parse_child(void *ctx, int fd, const void *args, size_t alen,
    GByteArray *out)
{
	struct parse_job	 j, *job = &j;
	const char		*a = args, *p, *stop;
	struct mail		*m;
	struct forms		*f = NULL, *try;
	GMimeStream		*stream;
	GPtrArray		*ids = NULL;
	GBytes			*b;
	char			*cause = NULL, *buf, *end, *why;
	const char		*data;
	size_t			 len;
	ssize_t			 got;
	guint			 i;

	if (alen < 9)
		return -1;
	memset(&j, 0, sizeof j);
	j.n = ctx;
	j.fd = fd;
	j.head_only = a[0];
	memcpy(&j.size, a + 1, sizeof j.size);
	for (p = a + 9, stop = a + alen; p < stop; p += strlen(p) + 1) {
		if (memchr(p, '\0', (size_t)(stop - p)) == NULL)
			break;
		if (j.passwords == NULL)
			j.passwords = g_ptr_array_new();
		g_ptr_array_add(j.passwords, (char *)p);
	}
	if (!job->head_only)
		parse_fault(job->fd);
	if (job->head_only || job->size == 0) {
		len = job->size < 256 * 1024 ? (size_t)job->size : 256 * 1024;
		buf = g_malloc(len + 1);
		got = pread(job->fd, buf, len, 0);
		buf[got > 0 ? got : 0] = '\0';
		if ((end = strstr(buf, "\r\n\r\n")) != NULL ||
		    (end = strstr(buf, "\n\n")) != NULL)
			got = end - buf + 1;
		m = mail_parse_bytes(buf, got > 0 ? (size_t)got : 0,
		    &job->n->conf->mime, &cause);
		g_free(buf);
	} else {
		/* The stream owns the descriptor: this is the child's copy. */
		stream = g_mime_stream_mmap_new(job->fd, PROT_READ,
		    MAP_PRIVATE);
		if (stream == NULL)
			stream = g_mime_stream_fs_new(job->fd);
		m = mail_parse(stream, &job->n->conf->mime, &cause);
		if (m != NULL && GMIME_IS_STREAM_MMAP(stream) &&
		    (why = screen_automatic(job->n->conf, m)) != NULL) {
			g_free(why);
			data = (const char *)GMIME_STREAM_MMAP(stream)->map;
			ids = parse_our_ids(data, (size_t)job->size);
		}
		if (m != NULL && m->limit == NULL) {
			for (i = 0; job->passwords != NULL &&
			    i < job->passwords->len && f == NULL; i++) {
				try = parse_forms(job->n, m,
				    g_ptr_array_index(job->passwords, i));
				if (try->encrypted || try->wrong_password)
					forms_free(try);
				else
					f = try;
			}
			if (f != NULL) {
				/* Opened by a password: unless it opened
				 * without one (nothing was encrypted). */
				try = parse_forms(job->n, m, NULL);
				f->unlocked = try->encrypted;
				forms_free(try);
			}
			if (f == NULL)
				f = parse_forms(job->n, m, NULL);
		}
		g_object_unref(stream);
	}
	if (m == NULL) {
		/* Nothing readable: the parent quarantines it, saying why.
		 * An empty header block is the least GMime takes. */
		why = NULL;
		m = mail_parse_bytes("\n", 1, &job->n->conf->mime, &why);
		g_free(why);
		if (m == NULL) {
			g_free(cause);
			return -1;
		}
		g_free(m->limit);
		m->limit = g_strdup_printf("メッセージとして読み取れません"
		    "（%s）", cause != NULL ? cause : "不明");
	}
	g_free(cause);
	b = wire_encode(m, f, ids);
	g_byte_array_append(out, g_bytes_get_data(b, NULL),
	    (guint)g_bytes_get_size(b));
	g_bytes_unref(b);
	if (ids != NULL)
		g_ptr_array_free(ids, TRUE);
	forms_free(f);
	mail_free(m);
	if (j.passwords != NULL)
		g_ptr_array_free(j.passwords, TRUE);
	return 0;
}

