/* zipread.c: untrusted ZIP archives read in memory with libzip; nothing is
 * written anywhere and every byte inflated is counted against the limits. */

#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "size.h"
#include "zipread.h"

#define ZIPREAD_MIB		((uint64_t)1024 * 1024)
#define ZIPREAD_CHUNK		65536

#define ZIPREAD_SIG_LOCAL	0x04034b50U
#define ZIPREAD_SIG_CENTRAL	0x02014b50U
#define ZIPREAD_SIG_EOCD	0x06054b50U
#define ZIPREAD_SIG_EOCD64	0x06064b50U
#define ZIPREAD_SIG_LOCATOR64	0x07064b50U

/* End records whose central directory is walked before giving up. */
#define ZIPREAD_MAX_CANDIDATES	16

/* One central directory record, as found in the buffer. */
struct zipread_cd {
	uint64_t	 offset;	/* of the local header */
	uint64_t	 end;		/* past the entry's data */
	uint64_t	 size;
	uint64_t	 csize;
	uint32_t	 crc;
	const char	*name;		/* raw bytes in the buffer */
	size_t		 namelen;
};

/* What zipread_buffer carries down into nested archives. */
struct zipread_ctx {
	const struct zip_limits	 *lim;
	const char		 *password;
	int			(*want)(const char *, void *);
	void			 *user;
	struct zip_result	 *res;
};

void
zipread_limits_default(struct zip_limits *lim)
{
	lim->max_entries = 1000;
	lim->max_entry_size = 50 * ZIPREAD_MIB;
	lim->max_total_size = 200 * ZIPREAD_MIB;
	lim->max_ratio = 100;
	lim->ratio_min_size = ZIPREAD_MIB;
	lim->max_depth = 1;
}

/* Reads an n-byte little-endian number. */
static uint64_t
zipread_le(const unsigned char *p, size_t n)
{
	uint64_t	v = 0;

	while (n-- > 0)
		v = (v << 8) | p[n];
	return v;
}

/* Do n bytes at off lie inside a buffer of len bytes? */
static int
zipread_inside(size_t len, uint64_t off, uint64_t n)
{
	return off <= len && n <= len - off;
}

/* Replaces saturated 32-bit fields by those of the ZIP64 extra field. */
static void
zipread_zip64(const unsigned char *ef, size_t len, uint64_t *usize,
    uint64_t *csize, uint64_t *offset)
{
	size_t	i = 0, at, end, sz;

	while (len - i >= 4) {
		sz = zipread_le(ef + i + 2, 2);
		if (sz > len - i - 4)
			return;
		if (zipread_le(ef + i, 2) == 0x0001) {
			at = i + 4;
			end = at + sz;
			if (*usize == 0xffffffff && end - at >= 8) {
				*usize = zipread_le(ef + at, 8);
				at += 8;
			}
			if (*csize == 0xffffffff && end - at >= 8) {
				*csize = zipread_le(ef + at, 8);
				at += 8;
			}
			if (*offset == 0xffffffff && end - at >= 8)
				*offset = zipread_le(ef + at, 8);
			return;
		}
		i += 4 + sz;
	}
}

/* Where the data of the entry whose local header is at off ends. */
static uint64_t
zipread_data_end(const unsigned char *b, size_t len, uint64_t off,
    size_t namelen, uint64_t csize)
{
	uint64_t	hdr = 30 + namelen;

	if (zipread_inside(len, off, 30) &&
	    zipread_le(b + off, 4) == ZIPREAD_SIG_LOCAL)
		hdr = 30 + zipread_le(b + off + 26, 2) +
		    zipread_le(b + off + 28, 2);
	if (off > UINT64_MAX - hdr || csize > UINT64_MAX - off - hdr)
		return UINT64_MAX;
	return off + hdr + csize;
}

/* The offset of the ZIP64 end record that goes with the end record at
 * eocd, or 0 if there is none. */
static uint64_t
zipread_eocd64(const unsigned char *b, size_t len, size_t eocd)
{
	uint64_t	off;

	if (eocd < 20 ||
	    zipread_le(b + eocd - 20, 4) != ZIPREAD_SIG_LOCATOR64)
		return 0;
	off = zipread_le(b + eocd - 12, 8);
	if (!zipread_inside(len, off, 56) ||
	    zipread_le(b + off, 4) != ZIPREAD_SIG_EOCD64)
		return 0;
	return off;
}

