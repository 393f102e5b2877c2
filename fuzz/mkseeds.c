/* mkseeds.c: writes seeds for the harnesses: the ZIP, XLSX and CSV files
 * found in mail (attachments and ZIP members), what the parsing child
 * would send for each message, and the value checker's inputs from
 * "type<TAB>value" lines. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "conf.h"
#include "forms.h"
#include "fuzz.h"
#include "intake.h"
#include "mail.h"
#include "nintei.h"
#include "wire.h"

/* Where the seeds of one message go. */
struct mkseeds {
	const char	*out;		/* OUT: seeds go to OUT/zip, ... */
	char		*prefix;	/* the message's file name */
	unsigned int	 n;
};

static void
mkseeds_write(const char *dir, const char *name, const void *data,
    size_t len)
{
	GError	*error = NULL;
	char	*path;

	g_mkdir_with_parents(dir, 0755);
	path = g_build_filename(dir, name, NULL);
	if (!g_file_set_contents(path, data, (gssize)len, &error)) {
		fprintf(stderr, "mkseeds: %s\n", error->message);
		exit(1);
	}
	g_free(path);
}

/* Files one attachment or member under the harness its name calls for. */
static void
mkseeds_file(const char *name, const void *data, size_t len, void *arg)
{
	struct mkseeds	*ms = arg;
	const char	*kind = NULL;
	char		*low, *dir, *file;
	GByteArray	*parts;

	low = g_ascii_strdown(name, -1);
	if (g_str_has_suffix(low, ".zip"))
		kind = "zip";
	else if (g_str_has_suffix(low, ".xlsx"))
		kind = "xlsx";
	else if (g_str_has_suffix(low, ".csv"))
		kind = "csv";
	g_free(low);
	if (kind == NULL)
		return;
	dir = g_build_filename(ms->out, kind, NULL);
	file = g_strdup_printf("%s-%u.%s", ms->prefix, ms->n++, kind);
	mkseeds_write(dir, file, data, len);
	g_free(file);
	/* A workbook unpacked too: fuzz_xlsx stores the parts itself. */
	if (strcmp(kind, "xlsx") == 0 &&
	    (parts = fuzz_xlsx_parts(data, len)) != NULL) {
		file = g_strdup_printf("%s-%u.parts", ms->prefix, ms->n++);
		mkseeds_write(dir, file, parts->data, parts->len);
		g_free(file);
		g_byte_array_free(parts, TRUE);
	}
	g_free(dir);
}

/* The index in fuzz_value_specs of a type as the tests write it: itself,
 * else the first of its kind ("enum:A|B" -> the first enum). */
static int
mkseeds_spec(const char *type)
{
	size_t	i, n = strcspn(type, ":<");

	for (i = 0; fuzz_value_specs[i] != NULL; i++) {
		if (strcmp(fuzz_value_specs[i], type) == 0)
			return (int)i;
	}
	for (i = 0; fuzz_value_specs[i] != NULL; i++) {
		if (strncmp(fuzz_value_specs[i], type, n) == 0 &&
		    strcspn(fuzz_value_specs[i], ":<") == n)
			return (int)i;
	}
	return -1;
}

/* Reads "type<TAB>value" lines: one seed per line, as a text cell. */
static void
mkseeds_values(const char *out)
{
	GString		*seed = g_string_new(NULL);
	char		 line[4096], *tab, *dir, *file;
	unsigned int	 n = 0;
	int		 spec;

	dir = g_build_filename(out, "value", NULL);
	while (fgets(line, sizeof line, stdin) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if ((tab = strchr(line, '\t')) == NULL)
			continue;
		*tab = '\0';
		if ((spec = mkseeds_spec(line)) < 0)
			continue;
		g_string_truncate(seed, 0);
		g_string_append_c(seed, (char)spec);
		g_string_append_c(seed, 0);	/* VCELL_TEXT */
		g_string_append(seed, tab + 1);
		file = g_strdup_printf("value-%u", n++);
		mkseeds_write(dir, file, seed->str, seed->len);
		g_free(file);
	}
	g_free(dir);
	g_string_free(seed, TRUE);
}

/* Writes what the parsing child sends its parent for this message. */
static void
mkseeds_wire(const char *out, const char *prefix, const char *data,
    size_t len)
{
	struct nintei	 n;
	struct mail	*m;
	struct forms	*f = NULL;
	GBytes		*b;
	char		*cause = NULL, *dir;

	fuzz_intake_init();
	if ((m = mail_parse_bytes(data, len, &fuzz_conf->mime,
	    &cause)) == NULL) {
		g_free(cause);
		return;
	}
	memset(&n, 0, sizeof n);
	n.conf = fuzz_conf;
	if (m->limit == NULL)
		f = parse_forms(&n, m, NULL);
	b = wire_encode(m, f, NULL);
	dir = g_build_filename(out, "wire", NULL);
	mkseeds_write(dir, prefix, g_bytes_get_data(b, NULL),
	    g_bytes_get_size(b));
	g_free(dir);
	g_bytes_unref(b);
	forms_free(f);
	mail_free(m);
}

int
main(int argc, char **argv)
{
	struct mkseeds	 ms;
	char		*data;
	gsize		 len;
	int		 i;

	if (argc == 3 && strcmp(argv[1], "values") == 0) {
		mkseeds_values(argv[2]);
		return 0;
	}
	if (argc < 3 || strcmp(argv[1], "forms") != 0) {
		fprintf(stderr, "usage: mkseeds forms OUT MESSAGE...\n"
		    "       mkseeds values OUT <type-tab-value-lines\n");
		return 64;
	}
	ms.out = argv[2];
	for (i = 3; i < argc; i++) {
		if (!g_file_get_contents(argv[i], &data, &len, NULL))
			continue;
		ms.prefix = g_path_get_basename(argv[i]);
		ms.n = 0;
		fuzz_unpack(data, len, mkseeds_file, &ms);
		mkseeds_wire(ms.out, ms.prefix, data, len);
		g_free(ms.prefix);
		g_free(data);
	}
	return 0;
}
