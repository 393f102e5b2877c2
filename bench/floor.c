/* floor.c: the least any intake must do with the benchmark's mail, done
 * with the same libraries and nothing of nintei: each message mapped and
 * parsed by GMime, its form attachments base64-decoded, their ZIPs
 * inflated by libzip (a ZIP inside once, workbooks inside), every XML part
 * of each workbook parsed by expat.  No checks, no store, no letters, no
 * fsync: nintei's end-to-end time is measured against this one. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <expat.h>
#include <gmime/gmime.h>
#include <zip.h>

/* What was read, for the report (and so nothing is optimised away). */
struct floor_count {
	uint64_t	 files;
	uint64_t	 bytes;		/* of the messages */
	uint64_t	 decoded;	/* attachment bytes after base64 */
	uint64_t	 inflated;	/* bytes out of ZIPs */
	uint64_t	 xml;		/* XML parts parsed */
	uint64_t	 failed;	/* entries that could not be read */
};

static void floor_zip(struct floor_count *, const void *, size_t, int);

/* Does the name end with the suffix, in any case? */
static int
floor_ends(const char *name, const char *suffix)
{
	size_t	n = strlen(name), s = strlen(suffix);

	return n >= s && g_ascii_strcasecmp(name + n - s, suffix) == 0;
}

/* Is the entry one to read: XML parts in a workbook (book 1), forms in
 * an applicant's ZIP (0), the same but no deeper in a ZIP inside (2)? */
static int
floor_wanted(const char *name, int book)
{
	if (book == 1)
		return floor_ends(name, ".xml") || floor_ends(name, ".rels");
	return floor_ends(name, ".xlsx") || floor_ends(name, ".csv") ||
	    (book == 0 && floor_ends(name, ".zip"));
}

/* Parses one XML part; the tokens are the work, no handler is needed. */
static void
floor_xml(struct floor_count *fc, const void *data, size_t len)
{
	XML_Parser	p = XML_ParserCreateNS(NULL, '|');

	if (p == NULL)
		return;
	if (XML_Parse(p, data, (int)len, 1) == XML_STATUS_ERROR)
		fc->failed++;
	fc->xml++;
	XML_ParserFree(p);
}

/* Reads (inflates) an entry of an open archive whole. */
static GByteArray *
floor_entry(struct floor_count *fc, zip_t *za, zip_uint64_t i,
    zip_uint64_t size)
{
	zip_file_t	*zf;
	GByteArray	*ba;
	zip_int64_t	 n;

	if ((zf = zip_fopen_index(za, i, 0)) == NULL) {
		fc->failed++;	/* encrypted: no password here */
		return NULL;
	}
	ba = g_byte_array_sized_new((guint)size);
	g_byte_array_set_size(ba, (guint)size);
	n = zip_fread(zf, ba->data, size);
	zip_fclose(zf);
	if (n < 0) {
		fc->failed++;
		g_byte_array_free(ba, TRUE);
		return NULL;
	}
	g_byte_array_set_size(ba, (guint)n);
	fc->inflated += (uint64_t)n;
	return ba;
}

/*
 * Opens a ZIP in memory and inflates what an intake must: in a workbook
 * its XML parts (parsed), in an applicant's ZIP its workbooks, CSV files
 * and a ZIP inside (once).
 */
static void
floor_zip(struct floor_count *fc, const void *data, size_t len, int book)
{
	zip_error_t	 err;
	zip_source_t	*src;
	zip_t		*za;
	zip_stat_t	 st;
	zip_int64_t	 n, i;
	GByteArray	*ba;

	zip_error_init(&err);
	if ((src = zip_source_buffer_create(data, len, 0, &err)) == NULL)
		return;
	if ((za = zip_open_from_source(src, ZIP_RDONLY, &err)) == NULL) {
		zip_source_free(src);
		fc->failed++;
		return;
	}
	n = zip_get_num_entries(za, 0);
	for (i = 0; i < n; i++) {
		if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0 ||
		    !(st.valid & ZIP_STAT_NAME) || !(st.valid & ZIP_STAT_SIZE))
			continue;
		if (!floor_wanted(st.name, book))
			continue;
		if ((ba = floor_entry(fc, za, (zip_uint64_t)i, st.size)) ==
		    NULL)
			continue;
		if (book)
			floor_xml(fc, ba->data, ba->len);
		else if (floor_ends(st.name, ".xlsx"))
			floor_zip(fc, ba->data, ba->len, 1);
		else if (floor_ends(st.name, ".zip"))
			floor_zip(fc, ba->data, ba->len, 2);
		g_byte_array_free(ba, TRUE);
	}
	zip_discard(za);
}