/*
 * Walks at most n records of the central directory that the end record at
 * eocd (or its ZIP64 record) describes, up to its end or a malformed
 * record.  NULL if the directory does not lie in the buffer.
 */
static GArray *
zipread_walk(const unsigned char *b, size_t len, size_t eocd, uint64_t n)
{
	GArray			*cd;
	struct zipread_cd	 c;
	uint64_t		 cdsize, pos, end, i, usize, csize, off;
	size_t			 namelen, elen, clen;

	cdsize = zipread_le(b + eocd + 12, 4);
	pos = zipread_le(b + eocd + 16, 4);
	if ((off = zipread_eocd64(b, len, eocd)) != 0) {
		cdsize = zipread_le(b + off + 40, 8);
		pos = zipread_le(b + off + 48, 8);
	}
	if (!zipread_inside(len, pos, cdsize))
		return NULL;
	end = pos + cdsize;
	cd = g_array_new(FALSE, TRUE, sizeof c);
	for (i = 0; i < n; i++) {
		if (end - pos < 46 ||
		    zipread_le(b + pos, 4) != ZIPREAD_SIG_CENTRAL)
			break;
		csize = zipread_le(b + pos + 20, 4);
		usize = zipread_le(b + pos + 24, 4);
		namelen = zipread_le(b + pos + 28, 2);
		elen = zipread_le(b + pos + 30, 2);
		clen = zipread_le(b + pos + 32, 2);
		off = zipread_le(b + pos + 42, 4);
		if (end - pos - 46 < namelen + elen + clen)
			break;
		zipread_zip64(b + pos + 46 + namelen, elen, &usize, &csize,
		    &off);
		c.name = (const char *)b + pos + 46;
		c.namelen = namelen;
		c.size = usize;
		c.csize = csize;
		c.crc = (uint32_t)zipread_le(b + pos + 16, 4);
		c.offset = off;
		c.end = zipread_data_end(b, len, off, namelen, csize);
		g_array_append_val(cd, c);
		pos += 46 + namelen + elen + clen;
	}
	return cd;
}

/* Where the search for end records stops: they lie in the last 64 KiB. */
static size_t
zipread_eocd_floor(size_t len)
{
	return len - 22 > 65535 ? len - 22 - 65535 : 0;
}

/*
 * Counts the records of the last end record's central directory, up to
 * max + 1, before libzip builds an entry for each of them: a 50 MB
 * attachment holds a million of them.
 */
static uint64_t
zipread_precount(const unsigned char *b, size_t len, uint64_t max)
{
	GArray		*cd;
	uint64_t	 n;
	size_t		 p, lo;

	if (len < 22)
		return 0;
	lo = zipread_eocd_floor(len);
	for (p = len - 22; zipread_le(b + p, 4) != ZIPREAD_SIG_EOCD; p--) {
		if (p == lo)
			return 0;
	}
	if ((cd = zipread_walk(b, len, p, max + 1)) == NULL)
		return 0;
	n = cd->len;
	g_array_free(cd, TRUE);
	return n;
}

/* The entry count of the end record at eocd (or of its ZIP64 record). */
static uint64_t
zipread_eocd_count(const unsigned char *b, size_t len, size_t eocd)
{
	uint64_t	off;

	if ((off = zipread_eocd64(b, len, eocd)) != 0)
		return zipread_le(b + off + 32, 8);
	return zipread_le(b + eocd + 10, 2);
}

/* Is the record the entry libzip has at index? */
static int
zipread_same_entry(zip_t *za, zip_uint64_t index, const struct zipread_cd *c)
{
	zip_stat_t	st;

	zip_stat_init(&st);
	if (zip_stat_index(za, index, 0, &st) != 0)
		return 0;
	/* No CRC for WinZip AES (AE-2) entries. */
	return (st.valid & ZIP_STAT_SIZE) && st.size == c->size &&
	    (st.valid & ZIP_STAT_COMP_SIZE) && st.comp_size == c->csize &&
	    (!(st.valid & ZIP_STAT_CRC) || st.crc == c->crc);
}

/*
 * Finds the central directory libzip read, walking it from the buffer:
 * libzip 1.7.3 keeps the local header offsets to itself.  An end record is
 * taken when its records have libzip's sizes and CRCs in libzip's order;
 * the count is compared modulo 65536, as archives of more entries than a
 * plain end record holds still come without ZIP64.
 */
static GArray *
zipread_central(zip_t *za, const unsigned char *b, size_t len)
{
	GArray		*cd;
	uint64_t	 n, i;
	size_t		 p, lo;
	int		 tries = 0;

	n = (uint64_t)zip_get_num_entries(za, 0);
	if (n == 0)
		return g_array_new(FALSE, TRUE, sizeof(struct zipread_cd));
	if (len < 22)
		return NULL;
	lo = zipread_eocd_floor(len);
	for (p = len - 22; tries < ZIPREAD_MAX_CANDIDATES; p--) {
		if (zipread_le(b + p, 4) == ZIPREAD_SIG_EOCD &&
		    (zipread_eocd_count(b, len, p) & 0xffff) == (n & 0xffff)) {
			tries++;
			if ((cd = zipread_walk(b, len, p, n)) != NULL) {
				for (i = 0; i < cd->len; i++) {
					if (!zipread_same_entry(za, i,
					    &g_array_index(cd,
					    struct zipread_cd, i)))
						break;
				}
				if (i == n && cd->len == n)
					return cd;
				g_array_free(cd, TRUE);
			}
		}
		if (p == lo)
			break;
	}
	return NULL;
}

static int
zipread_cmp_offset(const void *a, const void *b)
{
	const struct zipread_cd	*x = a, *y = b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return 0;
}

/*
 * Does an entry's data run into the next entry's local header?  That is
 * the overlapping-file zip bomb (David Fifield): many entries inflating
 * the same compressed bytes.  libzip's CHECKCONS does not see it.
 */
static int
zipread_overlaps(const GArray *cd)
{
	struct zipread_cd	*v;
	guint			 i;
	int			 bad = 0;

	if (cd->len < 2)
		return 0;
	v = g_memdup2(cd->data, (gsize)cd->len * sizeof *v);
	qsort(v, cd->len, sizeof *v, zipread_cmp_offset);
	for (i = 0; i + 1 < cd->len && !bad; i++)
		bad = v[i].end > v[i + 1].offset;
	g_free(v);
	return bad;
}