/* Decodes a form attachment and opens it. */
static void
floor_part(GMimeObject *parent, GMimeObject *obj, gpointer user)
{
	struct floor_count	*fc = user;
	const char		*name;
	GMimeDataWrapper	*dw;
	GMimeStream		*mem;
	GByteArray		*ba;

	(void)parent;
	if (!GMIME_IS_PART(obj) ||
	    (name = g_mime_part_get_filename(GMIME_PART(obj))) == NULL)
		return;
	if (!floor_ends(name, ".zip") && !floor_ends(name, ".xlsx") &&
	    !floor_ends(name, ".csv"))
		return;
	if ((dw = g_mime_part_get_content(GMIME_PART(obj))) == NULL)
		return;
	ba = g_byte_array_new();
	mem = g_mime_stream_mem_new_with_byte_array(ba);	/* not owner */
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	g_mime_data_wrapper_write_to_stream(dw, mem);
	g_object_unref(mem);
	fc->decoded += ba->len;
	if (floor_ends(name, ".zip"))
		floor_zip(fc, ba->data, ba->len, 0);
	else if (floor_ends(name, ".xlsx"))
		floor_zip(fc, ba->data, ba->len, 1);
	g_byte_array_free(ba, TRUE);
}

/* One message: mapped, parsed, its forms opened. */
static void
floor_file(struct floor_count *fc, const char *path)
{
	GMimeStream	*st;
	GMimeParser	*parser;
	GMimeMessage	*msg;
	struct stat	 sb;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		if (fd >= 0)
			close(fd);
		return;
	}
	fc->files++;
	fc->bytes += (uint64_t)sb.st_size;
	if (sb.st_size == 0) {
		close(fd);
		return;
	}
	/* Mapped, as nintei does; the stream owns fd. */
	st = g_mime_stream_mmap_new(fd, PROT_READ, MAP_PRIVATE);
	parser = g_mime_parser_new_with_stream(st);
	g_mime_parser_set_persist_stream(parser, TRUE);
	msg = g_mime_parser_construct_message(parser, NULL);
	g_object_unref(parser);
	if (msg != NULL) {
		g_mime_message_foreach(msg, floor_part, fc);
		g_object_unref(msg);
	} else
		fc->failed++;
	g_object_unref(st);
}

static int
floor_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of a folder (new/ for a Maildir), in name order. */
static GPtrArray *
floor_list(const char *dir, unsigned int max)
{
	GPtrArray	*names = g_ptr_array_new_with_free_func(g_free);
	char		*sub = g_build_filename(dir, "new", NULL);
	DIR		*d;
	struct dirent	*de;
	const char	*from;

	from = g_file_test(sub, G_FILE_TEST_IS_DIR) ? sub : dir;
	if ((d = opendir(from)) == NULL) {
		fprintf(stderr, "floor: %s: %s\n", from, strerror(errno));
		exit(1);
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] != '.')
			g_ptr_array_add(names, g_build_filename(from,
			    de->d_name, NULL));
	}
	closedir(d);
	g_free(sub);
	qsort(names->pdata, names->len, sizeof(char *), floor_cmp);
	if (max > 0 && names->len > max)
		g_ptr_array_set_size(names, max);
	return names;
}

int
main(int argc, char **argv)
{
	struct floor_count	 fc;
	struct timespec		 t0, t1;
	struct rusage		 ru;
	GPtrArray		*files;
	unsigned int		 max = 0;
	guint			 i;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: floor DIR [N]\n");
		return 2;
	}
	if (argc == 3)
		max = (unsigned int)strtoul(argv[2], NULL, 10);
	g_mime_init();
	memset(&fc, 0, sizeof fc);
	files = floor_list(argv[1], max);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < files->len; i++)
		floor_file(&fc, g_ptr_array_index(files, i));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_SELF, &ru);
	printf("%.3f %ld %llu %llu %llu %llu %llu %llu\n",
	    (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, ru.ru_maxrss,
	    (unsigned long long)fc.files, (unsigned long long)fc.bytes,
	    (unsigned long long)fc.decoded, (unsigned long long)fc.inflated,
	    (unsigned long long)fc.xml, (unsigned long long)fc.failed);
	g_ptr_array_free(files, TRUE);
	return 0;
}