/* Why an OLE2 compound file is not read: Office encrypts into one. */
static char *
zipread_ole2_problem(const void *data, size_t len)
{
	/* "EncryptedPackage" as stream name, in UTF-16LE. */
	static const char	 enc[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0"
				    "P\0a\0c\0k\0a\0g\0e\0";

	if (memmem(data, len, enc, sizeof enc - 1) != NULL)
		return g_strdup("パスワードで保護された Excel ファイルです。"
		    "パスワードを解除して保存し直してください");
	return g_strdup("パスワードで保護された Excel ファイルか、古い形式"
	    "（.xls など）の Office ファイルです。パスワードを解除し、"
	    ".xlsx 形式で保存し直してください");
}

/* Says in Japanese why libzip could not open an archive. */
static char *
zipread_open_problem(int zerr)
{
	switch (zerr) {
	case ZIP_ER_NOZIP:
		return g_strdup("ZIP ファイルではないか、壊れています");
	case ZIP_ER_INCONS:
		return g_strdup("ZIP ファイルが壊れています"
		    "（構造に矛盾があります）");
	case ZIP_ER_EOF:
		return g_strdup("ZIP ファイルが途中で切れています");
	case ZIP_ER_MULTIDISK:
		return g_strdup("分割された ZIP ファイルには対応していません");
	case ZIP_ER_EXISTS:
		return g_strdup("ZIP ファイルに同じ名前のファイルが"
		    "複数入っています");
	case ZIP_ER_MEMORY:
		return g_strdup("ZIP ファイルを読み取るメモリが足りません");
	default:
		return g_strdup_printf("ZIP ファイルを読み取れません"
		    "（libzip のエラー %d）", zerr);
	}
}

/* Says in Japanese why an entry could not be read. */
static char *
zipread_read_problem(int zerr)
{
	switch (zerr) {
	case ZIP_ER_WRONGPASSWD:
		return g_strdup("パスワードが違うため開けません");
	case ZIP_ER_NOPASSWD:
		return g_strdup("パスワードで暗号化されているため開けません");
	case ZIP_ER_CRC:
		return g_strdup("データが壊れています（CRC が一致しません）");
	case ZIP_ER_ZLIB:
	case ZIP_ER_COMPRESSED_DATA:
		return g_strdup("圧縮されたデータが壊れています");
	case ZIP_ER_COMPNOTSUPP:
		return g_strdup("対応していない方式で圧縮されています");
	case ZIP_ER_ENCRNOTSUPP:
		return g_strdup("対応していない方式で暗号化されています");
	case ZIP_ER_INCONS:
		return g_strdup("ZIP ファイルの構造に矛盾があります");
	case ZIP_ER_MEMORY:
		return g_strdup("展開するメモリが足りません");
	default:
		return g_strdup_printf("展開できません（libzip のエラー %d）",
		    zerr);
	}
}

/* Says that there are too many entries. */
static zip_t *
zipread_too_many(unsigned int max, char **cause)
{
	*cause = g_strdup_printf("ZIP ファイルの中のファイルの数が上限"
	    "（%u 個）を超えています", max);
	return NULL;
}

/* Opens the archive of at most max entries and walks its central
 * directory (into *cdp if not NULL); *ole2 is set for an OLE2 file. */
static zip_t *
zipread_open_cd(const void *data, size_t len, unsigned int max, GArray **cdp,
    int *ole2, char **cause)
{
	static const unsigned char	 magic[] = { 0xd0, 0xcf, 0x11, 0xe0,
					    0xa1, 0xb1, 0x1a, 0xe1 };
	zip_error_t			 error;
	zip_source_t			*src;
	zip_t				*za;
	zip_int64_t			 n;
	GArray				*cd;

	*ole2 = 0;
	if (len >= sizeof magic && memcmp(data, magic, sizeof magic) == 0) {
		*ole2 = 1;
		*cause = zipread_ole2_problem(data, len);
		return NULL;
	}
	if (max < G_MAXUINT && zipread_precount(data, len, max) > max)
		return zipread_too_many(max, cause);
	zip_error_init(&error);
	if ((src = zip_source_buffer_create(data, len, 0, &error)) == NULL) {
		*cause = zipread_open_problem(zip_error_code_zip(&error));
		zip_error_fini(&error);
		return NULL;
	}
	za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &error);
	if (za == NULL) {
		zip_source_free(src);
		*cause = zipread_open_problem(zip_error_code_zip(&error));
		zip_error_fini(&error);
		return NULL;
	}
	zip_error_fini(&error);
	if ((n = zip_get_num_entries(za, 0)) > (zip_int64_t)max) {
		zip_discard(za);
		return zipread_too_many(max, cause);
	}
	if ((cd = zipread_central(za, data, len)) == NULL) {
		zip_discard(za);
		*cause = g_strdup("ZIP ファイルの中央ディレクトリを"
		    "確かめられません（壊れているか、細工されています）");
		return NULL;
	}
	if (zipread_overlaps(cd)) {
		g_array_free(cd, TRUE);
		zip_discard(za);
		*cause = g_strdup("ZIP ファイルの中のファイルのデータが"
		    "重なり合っています（ZIP 爆弾の疑いがあるため"
		    "読み取りません）");
		return NULL;
	}
	if (cdp != NULL)
		*cdp = cd;
	else
		g_array_free(cd, TRUE);
	return za;
}

zip_t *
zipread_open(const void *data, size_t len, char **cause)
{
	int	ole2;

	return zipread_open_cd(data, len, G_MAXUINT, NULL, &ole2, cause);
}

/*
 * Reads entry index: at most max bytes, and one byte past what it declares
 * to catch an entry that delivers more.  *nread counts the bytes inflated
 * even on failure, *zerr gets libzip's error.
 */
static GBytes *
zipread_read(zip_t *za, zip_uint64_t index, uint64_t max,
    const char *password, uint64_t *nread, int *zerr, char **cause)
{
	zip_stat_t	 st;
	zip_file_t	*zf;
	GByteArray	*buf;
	uint64_t	 declared, want, got = 0;
	zip_int64_t	 r;
	size_t		 step;
	char		 b1[64], b2[64];

	*nread = 0;
	*zerr = ZIP_ER_OK;
	zip_stat_init(&st);
	if (zip_stat_index(za, index, 0, &st) != 0) {
		*zerr = zip_error_code_zip(zip_get_error(za));
		*cause = zipread_read_problem(*zerr);
		return NULL;
	}
	declared = (st.valid & ZIP_STAT_SIZE) ? st.size : max;
	if (declared > max || declared > G_MAXUINT32 - ZIPREAD_CHUNK) {
		*cause = g_strdup_printf("展開後のサイズ（%s）が上限（%s）を"
		    "超えています", size_exact(declared, b1, sizeof b1),
		    size_exact(max, b2, sizeof b2));
		return NULL;
	}
	zip_error_clear(za);
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
	    st.encryption_method != ZIP_EM_NONE) {
		if (password == NULL) {
			*zerr = ZIP_ER_NOPASSWD;
			*cause = zipread_read_problem(*zerr);
			return NULL;
		}
		/* libzip 1.7.3 leaks what it set up when it then finds the
		 * method unknown: ask first. */
		if (!zip_encryption_method_supported(st.encryption_method,
		    0)) {
			*zerr = ZIP_ER_ENCRNOTSUPP;
			*cause = zipread_read_problem(*zerr);
			return NULL;
		}
		zf = zip_fopen_index_encrypted(za, index, 0, password);
	} else
		zf = zip_fopen_index(za, index, 0);
	if (zf == NULL) {
		*zerr = zip_error_code_zip(zip_get_error(za));
		*cause = zipread_read_problem(*zerr);
		return NULL;
	}
	/* declared is within the caps: room for all of it at once. */
	buf = g_byte_array_sized_new((guint)declared + 1);
	want = declared + 1;
	while (got < want) {
		step = (size_t)MIN(want - got, ZIPREAD_CHUNK);
		g_byte_array_set_size(buf, (guint)(got + step));
		r = zip_fread(zf, buf->data + got, step);
		if (r < 0) {
			*zerr = zip_error_code_zip(zip_file_get_error(zf));
			break;
		}
		if (r == 0)
			break;
		got += (uint64_t)r;
	}
	zip_fclose(zf);
	g_byte_array_set_size(buf, (guint)got);
	*nread = got;
	if (*zerr != ZIP_ER_OK) {
		g_byte_array_free(buf, TRUE);
		*cause = zipread_read_problem(*zerr);
		return NULL;
	}
	if (got > declared) {
		g_byte_array_free(buf, TRUE);
		*zerr = ZIP_ER_INCONS;
		*cause = g_strdup_printf("書かれているサイズ（%s）より多くの"
		    "データが出てきます（ZIP 爆弾の疑いがあるため読み取りを"
		    "止めました）", size_exact(declared, b1, sizeof b1));
		return NULL;
	}
	return g_byte_array_free_to_bytes(buf);
}

GBytes *
zipread_entry(zip_t *za, zip_uint64_t index, uint64_t max,
    const char *password, char **cause)
{
	uint64_t	nread;
	int		zerr;

	return zipread_read(za, index, max, password, &nread, &zerr, cause);
}

static void
zipread_entry_free(gpointer p)
{
	struct zip_entry	*e = p;

	g_free(e->name);
	g_free(e->base);
	g_free(e->problem);
	if (e->data != NULL)
		g_bytes_unref(e->data);
	if (e->members != NULL)
		g_ptr_array_free(e->members, TRUE);
	g_free(e);
}

void
zipread_free(struct zip_result *res)
{
	if (res == NULL)
		return;
	g_ptr_array_free(res->entries, TRUE);
	g_free(res->problem);
	g_free(res);
}

/*
 * Why an entry name is refused, or NULL.  It runs on the UTF-8 name: in
 * CP932 the second byte of 申 or 表 is 0x5C, a backslash.
 */
static const char *
zipread_name_problem(const char *name, int nul)
{
	const char	*p, *q;

	if (nul)
		return "ファイル名に NUL 文字が含まれています";
	if (*name == '\0')
		return "ファイル名がありません";
	if (g_ascii_isalpha(name[0]) && name[1] == ':')
		return "ファイル名にドライブ名（C: など）が含まれています";
	if (name[0] == '/')
		return "ファイル名が「/」で始まっています（絶対パス）";
	if (strchr(name, '\\') != NULL)
		return "ファイル名に「\\」が含まれています";
	for (p = name;; p = q + 1) {
		q = strchrnul(p, '/');
		if (q - p == 2 && p[0] == '.' && p[1] == '.')
			return "ファイル名に「..」（上のフォルダー）が"
			    "含まれています";
		if (*q == '\0')
			break;
	}
	return NULL;
}

/* The last component of a path, a trailing slash ignored. */
static char *
zipread_base(const char *name)
{
	size_t	end = strlen(name), start;

	while (end > 0 && name[end - 1] == '/')
		end--;
	for (start = end; start > 0 && name[start - 1] != '/'; start--)
		;
	return g_strndup(name + start, end - start);
}

/* Is the entry a symbolic link made on Unix? */
static int
zipread_is_symlink(zip_t *za, zip_uint64_t index)
{
	zip_uint8_t	opsys;
	zip_uint32_t	attr;

	if (zip_file_get_external_attributes(za, index, 0, &opsys,
	    &attr) != 0)
		return 0;
	return opsys == ZIP_OPSYS_UNIX && S_ISLNK(attr >> 16);
}

/* Is the name one of a ZIP archive? */
static int
zipread_is_zip(const char *base)
{
	size_t	n = strlen(base);

	return n > 4 && g_ascii_strcasecmp(base + n - 4, ".zip") == 0;
}

static void	zipread_archive(struct zipread_ctx *, const void *, size_t,
		    unsigned int, GPtrArray *, char **);

/* Reads one entry's bytes within the limits, or says why not. */
static void
zipread_take(struct zipread_ctx *ctx, zip_t *za, zip_uint64_t index,
    unsigned int depth, int encrypted, int wanted, struct zip_entry *e)
{
	const struct zip_limits	*lim = ctx->lim;
	struct zip_result	*res = ctx->res;
	GBytes			*bytes;
	uint64_t		 left, nread;
	int			 zerr;
	char			 b1[64], *problem = NULL;

	if (e->size > lim->ratio_min_size && (e->csize == 0 ||
	    e->size / e->csize > lim->max_ratio)) {
		e->problem = g_strdup_printf("圧縮率が異常に高いため展開"
		    "しません（ZIP 爆弾の疑いがあります。上限は %u 倍）",
		    lim->max_ratio);
		return;
	}
	if (e->size > lim->max_entry_size) {
		e->problem = g_strdup_printf("展開後のサイズが上限（%s）を"
		    "超えています", size_exact(lim->max_entry_size, b1,
		    sizeof b1));
		return;
	}
	left = res->total < lim->max_total_size ?
	    lim->max_total_size - res->total : 0;
	if (e->size > left) {
		size_exact(lim->max_total_size, b1, sizeof b1);
		e->problem = g_strdup_printf("展開後の合計サイズの上限（%s）を"
		    "超えるため展開していません", b1);
		if (res->problem == NULL)
			res->problem = g_strdup_printf("ZIP ファイルの展開後"
			    "の合計サイズが上限（%s）を超えています", b1);
		return;
	}
	bytes = zipread_read(za, index, MIN(lim->max_entry_size, left),
	    encrypted ? ctx->password : NULL, &nread, &zerr, &e->problem);
	res->total += nread;
	if (bytes == NULL) {
		/* A wrong password passes PKWARE's check byte one time in
		 * 256 and then fails as bad data or a bad CRC. */
		if (encrypted && (zerr == ZIP_ER_WRONGPASSWD ||
		    zerr == ZIP_ER_CRC || zerr == ZIP_ER_ZLIB ||
		    zerr == ZIP_ER_COMPRESSED_DATA)) {
			g_free(e->problem);
			e->problem = zipread_read_problem(ZIP_ER_WRONGPASSWD);
			res->wrong_password = 1;
		}
		if (encrypted) {
			e->encrypted = 1;
			res->encrypted = 1;
		}
		return;
	}
	e->size = g_bytes_get_size(bytes);
	if (zipread_is_zip(e->base)) {
		e->members = g_ptr_array_new_with_free_func(
		    zipread_entry_free);
		zipread_archive(ctx, g_bytes_get_data(bytes, NULL), e->size,
		    depth + 1, e->members, &problem);
		e->problem = problem;
	}
	if (wanted)
		e->data = bytes;
	else
		g_bytes_unref(bytes);
}

/* Lists entry index and reads it if wanted or a nested ZIP. */
static struct zip_entry *
zipread_one(struct zipread_ctx *ctx, zip_t *za, zip_uint64_t index,
    const struct zipread_cd *c, unsigned int depth)
{
	struct zip_entry	*e = g_new0(struct zip_entry, 1);
	zip_stat_t		 st;
	const char		*why, *raw;
	int			 nul, encrypted, wanted;

	/* libzip's raw name, or the UTF-8 one of an Info-ZIP extra field;
	 * it turns NUL bytes into spaces, so look for them in the record. */
	nul = memchr(c->name, '\0', c->namelen) != NULL;
	if ((raw = zip_get_name(za, index, ZIP_FL_ENC_RAW)) == NULL)
		raw = "";
	/* Without the UTF-8 flag, names are in the writer's charset:
	 * CP932 from Windows, sometimes EUC-JP; guessed. */
	e->name = charset_guess_utf8(raw, strlen(raw));
	e->base = zipread_base(e->name);
	e->is_dir = g_str_has_suffix(e->name, "/");
	zip_stat_init(&st);
	if (zip_stat_index(za, index, 0, &st) != 0) {
		e->problem = zipread_read_problem(zip_error_code_zip(
		    zip_get_error(za)));
		return e;
	}
	e->size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
	e->csize = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
	encrypted = (st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
	    st.encryption_method != ZIP_EM_NONE;
	if ((why = zipread_name_problem(e->name, nul)) != NULL) {
		e->problem = g_strdup(why);
		return e;
	}
	if (zipread_is_symlink(za, index)) {
		e->problem = g_strdup("シンボリックリンクは受け付けません");
		return e;
	}
	if (e->is_dir)
		return e;
	wanted = ctx->want != NULL && ctx->want(e->base, ctx->user);
	if (!wanted && !zipread_is_zip(e->base))
		return e;
	if (zipread_is_zip(e->base) && depth >= ctx->lim->max_depth) {
		e->problem = g_strdup_printf("ZIP ファイルの入れ子が深すぎる"
		    "ため読み取りません（ZIP の中の ZIP は %u 段まで）",
		    ctx->lim->max_depth);
		return e;
	}
	if (encrypted && ctx->password == NULL) {
		e->encrypted = 1;
		ctx->res->encrypted = 1;
		e->problem = zipread_read_problem(ZIP_ER_NOPASSWD);
		return e;
	}
	zipread_take(ctx, za, index, depth, encrypted, wanted, e);
	return e;
}

/* Lists (and reads) the archive at depth into entries; an archive-level
 * problem goes to *problem. */
static void
zipread_archive(struct zipread_ctx *ctx, const void *data, size_t len,
    unsigned int depth, GPtrArray *entries, char **problem)
{
	zip_t		*za;
	GArray		*cd = NULL;
	zip_int64_t	 n, i;
	int		 ole2;

	za = zipread_open_cd(data, len, ctx->lim->max_entries, &cd, &ole2,
	    problem);
	if (za == NULL) {
		if (depth == 0)
			ctx->res->ole2 = ole2;
		return;
	}
	n = zip_get_num_entries(za, 0);
	if (n == 0)
		*problem = g_strdup("ZIP ファイルの中にファイルがありません");
	else {
		for (i = 0; i < n; i++)
			g_ptr_array_add(entries, zipread_one(ctx, za,
			    (zip_uint64_t)i, &g_array_index(cd,
			    struct zipread_cd, i), depth));
	}
	g_array_free(cd, TRUE);
	zip_discard(za);
}

struct zip_result *
zipread_buffer(const void *data, size_t len, const struct zip_limits *lim,
    const char *password, int (*want)(const char *, void *), void *user)
{
	struct zip_result	*res = g_new0(struct zip_result, 1);
	struct zipread_ctx	 ctx;
	char			*problem = NULL;

	res->entries = g_ptr_array_new_with_free_func(zipread_entry_free);
	ctx.lim = lim;
	ctx.password = password;
	ctx.want = want;
	ctx.user = user;
	ctx.res = res;
	zipread_archive(&ctx, data, len, 0, res->entries, &problem);
	if (problem != NULL) {
		/* An archive-level problem outranks a budget note. */
		g_free(res->problem);
		res->problem = problem;
	}
	return res;
}
